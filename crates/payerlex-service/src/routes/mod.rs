//! The HTTP surface: routes, their limits, and the request metrics.
//!
//! Layers, outermost first: the request time limit (408; for the NDJSON stream it bounds the
//! time to the first byte, the batch's own limit bounds the rest), then [`track`]: a cap on
//! requests served at once across all routes (more wait, within the time limit) and the
//! request metrics; then per-route body limits (413): one claim, a batch, or nothing at all
//! for routes without a body.

pub mod admin;
mod body;
pub mod check;
pub mod formats;
pub mod playground;

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::errors::{codes, ApiError};
use crate::openapi::openapi_json;
use crate::state::AppState;

/// The router over shared state.
pub fn router(state: Arc<AppState>) -> Router {
    let limits = &state.limits;
    let with_body = Router::new()
        .route("/v1/check", post(check::check_one))
        .route("/v1/playground", post(playground::run))
        .route("/v1/reload", post(admin::reload))
        .layer(RequestBodyLimitLayer::new(limits.max_body_bytes));
    let batch = Router::new()
        .route("/v1/check/batch", post(check::check_batch))
        .layer(RequestBodyLimitLayer::new(limits.max_batch_bytes));
    let reads = Router::new()
        .route("/v1/packs", get(admin::packs))
        .route("/healthz", get(admin::healthz))
        .route("/readyz", get(admin::readyz))
        .route("/metrics", get(admin::metrics))
        .route("/openapi.json", get(openapi))
        .route("/playground", get(playground::page));
    Router::new()
        .merge(with_body)
        .merge(batch)
        .merge(reads)
        .fallback(not_found)
        // The body limits above are tower-http's; axum's own default limit is lifted so that
        // only one limit, the route's, applies.
        .layer(DefaultBodyLimit::disable())
        .layer(middleware::from_fn_with_state(state.clone(), track))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request_timeout,
        ))
        .with_state(state)
}

/// The OpenAPI document.
#[utoipa::path(get, path = "/openapi.json", tag = "operate",
    responses((status = 200, description = "This document (OpenAPI 3.1)", body = Object)))]
pub async fn openapi() -> Response {
    Json(openapi_json()).into_response()
}

async fn not_found() -> Response {
    ApiError::new(StatusCode::NOT_FOUND, codes::NOT_FOUND, "no such route").into_response()
}

/// Waits for one of the service's request permits, then counts the request by route and
/// status and times it (the wait included: it is part of what the client sees).
async fn track(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |path| route_label(path.as_str()));
    let start = Instant::now();
    let Ok(_permit) = state.request_permits.acquire().await else {
        return ApiError::internal("the request queue").into_response();
    };
    let response = next.run(request).await;
    state
        .metrics
        .latency
        .with_label_values(&[route])
        .observe(start.elapsed().as_secs_f64());
    state
        .metrics
        .requests
        .with_label_values(&[route, response.status().as_str()])
        .inc();
    response
}

/// The declared route a matched path is (a closed set, so metric labels stay bounded).
fn route_label(path: &str) -> &'static str {
    const ROUTES: [&str; 11] = [
        "/v1/check",
        "/v1/check/batch",
        "/v1/playground",
        "/v1/reload",
        "/v1/packs",
        "/healthz",
        "/readyz",
        "/metrics",
        "/openapi.json",
        "/playground",
        "unmatched",
    ];
    ROUTES
        .iter()
        .find(|route| **route == path)
        .copied()
        .unwrap_or("other")
}
