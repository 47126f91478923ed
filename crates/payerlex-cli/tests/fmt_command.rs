//! `payerlex fmt`: rewrites files in the canonical layout, `--check` reports without writing,
//! `-` formats stdin, a file that does not parse is left alone; exit codes 0 / 1 / 2.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use assert_cmd::Command;

const MESSY: &str = "# A comment that stays.\npolicy t.fmt\nversion 1.0.0\n\n\n\nset   codes=76376 ,76377   # the 3D codes\nrule r\ncite \"c\"\n    when line.code in codes and line.units>1\n deny carc 151 \"too many\"\n";

const CANONICAL: &str = "# A comment that stays.\npolicy t.fmt\nversion 1.0.0\n\nset codes = 76376, 76377  # the 3D codes\n\nrule r\n  cite \"c\"\n  when line.code in codes and line.units > 1\n  deny carc 151 \"too many\"\n";

fn fmt(args: &[&str], dir: &Path) -> (i32, String, String) {
    common::run_payerlex(std::iter::once(&"fmt").chain(args), Some(dir))
}

#[test]
fn check_reports_then_fmt_rewrites_then_check_passes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("pack")).unwrap();
    let file = dir.path().join("pack/t.policy");
    std::fs::write(&file, MESSY).unwrap();

    let (code, stdout, stderr) = fmt(&["--check", "."], dir.path());
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("pack/t.policy:5: not formatted"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        MESSY,
        "--check wrote"
    );

    let (code, stdout, stderr) = fmt(&["."], dir.path());
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("t.policy"), "{stdout}");
    assert!(
        stderr.contains("1 file(s) checked, 1 reformatted"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), CANONICAL);

    let (code, _, stderr) = fmt(&["--check", "pack/t.policy"], dir.path());
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn stdin_is_formatted_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::cargo_bin("payerlex")
        .unwrap()
        .args(["fmt", "-"])
        .write_stdin(MESSY)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8(output.stdout).unwrap(), CANONICAL);
}

#[test]
fn a_file_that_does_not_parse_is_left_alone_with_its_error() {
    let dir = tempfile::tempdir().unwrap();
    let broken = "policy t\nversion 1.0.0\nset a = 1,\n";
    std::fs::write(dir.path().join("b.policy"), broken).unwrap();
    std::fs::write(dir.path().join("ok.policy"), MESSY).unwrap();
    let (code, _, stderr) = fmt(&["."], dir.path());
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("b.policy:4:1: error[PLX-S001]"), "{stderr}");
    assert!(stderr.contains("does not parse"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("b.policy")).unwrap(),
        broken
    );
    // The other file is still formatted.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ok.policy")).unwrap(),
        CANONICAL
    );
}

#[test]
fn the_shipped_policies_are_canonical() {
    let (code, stdout, stderr) = fmt(&["--check", "policies"], &common::policies().join(".."));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stderr.contains("8 file(s) checked, 0 would be reformatted"),
        "{stderr}"
    );
}
