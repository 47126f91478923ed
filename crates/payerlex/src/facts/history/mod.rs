//! The patient's history: lines of earlier claims to the same payer, as the host recorded
//! them.
//!
//! Frequency limits, global surgery periods and duplicate-component edits look across claims.
//! The host owns that store, so the engine reads it through [`History`]; an in-memory
//! implementation ships for tests, batch runs and the CLI.
//!
//! History is kept per (payer, patient): a claim to one payer never counts in another payer's
//! edits. A history line carries everything a policy's `where` filter can read of it (code,
//! modifiers, units, date, place of service, billing and rendering provider, diagnoses, and
//! how it was decided), copied so that no history line allocates beyond its claim id, which
//! the lines of one claim share.

use std::borrow::Cow;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{
    Claim, Date, Diagnosis, Modifiers, Npi, Outcome, PlaceOfService, ProcedureCode, ProviderRole,
    Taxonomy,
};

mod in_memory;

pub use in_memory::{InMemoryHistory, DEFAULT_MAX_LINES_PER_PATIENT};

/// A line of an earlier, already decided claim of the same patient and payer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorLine {
    /// The earlier claim's id.
    pub claim: Arc<str>,
    /// Its line number.
    pub number: u32,
    /// Procedure code.
    pub code: ProcedureCode,
    /// Modifiers.
    pub modifiers: Modifiers,
    /// Units.
    pub units: u32,
    /// Date of service.
    pub date: Date,
    /// Place of service (the line's own, else its claim's).
    pub place_of_service: PlaceOfService,
    /// Billing provider.
    pub npi: Npi,
    /// Professional or facility claim.
    pub role: ProviderRole,
    /// Who rendered it (line, else claim rendering provider, else the billing provider).
    pub rendering_npi: Npi,
    /// The rendering provider's specialty, when stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rendering_taxonomy: Option<Taxonomy>,
    /// The diagnoses the line pointed to, in pointer order.
    #[serde(default)]
    pub diagnoses: LineDiagnoses,
    /// How that line was decided. Denied lines were not paid, so policies do not count them.
    pub outcome: Outcome,
}

/// Up to four diagnoses of a history line, held inline.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineDiagnoses([Option<Diagnosis>; 4]);

impl LineDiagnoses {
    /// From the diagnoses a line points to (the first four).
    pub fn from_diagnoses<'a>(diagnoses: impl IntoIterator<Item = &'a Diagnosis>) -> Self {
        let mut out = [None; 4];
        for (slot, diagnosis) in out.iter_mut().zip(diagnoses) {
            *slot = Some(*diagnosis);
        }
        Self(out)
    }

    /// The diagnoses, in pointer order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnosis> + '_ {
        self.0.iter().flatten()
    }

    /// The first (primary) diagnosis.
    pub fn primary(&self) -> Option<Diagnosis> {
        self.0[0]
    }
}

impl PriorLine {
    /// A history line of a professional claim in an office (POS 11), rendered by the billing
    /// provider, without modifiers or diagnoses; set the other fields afterwards as needed.
    pub fn new(
        claim: impl Into<Arc<str>>,
        number: u32,
        code: ProcedureCode,
        units: u32,
        date: Date,
        npi: Npi,
        outcome: Outcome,
    ) -> Self {
        Self {
            claim: claim.into(),
            number,
            code,
            modifiers: Modifiers::default(),
            units,
            date,
            place_of_service: PlaceOfService::OFFICE,
            npi,
            role: ProviderRole::Professional,
            rendering_npi: npi,
            rendering_taxonomy: None,
            diagnoses: LineDiagnoses::default(),
            outcome,
        }
    }

    /// The history lines of a decided claim, with each line's outcome.
    pub fn of_claim<'a>(
        claim: &'a Claim,
        outcomes: impl IntoIterator<Item = Outcome> + 'a,
    ) -> impl Iterator<Item = PriorLine> + 'a {
        let id: Arc<str> = Arc::from(claim.id.as_str());
        claim
            .lines
            .iter()
            .zip(outcomes)
            .map(move |(line, outcome)| PriorLine {
                claim: id.clone(),
                number: line.number,
                code: line.code,
                modifiers: line.modifiers,
                units: line.units,
                date: line.date,
                place_of_service: claim.line_place(line),
                npi: claim.provider.npi,
                role: claim.provider.role,
                rendering_npi: claim.rendering_npi(line),
                rendering_taxonomy: claim.rendering_taxonomy(line),
                diagnoses: LineDiagnoses::from_diagnoses(claim.line_diagnoses(line)),
                outcome,
            })
    }
}

/// Previously decided lines of a patient's claims to a payer, implemented by the host.
///
/// Order does not matter to any policy (history lines are all "earlier"); the engine asks for
/// the date range its rules can reach ([`History::prior_lines_between`]) so that a store
/// indexed by date answers without scanning a long history.
pub trait History {
    /// Every recorded line of `patient`'s claims to `payer` (replaced and voided claims
    /// removed).
    fn prior_lines(&self, payer: &str, patient: &str) -> Cow<'_, [PriorLine]>;

    /// The recorded lines dated `from` to `until` (inclusive). The default filters
    /// [`History::prior_lines`]; stores kept in date order answer with a range.
    fn prior_lines_between(
        &self,
        payer: &str,
        patient: &str,
        from: Date,
        until: Date,
    ) -> Cow<'_, [PriorLine]> {
        match self.prior_lines(payer, patient) {
            Cow::Borrowed(lines) => {
                if lines.iter().all(|l| from <= l.date && l.date <= until) {
                    Cow::Borrowed(lines)
                } else {
                    Cow::Owned(
                        lines
                            .iter()
                            .filter(|l| from <= l.date && l.date <= until)
                            .cloned()
                            .collect(),
                    )
                }
            }
            Cow::Owned(mut lines) => {
                lines.retain(|l| from <= l.date && l.date <= until);
                Cow::Owned(lines)
            }
        }
    }
}

/// No history at all (every claim is the patient's first).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoHistory;

impl History for NoHistory {
    fn prior_lines(&self, _payer: &str, _patient: &str) -> Cow<'_, [PriorLine]> {
        Cow::Borrowed(&[])
    }
}
