//! The OpenAPI document covers the router exactly: every route the router declares (read
//! from its source, so a route added without documentation fails here) is documented with
//! its method, and every documented operation is served.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use crate::common::*;
use axum::http::{Method, StatusCode};

/// (method, path) of every `.route("PATH", METHOD(...))` in the router's source.
fn declared_routes() -> BTreeSet<(String, String)> {
    let source = include_str!("../../src/routes/mod.rs");
    let mut routes = BTreeSet::new();
    for piece in source.split(".route(\"").skip(1) {
        let (path, rest) = piece.split_once('"').unwrap();
        let method = rest
            .trim_start_matches(',')
            .trim_start()
            .split('(')
            .next()
            .unwrap()
            .to_owned();
        routes.insert((method, path.to_owned()));
    }
    routes
}

fn documented_routes() -> BTreeSet<(String, String)> {
    let doc = payerlex_service::openapi_json();
    let mut routes = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            routes.insert((method.clone(), path.clone()));
        }
    }
    routes
}

#[test]
fn every_declared_route_is_documented_and_nothing_else() {
    let declared = declared_routes();
    assert!(declared.len() >= 10, "{declared:?}");
    assert_eq!(declared, documented_routes());
}

#[test]
fn every_operation_has_a_summary_and_its_responses() {
    let doc = payerlex_service::openapi_json();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            assert!(
                operation["summary"].is_string(),
                "{method} {path} has no summary"
            );
            assert!(
                operation["responses"]["200"].is_object(),
                "{method} {path} has no 200"
            );
        }
    }
    for schema in [
        "ErrorBody",
        "PacksAnswer",
        "ReloadFailure",
        "PlaygroundAnswer",
    ] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
}

#[tokio::test]
async fn every_documented_operation_is_served() {
    let state = memory_state();
    for (method, path) in documented_routes() {
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let answer = call(&state, method.clone(), &path, "").await;
        assert!(
            answer.status != StatusCode::NOT_FOUND
                && answer.status != StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}: {}",
            answer.status
        );
    }
}
