//! [`BatchChecker`]: decides the claims of a stream of record batches in order, carrying each
//! patient's history from batch to batch.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use arrow_array::RecordBatch;
use payerlex::{
    parse_claim, CheckOptions, Claim, Engine, ErrorRecord, InMemoryHistory, EVICTED_WARNING,
};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::build::Columns;
use crate::error::{ArrowCheckError, OutOfOrder};
use crate::output::{OutputBuilder, RowKey};

/// Patients remembered as done (to catch a patient whose rows come back later); past this the
/// memory is cleared and starts again, so a stream of any length stays bounded.
const MAX_REMEMBERED_PATIENTS: usize = 1 << 22;

/// Decides claims given as record batches of claim lines (see the crate doc for the schema
/// and the order rows must come in).
pub struct BatchChecker {
    engine: Arc<Engine>,
    options: CheckOptions,
    history: InMemoryHistory,
    /// The claim whose rows are being read (its last row may be in the next batch).
    pending: Option<PendingClaim>,
    /// The patient whose claims are being read.
    patient: Option<PatientState>,
    /// Hashes of patients whose rows ended.
    done_patients: HashSet<u64>,
    /// Rows read so far (error rows number claims by their first row, from 1).
    rows_read: usize,
    out: OutputBuilder,
}

struct PendingClaim {
    first_row: usize,
    object: Map<String, Value>,
    lines: Vec<Value>,
    rows: Vec<RowKey>,
    first_date: Option<String>,
}

struct PatientState {
    key: (Option<String>, Option<String>),
    /// (first date of service, claim id) of the last claim decided for the patient.
    last: Option<(Option<String>, String)>,
    claims: HashSet<String>,
    /// The patient's rows came after other patients' rows had ended them.
    regrouped: bool,
}

impl BatchChecker {
    /// A checker with an empty history (the engine's look-back and history limits).
    pub fn new(engine: Arc<Engine>) -> Self {
        let history = InMemoryHistory::for_engine(&engine);
        Self {
            engine,
            options: CheckOptions::default(),
            history,
            pending: None,
            patient: None,
            done_patients: HashSet::new(),
            rows_read: 0,
            out: OutputBuilder::default(),
        }
    }

    /// Adds each finding's clause-level explanation (not in the output columns; for hosts
    /// that read decisions another way this only costs time).
    pub fn with_options(mut self, options: CheckOptions) -> Self {
        self.options = options;
        self
    }

    /// Decides the claims whose rows are complete and returns their rows; the last claim of
    /// the batch waits for the next batch (or [`BatchChecker::finish`]), since its rows may
    /// go on there.
    pub fn push(&mut self, batch: &RecordBatch) -> Result<RecordBatch, ArrowCheckError> {
        let columns = Columns::of(batch)?;
        for row in 0..batch.num_rows() {
            self.rows_read += 1;
            let key = RowKey {
                payer: columns.payer.text(row),
                patient: columns.patient.text(row),
                claim: columns.claim.text(row),
                line: columns.line.int(row),
            };
            let same_claim = self.pending.as_ref().is_some_and(|pending| {
                pending.rows.first().is_some_and(|first| {
                    first.payer == key.payer
                        && first.patient == key.patient
                        && first.claim == key.claim
                        && key.claim.is_some()
                })
            });
            if !same_claim {
                self.decide_pending();
                self.pending = Some(PendingClaim {
                    first_row: self.rows_read,
                    object: columns.claim_object(row),
                    lines: Vec::new(),
                    rows: Vec::new(),
                    first_date: None,
                });
            }
            if let Some(pending) = self.pending.as_mut() {
                let date = columns.date.text(row);
                if date.is_some() && (pending.first_date.is_none() || date < pending.first_date) {
                    pending.first_date = date;
                }
                pending.lines.push(columns.line_object(row));
                pending.rows.push(key);
            }
        }
        self.out.finish()
    }

    /// Decides the last claim and returns its rows: call at the end of the stream.
    pub fn finish(&mut self) -> Result<RecordBatch, ArrowCheckError> {
        self.decide_pending();
        self.out.finish()
    }

    /// Decides the claim whose rows ended, or writes why it cannot be.
    fn decide_pending(&mut self) {
        let Some(mut pending) = self.pending.take() else {
            return;
        };
        if let Some(problem) = self.out_of_order(&pending) {
            let error = ErrorRecord::new(pending.first_row, &OutOfOrder(problem));
            self.out.rejected(&pending.rows, &error);
            return;
        }
        pending.object.insert(
            "lines".into(),
            Value::Array(std::mem::take(&mut pending.lines)),
        );
        let object = Value::Object(std::mem::take(&mut pending.object));
        // From the JSON value directly; only a claim that fails goes through `parse_claim`
        // (text), whose error names the field the way JSON Lines error records do.
        let parsed = Claim::deserialize(&object).or_else(|_| parse_claim(&object.to_string()));
        let claim = match parsed {
            Ok(claim) => claim,
            Err(e) => {
                self.out
                    .rejected(&pending.rows, &ErrorRecord::new(pending.first_row, &e));
                return;
            }
        };
        match self.engine.check_with(&claim, &self.history, self.options) {
            Ok(mut decision) => {
                if self.history.was_evicted(&claim.payer, &claim.patient) {
                    decision.warnings.push(EVICTED_WARNING.to_owned());
                }
                self.history.record(&claim, &decision);
                self.out.decided(&pending.rows, &decision);
            }
            Err(e) => self
                .out
                .rejected(&pending.rows, &ErrorRecord::new(pending.first_row, &e)),
        }
    }

    /// Why the claim's rows are out of order for its patient, if they are; moves the
    /// patient's place on when they are not.
    fn out_of_order(&mut self, pending: &PendingClaim) -> Option<&'static str> {
        let first = pending.rows.first()?;
        let key = (first.payer.clone(), first.patient.clone());
        if self.patient.as_ref().map(|p| &p.key) != Some(&key) {
            if let Some(done) = self.patient.take() {
                if self.done_patients.len() >= MAX_REMEMBERED_PATIENTS {
                    self.done_patients.clear();
                }
                self.done_patients.insert(patient_hash(&done.key));
            }
            self.patient = Some(PatientState {
                regrouped: self.done_patients.contains(&patient_hash(&key)),
                key,
                last: None,
                claims: HashSet::new(),
            });
        }
        let patient = self.patient.as_mut()?;
        if patient.regrouped {
            return Some("rows of this patient came after other patients' rows: group rows by payer and patient");
        }
        let claim = first.claim.clone().unwrap_or_default();
        if !patient.claims.insert(claim.clone()) {
            return Some("rows of this claim are not consecutive: sort a patient's rows by first date of service, claim, line");
        }
        let lines_ascend = pending
            .rows
            .windows(2)
            .all(|pair| matches!(pair, [a, b] if a.line < b.line));
        if !lines_ascend {
            return Some(
                "lines of this claim are out of order: sort a claim's rows by line number",
            );
        }
        let this = (pending.first_date.clone(), claim);
        if patient.last.as_ref().is_some_and(|last| *last > this) {
            return Some("claim before an earlier-decided claim of its patient: sort a patient's rows by first date of service, claim, line");
        }
        patient.last = Some(this);
        None
    }
}

fn patient_hash(key: &(Option<String>, Option<String>)) -> u64 {
    let mut hasher = DefaultHasher::new();
    key.hash(&mut hasher);
    hasher.finish()
}
