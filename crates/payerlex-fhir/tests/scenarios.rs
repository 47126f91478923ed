//! The 3D rendering scenarios written as JSON Lines and as FHIR (a Bundle, a single
//! pretty-printed Claim, and NDJSON with a Bundle line and a replacement) read to the same
//! claims and get the same decisions from the repository's policy packs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;

use payerlex::{Claim, Decision, Engine, InMemoryHistory};
use payerlex_fhir::{read_claims, FhirReader, PayerMap, ReadOptions};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn options() -> ReadOptions {
    ReadOptions::with_payers(PayerMap::load(fixtures().join("payers.toml")).unwrap())
}

fn json_claims() -> Vec<Claim> {
    std::fs::read_to_string(fixtures().join("scenarios.jsonl"))
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// The FHIR fixtures in scenario order: the Bundle (read as one text), the single Claim and
/// the NDJSON file (both streamed).
fn fhir_claims() -> Vec<Claim> {
    let options = options();
    let bundle = std::fs::read_to_string(fixtures().join("bundle.json")).unwrap();
    let mut claims: Vec<Claim> = read_claims(&bundle, &options)
        .into_iter()
        .map(|c| c.unwrap())
        .collect();
    for file in ["claim-single.json", "claims.ndjson"] {
        let input = BufReader::new(File::open(fixtures().join(file)).unwrap());
        for claim in FhirReader::new(input, options.clone()) {
            claims.push(claim.unwrap_or_else(|e| panic!("{file}: {e}")));
        }
    }
    claims
}

fn decide_in_order(claims: &[Claim]) -> Vec<Decision> {
    let engine =
        Engine::load(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../policies")).unwrap();
    let mut history = InMemoryHistory::new();
    claims
        .iter()
        .map(|claim| {
            let decision = engine.check(claim, &history).unwrap();
            history.record(claim, &decision);
            decision
        })
        .collect()
}

#[test]
fn fhir_reads_to_the_same_claims_as_json() {
    let json = json_claims();
    let fhir = fhir_claims();
    assert_eq!(json.len(), 14);
    assert_eq!(fhir.len(), json.len());
    for (from_json, from_fhir) in json.iter().zip(&fhir) {
        assert_eq!(from_fhir, from_json, "claim {}", from_json.id);
    }
}

#[test]
fn fhir_and_json_get_identical_decisions() {
    let json = decide_in_order(&json_claims());
    let fhir = decide_in_order(&fhir_claims());
    assert_eq!(fhir, json);
    // The scenarios are not all alike: the expected spread of outcomes is there.
    let outcome = |id: &str| {
        let decision = json.iter().find(|d| d.claim == id).unwrap();
        serde_json::to_value(decision.outcome).unwrap()
    };
    assert_eq!(outcome("M-clean"), "allow");
    assert_eq!(outcome("M-cta"), "deny");
    assert_eq!(outcome("M-lone"), "deny");
    assert_eq!(outcome("M-weak-report"), "review");
    assert_eq!(outcome("A-no-auth"), "deny");
    assert_eq!(outcome("A-auth"), "allow");
    assert_eq!(outcome("S-aneurysm"), "deny");
}

#[test]
fn the_replacement_claim_names_what_it_replaces() {
    let fhir = fhir_claims();
    let replacement = fhir.iter().find(|c| c.id == "R-fix").unwrap();
    assert_eq!(replacement.replaces.as_deref(), Some("R-orig"));
    assert_eq!(
        replacement.frequency.map(|f| f.to_string()).as_deref(),
        Some("7")
    );
    let original = fhir.iter().find(|c| c.id == "R-orig").unwrap();
    assert_eq!(original.frequency, None);
}
