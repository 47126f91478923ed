//! Decisions out: FHIR R4 `ClaimResponse` resources.

pub mod resource;
mod writer;

pub use writer::{group_code, ResponseWriter};
