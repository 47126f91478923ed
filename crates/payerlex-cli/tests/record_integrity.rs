//! `payerlex check` keeps the batch whole whatever the input's bytes: one output record per
//! input line, in order (invalid UTF-8, a byte-order mark, CR or CRLF line ends, blank and
//! oversized lines), records written whole and flushed as they are decided, a final
//! `stopped` line and exit 3 when the input fails mid-stream, and `--resume-after N`.
//! The reliability reproducers c01, c02, c14, c16 and c17 are among these tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{Read, Write};
use std::process::{Command as StdCommand, Stdio};
use std::time::Duration;

use assert_cmd::cargo::CommandCargoExt;
use assert_cmd::Command;
use serde_json::Value;

fn claim(id: &str, patient: &str) -> String {
    format!(
        r#"{{"id":"{id}","payer":"medicare","patient":"{patient}","provider":{{"npi":"1234567893","role":"professional"}},"place_of_service":"11","diagnoses":["S32.401A"],"lines":[{{"number":1,"code":"72192","units":1,"date":"2026-03-02","diagnosis_pointers":[1]}},{{"number":2,"code":"76377","units":1,"date":"2026-03-02","diagnosis_pointers":[1]}}]}}"#
    )
}

fn check(input: Vec<u8>, extra: &[&str]) -> (i32, Vec<Value>, String) {
    let output = Command::cargo_bin("payerlex")
        .unwrap()
        .arg("check")
        .arg("--policies")
        .arg(common::policies())
        .args(extra)
        .arg("-")
        .write_stdin(input)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let records = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (
        output.status.code().unwrap(),
        records,
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn is_decision(record: &Value, id: &str) -> bool {
    record["claim"] == id && record["outcome"].is_string()
}

fn error_code(record: &Value) -> &str {
    record["code"].as_str().unwrap_or("")
}

#[test]
fn c01_an_invalid_utf8_line_is_one_error_record_and_the_batch_goes_on() {
    let mut input = Vec::new();
    input.extend(claim("C1", "P1").bytes());
    input.push(b'\n');
    let mut bad = claim("C2", "P2").into_bytes();
    bad.insert(10, 0xFF);
    input.extend(bad);
    input.push(b'\n');
    input.extend(claim("C3", "P3").bytes());
    input.push(b'\n');
    let (code, records, _) = check(input, &[]);
    assert_eq!(code, 1, "a rejected record exits 1, not 2");
    assert_eq!(records.len(), 3);
    assert!(is_decision(&records[0], "C1"));
    assert_eq!(records[1]["record"], 2);
    assert_eq!(error_code(&records[1]), "PLX-R016");
    assert!(is_decision(&records[2], "C3"));
}

#[test]
fn byte_order_mark_and_every_line_end_give_one_record_per_line() {
    let mut input = b"\xEF\xBB\xBF".to_vec();
    input.extend(
        format!(
            "{}\r{}\r\n{}\n\n{}",
            claim("A", "P1"),
            claim("B", "P2"),
            claim("C", "P3"),
            claim("D", "P4")
        )
        .bytes(),
    );
    let (code, records, _) = check(input, &[]);
    assert_eq!(code, 1, "the blank line is rejected");
    let ids: Vec<&Value> = records.iter().map(|r| &r["claim"]).collect();
    assert_eq!(records.len(), 5, "{records:?}");
    assert_eq!(
        ids[0], "A",
        "the byte-order mark does not cost the first claim"
    );
    assert_eq!(ids[1], "B");
    assert_eq!(ids[2], "C");
    assert_eq!(records[3]["record"], 4);
    assert_eq!(error_code(&records[3]), "PLX-R015");
    assert_eq!(ids[4], "D", "a last line without a line end is a record");
}

#[test]
fn c02_a_fact_stated_twice_is_an_error_record() {
    let record = claim("C4", "P4").replace(
        "}]}",
        r#"}],"report":{"text":"x","facts":{"independent_workstation":false,"independent_workstation":true}}}"#,
    );
    let (code, records, _) = check(format!("{record}\n").into_bytes(), &[]);
    assert_eq!(code, 1);
    assert_eq!(error_code(&records[0]), "PLX-R001");
    assert!(
        records[0]["error"]
            .as_str()
            .unwrap()
            .contains("report.facts"),
        "{}",
        records[0]
    );
}

#[test]
fn c14_c16_an_oversized_line_is_one_bounded_error_record() {
    let big = format!(
        r#"{{"id":"BIG","payer":"{}","patient":"P"}}"#,
        "m".repeat(6 * 1024 * 1024)
    );
    let input = format!("{}\n{big}\n{}\n", claim("A", "P1"), claim("B", "P2"));
    let (code, records, _) = check(input.into_bytes(), &[]);
    assert_eq!(code, 1);
    assert_eq!(records.len(), 3);
    assert_eq!(error_code(&records[1]), "PLX-R017");
    assert!(records[1].to_string().len() < 200, "{}", records[1]);
    assert!(is_decision(&records[2], "B"));
}

#[test]
fn an_unknown_payer_as_long_as_a_record_allows_is_not_echoed_whole() {
    let long = "m".repeat(100_000);
    let record = claim("A", "P1").replace("\"medicare\"", &format!("\"{long}\""));
    let (_, records, _) = check(format!("{record}\n").into_bytes(), &[]);
    assert_eq!(error_code(&records[0]), "PLX-R020");
    assert!(records[0].to_string().len() < 300);
}

#[test]
fn a_failing_input_ends_with_a_stopped_line_and_exit_3() {
    // Reading a directory fails on the first read: the run stops after record 0.
    let dir = tempfile::tempdir().unwrap();
    let output = Command::cargo_bin("payerlex")
        .unwrap()
        .arg("check")
        .arg("--policies")
        .arg(common::policies())
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let last: Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(last["stopped"]["after_record"], 0);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("--resume-after 0"), "{stderr}");
}

fn without_time(mut record: Value) -> Value {
    if let Some(map) = record.as_object_mut() {
        map.remove("decided_at");
    }
    record
}

#[test]
fn c17_a_killed_run_leaves_whole_records_and_resumes_where_it_stopped() {
    // One patient with many claims: each claim reads the history of the ones before it.
    let claims: Vec<String> = (0..4000)
        .map(|k| {
            claim(&format!("H{k}"), "PX").replace(
                "2026-03-02",
                &format!("2026-{:02}-{:02}", 1 + k % 12, 1 + k % 28),
            )
        })
        .collect();
    let input = claims.join("\n") + "\n";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("claims.jsonl");
    std::fs::write(&file, &input).unwrap();

    let mut child = StdCommand::cargo_bin("payerlex")
        .unwrap()
        .arg("check")
        .arg("--policies")
        .arg(common::policies())
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    // Read some output, then kill the process while it is deciding.
    let mut seen = vec![0u8; 64 * 1024];
    let mut got = 0;
    while got < 16 * 1024 {
        let n = stdout.read(&mut seen[got..]).unwrap();
        assert!(n > 0, "the run ended before it could be killed");
        got += n;
    }
    child.kill().unwrap();
    let mut rest = Vec::new();
    stdout.read_to_end(&mut rest).unwrap();
    child.wait().unwrap();
    let mut partial = seen[..got].to_vec();
    partial.extend(rest);
    let partial = String::from_utf8(partial).unwrap();
    assert!(partial.ends_with('\n'), "the last record is whole");
    let written: Vec<Value> = partial
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("torn record {e}: {l}")))
        .collect();
    let n = written.len();
    assert!(n > 0 && n < claims.len(), "killed mid-run ({n} records)");

    let resumed = Command::cargo_bin("payerlex")
        .unwrap()
        .arg("check")
        .arg("--policies")
        .arg(common::policies())
        .arg("--resume-after")
        .arg(n.to_string())
        .arg(&file)
        .timeout(Duration::from_secs(600))
        .output()
        .unwrap();
    let resumed: Vec<Value> = String::from_utf8(resumed.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let whole = Command::cargo_bin("payerlex")
        .unwrap()
        .arg("check")
        .arg("--policies")
        .arg(common::policies())
        .arg(&file)
        .output()
        .unwrap();
    let whole: Vec<Value> = String::from_utf8(whole.stdout)
        .unwrap()
        .lines()
        .map(|l| without_time(serde_json::from_str(l).unwrap()))
        .collect();
    let joined: Vec<Value> = written
        .into_iter()
        .chain(resumed)
        .map(without_time)
        .collect();
    assert_eq!(joined.len(), claims.len());
    assert!(
        joined == whole,
        "killed + resumed differs from one whole run"
    );
}

#[test]
fn records_reach_the_output_as_they_are_decided() {
    // A host feeding claims one at a time gets each decision before sending the next.
    let mut child = StdCommand::cargo_bin("payerlex")
        .unwrap()
        .arg("check")
        .arg("--policies")
        .arg(common::policies())
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    for k in 0..3 {
        writeln!(stdin, "{}", claim(&format!("I{k}"), "P")).unwrap();
        stdin.flush().unwrap();
        let mut line = String::new();
        std::io::BufRead::read_line(&mut stdout, &mut line).unwrap();
        let record: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(record["claim"], format!("I{k}"));
    }
    drop(stdin);
    child.wait().unwrap();
}
