//! `payerlex test`: runs the pack tests of `policies/`, reports failures with expected vs
//! actual decisions and explanations, rule coverage, and exit codes 0 / 1 / 2.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{copy_dir, policies, DATE, NPI, PATIENT};
use std::path::Path;

use assert_cmd::Command;

/// A temporary copy of the shipped packs, to break.
fn shipped_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&policies(), dir.path());
    dir
}

fn run(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let output = Command::cargo_bin("payerlex")
        .unwrap()
        .arg("test")
        .arg("--policies")
        .arg(dir)
        .args(extra)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn summary(stdout: &str) -> (usize, usize) {
    let line = stdout
        .lines()
        .find(|l| l.ends_with(" failed") && l.contains(" passed, "))
        .unwrap_or_else(|| panic!("no summary line in:\n{stdout}"));
    let numbers: Vec<usize> = line
        .split(' ')
        .filter_map(|w| w.trim_end_matches(',').parse().ok())
        .collect();
    assert_eq!(
        line,
        format!("{} passed, {} failed", numbers[0], numbers[1]),
        "the summary is alone on its line"
    );
    (numbers[0], numbers[1])
}

#[test]
fn the_shipped_packs_pass_with_full_coverage() {
    let (code, stdout, stderr) = run(&policies(), &["--min-coverage", "100"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let (passed, failed) = summary(&stdout);
    assert!(passed > 50);
    assert_eq!(failed, 0);
    assert!(
        stdout.contains("medicare: 36/36 rules fired (100.0%)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("acme-health: 4/4 own rules fired (100.0%)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("summit-care: 1/1 own rules fired (100.0%)"),
        "{stdout}"
    );
    assert!(!stdout.contains("never fired"), "{stdout}");
}

#[test]
fn packs_can_be_selected() {
    let (code, stdout, _) = run(&policies(), &["summit-care"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("summit-care:"));
    assert!(!stdout.contains("medicare:"), "{stdout}");
    let (code, _, stderr) = run(&policies(), &["sumit-care"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(
            "error[PLX-K003]: no pack `sumit-care` is loaded (did you mean `summit-care`?)"
        ),
        "{stderr}"
    );
}

#[test]
fn a_broken_expectation_fails_with_expected_vs_actual_and_the_explanation() {
    let dir = shipped_copy();
    let file = dir.path().join("medicare/tests/ncci-pairs.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let broken = text.replacen(
        r#"expect.2 = { outcome = "deny", carc = "97", rarc = ["M15"], rules = ["integral-to-angiography"] }"#,
        r#"expect.2 = "allow""#,
        1,
    );
    assert_ne!(text, broken);
    std::fs::write(&file, broken).unwrap();
    let (code, stdout, stderr) = run(dir.path(), &[]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert_eq!(summary(&stdout).1, 1);
    assert!(stdout.contains("ncci-pairs.toml:"), "{stdout}");
    assert!(
        stdout.contains("76377 with a CT angiography code (71275) is denied"),
        "{stdout}"
    );
    assert!(
        stdout.contains("line 2 (76377): expected allow, got deny"),
        "{stdout}"
    );
    assert!(
        stdout.contains("deny medicare.3d-rendering/integral-to-angiography [CARC 97, RARC M15]"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "where code in angiography_indicator_0 = true  (medicare/3d-rendering.policy:"
        ),
        "the clause-level explanation is shown: {stdout}"
    );
}

#[test]
fn a_missing_rule_is_explained_by_the_clause_that_kept_it_from_firing() {
    let dir = shipped_copy();
    let file = dir.path().join("medicare/tests/ncci-pairs.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let broken = text.replacen(
        r#"expect.2 = { outcome = "allow", absent = ["integral-to-angiography"] }"#,
        r#"expect.2 = { outcome = "deny", carc = "97", rules = ["integral-to-angiography"] }"#,
        1,
    );
    std::fs::write(&file, broken).unwrap();
    let (code, stdout, _) = run(dir.path(), &[]);
    assert_eq!(code, 1);
    assert!(stdout.contains("expected deny, got allow"), "{stdout}");
    assert!(
        stdout.contains("expected CARC 97, no finding carries it"),
        "{stdout}"
    );
    assert!(
        stdout.contains("why `medicare.3d-rendering/integral-to-angiography` did not fire:"),
        "{stdout}"
    );
    assert!(
        stdout.contains("where code in angiography_indicator_0 = false"),
        "{stdout}"
    );

    // Without a rule named, the rules that give the expected CARC are explained.
    std::fs::write(
        &file,
        text.replacen(
            r#"expect.2 = { outcome = "allow", absent = ["integral-to-angiography"] }"#,
            r#"expect.2 = { outcome = "deny", carc = "97" }"#,
            1,
        ),
    )
    .unwrap();
    let (code, stdout, _) = run(dir.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("why `medicare.3d-rendering/integral-to-angiography` did not fire:"),
        "{stdout}"
    );
    assert!(
        stdout.contains("why `medicare.3d-rendering/biopsy-mapping` did not fire:"),
        "{stdout}"
    );
}

#[test]
fn coverage_below_the_threshold_fails_the_run() {
    let dir = shipped_copy();
    std::fs::remove_file(dir.path().join("medicare/tests/biopsy-mapping.toml")).unwrap();
    let (code, stdout, _) = run(dir.path(), &[]);
    assert_eq!(
        code, 0,
        "without a threshold, coverage is reported only: {stdout}"
    );
    assert!(
        stdout.contains("medicare: 35/36 rules fired (97.2%)"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "never fired: medicare.3d-rendering/biopsy-mapping (medicare/3d-rendering.policy:"
        ),
        "{stdout}"
    );
    let (code, stdout, _) = run(dir.path(), &["--min-coverage", "100"]);
    assert_eq!(code, 1, "{stdout}");
    assert_eq!(summary(&stdout).1, 0);
    assert!(
        stdout.contains("rule coverage of pack `medicare` is 97.2%, below --min-coverage 100"),
        "{stdout}"
    );
    let (code, _, _) = run(dir.path(), &["--min-coverage", "90"]);
    assert_eq!(code, 0);
}

#[test]
fn a_malformed_test_file_exits_2_naming_file_and_line() {
    let dir = shipped_copy();
    let file = dir.path().join("summit-care/tests/broken.toml");
    std::fs::write(
        &file,
        "[defaults.claim]\npatient = \"P1\"\n\n[[test]]\nname = \"bad code\"\nclaim.lines = [{ code = \"7637\" }]\nexpect.1 = \"deny\"\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run(dir.path(), &[]);
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("summit-care/tests/broken.toml:6:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("lines[0].code: invalid procedure code: expected 5 characters"),
        "{stderr}"
    );
    assert!(stdout.is_empty(), "no test runs: {stdout}");

    std::fs::write(&file, "[[test]]\nname = \"unclosed\nclaim = {}\n").unwrap();
    let (code, _, stderr) = run(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("summit-care/tests/broken.toml:2:"),
        "{stderr}"
    );
    assert!(stderr.contains("invalid TOML"), "{stderr}");

    std::fs::write(
        &file,
        format!("[defaults.claim]\npatient = \"{PATIENT}\"\nprovider = {{ npi = \"{NPI}\", role = \"professional\" }}\nplace_of_service = \"11\"\n[defaults.line]\nunits = 1\ndate = {DATE}\n\n[[test]]\nname = \"typo in a rule\"\nclaim.lines = [{{ code = \"76377\" }}]\nexpect.1 = {{ outcome = \"deny\", rules = [\"base-study-requird\"] }}\n"),
    )
    .unwrap();
    let (code, _, stderr) = run(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("summit-care/tests/broken.toml:12:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `base-study-required`?"),
        "{stderr}"
    );
}

#[test]
fn policies_that_fail_to_load_exit_2() {
    let dir = shipped_copy();
    let file = dir.path().join("acme-health/3d-rendering.policy");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("import base_study from", "import base_studies from"),
    )
    .unwrap();
    let (code, stdout, stderr) = run(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("acme-health/3d-rendering.policy:"),
        "{stderr}"
    );
}
