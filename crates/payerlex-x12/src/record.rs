//! What the reader yields: a claim with where it came from, a rejected claim with its error,
//! or an error outside any claim.

use std::sync::Arc;

use crate::error::{Coordinates, X12Error};
use crate::map::PayerSource;
use crate::model::Claim;
use crate::schema::Implementation;

/// Where a claim came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimSource {
    /// Interchange control number (ISA13).
    pub interchange: Arc<str>,
    /// Functional group control number (GS06).
    pub group: Arc<str>,
    /// Transaction set control number (ST02).
    pub transaction: Arc<str>,
    /// The implementation guide, when known.
    pub implementation: Option<Implementation>,
    /// Position of the CLM segment in the transaction set (ST = 1).
    pub segment: u32,
    /// Byte offset of the CLM segment.
    pub offset: usize,
    /// CLM01, when readable.
    pub claim_id: Option<String>,
    /// Service lines (LX loops) read, including 837I revenue-code-only lines that are not
    /// checked.
    pub service_lines: usize,
}

/// A claim read from the interchange.
#[derive(Debug)]
pub struct ReadClaim {
    /// The claim, ready for `Engine::check`.
    pub claim: Claim,
    /// Where it came from.
    pub source: ClaimSource,
    /// Where its payer id was read (2010BB NM109), to point at when no pack matches it.
    pub payer: PayerSource,
}

impl ReadClaim {
    /// The coordinates of the payer id (NM109 of 2010BB), for an error about the payer.
    pub fn payer_coordinates(&self) -> Coordinates {
        Coordinates {
            interchange: Some(self.source.interchange.to_string()),
            group: Some(self.source.group.to_string()),
            transaction: Some(self.source.transaction.to_string()),
            segment: Some(self.payer.segment),
            segment_id: Some("NM1".to_owned()),
            loop_id: Some(self.payer.loop_id),
            element: Some(9),
            component: None,
            value: Some(self.payer.id.clone()),
            claim: self.source.claim_id.clone(),
            offset: self.payer.offset,
        }
    }
}

/// A claim that could not be read, and why.
#[derive(Debug)]
pub struct RejectedClaim {
    /// The first problem (structure before values).
    pub error: X12Error,
    /// Where the claim is.
    pub source: ClaimSource,
}

/// What the reader yields.
#[derive(Debug)]
pub enum Record {
    /// A claim (one per CLM).
    Claim(Box<ReadClaim>),
    /// A claim that cannot be checked (one per CLM).
    Rejected(Box<RejectedClaim>),
    /// A problem outside any claim (envelope, a loop whose claims are absent).
    Error(Box<X12Error>),
}
