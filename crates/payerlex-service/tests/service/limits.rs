//! Limits a client cannot get past: body sizes (413), time (408), batch records and streams.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::Duration;

use crate::common::*;
use axum::http::{Method, Request, StatusCode};
use bytes::Bytes;
use payerlex_service::store::MemoryStore;
use payerlex_service::Limits;
use tower::ServiceExt;

fn state(limits: Limits) -> Arc<payerlex_service::AppState> {
    state_with(
        &policies_dir(),
        Arc::new(MemoryStore::new(1_000_000).unwrap()),
        limits,
    )
}

fn padded_claim(bytes: usize) -> String {
    // A valid claim made large by whitespace.
    let claim = example_claim("M-cta");
    format!("{}{}", " ".repeat(bytes), claim)
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_whether_its_length_is_announced_or_not() {
    let state = state(Limits {
        max_body_bytes: 4096,
        ..Limits::default()
    });
    // Under the limit: decided.
    assert_eq!(
        check(&state, &padded_claim(1000)).await.status,
        StatusCode::OK
    );
    // Announced in Content-Length: refused before reading.
    let big = padded_claim(5000);
    let request = Request::builder()
        .method(Method::POST)
        .uri("/v1/check")
        .header("content-length", big.len())
        .body(axum::body::Body::from(big))
        .unwrap();
    assert_eq!(
        send(&state, request).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    // A body larger than announced, or not announced: cut while reading.
    let answer = check(&state, &padded_claim(5000)).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.json()["code"], "PLX-S001");
    // Streamed without a length: cut while reading, with the service's JSON error.
    let (sender, body) = channel_body();
    let chunk = Bytes::from(" ".repeat(1024));
    tokio::spawn(async move {
        for _ in 0..8 {
            if sender.send(Ok(chunk.clone())).await.is_err() {
                break;
            }
        }
    });
    let request = Request::builder()
        .method(Method::POST)
        .uri("/v1/check")
        .body(body)
        .unwrap();
    let answer = send(&state, request).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.json()["code"], "PLX-S001");
    // Nothing was decided from the refused bodies.
    assert_eq!(state.store.log_records(0, 10).unwrap().len(), 1);
}

#[tokio::test]
async fn a_request_over_the_time_limit_is_408() {
    let state = state(Limits {
        request_timeout: Duration::from_millis(200),
        ..Limits::default()
    });
    // A body that never ends.
    let (sender, body) = channel_body();
    sender.send(Ok(Bytes::from_static(b"{"))).await.unwrap();
    let request = Request::builder()
        .method(Method::POST)
        .uri("/v1/check")
        .body(body)
        .unwrap();
    let started = std::time::Instant::now();
    let answer = send(&state, request).await;
    assert_eq!(answer.status, StatusCode::REQUEST_TIMEOUT);
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(sender);
}

#[tokio::test]
async fn a_batch_record_over_the_record_limit_is_an_error_record_and_the_batch_goes_on() {
    let state = state(Limits {
        max_batch_record_bytes: 2048,
        ..Limits::default()
    });
    let body = format!(
        "{}\n{}\n{}\n",
        example_claim("M-cta"),
        padded_claim(4000),
        example_claim("M-lone")
    );
    let answer = call(&state, Method::POST, "/v1/check/batch", body).await;
    let lines = answer.lines();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["claim"], "M-cta");
    assert_eq!(lines[1]["record"], 2);
    assert_eq!(lines[1]["code"], "PLX-S006");
    assert_eq!(lines[2]["claim"], "M-lone");
}

#[tokio::test]
async fn a_batch_stream_over_the_batch_limit_ends_with_an_error_record() {
    let state = state(Limits {
        max_batch_bytes: 4096,
        ..Limits::default()
    });
    // Announced in Content-Length: refused at once.
    let big = format!("{}\n", example_claim("M-cta")).repeat(20);
    let request = Request::builder()
        .method(Method::POST)
        .uri("/v1/check/batch")
        .header("content-length", big.len())
        .body(axum::body::Body::from(big.clone()))
        .unwrap();
    let answer = send(&state, request).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(state.store.log_records(0, 10).unwrap().is_empty());
    // Streamed: the records within the limit are decided, then an error record ends it.
    let (sender, body) = channel_body();
    tokio::spawn(async move {
        for line in big.lines() {
            if sender
                .send(Ok(Bytes::from(format!("{line}\n"))))
                .await
                .is_err()
            {
                break;
            }
        }
    });
    let request = Request::builder()
        .method(Method::POST)
        .uri("/v1/check/batch")
        .body(body)
        .unwrap();
    let answer = send(&state, request).await;
    assert_eq!(answer.status, StatusCode::OK);
    let lines = answer.lines();
    let last = lines.last().unwrap();
    assert_eq!(last["code"], "PLX-S001", "{last}");
    let decided = lines.iter().filter(|l| l.get("claim").is_some()).count();
    assert!((1..20).contains(&decided), "{decided} decided");
    assert_eq!(last["record"], decided + 1);
}

#[tokio::test]
async fn a_batch_over_its_time_limit_ends_with_an_error_record() {
    let state = state(Limits {
        batch_timeout: Duration::from_millis(300),
        ..Limits::default()
    });
    let (sender, body) = channel_body();
    sender
        .send(Ok(Bytes::from(example_claim("M-cta") + "\n")))
        .await
        .unwrap();
    let request = Request::builder()
        .method(Method::POST)
        .uri("/v1/check/batch")
        .body(body)
        .unwrap();
    let response = payerlex_service::router(state.clone())
        .oneshot(request)
        .await
        .unwrap();
    let mut answers = LineReader::new(response.into_body());
    assert_eq!(answers.next().await.unwrap()["claim"], "M-cta");
    let ended = answers.next().await.unwrap();
    assert_eq!(ended["code"], "PLX-S004", "{ended}");
    assert_eq!(ended["record"], 2);
    assert!(answers.next().await.is_none());
    drop(sender);
}

#[tokio::test]
async fn the_playground_refuses_a_policy_over_its_limit() {
    let state = state(Limits {
        max_playground_policy_bytes: 1000,
        ..Limits::default()
    });
    let policy = format!("policy p.x\nversion 1.0.0\n{}", "# padding\n".repeat(200));
    let body = serde_json::json!({"policy": policy, "claim": example_claim("M-cta")}).to_string();
    let answer = call(&state, Method::POST, "/v1/playground", body).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.json()["code"], "PLX-S001");
}

/// `serve --limit NAME=VALUE` loads the packs under the library's limit (and every reload
/// with it): a pack over `rules_per_pack` does not start.
#[test]
fn serve_limit_flags_reach_the_loader() {
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        serve: payerlex_service::ServeArgs,
    }
    let policies = policies_dir();
    let parse = |extra: &[&str]| {
        let mut args = vec![
            "serve",
            "--policies",
            policies.to_str().unwrap(),
            "--memory",
        ];
        args.extend_from_slice(extra);
        Cli::try_parse_from(args)
    };
    assert!(parse(&["--limit", "nope=1"]).is_err());
    let config = parse(&["--limit", "rules_per_pack=1"])
        .unwrap()
        .serve
        .config();
    assert_eq!(config.load_limits.rules_per_pack, 1);
    let refused = match payerlex_service::build_state(&config) {
        Ok(_) => panic!("a pack over rules_per_pack loaded"),
        Err(error) => error.to_string(),
    };
    assert!(refused.contains("rules_per_pack"), "{refused}");
    let config = parse(&[]).unwrap().serve.config();
    assert!(payerlex_service::build_state(&config).is_ok());
}
