//! The 3D rendering scenarios written as JSON Lines, as X12 (837P and 837I in one
//! interchange) and as FHIR read to the same claims and get identical decisions from the
//! repository's policy packs, in file order (earlier claims are the history of later ones).
//!
//! The X12 claims carry no report (an 837 has no place for one), so the test attaches each
//! JSON claim's report to the X12 claim of the same id, as a host that receives reports
//! separately would; every other field comes from the segments.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;

use payerlex::{Claim, Decision, Engine, InMemoryHistory};
use payerlex_x12::{PayerMap, Reader, Record};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn json_claims() -> Vec<Claim> {
    std::fs::read_to_string(fixtures().join("scenarios.jsonl"))
        .unwrap()
        .lines()
        .map(|line| payerlex::parse_claim(line).unwrap())
        .collect()
}

fn x12_claims() -> Vec<Claim> {
    let input = std::fs::read(fixtures().join("scenarios.x12")).unwrap();
    let payers = PayerMap::load(fixtures().join("payers.toml")).unwrap();
    Reader::new(&input)
        .unwrap()
        .with_payer_map(&payers)
        .map(|record| match record {
            Record::Claim(read) => read.claim,
            other => panic!("{other:?}"),
        })
        .collect()
}

/// X12 claims with the reports of the JSON claims of the same ids attached.
fn x12_claims_with_reports() -> Vec<Claim> {
    let json = json_claims();
    x12_claims()
        .into_iter()
        .map(|mut claim| {
            claim.report = json
                .iter()
                .find(|c| c.id == claim.id)
                .and_then(|c| c.report.clone());
            claim
        })
        .collect()
}

/// The decisions, without their ids: an id names the exact claim content, and a claim read
/// from FHIR may carry fields the others do not (the decisions must still be identical).
fn decide_in_order(claims: &[Claim]) -> Vec<serde_json::Value> {
    let engine =
        Engine::load(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../policies")).unwrap();
    let mut history = InMemoryHistory::new();
    claims
        .iter()
        .map(|claim| {
            let decision: Decision = engine.check(claim, &history).unwrap();
            history.record(claim, &decision);
            let mut value = serde_json::to_value(&decision).unwrap();
            if let Some(fields) = value.as_object_mut() {
                fields.remove("id");
            }
            value
        })
        .collect()
}

#[test]
fn x12_reads_to_the_same_claims_as_json() {
    let json = json_claims();
    let x12 = x12_claims_with_reports();
    assert_eq!(json.len(), 16);
    assert_eq!(x12.len(), json.len());
    for (from_json, from_x12) in json.iter().zip(&x12) {
        assert_eq!(from_x12, from_json, "claim {}", from_json.id);
    }
}

#[test]
fn x12_and_json_get_identical_decisions() {
    let json = decide_in_order(&json_claims());
    let x12 = decide_in_order(&x12_claims_with_reports());
    assert_eq!(x12, json);
    let outcome = |id: &str| {
        let decision = x12.iter().find(|d| d["claim"] == id).unwrap();
        decision["outcome"].clone()
    };
    // The scenarios are not all alike: the expected spread of outcomes is there.
    assert_eq!(outcome("M-clean"), "allow");
    assert_eq!(outcome("M-cta"), "deny");
    assert_eq!(outcome("M-lone"), "deny");
    assert_eq!(outcome("M-weak-report"), "review");
    assert_eq!(outcome("A-no-auth"), "deny");
    assert_eq!(outcome("A-auth"), "allow");
    assert_eq!(outcome("S-aneurysm"), "deny");
    // The radiologist's -26 lines after the hospital's -TC claim for the same patient and
    // date do not overlap it.
    assert_eq!(outcome("F-tc-pro"), "allow");
}

#[test]
fn the_replacement_and_the_facility_claims_are_read_as_such() {
    let x12 = x12_claims();
    let replacement = x12.iter().find(|c| c.id == "R-fix").unwrap();
    assert_eq!(replacement.replaces.as_deref(), Some("R-orig"));
    assert_eq!(
        replacement.frequency.map(|f| f.to_string()).as_deref(),
        Some("7")
    );
    let original = x12.iter().find(|c| c.id == "R-orig").unwrap();
    assert_eq!(
        original.frequency, None,
        "frequency 1 is the model's original"
    );
    let facility = x12.iter().find(|c| c.id == "F-tc").unwrap();
    assert_eq!(facility.provider.role.as_str(), "facility");
    assert_eq!(
        facility.place_of_service.to_string(),
        "22",
        "type of bill 13x"
    );
    let tc = &facility.lines[1];
    assert_eq!(tc.code.to_string(), "76377");
    assert_eq!(
        tc.modifiers
            .iter()
            .map(|m| m.to_string())
            .collect::<Vec<_>>(),
        ["TC"]
    );
}

/// The FHIR fixtures of payerlex-fhir hold the first fourteen scenarios.
fn fhir_claims() -> Vec<Claim> {
    use payerlex_fhir::{read_claims, FhirReader, PayerMap, ReadOptions};
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../payerlex-fhir/tests/fixtures");
    let options = ReadOptions::with_payers(PayerMap::load(dir.join("payers.toml")).unwrap());
    let bundle = std::fs::read_to_string(dir.join("bundle.json")).unwrap();
    let mut claims: Vec<Claim> = read_claims(&bundle, &options)
        .into_iter()
        .map(|c| c.unwrap())
        .collect();
    for file in ["claim-single.json", "claims.ndjson"] {
        let input = BufReader::new(File::open(dir.join(file)).unwrap());
        for claim in FhirReader::new(input, options.clone()) {
            claims.push(claim.unwrap_or_else(|e| panic!("{file}: {e}")));
        }
    }
    claims
}

#[test]
fn x12_json_and_fhir_get_identical_decisions() {
    let fhir = fhir_claims();
    assert_eq!(fhir.len(), 14);
    let x12: Vec<Claim> = x12_claims_with_reports()
        .into_iter()
        .take(fhir.len())
        .collect();
    let json: Vec<Claim> = json_claims().into_iter().take(fhir.len()).collect();
    let ids = |claims: &[Claim]| claims.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&x12), ids(&fhir));
    let from_x12 = decide_in_order(&x12);
    assert_eq!(from_x12, decide_in_order(&fhir));
    assert_eq!(from_x12, decide_in_order(&json));
}
