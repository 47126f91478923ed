//! From the segments of a claim to a `payerlex::Claim`.
//!
//! Claims are built directly (no JSON round trip). Every field is read with its 999
//! coordinates; the first structural problem (a missing element, a missing loop) is reported
//! before the first value problem (a malformed code or date), because that is the order a
//! sender fixes them in: a 999 rejects the former before any claim edit looks at the latter.
//! Values are shown in messages only when they are codes.

mod claim;
pub(crate) mod fields;
mod line;
mod validate;

pub(crate) use claim::map_claim;

use crate::model::Claim;

/// A mapped claim and where its payer id was read.
#[derive(Debug)]
pub(crate) struct Mapped {
    pub claim: Claim,
    pub payer: PayerSource,
}

/// Where a claim's payer id was read (NM109 of 2010BB), to point at it when no pack matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayerSource {
    /// The payer id as the 837 gives it (before any payer map).
    pub id: String,
    /// Position of its NM1 segment in the transaction set.
    pub segment: u32,
    /// The loop (`2010BB`; `2010BC` in 4010 837I).
    pub loop_id: &'static str,
    /// Byte offset of the NM1 segment.
    pub offset: usize,
}
