//! Claim adjustment group codes (835 CAS01): who bears an adjustment.
//!
//! CO (contractual obligation: the provider writes it off), PR (patient responsibility), OA
//! (other adjustment), PI (payer-initiated reduction). The group is part of each rule's
//! outcome in the policy; a finding without one (advice) or a rule that names none is CO, the
//! default for edits.

use crate::model::{Finding, GroupCode};

/// The group code of a finding's adjustment.
pub fn group_of(finding: &Finding) -> GroupCode {
    finding.group.unwrap_or_default()
}
