//! FHIR R4 for payerlex: `Claim` resources in, `ClaimResponse` resources out.
//!
//! Hosts that speak FHIR read claims with [`read_claims`] (one JSON document: a `Claim` or a
//! `Bundle`) or [`FhirReader`] (a stream of NDJSON, or one document), decide them with
//! `payerlex::Engine`, and answer with [`ResponseWriter`]:
//!
//! ```no_run
//! use payerlex_fhir::{read_claims, ReadOptions, ResponseWriter};
//! let engine = payerlex::Engine::load("policies")?;
//! let text = std::fs::read_to_string("bundle.json")?;
//! let writer = ResponseWriter::now();
//! for claim in read_claims(&text, &ReadOptions::default()) {
//!     let response = match claim {
//!         Ok(claim) => match engine.check(&claim, &payerlex::NoHistory) {
//!             Ok(decision) => writer.decision(&claim, &decision),
//!             Err(error) => writer.check_error(&claim, &error),
//!         },
//!         Err(error) => writer.error(&error),
//!     };
//!     println!("{}", serde_json::to_string(&response)?);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The FHIR model is a handful of hand-written serde structs (FHIR model crates take
//! gigabytes of RAM or over a million lines to compile); the element-to-field mapping is in
//! the crate README.

mod error;
mod payer_map;
mod payerlex_api;
pub mod read;
pub mod respond;
mod systems;

pub use error::{FhirError, Problem, ProblemKind, MAX_PROBLEMS};
pub use payer_map::{PayerMap, PayerMapError, MAX_PAYERS};
pub use read::{
    read_claims, ClaimEntry, Document, FhirReader, ReadOptions, DEFAULT_MAX_RECORD_BYTES,
    MAX_CARE_TEAM,
};
pub use respond::{group_code, resource::ClaimResponse, ResponseWriter};
