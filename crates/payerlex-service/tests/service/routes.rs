//! Every route through the router: what it answers for good and bad requests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common::*;
use axum::http::{Method, StatusCode};

#[tokio::test]
async fn check_answers_the_decision_of_the_json_contract() {
    let state = memory_state();
    let answer = check(&state, &example_claim("M-cta")).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.content_type, "application/json");
    let decision = answer.json();
    assert_eq!(decision["claim"], "M-cta");
    assert_eq!(decision["outcome"], "deny");
    assert!(decision["id"].as_str().unwrap().starts_with("d-"));
    assert!(decision["decided_at"].as_str().unwrap().ends_with('Z'));
    assert!(rules(&decision).contains(&"medicare.3d-rendering/integral-to-angiography".to_owned()));
    // No explanation unless asked for.
    assert!(!answer.body.contains("\"explanation\""));
}

#[tokio::test]
async fn check_explains_when_asked() {
    let state = memory_state();
    let answer = call(
        &state,
        Method::POST,
        "/v1/check?explain=true",
        example_claim("M-cta"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    let decision = answer.json();
    let finding = &decision["lines"][1]["findings"][0];
    assert_eq!(
        finding["rule"],
        "medicare.3d-rendering/integral-to-angiography"
    );
    assert_eq!(
        finding["explanation"]["clauses"][0]["clause"],
        "line.code in three_d"
    );
}

#[tokio::test]
async fn check_names_the_field_of_a_malformed_claim_without_its_value() {
    let state = memory_state();
    let claim = example_claim("M-cta").replace("\"71275\"", "\"7127\"");
    let answer = check(&state, &claim).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let error = answer.json();
    assert_eq!(error["code"], "PLX-R001");
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .starts_with("lines[0].code"),
        "{error}"
    );

    let answer = check(&state, "{not json").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.json()["code"], "PLX-R001");
}

#[tokio::test]
async fn check_rejects_an_unknown_payer_with_422_and_a_suggestion() {
    let state = memory_state();
    let claim = claim_as("M-cta", "X1", "P1", "medicar");
    let answer = check(&state, &claim).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = answer.json();
    assert_eq!(error["code"], "PLX-R020");
    assert!(
        error["error"].as_str().unwrap().contains("medicare"),
        "{error}"
    );
}

#[tokio::test]
async fn batch_decides_in_order_like_the_cli_and_streams_error_records() {
    let state = memory_state();
    let answer = call(&state, Method::POST, "/v1/check/batch", example_claims()).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.content_type, "application/x-ndjson");
    let lines = answer.lines();
    let claims = example_claims();
    let input: Vec<&str> = claims.lines().collect();
    assert_eq!(lines.len(), input.len());
    // Every decided record names its claim, in input order; the malformed last record is an
    // error record numbered like `payerlex check` numbers it.
    for (index, (line, record)) in lines.iter().zip(&input).enumerate() {
        if let Some(error) = line.get("error") {
            assert_eq!(line["record"], index + 1, "{error}");
            assert_eq!(line["code"], "PLX-R001");
        } else {
            let id = line["claim"].as_str().unwrap();
            assert!(
                record.contains(&format!("\"id\":\"{id}\"")),
                "record {index}: {id}"
            );
        }
    }
    assert!(lines.last().unwrap().get("error").is_some());
    // History across the records of one batch: the second reader of P08 is denied because
    // the radiologist billed the same component earlier in the batch.
    let second = lines
        .iter()
        .find(|l| l["claim"] == "M-hosp-second-reader")
        .unwrap();
    assert!(rules(second)
        .contains(&"medicare.3d-rendering/component-billed-by-another-provider".to_owned()));
}

#[tokio::test]
async fn packs_lists_ids_versions_and_digests() {
    let state = memory_state();
    let answer = call(&state, Method::GET, "/v1/packs", "").await;
    assert_eq!(answer.status, StatusCode::OK);
    let packs = answer.json();
    assert_eq!(packs["generation"], 1);
    let ids: Vec<&str> = packs["packs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["acme-health", "medicare", "summit-care"]);
    for pack in packs["packs"].as_array().unwrap() {
        assert!(pack["digest"].as_str().unwrap().starts_with("sha256:"));
        assert!(!pack["version"].as_str().unwrap().is_empty());
    }
    // The digest is the one decisions carry.
    let decision = check(&state, &example_claim("M-cta")).await.json();
    let medicare = packs["packs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "medicare")
        .unwrap();
    assert_eq!(decision["policy"]["digest"], medicare["digest"]);
}

#[tokio::test]
async fn health_and_readiness() {
    let state = memory_state();
    let answer = call(&state, Method::GET, "/healthz", "").await;
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (StatusCode::OK, "ok\n")
    );
    let answer = call(&state, Method::GET, "/readyz", "").await;
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (StatusCode::OK, "ready\n")
    );
    state
        .shutting_down
        .store(true, std::sync::atomic::Ordering::Relaxed);
    let answer = call(&state, Method::GET, "/readyz", "").await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn metrics_count_decisions_by_outcome_and_pack_and_time_requests() {
    let state = memory_state();
    check(&state, &example_claim("M-cta")).await;
    check(&state, &example_claim("M-clean")).await;
    check(&state, &claim_as("M-cta", "X", "P", "nobody")).await;
    let answer = call(&state, Method::GET, "/metrics", "").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.content_type.starts_with("text/plain"));
    let text = answer.body;
    assert!(
        text.contains("payerlex_decisions_total{outcome=\"deny\",pack=\"medicare\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("payerlex_decisions_total{outcome=\"allow\",pack=\"medicare\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("payerlex_rejected_claims_total{reason=\"unknown_payer\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("payerlex_request_duration_seconds_count{route=\"/v1/check\"} 3"),
        "{text}"
    );
    assert!(
        text.contains("payerlex_http_requests_total{route=\"/v1/check\",status=\"422\"} 1"),
        "{text}"
    );
    assert!(text.contains("payerlex_engine_generation 1"), "{text}");
}

#[tokio::test]
async fn openapi_document_is_served() {
    let state = memory_state();
    let answer = call(&state, Method::GET, "/openapi.json", "").await;
    assert_eq!(answer.status, StatusCode::OK);
    let doc = answer.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"]["/v1/check"]["post"].is_object());
}

#[tokio::test]
async fn unknown_routes_answer_404_in_json() {
    let state = memory_state();
    let answer = call(&state, Method::GET, "/v2/nothing", "").await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.json()["code"], "PLX-S000");
}

#[tokio::test]
async fn playground_page_is_one_self_contained_html_file() {
    let state = memory_state();
    let answer = call(&state, Method::GET, "/playground", "").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.content_type.starts_with("text/html"));
    let page = answer.body;
    for id in [
        "id=\"policy\"",
        "id=\"claim\"",
        "id=\"diagnostics\"",
        "id=\"decision\"",
    ] {
        assert!(page.contains(id), "{id}");
    }
    assert!(page.contains("/v1/playground"));
    // Nothing fetched from elsewhere.
    assert!(!page.contains("http://") && !page.contains("https://"));
    assert!(!page.contains("<script src") && !page.contains("<link"));
}

#[tokio::test]
async fn playground_answers_diagnostics_or_an_explained_decision() {
    let state = memory_state();
    let policy = "policy p.x\nversion 1.0.0\n\nset three_d = 76376, 76377\n\nrule lone\n  cite \"t\"\n  when line.code in three_d\n  deny carc B15 \"no base study\"\n";
    let claim = example_claim("M-lone");
    let body = serde_json::json!({"policy": policy, "claim": claim}).to_string();
    let answer = call(&state, Method::POST, "/v1/playground", body).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let result = answer.json();
    assert_eq!(result["compiled"], true, "{result}");
    let decision = &result["decision"];
    assert_eq!(decision["outcome"], "deny");
    assert_eq!(decision["policy"]["pack"], "playground");
    let finding = &decision["lines"][0]["findings"][0];
    assert_eq!(finding["rule"], "p.x/lone");
    assert_eq!(finding["explanation"]["clauses"][0]["value"], true);

    let broken = policy.replace("carc B15", "carc B15x");
    let body = serde_json::json!({"policy": broken, "claim": claim}).to_string();
    let result = call(&state, Method::POST, "/v1/playground", body)
        .await
        .json();
    assert_eq!(result["compiled"], false);
    assert!(result.get("decision").is_none());
    let diagnostic = &result["diagnostics"][0];
    assert_eq!(diagnostic["severity"], "error");
    assert_eq!(diagnostic["code"], "PLX-C016");
    assert_eq!(diagnostic["line"], 9);
    assert!(diagnostic["location"]
        .as_str()
        .unwrap()
        .starts_with("playground/playground.policy:9:"));

    let body = serde_json::json!({"policy": policy, "claim": "{\"id\": 1}"}).to_string();
    let result = call(&state, Method::POST, "/v1/playground", body)
        .await
        .json();
    assert_eq!(result["compiled"], true);
    assert_eq!(result["claim_error"]["code"], "PLX-R001");
}

#[tokio::test]
async fn playground_never_touches_the_served_engine_history_or_log() {
    let state = memory_state();
    let policy = "policy p.x\nversion 1.0.0\n\nrule all\n  cite \"t\"\n  when line.units > 0\n  deny carc 97 \"all\"\n";
    let body = serde_json::json!({"policy": policy, "claim": example_claim("M-clean")}).to_string();
    let answer = call(&state, Method::POST, "/v1/playground", body).await;
    assert_eq!(answer.json()["decision"]["outcome"], "deny");
    assert!(state.store.log_records(0, 10).unwrap().is_empty());
    assert!(state
        .store
        .prior_lines("playground", "P01")
        .unwrap()
        .is_empty());
    let packs = call(&state, Method::GET, "/v1/packs", "").await.json();
    assert_eq!(packs["generation"], 1);
    assert_eq!(
        check(&state, &example_claim("M-clean")).await.json()["outcome"],
        "allow"
    );
}
