//! What a rule reads that a claim may leave out (a report, the birth date, the sex, a
//! taxonomy, a principal or primary diagnosis), so that a "not evaluated" finding can say
//! what to send.

use super::cond::{Cond, CondKind, DiagnosisRef, Num, Probe};
use super::walk::Visit;
#[cfg(feature = "testing")]
use crate::facts::Claim;

/// The kinds of claim data a rule reads that a claim may leave out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Needs(u8);

impl Needs {
    const REPORT: u8 = 1;
    const BIRTH_DATE: u8 = 2;
    const SEX: u8 = 4;
    const TAXONOMY: u8 = 8;
    const DIAGNOSIS: u8 = 16;

    /// What `cond` reads that may be missing.
    pub fn of(cond: &Cond) -> Self {
        let mut bits = 0;
        cond.walk(&mut |visit| {
            bits |= match visit {
                Visit::Cond(c) => match &c.kind {
                    CondKind::Fact(_) | CondKind::Known(Probe::Fact(_)) => Self::REPORT,
                    CondKind::SexIs(_) => Self::SEX,
                    CondKind::TaxonomyIn { .. } => Self::TAXONOMY,
                    CondKind::DiagnosisIn {
                        diagnoses: DiagnosisRef::Principal | DiagnosisRef::Primary(_),
                        ..
                    } => Self::DIAGNOSIS,
                    _ => 0,
                },
                Visit::Num(Num::Age { .. }) => Self::BIRTH_DATE,
                _ => 0,
            }
        });
        Self(bits)
    }

    /// What of it the claim lacks, in words ("report", "patient birth date"...).
    #[cfg(feature = "testing")]
    pub fn missing(self, claim: &Claim) -> String {
        self.missing_given(
            claim.report.is_some(),
            claim.patient_birth_date.is_some(),
            claim.patient_sex.is_some(),
        )
    }

    /// [`Needs::missing`] for a claim that has (or lacks) a report, a patient birth date and
    /// a patient sex: all it reads of the claim.
    pub fn missing_given(self, report: bool, birth_date: bool, sex: bool) -> String {
        let has = |bit: u8| self.0 & bit != 0;
        if self.0 == Self::REPORT || self.0 == 0 {
            return if report {
                "the report does not state a fact this rule needs".to_owned()
            } else {
                "report required".to_owned()
            };
        }
        let mut parts: Vec<&str> = Vec::new();
        if has(Self::REPORT) && !report {
            parts.push("report");
        }
        if has(Self::REPORT) && report {
            parts.push("a report fact");
        }
        if has(Self::BIRTH_DATE) && !birth_date {
            parts.push("patient birth date");
        }
        if has(Self::SEX) && !sex {
            parts.push("patient sex");
        }
        if has(Self::TAXONOMY) {
            parts.push("provider taxonomy");
        }
        if has(Self::DIAGNOSIS) {
            parts.push("diagnosis");
        }
        format!("{} required", parts.join(", "))
    }
}
