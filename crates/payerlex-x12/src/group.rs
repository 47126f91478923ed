//! Claim adjustment group codes (835 CAS01): who bears an adjustment.
//!
//! CO (contractual obligation: the provider writes it off), PR (patient responsibility), OA
//! (other adjustment), PI (payer-initiated reduction). The group is part of each rule's
//! outcome in the policy (CO by default); until `payerlex::Finding` carries it, every finding
//! is CO, from [`group_of`] alone, so wiring the policy's group in is one line there.

use std::fmt;

use crate::model::Finding;

/// An 835 claim adjustment group code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupCode {
    /// Contractual obligation.
    Co,
    /// Patient responsibility.
    Pr,
    /// Other adjustment.
    Oa,
    /// Payer-initiated reduction.
    Pi,
}

impl GroupCode {
    /// The code as an 835 writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Co => "CO",
            Self::Pr => "PR",
            Self::Oa => "OA",
            Self::Pi => "PI",
        }
    }
}

impl fmt::Display for GroupCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The group code of a finding's adjustment.
// TODO(lead): return `finding.group` once `payerlex::Finding` carries the policy's group code.
pub fn group_of(_finding: &Finding) -> GroupCode {
    GroupCode::Co
}
