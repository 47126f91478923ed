//! Outcomes as facts: how a line was decided.
//!
//! Evaluation produces outcomes, but the patient's history records them too (a denied line
//! was not paid, so later edits do not count it), so the type lives with the claim model and
//! the history depends on nothing above it.

use serde::{Deserialize, Serialize};

/// A line's or claim's outcome, ordered by severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Pay.
    Allow,
    /// Hold for a coder.
    Review,
    /// Do not pay.
    Deny,
}

/// What a history needs of a decision: each line's outcome, in claim order. Implemented by
/// `Decision`, so a host writes `history.record(&claim, &decision)`.
pub trait LineOutcomes {
    /// Each line's outcome, in the claim's line order.
    fn line_outcomes(&self) -> impl Iterator<Item = Outcome> + '_;

    /// Lines of earlier claims (claim id, line number) the decision says to take back
    /// (`adjust_prior`): a history records them as denied, so later claims no longer count
    /// them as paid.
    fn adjusted_lines(&self) -> impl Iterator<Item = (&str, u32)> + '_ {
        std::iter::empty()
    }
}
