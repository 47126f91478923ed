//! The decision log: every record holds what it takes to decide its claim again, and the
//! masked form leaves out identifiers and free text while keeping records linkable.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::common::*;
use axum::http::Method;
use payerlex::InMemoryHistory;
use payerlex_service::decision_log::{mask, LogRecord, LOG_VERSION};
use payerlex_service::store::{MemoryStore, Store};
use payerlex_service::{AppState, EngineSlot, Limits, LogFile};
use serde_json::Value;

fn stamped_out(mut decision: Value) -> Value {
    decision.as_object_mut().unwrap().remove("decided_at");
    decision
}

/// Re-decides a record's claim with its logged history.
fn replay(engine: &payerlex::Engine, record: &LogRecord) -> Value {
    let mut history = InMemoryHistory::new();
    for line in &record.history {
        history.push(&record.claim.payer, &record.claim.patient, line.clone());
    }
    stamped_out(serde_json::to_value(engine.check(&record.claim, &history).unwrap()).unwrap())
}

/// A service over the shipped packs writing its masked log to `file`.
fn state_logging_to(file: &std::path::Path) -> Arc<AppState> {
    let engines = EngineSlot::load(policies_dir(), Default::default()).unwrap();
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new(1_000_000).unwrap());
    AppState::new(
        engines,
        store,
        Limits::default(),
        Some(LogFile::open(file).unwrap()),
        Default::default(),
    )
    .unwrap()
}

#[tokio::test]
async fn every_full_record_replays_to_its_decision() {
    let state = memory_state();
    call(&state, Method::POST, "/v1/check/batch", example_claims()).await;
    let engine = state.engines.current().engine.clone();
    let records = state.store.log_records(0, 1000).unwrap();
    assert_eq!(records.len(), 17); // the 18th example record is not a claim
    let mut with_history = 0;
    for stored in &records {
        let raw: Value = serde_json::from_str(&stored.record).unwrap();
        assert_eq!(raw["v"], LOG_VERSION);
        let record: LogRecord = serde_json::from_value(raw).unwrap();
        assert!(record.masked.is_empty());
        assert!(record.decision.decided_at.is_some());
        assert_eq!(
            replay(&engine, &record),
            stamped_out(serde_json::to_value(&record.decision).unwrap())
        );
        with_history += usize::from(!record.history.is_empty());
    }
    assert!(with_history >= 2, "no record read any history");
}

#[tokio::test]
async fn the_masked_log_file_holds_no_identifier_or_free_text_and_stays_linkable() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("decisions.jsonl");
    let state = state_logging_to(&file);
    // One claim with every maskable field, then the example claims.
    let mut rich: Value = serde_json::from_str(&example_claim("A-auth")).unwrap();
    rich["id"] = "SECRET-CLAIM-1".into();
    rich["patient"] = "SECRET-PATIENT-1".into();
    rich["patient_birth_date"] = "1961-07-14".into();
    rich["prior_authorization"] = "SECRET-AUTH-9".into();
    rich["authorizations"] = serde_json::json!([{"number": "SECRET-UM-1", "codes": ["76377"],
        "units": 1, "from": "2026-03-01", "to": "2026-03-31"}]);
    rich["report"] = serde_json::json!({"text": "SECRET free text about the patient", "facts": {}});
    let answer = check(&state, &rich.to_string()).await;
    assert_eq!(answer.status, axum::http::StatusCode::OK, "{}", answer.body);
    call(&state, Method::POST, "/v1/check/batch", example_claims()).await;

    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 18);
    for secret in ["SECRET", "1961-07-14"] {
        assert!(!text.contains(secret), "the masked log contains {secret}");
    }
    // No patient id or claim id of the examples, nor any report text, appears.
    for claim in example_claims()
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
    {
        for field in ["id", "patient"] {
            let value = claim[field].as_str().unwrap();
            assert!(
                !text.contains(&format!("\"{value}\"")),
                "{field} {value} is in the log"
            );
        }
    }
    let first = &lines[0];
    let masked: BTreeSet<&str> = first["masked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for field in [
        "claim.id",
        "claim.patient",
        "claim.patient_birth_date",
        "claim.report.text",
        "claim.prior_authorization",
        "claim.authorizations[].number",
        "decision.claim",
    ] {
        assert!(masked.contains(field), "{field} not listed in {masked:?}");
    }
    assert!(first["claim"].get("patient_birth_date").is_none());
    assert_eq!(first["claim"]["id"], first["decision"]["claim"]);
    // The decision id is kept: it links the masked record to the full one in the state.
    assert_eq!(first["decision"]["id"], answer.json()["id"]);

    // Pseudonyms are stable and distinct: one per (payer, patient) and per claim; the second
    // reader's history names the P08 claims before it by their pseudonyms.
    let examples: Vec<Value> = example_claims()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .filter(|c: &Value| payerlex::parse_claim(&c.to_string()).is_ok())
        .collect();
    assert_eq!(examples.len(), lines.len() - 1);
    let mut patients: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    let mut claims: BTreeMap<String, String> = BTreeMap::new();
    for (line, original) in lines.iter().skip(1).zip(&examples) {
        let key = (
            original["payer"].to_string(),
            original["patient"].to_string(),
        );
        patients
            .entry(key)
            .or_default()
            .insert(line["claim"]["patient"].to_string());
        claims.insert(
            original["id"].as_str().unwrap().to_owned(),
            line["claim"]["id"].as_str().unwrap().to_owned(),
        );
    }
    assert!(patients.values().all(|p| p.len() == 1), "{patients:?}");
    let distinct: BTreeSet<&String> = patients.values().flatten().collect();
    assert_eq!(distinct.len(), patients.len());
    let second = lines
        .iter()
        .find(|l| l["claim"]["id"] == claims["M-hosp-second-reader"].as_str())
        .unwrap();
    let named: BTreeSet<&str> = second["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["claim"].as_str().unwrap())
        .collect();
    let expected: BTreeSet<&str> = ["M-hosp-facility", "M-hosp-radiologist"]
        .iter()
        .map(|id| claims[*id].as_str())
        .collect();
    assert_eq!(named, expected);

    // A masked record is still a record: it parses and decides again. The shipped packs'
    // deny rules read no removed field, so every deny finding comes back; the whole decision
    // comes back for claims without report text or birth date.
    let engine = state.engines.current().engine.clone();
    let denials = |decision: &Value| -> BTreeSet<(u64, String)> {
        let mut out = BTreeSet::new();
        for line in decision["lines"].as_array().unwrap() {
            for finding in line["findings"].as_array().unwrap() {
                if finding["outcome"] == "deny" {
                    out.insert((
                        line["number"].as_u64().unwrap(),
                        finding["rule"].to_string(),
                    ));
                }
            }
        }
        out
    };
    let mut whole = 0;
    for (line, original) in lines.iter().skip(1).zip(&examples) {
        let record: LogRecord = serde_json::from_value(line.clone()).unwrap();
        assert!(!record.masked.is_empty());
        let again = replay(&engine, &record);
        assert_eq!(denials(&again), denials(&line["decision"]), "{original}");
        if original.get("report").is_none() && original.get("patient_birth_date").is_none() {
            let mut logged = stamped_out(line["decision"].clone());
            let mut again = again;
            // The id hashes the claim as it was, before masking.
            logged.as_object_mut().unwrap().remove("id");
            again.as_object_mut().unwrap().remove("id");
            assert_eq!(again, logged, "{original}");
            whole += 1;
        }
    }
    assert!(whole >= 3, "{whole}");
}

#[test]
fn masking_is_keyed_and_deterministic() {
    let record = serde_json::json!({
        "v": 1,
        "claim": {"id": "C1", "payer": "medicare", "patient": "P1", "replaces": "C0",
                  "report": {"text": "free text", "facts": {"a": true}}},
        "history": [{"claim": "C0"}],
        "decision": {"claim": "C1", "adjustments": [{"claim": "C0"}]}
    });
    let masked = |key: [u8; 32]| {
        let mut value = record.clone();
        mask(&mut value, &key);
        value
    };
    let a = masked([1; 32]);
    assert_eq!(a, masked([1; 32]));
    assert_ne!(a["claim"]["patient"], masked([2; 32])["claim"]["patient"]);
    assert_eq!(a["claim"]["replaces"], a["history"][0]["claim"]);
    assert_eq!(
        a["claim"]["replaces"],
        a["decision"]["adjustments"][0]["claim"]
    );
    assert_eq!(a["claim"]["id"], a["decision"]["claim"]);
    assert_eq!(
        a["claim"]["report"],
        serde_json::json!({"facts": {"a": true}})
    );
    let id = a["claim"]["id"].as_str().unwrap();
    assert!(id.starts_with("c-") && id.len() == 34, "{id}");
}
