//! `payerlex check --jobs N` spreads claims over threads by payer and patient: the output must
//! be the one-thread output, record for record and byte for byte but for `decided_at`, for
//! any file — generated here with patients that repeat (so history rules fire across claims),
//! replacements and voids of earlier claims, and records that are not claims (error records
//! stay in place, exit codes and summaries stay the same). `--log` and `--resume-after` too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use assert_cmd::Command;
use proptest::prelude::*;
use serde_json::Value;

/// The decidable example claims (the templates of generated claims).
fn templates() -> Vec<Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/claims.jsonl");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|c| !c["id"].as_str().unwrap().starts_with("BAD"))
        .collect()
}

/// One generated input record.
#[derive(Debug, Clone)]
enum Spec {
    Claim {
        template: usize,
        patient: u8,
        day: u8,
        /// 0: original; 1: replaces the patient's previous claim; 2: voids it.
        kind: u8,
    },
    NotJson,
    UnknownPayer,
}

fn spec() -> impl Strategy<Value = Spec> {
    prop_oneof![
        20 => (0..17usize, 0..6u8, 0..3u8, prop_oneof![8 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8)])
            .prop_map(|(template, patient, day, kind)| Spec::Claim { template, patient, day, kind }),
        1 => Just(Spec::NotJson),
        1 => Just(Spec::UnknownPayer),
    ]
}

/// The JSON Lines file of `specs`.
fn input(specs: &[Spec]) -> String {
    let templates = templates();
    let mut last_of_patient = std::collections::HashMap::new();
    let mut out = String::new();
    for (n, spec) in specs.iter().enumerate() {
        let line = match spec {
            Spec::Claim {
                template,
                patient,
                day,
                kind,
            } => {
                let mut claim = templates[*template % templates.len()].clone();
                let id = format!("G{n}");
                claim["id"] = id.clone().into();
                claim["patient"] = format!("Q{patient}").into();
                for line in claim["lines"].as_array_mut().unwrap() {
                    line["date"] = format!("2026-03-0{}", 2 + day).into();
                }
                let key = (claim["payer"].to_string(), *patient);
                if let (1 | 2, Some(previous)) = (kind, last_of_patient.get(&key)) {
                    claim["frequency"] = if *kind == 1 { "7" } else { "8" }.into();
                    claim["replaces"] = Value::String(String::clone(previous));
                }
                last_of_patient.insert(key, id);
                claim.to_string()
            }
            Spec::NotJson => "{not json".to_owned(),
            Spec::UnknownPayer => {
                let mut claim = templates[0].clone();
                claim["payer"] = "no-such-payer".into();
                claim.to_string()
            }
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Runs `payerlex check` with `extra` arguments on `input` from stdin; returns exit code,
/// stdout without the `decided_at` fields, and stderr.
fn check(input: &str, extra: &[&str]) -> (i32, String, String) {
    run_check(input, extra, false)
}

/// [`check`] with the input in a regular file, which `--jobs` hands to its threads in
/// batches (a pipe goes one claim at a time).
fn check_file(input: &str, extra: &[&str]) -> (i32, String, String) {
    run_check(input, extra, true)
}

fn run_check(input: &str, extra: &[&str], from_file: bool) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut command = Command::cargo_bin("payerlex").unwrap();
    command
        .arg("check")
        .arg("--policies")
        .arg(common::policies())
        .args(extra)
        // A run that waits for itself fails here instead of hanging the suite.
        .timeout(std::time::Duration::from_secs(120));
    if from_file {
        let path = dir.path().join("claims.jsonl");
        std::fs::write(&path, input).unwrap();
        command.arg(&path);
    } else {
        command.arg("-").write_stdin(input.to_owned());
    }
    let output = command.output().unwrap();
    (
        output.status.code().unwrap(),
        without_time(&String::from_utf8(output.stdout).unwrap()),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The text with every `"decided_at":"…",` removed (the only field that differs run to run).
fn without_time(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("\"decided_at\":\"") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "\"decided_at\":\"".len()..];
        let end = after.find("\",").unwrap();
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn jobs_1_2_4_write_the_same_records(specs in prop::collection::vec(spec(), 1..60)) {
        let input = input(&specs);
        let one = check(&input, &["--jobs", "1"]);
        prop_assert_eq!(one.1.lines().count(), specs.len());
        for jobs in ["2", "4"] {
            let many = check(&input, &["--jobs", jobs]);
            prop_assert_eq!(&many, &one, "--jobs {}", jobs);
            let batched = check_file(&input, &["--jobs", jobs]);
            prop_assert_eq!(&batched, &one, "--jobs {} reading a file", jobs);
        }
    }
}

#[test]
fn batches_from_a_file_longer_than_the_window_give_the_same_records() {
    // 1,500 records against a window of 128 per thread. Six patients with one claim each
    // come first, then one patient's claims: some of the six go to a thread that gets nothing
    // more, so their batch never fills, and the reader must send the batches it holds before
    // it waits for room, or the writer would wait for them forever.
    let specs: Vec<Spec> = (0..1500)
        .map(|n| match n {
            0..=5 => Spec::Claim {
                template: n,
                patient: n as u8 + 1,
                day: 0,
                kind: 0,
            },
            _ if n % 97 == 13 => Spec::NotJson,
            _ => Spec::Claim {
                template: n % 17,
                patient: 0,
                day: (n % 5) as u8,
                kind: u8::from(n % 11 == 10),
            },
        })
        .collect();
    let input = input(&specs);
    let one = check(&input, &["--jobs", "1"]);
    assert_eq!(one.1.lines().count(), 1500);
    for jobs in ["2", "3"] {
        assert_eq!(check_file(&input, &["--jobs", jobs]), one, "--jobs {jobs}");
    }
}

#[test]
fn a_generated_file_has_history_findings_and_error_records_in_place() {
    // Guards the property above against inputs where history never matters: the same
    // patient's hospital claims (facility, radiologist, second reader) read each other.
    let templates = templates();
    let hospital: Vec<usize> = (0..templates.len())
        .filter(|&i| templates[i]["patient"] == "P08")
        .collect();
    assert_eq!(hospital.len(), 3);
    let mut specs = Vec::new();
    for patient in 0..4 {
        for &template in &hospital {
            specs.push(Spec::Claim {
                template,
                patient,
                day: 0,
                kind: 0,
            });
        }
        specs.push(Spec::NotJson);
    }
    let input = input(&specs);
    let isolated: String = input
        .lines()
        .enumerate()
        .map(|(n, line)| {
            // The same claims each under its own patient: no history between them.
            line.replace("\"patient\":\"Q", &format!("\"patient\":\"R{n}-"))
        })
        .collect::<Vec<_>>()
        .join("\n");
    let (code, one, _) = check(&input, &["--jobs", "1"]);
    let (_, alone, _) = check(&isolated, &["--jobs", "1"]);
    assert_eq!(code, 1, "the not-JSON records are rejected");
    assert_ne!(
        one.replace("\"Q", "\""),
        alone.replace("\"R", "\""),
        "history changes decisions"
    );
    for (n, line) in one.lines().enumerate() {
        let record: Value = serde_json::from_str(line).unwrap();
        if n % 4 == 3 {
            assert_eq!(record["record"], n + 1, "error record in place: {line}");
        } else {
            assert!(record["outcome"].is_string(), "{line}");
        }
    }
    for jobs in ["2", "4"] {
        assert_eq!(check(&input, &["--jobs", jobs]).1, one);
    }
}

#[test]
fn log_and_resume_after_are_the_same_with_jobs() {
    let specs: Vec<Spec> = (0..40)
        .map(|n| Spec::Claim {
            template: n % 17,
            patient: (n % 5) as u8,
            day: (n % 3) as u8,
            kind: u8::from(n % 7 == 6),
        })
        .collect();
    let input = input(&specs);
    let dir = tempfile::tempdir().unwrap();
    let mut logs = Vec::new();
    let mut resumed = Vec::new();
    for jobs in ["1", "3"] {
        let log = dir.path().join(format!("log-{jobs}.jsonl"));
        let (code, _, _) = check(&input, &["--jobs", jobs, "--log", log.to_str().unwrap()]);
        assert_eq!(code, 0);
        logs.push(without_time(&std::fs::read_to_string(&log).unwrap()));
        resumed.push(check(&input, &["--jobs", jobs, "--resume-after", "25"]));
    }
    assert_eq!(logs[0].lines().count(), 40);
    assert_eq!(logs[0], logs[1]);
    assert_eq!(resumed[0].1.lines().count(), 15);
    assert_eq!(resumed[0], resumed[1]);
}

#[test]
fn a_failing_input_stops_with_exit_3_with_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::cargo_bin("payerlex")
        .unwrap()
        .args(["check", "--jobs", "2", "--policies"])
        .arg(common::policies())
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let last: Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(last["stopped"]["after_record"], 0);
}

#[test]
fn with_jobs_records_still_reach_the_output_as_they_are_decided() {
    // A host feeding claims one at a time gets each decision before sending the next.
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command as StdCommand, Stdio};

    use assert_cmd::cargo::CommandCargoExt;
    let mut child = StdCommand::cargo_bin("payerlex")
        .unwrap()
        .args(["check", "--jobs", "2", "--policies"])
        .arg(common::policies())
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut claim = templates()[0].clone();
    for k in 0..3 {
        claim["id"] = format!("I{k}").into();
        writeln!(stdin, "{claim}").unwrap();
        stdin.flush().unwrap();
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let record: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(record["claim"], format!("I{k}"));
    }
    drop(stdin);
    child.wait().unwrap();
}
