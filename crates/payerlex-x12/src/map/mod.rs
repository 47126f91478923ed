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

use crate::error::Coordinates;
use crate::model::Claim;

/// A mapped claim and where its payer id was read (to point at it when no pack matches).
#[derive(Debug)]
pub(crate) struct Mapped {
    pub claim: Claim,
    pub payer_at: Option<Coordinates>,
}
