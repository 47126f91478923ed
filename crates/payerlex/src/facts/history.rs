//! The patient's history: lines of earlier claims, as the host recorded them.
//!
//! Frequency limits (MUE per date of service) and duplicate-component edits look across
//! claims. The host owns that store, so the engine reads it through [`History`]; an in-memory
//! implementation ships for tests, batch runs and the CLI.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{Claim, Date, LineOutcomes, Modifiers, Npi, Outcome, ProcedureCode};

/// A line of an earlier, already decided claim of the same patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorLine {
    /// The earlier claim's id.
    pub claim: String,
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
    /// Billing provider.
    pub npi: Npi,
    /// How that line was decided. Denied lines were not paid, so policies do not count them.
    pub outcome: Outcome,
}

/// Previously decided lines of a patient, implemented by the host.
pub trait History {
    /// Every recorded line of `patient`, in the order the claims were decided.
    fn prior_lines(&self, patient: &str) -> Cow<'_, [PriorLine]>;
}

/// No history at all (every claim is the patient's first).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoHistory;

impl History for NoHistory {
    fn prior_lines(&self, _patient: &str) -> Cow<'_, [PriorLine]> {
        Cow::Borrowed(&[])
    }
}

/// History kept in memory, fed with each decided claim.
#[derive(Debug, Clone, Default)]
pub struct InMemoryHistory {
    by_patient: HashMap<String, Vec<PriorLine>>,
}

impl InMemoryHistory {
    /// An empty history.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the lines of a decided claim.
    pub fn record(&mut self, claim: &Claim, decision: &impl LineOutcomes) {
        let lines = self.by_patient.entry(claim.patient.clone()).or_default();
        for (line, outcome) in claim.lines.iter().zip(decision.line_outcomes()) {
            lines.push(PriorLine {
                claim: claim.id.clone(),
                number: line.number,
                code: line.code,
                modifiers: line.modifiers,
                units: line.units,
                date: line.date,
                npi: claim.provider.npi,
                outcome,
            });
        }
    }

    /// Adds one line directly (for hosts that import history from elsewhere).
    pub fn push(&mut self, patient: &str, line: PriorLine) {
        self.by_patient
            .entry(patient.to_owned())
            .or_default()
            .push(line);
    }
}

impl History for InMemoryHistory {
    fn prior_lines(&self, patient: &str) -> Cow<'_, [PriorLine]> {
        match self.by_patient.get(patient) {
            Some(lines) => Cow::Borrowed(lines.as_slice()),
            None => Cow::Borrowed(&[]),
        }
    }
}
