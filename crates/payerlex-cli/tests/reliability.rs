//! The reliability reproducers of issue 12 that concern loading packs, through the command
//! line: deep nesting (c06, c08, c09), a table path leaving the pack (c07), 8,000 sets (c10),
//! a symlinked policy (c11), a FIFO table (c12), and a `--table` override that must change
//! `policy.digest` (c15). Also `--limit` and `payerlex limits`, and RELIABILITY.md's table.
//! Inputs are generated here; nothing of ../shared is read.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use assert_cmd::Command;
use common::*;

const CLAIM: &str = r#"{"id":"C1","payer":"p","patient":"P1","provider":{"npi":"1234567893","role":"professional"},"place_of_service":"11","diagnoses":["S32.401A"],"lines":[{"number":1,"code":"72192","units":1,"date":"2026-03-02","diagnosis_pointers":[1]},{"number":2,"code":"76377","units":2,"date":"2026-03-02","diagnosis_pointers":[1]}]}"#;

/// Pack `p` under `root` with one policy whose rule has `condition`, plus a claim file.
fn pack_with(root: &Path, condition: &str, extra_items: &str) -> PathBuf {
    let policy = format!(
        "policy p.main\nversion 1.0.0\n\nset s = 76377\n{extra_items}\nrule r\n  cite \"x\"\n  when {condition}\n  deny carc 97 \"m\"\n"
    );
    write_pack(
        root,
        "p",
        &manifest("p").policies(&["p.policy"]),
        &[("p.policy", &policy)],
    );
    std::fs::write(root.join("claim.jsonl"), format!("{CLAIM}\n")).unwrap();
    root.join("p")
}

/// Runs `payerlex check --policies ROOT ARGS ROOT/claim.jsonl`: exit code, stdout, stderr.
fn check(root: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::cargo_bin("payerlex")
        .unwrap()
        .arg("check")
        .arg("--policies")
        .arg(root)
        .args(args)
        .arg(root.join("claim.jsonl"))
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn deep_nesting_is_a_diagnostic_not_a_stack_overflow() {
    for condition in [
        format!(
            "line.code in s and {}line.units > 1{}",
            "(".repeat(1000),
            ")".repeat(1000)
        ),
        format!("line.code in s and {}line.units > 1", "not ".repeat(20_000)),
        format!("line.code in s and line.units{} > 1", " + 1".repeat(10_000)),
    ] {
        let dir = tempfile::tempdir().unwrap();
        pack_with(dir.path(), &condition, "");
        let (code, stdout, stderr) = check(dir.path(), &[]);
        assert_eq!(code, 2, "{stderr}");
        assert!(stdout.is_empty());
        assert!(stderr.contains("p/p.policy:8:"), "{stderr}");
        assert!(stderr.contains("error[PLX-S002]"), "{stderr}");
    }
}

#[test]
fn a_table_path_leaving_the_pack_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    pack_with(
        dir.path(),
        "line.code in s and mue[line.code].value > 1",
        "table mue = mue \"../../../../../../etc/passwd\"\n",
    );
    let (code, _, stderr) = check(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("error[PLX-P022]"), "{stderr}");
    assert!(!stderr.contains("root:"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_symlinked_policy_leaving_the_pack_is_refused_without_its_lines() {
    let dir = tempfile::tempdir().unwrap();
    let pack = pack_with(dir.path(), "line.code in s", "");
    std::fs::remove_file(pack.join("p.policy")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", pack.join("p.policy")).unwrap();
    let (code, _, stderr) = check(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("error[PLX-P022]"), "{stderr}");
    assert!(!stderr.contains("root:"), "{stderr}");
}

/// c12: a FIFO without a writer as a table file; before, the load blocked forever.
#[cfg(unix)]
#[test]
fn a_fifo_table_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let pack = pack_with(
        dir.path(),
        "line.code in s and mue[line.code].value > 1",
        "table mue = mue \"t.csv\"\n",
    );
    let status = StdCommand::new("mkfifo")
        .arg(pack.join("t.csv"))
        .status()
        .unwrap();
    assert!(status.success());
    let mut child = StdCommand::cargo_bin("payerlex")
        .unwrap()
        .arg("check")
        .arg("--policies")
        .arg(dir.path())
        .arg(dir.path().join("claim.jsonl"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("payerlex blocked on a FIFO table");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(2));
    assert!(stderr.contains("error[PLX-P023]"), "{stderr}");
}

/// c10: 8,000 one-line sets (311 KB). Refused by `items_per_file`; allowed with `--limit`, it
/// loads and prints one short warning per unused set (before: 2.4 GB, each diagnostic a copy
/// of the file, and rendering was quadratic).
#[test]
fn eight_thousand_sets_are_refused_or_load_with_short_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let sets: String = (0..8000)
        .map(|i| format!("set u{i} = 76377, 76376, 70450..70498\n"))
        .collect();
    pack_with(dir.path(), "line.code in s", &sets);
    let (code, _, stderr) = check(dir.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(stderr.matches("error[PLX-P021]").count(), 1, "{stderr}");
    assert!(stderr.contains("items_per_file"));

    let (code, stdout, stderr) = check(dir.path(), &["--limit", "items_per_file=10000"]);
    assert_eq!(code, 0, "{}", &stderr[..stderr.len().min(2000)]);
    assert_eq!(stdout.lines().count(), 1);
    assert_eq!(stderr.matches("warning[PLX-W001]").count(), 8000);
    assert!(
        stderr.len() < 8000 * 1024,
        "{} bytes of warnings",
        stderr.len()
    );
}

/// c15: the digest covers table data: `--table` with another MUE file changes the decision
/// and the digest with it.
#[test]
fn a_table_override_changes_the_digest() {
    let dir = tempfile::tempdir().unwrap();
    let mue =
        std::fs::read_to_string(policies().join("medicare/tables/mue_practitioner_sample.csv"))
            .unwrap();
    let changed = mue.replace("\n72192,1,", "\n72192,0,");
    assert_ne!(changed, mue);
    std::fs::write(dir.path().join("mue0.csv"), changed).unwrap();
    std::fs::write(
        dir.path().join("claim.jsonl"),
        format!(
            "{}\n",
            CLAIM
                .replace("\"payer\":\"p\"", "\"payer\":\"medicare\"")
                .replace("\"units\":2", "\"units\":1")
        ),
    )
    .unwrap();
    let decide = |extra: &[&str]| {
        let output = Command::cargo_bin("payerlex")
            .unwrap()
            .arg("check")
            .arg("--policies")
            .arg(policies())
            .args(extra)
            .arg(dir.path().join("claim.jsonl"))
            .output()
            .unwrap();
        let record: serde_json::Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
        (
            record["policy"]["digest"].as_str().unwrap().to_owned(),
            record["outcome"].as_str().unwrap().to_owned(),
        )
    };
    let override_arg = format!("mue={}", dir.path().join("mue0.csv").display());
    let (digest, outcome) = decide(&[]);
    let (other_digest, other_outcome) = decide(&["--table", &override_arg]);
    assert_ne!(outcome, other_outcome, "the override decides differently");
    assert_ne!(digest, other_digest);
}

#[test]
fn limits_lists_every_limit_and_limit_flags_are_checked() {
    let output = Command::cargo_bin("payerlex")
        .unwrap()
        .arg("limits")
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let limits = payerlex::Limits::describe();
    assert_eq!(text.lines().count(), limits.len());
    for limit in &limits {
        let line = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(limit.name))
            .unwrap_or_else(|| panic!("{} is not listed", limit.name));
        assert!(line.contains(&limit.default.to_string()), "{line}");
        assert!(line.contains(limit.meaning), "{line}");
    }

    for bad in [
        "nope=1",
        "nesting_depth=65",
        "record_bytes=0",
        "record_bytes",
    ] {
        Command::cargo_bin("payerlex")
            .unwrap()
            .args(["check", "--policies"])
            .arg(policies())
            .args(["--limit", bad, "-"])
            .assert()
            .code(2);
    }
}

/// `--limit` reaches the loader of every command that loads packs.
#[test]
fn limit_flags_reach_test_diff_explain_and_replay() {
    let medicare = policies().join("medicare");
    let medicare = medicare.to_str().unwrap();
    let root = policies();
    let root = root.to_str().unwrap();
    for args in [
        vec!["test", "--policies", root],
        vec!["explain", "--policies", root, "76377"],
        vec![
            "diff",
            medicare,
            medicare,
            "--cases",
            "0",
            "--no-exhaustive",
        ],
        vec!["replay", "--policies", root, "-"],
    ] {
        let output = Command::cargo_bin("payerlex")
            .unwrap()
            .args(&args)
            .args(["--limit", "rules_per_pack=1"])
            .write_stdin("")
            .output()
            .unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("rules_per_pack"), "{args:?}: {stderr}");
    }
}

/// RELIABILITY.md's table of limits is `payerlex limits --format markdown`, whole.
#[test]
fn reliability_md_lists_every_limit() {
    let output = Command::cargo_bin("payerlex")
        .unwrap()
        .args(["limits", "--format", "markdown"])
        .output()
        .unwrap();
    let table = String::from_utf8(output.stdout).unwrap();
    let doc = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../RELIABILITY.md"),
    )
    .unwrap();
    assert!(
        doc.contains(&table),
        "RELIABILITY.md must contain the output of `payerlex limits --format markdown`:\n{table}"
    );
}
