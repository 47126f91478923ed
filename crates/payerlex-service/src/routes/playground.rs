//! The policy playground: `GET /playground` (one self-contained page) and
//! `POST /v1/playground` (compile a policy, decide a claim with it, explain).
//!
//! Each request builds a throwaway engine from the policy text alone (a pack `playground`
//! holding one file) with the same library the service runs, so what an author sees is what
//! the served engine would say; the served engine, the history and the decision log are
//! never touched (the claim is decided with no history and not recorded). Compiling is the
//! costly part, so the policy's size is bounded, compilations run a few at a time on blocking
//! threads, and a request that takes longer than the playground's time limit answers 408.
//! The page is plain HTML and JavaScript in one file (`static/playground.html`, no CDN), so
//! it works on a machine without internet access.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Html;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::admin::DiagnosticInfo;
use super::body::read_text;
use crate::errors::{codes, ApiError, ErrorBody};
use crate::payerlex_api::{
    parse_claim, CheckError, CheckOptions, Decision, Engine, ErrorRecord, NoHistory, PackSources,
};
use crate::state::AppState;

/// The pack id the playground compiles into; every claim is decided by it.
pub const PLAYGROUND_PACK: &str = "playground";

const MANIFEST: &str = "id = \"playground\"\nname = \"Policy playground\"\nversion = \"0.0.0\"\n\
                        effective = \"1900-01-01\"\npolicies = [\"playground.policy\"]\n";

const PAGE: &str = include_str!("../../static/playground.html");

/// What the page sends.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PlaygroundRequest {
    /// The policy file's text.
    pub policy: String,
    /// The claim, as JSON text (its `payer` is ignored: the playground pack decides).
    pub claim: String,
}

/// What the page shows.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlaygroundAnswer {
    /// Whether the policy compiled.
    pub compiled: bool,
    /// Errors and warnings of the policy (`location` is `playground/playground.policy:L:C`).
    pub diagnostics: Vec<DiagnosticInfo>,
    /// Why the claim was not decided (not JSON, a malformed field...), when it was not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim_error: Option<ErrorBody>,
    /// The decision, with an explanation on every finding, when the policy compiled and the
    /// claim is valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub decision: Option<Decision>,
}

/// The playground page.
#[utoipa::path(get, path = "/playground", tag = "playground",
    responses((status = 200, description = "The playground page", body = String, content_type = "text/html")))]
pub async fn page() -> Html<&'static str> {
    Html(PAGE)
}

/// Compiles a policy and decides a claim with it, explained.
#[utoipa::path(post, path = "/v1/playground", tag = "playground",
    request_body(content = PlaygroundRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Diagnostics, and the decision when the policy compiled", body = PlaygroundAnswer),
        (status = 400, description = "The body is not a playground request", body = ErrorBody),
        (status = 408, description = "Time limit reached", body = ErrorBody),
        (status = 413, description = "Body or policy too large", body = ErrorBody),
        (status = 503, description = "Too many playground requests at once", body = ErrorBody),
    ))]
pub async fn run(
    State(state): State<Arc<AppState>>,
    body: Body,
) -> Result<Json<PlaygroundAnswer>, ApiError> {
    let text = read_text(body).await?;
    let request: PlaygroundRequest = serde_json::from_str(&text).map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            codes::UNREADABLE_BODY,
            "expected {\"policy\": \"...\", \"claim\": \"...\"}",
        )
    })?;
    if request.policy.len() > state.limits.max_playground_policy_bytes {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            codes::BODY_TOO_LARGE,
            format!(
                "the policy is larger than the playground's {} bytes",
                state.limits.max_playground_policy_bytes
            ),
        ));
    }
    let limit = state.limits.playground_timeout;
    let busy = || {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            codes::BUSY,
            "the playground is busy; try again",
        )
    };
    let timed_out = || {
        ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            codes::TIME_LIMIT,
            "compiling and deciding took longer than the playground allows",
        )
    };
    let permits = state.playground_permits.clone();
    let permit = tokio::time::timeout(limit, permits.acquire_owned())
        .await
        .map_err(|_| busy())?
        .map_err(|_| busy())?;
    let work = tokio::task::spawn_blocking(move || {
        let answer = compile_and_decide(&request);
        drop(permit);
        answer
    });
    let answer = tokio::time::timeout(limit, work)
        .await
        .map_err(|_| timed_out())?
        .map_err(|_| ApiError::internal("the playground"))?;
    Ok(Json(answer))
}

/// Builds the throwaway engine and decides the claim (blocking).
pub fn compile_and_decide(request: &PlaygroundRequest) -> PlaygroundAnswer {
    let sources = PackSources::new(PLAYGROUND_PACK, MANIFEST)
        .with_file("playground.policy", request.policy.as_str());
    let engine = match Engine::from_sources(&[sources]) {
        Ok(engine) => engine,
        Err(error) => {
            return PlaygroundAnswer {
                compiled: false,
                diagnostics: error.diagnostics.iter().map(DiagnosticInfo::of).collect(),
                claim_error: None,
                decision: None,
            }
        }
    };
    let diagnostics = engine.warnings().iter().map(DiagnosticInfo::of).collect();
    let (decision, claim_error) = match parse_claim(&request.claim) {
        Err(error) => (None, Some(error_body(ErrorRecord::new(1, &error)))),
        Ok(mut claim) => {
            claim.payer = PLAYGROUND_PACK.to_owned();
            let options = CheckOptions { explain: true };
            match engine.check_with(&claim, &NoHistory, options) {
                Ok(decision) => (Some(decision), None),
                Err(error) => (None, Some(check_error(&error))),
            }
        }
    };
    PlaygroundAnswer {
        compiled: true,
        diagnostics,
        claim_error,
        decision,
    }
}

fn check_error(error: &CheckError) -> ErrorBody {
    error_body(ErrorRecord::new(1, error))
}

fn error_body(record: ErrorRecord) -> ErrorBody {
    ErrorBody {
        error: record.error,
        code: Some(record.code).filter(|c| !c.is_empty()),
    }
}
