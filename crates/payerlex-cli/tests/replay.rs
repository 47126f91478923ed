//! `payerlex check --log` and `payerlex replay`: every record replays on its own to the same
//! decision; a changed pack lists exactly the decisions that change; unreadable records are
//! reported, never skipped silently.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use assert_cmd::Command;
use serde_json::Value;

fn claim(id: &str, patient: &str, lines: &str) -> String {
    format!(
        r#"{{"id":"{id}","payer":"medicare","patient":"{patient}","provider":{{"npi":"1234567893","role":"professional"}},"place_of_service":"11","diagnoses":["S32.401A"],"lines":[{lines}]}}"#
    )
}

fn line(number: u32, code: &str) -> String {
    format!(
        r#"{{"number":{number},"code":"{code}","units":1,"date":"2026-03-02","diagnosis_pointers":[1]}}"#
    )
}

/// Claims whose decisions depend on history (a second 3D line the same day for one patient)
/// and on the angiography pair the changed pack drops.
fn claims() -> String {
    [
        claim("C1", "P1", &[line(1, "72192"), line(2, "76377")].join(",")),
        claim("C2", "P1", &line(1, "76377")),
        claim("C3", "P2", &[line(1, "71275"), line(2, "76377")].join(",")),
        claim("C4", "P3", &[line(1, "72192"), line(2, "76376")].join(",")),
    ]
    .join("\n")
        + "\n"
}

fn check_with_log(policies: &std::path::Path, dir: &std::path::Path) -> std::path::PathBuf {
    let input = dir.join("claims.jsonl");
    std::fs::write(&input, claims()).unwrap();
    let log = dir.join("decisions.jsonl");
    Command::cargo_bin("payerlex")
        .unwrap()
        .arg("check")
        .arg("--policies")
        .arg(policies)
        .arg("--log")
        .arg(&log)
        .arg(&input)
        .assert()
        .success();
    log
}

fn replay(policies: &std::path::Path, log: &std::path::Path) -> (i32, String, String) {
    common::run_payerlex(
        [
            "replay".as_ref(),
            "--policies".as_ref(),
            policies.as_os_str(),
            log.as_os_str(),
        ],
        None,
    )
}

#[test]
fn every_logged_decision_replays_the_same_on_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let log = check_with_log(&common::policies(), dir.path());
    let text = std::fs::read_to_string(&log).unwrap();
    let records: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 4, "one record per decided claim");
    assert!(records
        .iter()
        .all(|r| r["v"] == 1 && r["decision"]["decided_at"].is_string()));
    let second = &records[1];
    assert_eq!(second["claim"]["id"], "C2");
    assert!(
        !second["history"].as_array().unwrap().is_empty(),
        "C2 read C1's lines: {second}"
    );
    // Each record alone: reversing the log changes nothing.
    let reversed = dir.path().join("reversed.jsonl");
    let mut lines: Vec<&str> = text.lines().collect();
    lines.reverse();
    std::fs::write(&reversed, lines.join("\n") + "\n").unwrap();
    for log in [&log, &reversed] {
        let (code, stdout, stderr) = replay(&common::policies(), log);
        assert_eq!(code, 0, "{stdout}\n{stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(stderr.contains("4 replayed: 4 same, 0 differ"), "{stderr}");
    }
}

#[test]
fn a_changed_pack_lists_each_decision_that_would_differ() {
    let dir = tempfile::tempdir().unwrap();
    let log = check_with_log(&common::policies(), dir.path());
    let changed = dir.path().join("policies");
    common::copy_dir(&common::policies(), &changed);
    let policy = changed.join("medicare/3d-rendering.policy");
    let text = std::fs::read_to_string(&policy).unwrap();
    let edited = text.replacen("70547..70549, 71275,", "70547..70549,", 1);
    assert_ne!(edited, text);
    std::fs::write(&policy, edited).unwrap();
    let (code, stdout, stderr) = replay(&changed, &log);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    let listed: Vec<&str> = stdout.lines().collect();
    assert_eq!(listed.len(), 1, "{stdout}");
    assert!(listed[0].starts_with("record 3 (claim C3): "), "{stdout}");
    assert!(listed[0].contains("line 2"), "{stdout}");
    assert!(stderr.contains("1 differ"), "{stderr}");
    assert!(stderr.contains("different pack digest"), "{stderr}");
}

#[test]
fn records_that_cannot_be_replayed_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let log = check_with_log(&common::policies(), dir.path());
    let mut text = std::fs::read_to_string(&log).unwrap();
    text.push_str("{\"v\":1,\"claim\":\"not a claim\"}\n");
    text.push_str(
        &text
            .lines()
            .next()
            .unwrap()
            .replacen("\"v\":1", "\"v\":9", 1),
    );
    text.push('\n');
    std::fs::write(&log, text).unwrap();
    let (code, stdout, stderr) = replay(&common::policies(), &log);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("record 5: cannot replay: not a decision log record"),
        "{stdout}"
    );
    assert!(
        stdout.contains("record 6: cannot replay: decision log format version 9"),
        "{stdout}"
    );
    assert!(
        stderr.contains("4 same, 0 differ, 2 could not be replayed"),
        "{stderr}"
    );
}
