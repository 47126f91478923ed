//! The OpenAPI document served at `GET /openapi.json`.
//!
//! Written by derive: each handler carries its `#[utoipa::path]` next to its code, and this
//! list gathers them, so a route's documentation changes with the route. A test
//! (`tests/openapi.rs`) checks that every route the router declares is in the document and
//! that every documented path is served. Claims and decisions are described as objects
//! pointing to the JSON contract (README) rather than re-declared here: the library owns
//! their shape.

use serde_json::Value;
use utoipa::OpenApi;

use crate::errors::ErrorBody;
use crate::routes::admin::{DiagnosticInfo, PackInfo, PacksAnswer, ReloadFailure, ReloadSuccess};
use crate::routes::playground::{PlaygroundAnswer, PlaygroundRequest};

/// The document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "payerlex service",
        description = "Checks medical claims against declarative payer policies. Claims and \
            decisions follow the JSON contract of the payerlex README.",
        license(name = "Apache-2.0")
    ),
    paths(
        crate::routes::check::check_one,
        crate::routes::check::check_batch,
        crate::routes::admin::packs,
        crate::routes::admin::reload,
        crate::routes::admin::healthz,
        crate::routes::admin::readyz,
        crate::routes::admin::metrics,
        crate::routes::openapi,
        crate::routes::playground::page,
        crate::routes::playground::run,
    ),
    components(schemas(
        ErrorBody,
        PackInfo,
        PacksAnswer,
        DiagnosticInfo,
        ReloadFailure,
        ReloadSuccess,
        PlaygroundRequest,
        PlaygroundAnswer
    )),
    tags(
        (name = "check", description = "Decide claims"),
        (name = "operate", description = "Packs, reload, health, metrics"),
        (name = "playground", description = "Try a policy on a claim"),
    )
)]
pub struct ApiDoc;

/// The document as JSON.
pub fn openapi_json() -> Value {
    serde_json::to_value(ApiDoc::openapi()).unwrap_or(Value::Null)
}
