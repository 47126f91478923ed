//! `payerlex check --input fhir` and `--output fhir`: FHIR claims decided like their JSON
//! twins, decisions written as `ClaimResponse`s, unreadable claims as error responses.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(name: &str) -> PathBuf {
    root()
        .join("crates/payerlex-fhir/tests/fixtures")
        .join(name)
}

fn run(args: &[&str], input: &PathBuf) -> (i32, Vec<Value>) {
    let output = Command::cargo_bin("payerlex")
        .unwrap()
        .arg("check")
        .arg("--policies")
        .arg(root().join("policies"))
        .args(args)
        .arg(input)
        .output()
        .unwrap();
    let records = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (output.status.code().unwrap(), records)
}

#[test]
fn fhir_claims_are_decided_like_their_json_twins() {
    let payers = fixture("payers.toml");
    let payers = payers.to_str().unwrap();
    let (code, fhir) = run(
        &["--input", "fhir", "--payer-map", payers],
        &fixture("claims.ndjson"),
    );
    assert!(code <= 1, "exit {code}");
    let (_, json) = run(&[], &fixture("scenarios.jsonl"));
    assert!(!fhir.is_empty());
    for decision in &fhir {
        let id = &decision["claim"];
        let twin = json
            .iter()
            .find(|d| &d["claim"] == id)
            .unwrap_or_else(|| panic!("no JSON twin of {id}"));
        assert_eq!(decision["lines"], twin["lines"], "claim {id}");
        assert_eq!(decision["outcome"], twin["outcome"], "claim {id}");
    }
}

#[test]
fn decisions_come_out_as_claim_responses() {
    let payers = fixture("payers.toml");
    let (_, responses) = run(
        &[
            "--input",
            "fhir",
            "--output",
            "fhir",
            "--payer-map",
            payers.to_str().unwrap(),
        ],
        &fixture("bundle.json"),
    );
    assert!(!responses.is_empty());
    for response in &responses {
        assert_eq!(response["resourceType"], "ClaimResponse");
    }
    let denied = responses
        .iter()
        .find(|r| r["request"]["reference"] == "Claim/M-cta")
        .expect("M-cta's response");
    let reasons = denied.to_string();
    assert!(
        reasons.contains("claim-adjustment-reason-codes"),
        "{reasons}"
    );
    assert!(reasons.contains("\"97\""), "{reasons}");
}

#[test]
fn an_unreadable_fhir_record_becomes_an_error_response_and_the_rest_is_decided() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(fixture("claims.ndjson")).unwrap();
    let first = good.lines().next().unwrap();
    let input = dir.path().join("in.ndjson");
    std::fs::write(&input, format!("{{\"resourceType\":\"Claim\"}}\n{first}\n")).unwrap();
    let payers = fixture("payers.toml");
    let (code, responses) = run(
        &[
            "--input",
            "fhir",
            "--output",
            "fhir",
            "--payer-map",
            payers.to_str().unwrap(),
        ],
        &input,
    );
    assert_eq!(code, 1);
    assert_eq!(responses.len(), 2);
    assert_eq!(responses[0]["outcome"], "error");
    assert!(responses[0]["error"]
        .as_array()
        .is_some_and(|e| !e.is_empty()));
    assert_ne!(responses[1]["outcome"], "error");
}
