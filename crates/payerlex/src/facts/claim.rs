//! The claim a host passes in: lines, codes, modifiers, units, dates, diagnoses, provider,
//! place of service, prior authorisation, and the report facts.
//!
//! These are plain serde types whose fields are validated newtypes, so a `Claim` that exists
//! has well-formed codes; [`Claim::validate`] adds the cross-field checks (pointers into the
//! diagnosis list, unique line numbers) that a single field cannot express.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Date, Diagnosis, Modifiers, Npi, PlaceOfService, ProcedureCode};

/// Who bills: a physician/practitioner (837P) or a facility (837I).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderRole {
    /// Professional claim (CMS-1500 / 837P).
    Professional,
    /// Institutional claim (UB-04 / 837I).
    Facility,
}

impl ProviderRole {
    /// Parses `professional` or `facility`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "professional" => Some(Self::Professional),
            "facility" => Some(Self::Facility),
            _ => None,
        }
    }

    /// The lower-case name used in policies and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Professional => "professional",
            Self::Facility => "facility",
        }
    }
}

/// The billing provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    /// National Provider Identifier.
    pub npi: Npi,
    /// Professional or facility.
    pub role: ProviderRole,
}

/// One service line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// Line number as billed (LX01), unique within the claim.
    pub number: u32,
    /// Procedure code.
    pub code: ProcedureCode,
    /// Up to four modifiers.
    #[serde(default)]
    pub modifiers: Modifiers,
    /// Units of service.
    pub units: u32,
    /// Date of service.
    pub date: Date,
    /// 1-based pointers into the claim's diagnoses (at most 4).
    #[serde(default)]
    pub diagnosis_pointers: Vec<u8>,
    /// Line-level place of service, overriding the claim's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_of_service: Option<PlaceOfService>,
}

/// What the radiology report documents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// The report text; policies derive facts from it with their phrase lists.
    #[serde(default)]
    pub text: Option<String>,
    /// Facts stated by the caller; a stated fact overrides what the text implies.
    #[serde(default)]
    pub facts: BTreeMap<String, bool>,
}

/// A claim to decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// The host's claim identifier.
    pub id: String,
    /// Payer id; picks the policy pack.
    pub payer: String,
    /// Patient identifier; earlier claims of the same patient form the history.
    pub patient: String,
    /// Billing provider.
    pub provider: Provider,
    /// Claim-level place of service (CLM05-1).
    pub place_of_service: PlaceOfService,
    /// Diagnoses, in pointer order (up to 12).
    #[serde(default)]
    pub diagnoses: Vec<Diagnosis>,
    /// Prior authorisation number, when one was obtained.
    #[serde(default)]
    pub prior_authorization: Option<String>,
    /// Service lines.
    pub lines: Vec<Line>,
    /// The report, when the host has one.
    #[serde(default)]
    pub report: Option<Report>,
    /// Medicare payment locality, for payment estimates (national when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<Locality>,
}

/// A Medicare payment locality (MAC contractor number and locality number).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Locality {
    /// Contractor number, e.g. `01112`.
    pub contractor: String,
    /// Locality number within the contractor, e.g. `05`.
    pub locality: String,
}

/// A claim that is well-formed field by field but inconsistent as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimError {
    /// No service lines.
    #[error("claim `{claim}` has no lines")]
    NoLines {
        /// Claim id.
        claim: String,
    },
    /// Two lines share a number.
    #[error("lines[{index}]: line number {number} is used twice")]
    DuplicateLineNumber {
        /// 0-based index of the second line.
        index: usize,
        /// The repeated number.
        number: u32,
    },
    /// A pointer names a diagnosis the claim does not have.
    #[error("lines[{index}].diagnosis_pointers: pointer {pointer} has no diagnosis (the claim lists {count})")]
    MissingDiagnosis {
        /// 0-based line index.
        index: usize,
        /// The pointer.
        pointer: u8,
        /// How many diagnoses the claim has.
        count: usize,
    },
    /// More than four pointers on a line.
    #[error("lines[{index}].diagnosis_pointers: at most 4 pointers, found {count}")]
    TooManyPointers {
        /// 0-based line index.
        index: usize,
        /// How many were given.
        count: usize,
    },
    /// More lines than a claim holds.
    #[error("lines: at most {MAX_LINES} lines per claim (X12 837I), found {count}")]
    TooManyLines {
        /// How many were given.
        count: usize,
    },
    /// More diagnoses than a claim holds.
    #[error("diagnoses: at most 12, found {count}")]
    TooManyDiagnoses {
        /// How many were given.
        count: usize,
    },
}

/// Most service lines one claim carries (X12 837I allows 999; 837P 50). Rules may look at
/// every line of the claim for each line, so this also bounds a claim's evaluation cost.
pub const MAX_LINES: usize = 999;

/// Most diagnoses one professional claim carries (837P HI segment).
pub const MAX_DIAGNOSES: usize = 12;

impl Claim {
    /// Cross-field checks: lines exist, numbers unique, pointers resolve.
    pub fn validate(&self) -> Result<(), ClaimError> {
        if self.lines.is_empty() {
            return Err(ClaimError::NoLines {
                claim: self.id.clone(),
            });
        }
        if self.lines.len() > MAX_LINES {
            return Err(ClaimError::TooManyLines {
                count: self.lines.len(),
            });
        }
        if self.diagnoses.len() > MAX_DIAGNOSES {
            return Err(ClaimError::TooManyDiagnoses {
                count: self.diagnoses.len(),
            });
        }
        let mut numbers: Vec<(u32, usize)> = self
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| (l.number, i))
            .collect();
        numbers.sort_unstable();
        if let Some(pair) = numbers.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(ClaimError::DuplicateLineNumber {
                index: pair[1].1,
                number: pair[1].0,
            });
        }
        for (index, line) in self.lines.iter().enumerate() {
            if line.diagnosis_pointers.len() > 4 {
                return Err(ClaimError::TooManyPointers {
                    index,
                    count: line.diagnosis_pointers.len(),
                });
            }
            for &pointer in &line.diagnosis_pointers {
                if pointer == 0 || usize::from(pointer) > self.diagnoses.len() {
                    return Err(ClaimError::MissingDiagnosis {
                        index,
                        pointer,
                        count: self.diagnoses.len(),
                    });
                }
            }
        }
        Ok(())
    }

    /// The diagnoses a line points to, skipping pointers that do not resolve.
    pub fn line_diagnoses<'a>(
        &'a self,
        line: &'a Line,
    ) -> impl Iterator<Item = &'a Diagnosis> + 'a {
        line.diagnosis_pointers
            .iter()
            .filter_map(|p| self.diagnoses.get(usize::from(*p).checked_sub(1)?))
    }

    /// The place of service of a line: its own, else the claim's.
    pub fn line_place(&self, line: &Line) -> PlaceOfService {
        line.place_of_service.unwrap_or(self.place_of_service)
    }
}
