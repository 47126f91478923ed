//! Authorisations from the payer's utilisation-management system, attached to a claim.
//!
//! A claim-level prior authorisation number (X12 REF*G1) says only that *some* authorisation
//! was obtained. Payers that check more ("the authorisation covers 76377, one unit, in March")
//! pass the authorisation records themselves; a line is authorised when one record lists its
//! code, spans its date and still has units left for it (see `Claim::line_authorized`).

use serde::{Deserialize, Serialize};

use super::{Date, ProcedureCode};

/// One authorisation: which codes, how many units, for which dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authorization {
    /// The authorisation number as the payer issued it.
    pub number: String,
    /// Procedure codes it covers.
    pub codes: Vec<ProcedureCode>,
    /// Units it covers across all lines it applies to; unlimited when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<u32>,
    /// First date of service covered.
    pub from: Date,
    /// Last date of service covered.
    pub to: Date,
}

impl Authorization {
    /// Whether this authorisation lists `code` and spans `date`.
    pub fn covers(&self, code: ProcedureCode, date: Date) -> bool {
        self.from <= date && date <= self.to && self.codes.contains(&code)
    }
}
