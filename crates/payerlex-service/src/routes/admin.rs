//! Operating the service: the packs in force, reload, health, readiness, metrics.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use crate::engine_slot::{LoadedEngine, ReloadError};
use crate::errors::{codes, ApiError, ErrorBody};
use crate::payerlex_api::{Diagnostic, Severity};
use crate::state::AppState;

/// One loaded pack.
#[derive(Debug, Serialize, ToSchema)]
pub struct PackInfo {
    /// Payer id.
    pub id: String,
    /// Human name.
    pub name: String,
    /// Semver version.
    pub version: String,
    /// `sha256:` digest of the manifest, policy files and table data (and its bases').
    pub digest: String,
    /// The pack it extends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// Number of rules (inherited and own).
    pub rules: usize,
}

/// The engine in force.
#[derive(Debug, Serialize, ToSchema)]
pub struct PacksAnswer {
    /// 1 at start, one more per successful reload.
    pub generation: u64,
    /// When it was loaded (RFC 3339).
    pub loaded_at: String,
    /// How many days of history the packs read (`null`: no bound).
    pub look_back_days: Option<u32>,
    /// The packs, by id.
    pub packs: Vec<PackInfo>,
}

impl PacksAnswer {
    fn of(loaded: &LoadedEngine) -> Self {
        Self {
            generation: loaded.generation,
            loaded_at: loaded.loaded_at.to_string(),
            look_back_days: loaded.engine.look_back_days(),
            packs: loaded
                .engine
                .packs()
                .map(|pack| PackInfo {
                    id: pack.id().to_owned(),
                    name: pack.name().to_owned(),
                    version: pack.version().to_string(),
                    digest: pack.policy().digest.to_string(),
                    extends: pack.extends().map(str::to_owned),
                    rules: pack.rules().len(),
                })
                .collect(),
        }
    }
}

/// A diagnostic of a pack that failed to load.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiagnosticInfo {
    /// `error` or `warning`.
    pub severity: &'static str,
    /// Stable code (`PLX-C034`).
    pub code: String,
    /// `file:line:col`, when the problem has a place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// 1-based line, when the problem has a place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column, when the problem has a place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The one-line message.
    pub message: String,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl DiagnosticInfo {
    /// The JSON form of a library diagnostic.
    pub fn of(diagnostic: &Diagnostic) -> Self {
        let (line, column) = diagnostic.line_col().unzip();
        Self {
            severity: match diagnostic.severity() {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            code: diagnostic.code(),
            location: diagnostic.location(),
            line,
            column,
            message: diagnostic.message(),
            help: diagnostic.help(),
        }
    }
}

/// A reload that did not take place.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReloadFailure {
    /// Always `false`.
    pub reloaded: bool,
    /// Summary.
    pub error: String,
    /// The generation still in force.
    pub generation: u64,
    /// Every diagnostic.
    pub diagnostics: Vec<DiagnosticInfo>,
    /// The diagnostics rendered for a terminal (source lines, underlines, hints).
    pub rendered: String,
}

/// A reload that took place.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReloadSuccess {
    /// Always `true`.
    pub reloaded: bool,
    /// The engine now in force.
    #[serde(flatten)]
    pub engine: PacksAnswer,
}

/// The packs in force: ids, versions, digests.
#[utoipa::path(get, path = "/v1/packs", tag = "operate",
    responses((status = 200, description = "The engine in force", body = PacksAnswer)))]
pub async fn packs(State(state): State<Arc<AppState>>) -> Json<PacksAnswer> {
    Json(PacksAnswer::of(&state.engines.current()))
}

/// Loads the packs again from `--policies`; swaps only when every pack compiles.
#[utoipa::path(post, path = "/v1/reload", tag = "operate",
    responses(
        (status = 200, description = "The new engine is in force", body = ReloadSuccess),
        (status = 422, description = "A pack failed to load; the running engine is unchanged", body = ReloadFailure),
        (status = 500, description = "The loading task failed", body = ErrorBody),
    ))]
pub async fn reload(State(state): State<Arc<AppState>>) -> Response {
    match reload_now(&state).await {
        Ok(loaded) => Json(ReloadSuccess {
            reloaded: true,
            engine: PacksAnswer::of(&loaded),
        })
        .into_response(),
        Err(ReloadError::Load(error)) => {
            let failure = ReloadFailure {
                reloaded: false,
                error: error.to_string(),
                generation: state.engines.current().generation,
                diagnostics: error.diagnostics.iter().map(DiagnosticInfo::of).collect(),
                rendered: error.render(),
            };
            (StatusCode::UNPROCESSABLE_ENTITY, Json(failure)).into_response()
        }
        Err(ReloadError::Task(_)) => ApiError::internal("the reload").into_response(),
    }
}

/// Reloads and counts the result (shared by `POST /v1/reload` and SIGHUP).
pub async fn reload_now(state: &AppState) -> Result<Arc<LoadedEngine>, ReloadError> {
    let result = state.engines.reload().await;
    match &result {
        Ok(loaded) => {
            state.metrics.reloads.with_label_values(&["ok"]).inc();
            state
                .metrics
                .generation
                .set(i64::try_from(loaded.generation).unwrap_or(i64::MAX));
        }
        Err(_) => state.metrics.reloads.with_label_values(&["failed"]).inc(),
    }
    result
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operate",
    responses((status = 200, description = "Alive", body = String, content_type = "text/plain")))]
pub async fn healthz() -> &'static str {
    "ok\n"
}

/// Ready for traffic: an engine is loaded, the store answers, and shutdown has not begun.
#[utoipa::path(get, path = "/readyz", tag = "operate",
    responses(
        (status = 200, description = "Ready", body = String, content_type = "text/plain"),
        (status = 503, description = "Shutting down, or the store does not answer", body = ErrorBody),
    ))]
pub async fn readyz(State(state): State<Arc<AppState>>) -> Result<&'static str, ApiError> {
    if state.shutting_down.load(Ordering::Relaxed) {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            codes::STORE_UNAVAILABLE,
            "shutting down",
        ));
    }
    let store = state.store.clone();
    tokio::task::spawn_blocking(move || store.ping())
        .await
        .map_err(|_| ApiError::internal("the readiness check"))?
        .map_err(|_| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                codes::STORE_UNAVAILABLE,
                "the state store does not answer",
            )
        })?;
    Ok("ready\n")
}

/// Prometheus metrics (text exposition format).
#[utoipa::path(get, path = "/metrics", tag = "operate",
    responses((status = 200, description = "Metrics", body = String, content_type = "text/plain; version=0.0.4")))]
pub async fn metrics(State(state): State<Arc<AppState>>) -> Result<Response, ApiError> {
    let text = state
        .metrics
        .render()
        .map_err(|_| ApiError::internal("rendering the metrics"))?;
    Ok(([(CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response())
}
