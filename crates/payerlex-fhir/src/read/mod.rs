//! FHIR in: a `Claim`, a `Bundle` of them, or NDJSON of either, to payerlex claims.
//!
//! [`read_claims`] handles one JSON text (one document) and [`FhirReader`] a stream: it reads
//! NDJSON record by record with a bounded line buffer, or, when the first record does not end
//! on its first line, the whole input as one pretty-printed document. Either way the caller
//! gets one `Result<Claim, FhirError>` per `Claim` resource, in input order.

mod claim;
mod document;
mod lines;
mod parties;
pub mod resource;
mod stream;

pub(crate) use claim::validation_problem;
pub use document::{ClaimEntry, Document};
pub use parties::MAX_CARE_TEAM;
pub use stream::FhirReader;

use crate::error::FhirError;
use crate::payer_map::PayerMap;
use crate::payerlex_api::Claim;

/// Largest JSON record read by default: 16 MiB (a 999-item claim is about 1 MiB).
pub const DEFAULT_MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

/// How claims are read.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Payer ids to pack ids (see [`PayerMap`]).
    pub payers: PayerMap,
    /// Largest JSON record (an NDJSON line, or the whole document) accepted, in bytes.
    pub max_record_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            payers: PayerMap::new(),
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
        }
    }
}

impl ReadOptions {
    /// Default limits with a payer map.
    pub fn with_payers(payers: PayerMap) -> Self {
        Self {
            payers,
            ..Self::default()
        }
    }
}

impl ClaimEntry<'_> {
    /// Maps this claim to a payerlex claim, checked as the engine will check it.
    pub fn to_claim(&self, payers: &PayerMap) -> Result<Claim, FhirError> {
        claim::to_claim(self, payers)
    }
}

/// Reads one JSON document (a `Claim` or a `Bundle`): one result per `Claim` resource, in
/// order. A document that is not JSON, too large, or neither a Claim nor a Bundle gives one
/// error.
pub fn read_claims(text: &str, options: &ReadOptions) -> Vec<Result<Claim, FhirError>> {
    if text.len() > options.max_record_bytes {
        return vec![Err(stream::too_large(options.max_record_bytes))];
    }
    match Document::parse(text) {
        Ok(document) => claims_of(&document, &options.payers),
        Err(error) => vec![Err(error)],
    }
}

/// Every claim of a document, mapped; an error when the document holds none.
pub(crate) fn claims_of(document: &Document, payers: &PayerMap) -> Vec<Result<Claim, FhirError>> {
    let results: Vec<_> = document
        .claims()
        .map(|entry| entry.to_claim(payers))
        .collect();
    if results.is_empty() {
        let problem = crate::error::Problem::new(
            "Bundle.entry",
            crate::error::ProblemKind::Missing {
                why: "the Bundle holds no Claim to decide",
            },
        );
        return vec![Err(FhirError::single(problem))];
    }
    results
}
