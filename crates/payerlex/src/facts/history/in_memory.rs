//! [`InMemoryHistory`]: the history store batch runs, tests and the CLI use, bounded in
//! memory.
//!
//! Each patient's lines are kept in date order, so the engine's date-range reads are two
//! binary searches and a claim reads only the lines its rules' windows can reach, however
//! long the patient's history. Three bounds keep a run of millions of claims in fixed memory:
//! - the look-back: a patient's lines older than the packs' longest window before the
//!   patient's newest date of service are dropped (no rule can read them), and every few
//!   thousand claims a sweep drops whole patients whose newest date is that far behind the
//!   newest date of the run (a date-ordered batch then holds only the patients seen within
//!   the look-back);
//! - a cap on lines per patient (the oldest go first);
//! - a cap on lines held over all patients: past it, the patients with the oldest newest
//!   date are evicted whole, and remembered (by a 64-bit hash, not their id) so the host can
//!   warn on their later decisions ([`InMemoryHistory::was_evicted`]).
//!
//! Patients are found by (payer, patient id) in hash maps keyed with `foldhash` (randomly
//! seeded per store): every check reads the patient and every decided claim writes it, and
//! SipHash over both ids was a third of recording a claim.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use foldhash::quality::RandomState as FastState;
use std::hash::{BuildHasher, Hash, Hasher};

use super::{History, PriorLine};
use crate::facts::{Claim, Date, Frequency, LineOutcomes, Outcome};

/// Default cap on the history lines kept per patient and payer.
pub const DEFAULT_MAX_LINES_PER_PATIENT: usize = 100_000;

/// Default cap on the history lines kept over all patients (about 150 bytes each).
pub const DEFAULT_MAX_LINES_TOTAL: usize = 4_000_000;

/// Claims recorded between two look-back sweeps.
const SWEEP_EVERY: usize = 4096;

/// History kept in memory, fed with each decided claim.
///
/// A replacement claim (frequency 7) takes the place of the claim it replaces and a void
/// (frequency 8) removes it; lines a later decision takes back (`adjust_prior`) are recorded
/// as denied. With a look-back ([`InMemoryHistory::with_look_back`], usually the engine's
/// [`crate::Engine::look_back_days`]) lines no rule can read are dropped; see the module doc
/// for the caps.
#[derive(Debug, Clone)]
pub struct InMemoryHistory {
    by_payer: HashMap<String, HashMap<String, PatientHistory, FastState>, FastState>,
    look_back_days: Option<u32>,
    max_lines_per_patient: usize,
    max_lines_total: usize,
    lines_total: usize,
    newest_overall: Option<Date>,
    recorded_since_sweep: usize,
    evicted: HashSet<u64>,
    hasher: std::collections::hash_map::RandomState,
}

impl Default for InMemoryHistory {
    fn default() -> Self {
        Self {
            by_payer: HashMap::default(),
            look_back_days: None,
            max_lines_per_patient: DEFAULT_MAX_LINES_PER_PATIENT,
            max_lines_total: DEFAULT_MAX_LINES_TOTAL,
            lines_total: 0,
            newest_overall: None,
            recorded_since_sweep: 0,
            evicted: HashSet::new(),
            hasher: std::collections::hash_map::RandomState::new(),
        }
    }
}

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

    /// Drops lines older than the look-back and beyond the cap; returns how many went.
    fn trim(&mut self, look_back_days: Option<u32>, max_lines: usize) -> usize {
        let before = self.lines.len();
        if let (Some(days), Some(newest)) = (look_back_days, self.newest) {
            let oldest_kept = newest.add_days(-i32::try_from(days).unwrap_or(i32::MAX));
            let drop = self.lines.partition_point(|line| line.date < oldest_kept);
            self.lines.drain(..drop);
        }
        if self.lines.len() > max_lines {
            let drop = self.lines.len() - max_lines;
            self.lines.drain(..drop);
        }
        before - self.lines.len()
    }
}

impl InMemoryHistory {
    /// An empty history that keeps every line (within the default caps).
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

    /// Caps the lines kept over all patients (patients with the oldest newest date are
    /// evicted first).
    pub fn with_max_lines_total(mut self, max: usize) -> Self {
        self.max_lines_total = max.max(1);
        self
    }

    /// The store a batch run of `engine` needs: its look-back and its history limits.
    pub fn for_engine(engine: &crate::Engine) -> Self {
        let limits = engine.limits();
        Self::with_look_back(engine.look_back_days())
            .with_max_lines_per_patient(limits.history_lines_per_patient)
            .with_max_lines_total(limits.history_lines_total)
    }

    /// Adds the lines of a decided claim to its patient's history with its payer, after
    /// removing the claim it replaces or voids.
    pub fn record(&mut self, claim: &Claim, decision: &impl LineOutcomes) {
        let (look_back_days, max_lines) = (self.look_back_days, self.max_lines_per_patient);
        let Some(patient) = self.patient_mut(&claim.payer, &claim.patient) else {
            return;
        };
        let before = patient.lines.len();
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
        if claim.frequency != Some(Frequency::Void) {
            for line in PriorLine::of_claim(claim, decision.line_outcomes()) {
                patient.insert(line);
            }
        }
        patient.trim(look_back_days, max_lines);
        let (after, newest) = (patient.lines.len(), patient.newest);
        self.lines_total = self.lines_total.saturating_sub(before) + after;
        self.newest_overall = self.newest_overall.max(newest);
        self.recorded_since_sweep += 1;
        if self.recorded_since_sweep >= SWEEP_EVERY {
            self.sweep();
        }
        if self.lines_total > self.max_lines_total {
            self.evict();
        }
    }

    /// Adds one line directly (for hosts that import history from elsewhere).
    pub fn push(&mut self, payer: &str, patient: &str, line: PriorLine) {
        let (look_back_days, max_lines) = (self.look_back_days, self.max_lines_per_patient);
        let Some(history) = self.patient_mut(payer, patient) else {
            return;
        };
        history.insert(line);
        let dropped = history.trim(look_back_days, max_lines);
        self.lines_total = (self.lines_total + 1).saturating_sub(dropped);
        if self.lines_total > self.max_lines_total {
            self.evict();
        }
    }

    /// Whether this patient's history with this payer was evicted to stay under the total
    /// cap: later claims of the patient are decided without the evicted lines.
    pub fn was_evicted(&self, payer: &str, patient: &str) -> bool {
        !self.evicted.is_empty() && self.evicted.contains(&self.key_hash(payer, patient))
    }

    /// How many patient histories were evicted.
    pub fn evicted_patients(&self) -> usize {
        self.evicted.len()
    }

    /// Number of lines held, over every patient.
    pub fn len(&self) -> usize {
        self.lines_total
    }

    /// Whether no line is held.
    pub fn is_empty(&self) -> bool {
        self.lines_total == 0
    }

    /// Drops every patient whose newest date is more than the look-back behind the newest
    /// date of the run: none of their lines is within reach of a claim dated after it.
    fn sweep(&mut self) {
        self.recorded_since_sweep = 0;
        let (Some(days), Some(newest)) = (self.look_back_days, self.newest_overall) else {
            return;
        };
        let cutoff = newest.add_days(-i32::try_from(days).unwrap_or(i32::MAX));
        let mut dropped = 0usize;
        for patients in self.by_payer.values_mut() {
            patients.retain(|_, history| {
                let keep = history.newest.is_some_and(|d| d >= cutoff);
                if !keep {
                    dropped += history.lines.len();
                }
                keep
            });
        }
        self.by_payer.retain(|_, patients| !patients.is_empty());
        self.lines_total = self.lines_total.saturating_sub(dropped);
    }

    /// Evicts the patients with the oldest newest date until the store holds at most 90% of
    /// the total cap.
    fn evict(&mut self) {
        let target = self.max_lines_total / 10 * 9;
        let mut candidates: Vec<(Option<Date>, String, String, usize)> = self
            .by_payer
            .iter()
            .flat_map(|(payer, patients)| {
                patients.iter().map(move |(patient, history)| {
                    (
                        history.newest,
                        payer.clone(),
                        patient.clone(),
                        history.lines.len(),
                    )
                })
            })
            .collect();
        candidates.sort_by_key(|c| c.0);
        for (_, payer, patient, lines) in candidates {
            if self.lines_total <= target {
                break;
            }
            let hash = self.key_hash(&payer, &patient);
            if let Some(patients) = self.by_payer.get_mut(&payer) {
                patients.remove(&patient);
            }
            self.evicted.insert(hash);
            self.lines_total = self.lines_total.saturating_sub(lines);
        }
        self.by_payer.retain(|_, patients| !patients.is_empty());
    }

    fn key_hash(&self, payer: &str, patient: &str) -> u64 {
        let mut hasher = self.hasher.build_hasher();
        payer.hash(&mut hasher);
        patient.hash(&mut hasher);
        hasher.finish()
    }

    /// The patient's history with the payer, created on first use (keys are only allocated
    /// then).
    fn patient_mut(&mut self, payer: &str, patient: &str) -> Option<&mut PatientHistory> {
        if !self.by_payer.contains_key(payer) {
            self.by_payer.insert(payer.to_owned(), HashMap::default());
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
