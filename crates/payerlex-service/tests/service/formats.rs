//! X12 837 and FHIR R4 claims through the service: the same decisions as the same claims in
//! JSON (the fixtures the formats' own crates check against each other).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use crate::common::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::Value;

fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path)
}

async fn post(
    state: &std::sync::Arc<payerlex_service::AppState>,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> Answer {
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header("content-type", content_type)
        .body(Body::from(body))
        .unwrap();
    send(state, request).await
}

fn stamped_out(mut decision: Value) -> Value {
    if let Some(object) = decision.as_object_mut() {
        object.remove("decided_at");
    }
    decision
}

/// The decisions of a JSON Lines file of the same claims, on a fresh service. An 837 carries
/// no report, so for X12 the JSON claims' reports are removed: the claims are then the same
/// (the formats' crates test that), and so are the decisions, ids included.
async fn json_decisions(jsonl: &str, without_reports: bool) -> Vec<Value> {
    let state = memory_state();
    let text: String = std::fs::read_to_string(fixture(jsonl))
        .unwrap()
        .lines()
        .map(|line| {
            let mut claim: Value = serde_json::from_str(line).unwrap();
            if without_reports {
                claim.as_object_mut().unwrap().remove("report");
            }
            claim.to_string() + "\n"
        })
        .collect();
    let answer = call(&state, Method::POST, "/v1/check/batch", text).await;
    answer.lines().into_iter().map(stamped_out).collect()
}

#[tokio::test]
async fn an_x12_interchange_is_decided_like_its_claims_in_json() {
    let state = state_with_payer_map(&fixture("payerlex-x12/tests/fixtures/payers.toml"));
    let x12 = std::fs::read(fixture("payerlex-x12/tests/fixtures/scenarios.x12")).unwrap();
    let answer = post(
        &state,
        "/v1/check/batch",
        "application/edi-x12",
        x12.clone(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let decided: Vec<Value> = answer.lines().into_iter().map(stamped_out).collect();
    let expected = json_decisions("payerlex-x12/tests/fixtures/scenarios.jsonl", true).await;
    assert_eq!(decided.len(), expected.len());
    for (got, want) in decided.iter().zip(&expected) {
        assert_eq!(got, want);
    }
    // One claim only on /v1/check.
    let answer = post(&state, "/v1/check", "application/edi-x12", x12).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer.json()["error"]
        .as_str()
        .unwrap()
        .contains("/v1/check/batch"));
    // Not an interchange at all.
    let answer = post(
        &state,
        "/v1/check/batch",
        "application/edi-x12",
        b"hello".to_vec(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.json()["code"], "PLX-S002");
}

#[tokio::test]
async fn an_x12_claim_that_cannot_be_read_is_an_error_record_with_its_coordinates() {
    let state = state_with_payer_map(&fixture("payerlex-x12/tests/fixtures/payers.toml"));
    let x12 = std::fs::read_to_string(fixture("payerlex-x12/tests/fixtures/scenarios.x12"))
        .unwrap()
        .replacen("HC:71275", "HC:7127", 1);
    let answer = post(
        &state,
        "/v1/check/batch",
        "application/edi-x12",
        x12.into_bytes(),
    )
    .await;
    let lines = answer.lines();
    let error = lines.iter().find(|l| l.get("error").is_some()).unwrap();
    assert_eq!(error["segment_id"], "SV1");
    assert_eq!(error["loop"], "2400");
    assert_eq!(error["kind"], "invalid_value");
    assert!(lines.iter().filter(|l| l.get("outcome").is_some()).count() >= 10);
}

#[tokio::test]
async fn fhir_claims_are_decided_like_their_claims_in_json() {
    // The scenarios in order: a Bundle, one Claim (on /v1/check), then NDJSON of Claims.
    let state = state_with_payer_map(&fixture("payerlex-fhir/tests/fixtures/payers.toml"));
    let read = |file: &str| {
        std::fs::read(fixture(&format!("payerlex-fhir/tests/fixtures/{file}"))).unwrap()
    };
    let mut decided = Vec::new();
    let answer = post(
        &state,
        "/v1/check/batch",
        "application/fhir+json",
        read("bundle.json"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    decided.extend(answer.lines());
    let answer = post(
        &state,
        "/v1/check",
        "application/fhir+json; charset=utf-8",
        read("claim-single.json"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.json()["claim"], "M-hosp-facility");
    decided.push(answer.json());
    let answer = post(
        &state,
        "/v1/check/batch",
        "application/fhir+ndjson",
        read("claims.ndjson"),
    )
    .await;
    decided.extend(answer.lines());

    let decided: Vec<Value> = decided.into_iter().map(stamped_out).collect();
    let expected = json_decisions("payerlex-fhir/tests/fixtures/scenarios.jsonl", false).await;
    assert_eq!(decided.len(), expected.len());
    for (got, want) in decided.iter().zip(&expected) {
        assert_eq!(got, want);
    }
}

#[tokio::test]
async fn other_content_types_are_415() {
    let state = memory_state();
    for path in ["/v1/check", "/v1/check/batch"] {
        let answer = post(&state, path, "text/csv", b"a,b".to_vec()).await;
        assert_eq!(answer.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(answer.json()["code"], "PLX-S008");
    }
}
