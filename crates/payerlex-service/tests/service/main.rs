//! The service's integration tests, in one binary (one link instead of one per file: the
//! machine's disk is shared). Each module is one subject:
//!
//! - `routes`: every route, good and bad requests;
//! - `reload`: hot reload, good and broken packs, requests in flight;
//! - `history`: history per payer and patient, its semantics, concurrency, batch groups;
//! - `limits`: body sizes, time limits, batch limits;
//! - `openapi`: the document covers the router exactly;
//! - `decision_log`: records replay, masking;
//! - `formats`: X12 and FHIR input;
//! - `process`: the binary: restart, SIGHUP, SIGTERM, export-log.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod decision_log;
mod formats;
mod history;
mod limits;
mod openapi;
mod process;
mod reload;
mod routes;
