//! payerlex as an HTTP service: `payerlex-serve --policies DIR` (or `payerlex serve` with the
//! CLI's `serve` feature).
//!
//! Routes (see the crate README and `GET /openapi.json`): `POST /v1/check` (one claim),
//! `POST /v1/check/batch` (NDJSON in and out), `GET /v1/packs`, `POST /v1/reload`,
//! `GET /healthz`, `GET /readyz`, `GET /metrics`, `GET /openapi.json`, `GET /playground` and
//! `POST /v1/playground`.
//!
//! How it is put together, bottom up:
//!
//! ```text
//!  cli, server                     arguments; load, listen, signals, graceful shutdown
//!  routes (check, admin, playground), openapi      HTTP handlers and their documentation
//!  checking                        one claim: lock patient, read history, decide, commit
//!  state, engine_slot, patient_locks, metrics      what requests share
//!  store (sqlite, memory, update), decision_log, log_file      what outlives a request
//!  payerlex_api                    every name taken from the payerlex library
//! ```
//!
//! It is its own cargo workspace, so the library's `cargo test --workspace` never builds
//! axum, tokio or SQLite.

mod checking;
mod cli;
pub mod config;
pub mod decision_log;
pub mod engine_slot;
mod errors;
mod log_file;
pub mod metrics;
mod openapi;
mod patient_locks;
mod payerlex_api;
mod routes;
mod server;
pub mod state;
pub mod store;

pub use checking::{decide_and_record, CheckFailure};
pub use cli::{run, ExportArgs, ServeArgs, ServeCommand, ServeSubcommand};
pub use config::{Limits, ServiceConfig, StateLocation};
pub use engine_slot::{EngineSlot, LoadedEngine, ReloadError};
pub use errors::{codes, ErrorBody};
pub use log_file::LogFile;
pub use openapi::{openapi_json, ApiDoc};
pub use routes::formats::{Format, PayerMaps};
pub use routes::playground::{compile_and_decide, PlaygroundAnswer, PlaygroundRequest};
pub use routes::router;
pub use server::{build_state, serve, serve_on, termination, StartError};
pub use state::AppState;
