//! What deciding a claim does to its patient's history, written once for every store.
//!
//! The semantics are the library's [`InMemoryHistory`](payerlex::InMemoryHistory)'s, plus one
//! rule a network service needs: a claim id sent again (a client retrying after a timeout)
//! takes the place of its earlier submission instead of adding its lines a second time, so a
//! retry is decided as the first attempt was and never counts as its own duplicate. In order:
//!
//! 1. remove the lines of the claim itself (an earlier submission of the same id) and of the
//!    claim it replaces or voids (`replaces`);
//! 2. unless the claim is a void (frequency 8), add its lines with their outcomes;
//! 3. drop lines dated more than the engine's look-back before the newest date of service
//!    held for the patient (no rule can read them; `None` keeps every date);
//! 4. keep at most the configured number of lines, dropping the earliest decided first.
//!
//! Stores apply it in their own way (a SQL transaction, a vector); [`HistoryUpdate::apply`]
//! is the reference the stores' tests compare against.

use crate::payerlex_api::{Claim, Decision, Frequency, LineOutcomes, PriorLine};

/// The change one decided claim makes to its (payer, patient) history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryUpdate {
    /// Payer id.
    pub payer: String,
    /// Patient id.
    pub patient: String,
    /// Claims whose lines are removed first: the claim's own id and the one it replaces.
    pub remove_claims: Vec<String>,
    /// Lines added (none for a void).
    pub insert: Vec<PriorLine>,
    /// The engine's look-back in days (`None`: keep every date).
    pub look_back_days: Option<u32>,
    /// Most lines kept for the patient.
    pub max_lines: usize,
}

impl HistoryUpdate {
    /// The update for `claim` decided as `decision`.
    pub fn of(
        claim: &Claim,
        decision: &Decision,
        look_back_days: Option<u32>,
        max_lines: usize,
    ) -> Self {
        let mut remove_claims = vec![claim.id.clone()];
        if let Some(replaced) = &claim.replaces {
            if replaced != &claim.id {
                remove_claims.push(replaced.clone());
            }
        }
        let insert = if claim.frequency == Some(Frequency::Void) {
            Vec::new()
        } else {
            PriorLine::of_claim(claim, decision.line_outcomes()).collect()
        };
        Self {
            payer: claim.payer.clone(),
            patient: claim.patient.clone(),
            remove_claims,
            insert,
            look_back_days,
            max_lines,
        }
    }

    /// Applies the update to a patient's lines held in decided order.
    pub fn apply(&self, lines: &mut Vec<PriorLine>) {
        lines.retain(|line| !self.remove_claims.iter().any(|c| **c == *line.claim));
        lines.extend(self.insert.iter().cloned());
        if let Some(cutoff) = self.cutoff_days(lines.iter().map(|l| l.date.days_since_epoch())) {
            lines.retain(|line| line.date.days_since_epoch() >= cutoff);
        }
        if lines.len() > self.max_lines {
            let excess = lines.len() - self.max_lines;
            lines.drain(..excess);
        }
    }

    /// The earliest date (days since 1970) kept, given the dates held after the insert.
    pub fn cutoff_days(&self, dates: impl Iterator<Item = i32>) -> Option<i32> {
        let days = i32::try_from(self.look_back_days?).unwrap_or(i32::MAX);
        dates.max().map(|newest| newest.saturating_sub(days))
    }
}
