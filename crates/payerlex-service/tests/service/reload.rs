//! Hot reload: a good pack replaces the engine atomically, a broken one leaves it in force
//! and answers the diagnostics, and checks in flight finish on the engine they started with.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use crate::common::*;
use axum::http::{Method, Request, StatusCode};
use bytes::Bytes;
use payerlex_service::store::MemoryStore;
use payerlex_service::Limits;
use tower::ServiceExt;

fn state_over(policies: &std::path::Path) -> Arc<payerlex_service::AppState> {
    state_with(
        policies,
        Arc::new(MemoryStore::new(1_000_000).unwrap()),
        Limits::default(),
    )
}

#[tokio::test]
async fn a_good_reload_puts_the_new_packs_in_force() {
    let policies = policies_copy();
    let state = state_over(policies.path());
    let before = digest_of(&state, "medicare").await;
    set_version(policies.path(), "medicare", "2026.1.0", "2026.1.1");

    let answer = call(&state, Method::POST, "/v1/reload", "").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let reloaded = answer.json();
    assert_eq!(reloaded["reloaded"], true);
    assert_eq!(reloaded["generation"], 2);
    let after = digest_of(&state, "medicare").await;
    assert_ne!(before, after);

    let decision = check(&state, &example_claim("M-cta")).await.json();
    assert_eq!(decision["policy"]["version"], "2026.1.1");
    assert_eq!(decision["policy"]["digest"], after.as_str());
    let metrics = call(&state, Method::GET, "/metrics", "").await.body;
    assert!(
        metrics.contains("payerlex_reloads_total{result=\"ok\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("payerlex_engine_generation 2"),
        "{metrics}"
    );
}

#[tokio::test]
async fn a_broken_pack_leaves_the_running_engine_untouched_and_answers_the_diagnostics() {
    let policies = policies_copy();
    let state = state_over(policies.path());
    let before = digest_of(&state, "medicare").await;
    let original = break_policy(policies.path(), "medicare", "3d-rendering.policy");

    let answer = call(&state, Method::POST, "/v1/reload", "").await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.body
    );
    let failure = answer.json();
    assert_eq!(failure["reloaded"], false);
    assert_eq!(failure["generation"], 1);
    let diagnostic = &failure["diagnostics"][0];
    assert_eq!(diagnostic["severity"], "error");
    assert!(
        diagnostic["code"].as_str().unwrap().starts_with("PLX-"),
        "{diagnostic}"
    );
    assert!(
        diagnostic["location"]
            .as_str()
            .unwrap()
            .starts_with("medicare/3d-rendering.policy:"),
        "{diagnostic}"
    );
    assert!(failure["rendered"]
        .as_str()
        .unwrap()
        .contains("3d-rendering.policy"));

    // Still deciding with the engine loaded at start.
    assert_eq!(digest_of(&state, "medicare").await, before);
    let decision = check(&state, &example_claim("M-cta")).await.json();
    assert_eq!(decision["policy"]["digest"], before.as_str());
    assert_eq!(decision["outcome"], "deny");

    // Fixed, it loads; the failure did not count as a generation.
    std::fs::write(
        policies.path().join("medicare/3d-rendering.policy"),
        original,
    )
    .unwrap();
    set_version(policies.path(), "medicare", "2026.1.0", "2026.1.1");
    let answer = call(&state, Method::POST, "/v1/reload", "").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json()["generation"], 2);
    let metrics = call(&state, Method::GET, "/metrics", "").await.body;
    assert!(
        metrics.contains("payerlex_reloads_total{result=\"failed\"} 1"),
        "{metrics}"
    );
}

#[tokio::test]
async fn a_batch_in_flight_finishes_on_the_engine_it_started_with() {
    let policies = policies_copy();
    let state = state_over(policies.path());
    let old = digest_of(&state, "medicare").await;

    let (sender, body) = channel_body();
    let request = Request::builder()
        .method(Method::POST)
        .uri("/v1/check/batch")
        .body(body)
        .unwrap();
    let response = payerlex_service::router(state.clone())
        .oneshot(request)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let mut answers = LineReader::new(response.into_body());

    sender
        .send(Ok(Bytes::from(example_claim("M-cta") + "\n")))
        .await
        .unwrap();
    let first = answers.next().await.unwrap();
    assert_eq!(first["policy"]["digest"], old.as_str());

    // Reload between the batch's two records.
    set_version(policies.path(), "medicare", "2026.1.0", "2026.1.1");
    let reloaded = call(&state, Method::POST, "/v1/reload", "").await;
    assert_eq!(reloaded.status, StatusCode::OK);
    let new = digest_of(&state, "medicare").await;
    assert_ne!(old, new);

    sender
        .send(Ok(Bytes::from(example_claim("M-lone") + "\n")))
        .await
        .unwrap();
    drop(sender);
    let second = answers.next().await.unwrap();
    assert_eq!(second["claim"], "M-lone");
    assert_eq!(
        second["policy"]["digest"],
        old.as_str(),
        "the batch changed engine"
    );
    assert!(answers.next().await.is_none());

    // A request that starts now gets the new engine.
    let decision = check(&state, &example_claim("M-lone")).await.json();
    assert_eq!(decision["policy"]["digest"], new.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn checks_during_reloads_all_succeed_on_a_fully_loaded_engine() {
    let policies = policies_copy();
    let state = state_over(policies.path());
    let first = digest_of(&state, "medicare").await;
    let claims: Vec<String> = example_claims()
        .lines()
        .filter(|l| l.contains("\"payer\":\"medicare\"") && payerlex::parse_claim(l).is_ok())
        .map(str::to_owned)
        .collect();

    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut clients = Vec::new();
    for client in 0..4 {
        let state = state.clone();
        let claims = claims.clone();
        let stop = stop.clone();
        clients.push(tokio::spawn(async move {
            let mut digests = Vec::new();
            let mut n = 0usize;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let claim = claims[n % claims.len()].replacen(
                    "\"patient\":\"",
                    &format!("\"patient\":\"c{client}-"),
                    1,
                );
                let answer = check(&state, &claim).await;
                assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
                digests.push(
                    answer.json()["policy"]["digest"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                );
                n += 1;
            }
            digests
        }));
    }
    let mut second = None;
    for round in 0..9 {
        match round % 3 {
            0 => set_version(policies.path(), "medicare", "2026.1.0", "2026.1.1"),
            1 => {
                break_policy(policies.path(), "medicare", "ncci.policy");
            }
            _ => {
                // Repair and go back to the first version.
                let path = policies.path().join("medicare/ncci.policy");
                let text = std::fs::read_to_string(&path).unwrap();
                let repaired = text
                    .split("\nrule broken-on-purpose")
                    .next()
                    .unwrap()
                    .to_owned();
                std::fs::write(&path, repaired).unwrap();
                set_version(policies.path(), "medicare", "2026.1.1", "2026.1.0");
            }
        }
        let answer = call(&state, Method::POST, "/v1/reload", "").await;
        let expected = if round % 3 == 1 {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        assert_eq!(answer.status, expected, "round {round}: {}", answer.body);
        if round == 0 {
            second = Some(digest_of(&state, "medicare").await);
        }
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let second = second.unwrap();
    let mut seen = std::collections::BTreeSet::new();
    let mut total = 0;
    for client in clients {
        for digest in client.await.unwrap() {
            assert!(digest == first || digest == second, "decided by {digest}");
            seen.insert(digest);
            total += 1;
        }
    }
    assert!(total > 0);
    assert_eq!(digest_of(&state, "medicare").await, first);
}
