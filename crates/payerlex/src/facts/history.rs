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
use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{
    Claim, Date, Diagnosis, Frequency, LineOutcomes, Modifiers, Npi, Outcome, PlaceOfService,
    ProcedureCode, ProviderRole, Taxonomy,
};

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

/// History kept in memory, fed with each decided claim.
///
/// A replacement claim (frequency 7) takes the place of the claim it replaces and a void
/// (frequency 8) removes it; lines a later decision takes back (`adjust_prior`) are recorded
/// as denied. Each patient's lines are kept in date order, so the engine's date-range reads
/// are a binary search. With a look-back ([`InMemoryHistory::with_look_back`], usually the
/// engine's [`crate::Engine::look_back_days`]), lines dated more than that many days before
/// the patient's newest date of service are dropped: no rule can read them. A cap on lines per
/// patient ([`InMemoryHistory::with_max_lines_per_patient`]) drops the oldest beyond it.
#[derive(Debug, Clone)]
pub struct InMemoryHistory {
    by_payer: HashMap<String, HashMap<String, PatientHistory>>,
    look_back_days: Option<u32>,
    max_lines_per_patient: usize,
}

impl Default for InMemoryHistory {
    fn default() -> Self {
        Self {
            by_payer: HashMap::new(),
            look_back_days: None,
            max_lines_per_patient: DEFAULT_MAX_LINES_PER_PATIENT,
        }
    }
}

/// Default cap on the history lines kept per patient and payer.
pub const DEFAULT_MAX_LINES_PER_PATIENT: usize = 100_000;

#[derive(Debug, Clone, Default)]
struct PatientHistory {
    /// In date order; lines of one date in the order they were recorded.
    lines: Vec<PriorLine>,
    newest: Option<Date>,
}

impl PatientHistory {
    fn insert(&mut self, line: PriorLine) {
        let at = self.lines.partition_point(|l| l.date <= line.date);
        self.newest = self.newest.max(Some(line.date));
        self.lines.insert(at, line);
    }

    fn between(&self, from: Date, until: Date) -> &[PriorLine] {
        let start = self.lines.partition_point(|l| l.date < from);
        let end = self.lines.partition_point(|l| l.date <= until);
        self.lines.get(start..end.max(start)).unwrap_or(&[])
    }
}

impl InMemoryHistory {
    /// An empty history that keeps every line.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty history that keeps lines at most `days` older than the patient's newest date
    /// of service (`None`: keep every line).
    pub fn with_look_back(days: Option<u32>) -> Self {
        Self {
            look_back_days: days,
            ..Self::default()
        }
    }

    /// Caps the lines kept per patient and payer (the oldest go first).
    pub fn with_max_lines_per_patient(mut self, max: usize) -> Self {
        self.max_lines_per_patient = max.max(1);
        self
    }

    /// Adds the lines of a decided claim to its patient's history with its payer, after
    /// removing the claim it replaces or voids.
    pub fn record(&mut self, claim: &Claim, decision: &impl LineOutcomes) {
        let (look_back_days, max_lines) = (self.look_back_days, self.max_lines_per_patient);
        let Some(patient) = self.patient_mut(&claim.payer, &claim.patient) else {
            return;
        };
        if let Some(replaced) = &claim.replaces {
            patient
                .lines
                .retain(|line| &*line.claim != replaced.as_str());
        }
        for (id, number) in decision.adjusted_lines() {
            for line in patient.lines.iter_mut() {
                if &*line.claim == id && line.number == number {
                    line.outcome = Outcome::Deny;
                }
            }
        }
        if claim.frequency == Some(Frequency::Void) {
            return;
        }
        for line in PriorLine::of_claim(claim, decision.line_outcomes()) {
            patient.insert(line);
        }
        if let (Some(days), Some(newest)) = (look_back_days, patient.newest) {
            let oldest_kept = newest.add_days(-i32::try_from(days).unwrap_or(i32::MAX));
            let drop = patient
                .lines
                .partition_point(|line| line.date < oldest_kept);
            patient.lines.drain(..drop);
        }
        if patient.lines.len() > max_lines {
            let drop = patient.lines.len() - max_lines;
            patient.lines.drain(..drop);
        }
    }

    /// Adds one line directly (for hosts that import history from elsewhere).
    pub fn push(&mut self, payer: &str, patient: &str, line: PriorLine) {
        let Some(patient) = self.patient_mut(payer, patient) else {
            return;
        };
        patient.insert(line);
    }

    /// Number of lines held, over every patient.
    pub fn len(&self) -> usize {
        self.by_payer
            .values()
            .flat_map(HashMap::values)
            .map(|p| p.lines.len())
            .sum()
    }

    /// Whether no line is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The patient's history with the payer, created on first use (keys are only allocated
    /// then).
    fn patient_mut(&mut self, payer: &str, patient: &str) -> Option<&mut PatientHistory> {
        if !self.by_payer.contains_key(payer) {
            self.by_payer.insert(payer.to_owned(), HashMap::new());
        }
        let patients = self.by_payer.get_mut(payer)?;
        if !patients.contains_key(patient) {
            patients.insert(patient.to_owned(), PatientHistory::default());
        }
        patients.get_mut(patient)
    }
}

impl History for InMemoryHistory {
    fn prior_lines(&self, payer: &str, patient: &str) -> Cow<'_, [PriorLine]> {
        match self.by_payer.get(payer).and_then(|p| p.get(patient)) {
            Some(history) => Cow::Borrowed(history.lines.as_slice()),
            None => Cow::Borrowed(&[]),
        }
    }

    fn prior_lines_between(
        &self,
        payer: &str,
        patient: &str,
        from: Date,
        until: Date,
    ) -> Cow<'_, [PriorLine]> {
        match self.by_payer.get(payer).and_then(|p| p.get(patient)) {
            Some(history) => Cow::Borrowed(history.between(from, until)),
            None => Cow::Borrowed(&[]),
        }
    }
}
