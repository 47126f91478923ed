//! The result of a diff, as data: what was compared, how many lines changed, and one
//! explained example per kind of change.
//!
//! These types are the `--format json` contract (they derive `Serialize` and nothing else
//! reads them in between), so they hold only plain values; the text rendering
//! (`render.rs`) and the tallying (`tally.rs`) build on them without changing them.

use serde::Serialize;

use super::super::change::{RuleDelta, Verdict};
use super::super::scope::ScopeShape;
use crate::eval::LineDecision;
use crate::facts::{Claim, PriorLine};

/// A pack version, as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackSummary {
    /// Pack id.
    pub id: String,
    /// Version.
    pub version: String,
    /// Digest of its files.
    pub digest: String,
    /// Where it was loaded from.
    pub origin: String,
    /// Number of linked rules.
    pub rules: usize,
}

/// Claims of one source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhaseSummary {
    /// Claims compared.
    pub claims: u64,
    /// Lines whose verdict changed.
    pub changed_lines: u64,
    /// Claims not compared (corpus: unreadable, invalid or another payer's).
    pub skipped: u64,
    /// Wall time in milliseconds.
    pub elapsed_ms: u64,
}

/// The exhaustive scope, as run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExhaustiveSummary {
    /// Its dimensions (and size).
    pub shape: Option<ScopeShape>,
    /// `changed` (classes of the rules that differ) or `all` (of every rule).
    pub rules: String,
    /// Claims checked.
    pub checked: u64,
    /// Whether every claim of the scope was checked (a proof for the scope).
    pub complete: bool,
    /// Lines whose verdict changed.
    pub changed_lines: u64,
    /// Wall time in milliseconds.
    pub elapsed_ms: u64,
}

/// The smallest example of a kind of change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Example {
    /// The claim.
    pub claim: Claim,
    /// The patient's earlier lines.
    pub history: Vec<PriorLine>,
    /// Number of the changed line.
    pub line: u32,
    /// How the old version decided the line, explained.
    pub old: LineDecision,
    /// How the new version decided it, explained.
    pub new: LineDecision,
    /// Patient data replaced by placeholders before showing (see `withhold_phi`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub withheld: Vec<String>,
}

/// One kind of change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeReport {
    /// `old verdict -> new verdict`, as `--expect` `kind` matches it.
    pub kind: String,
    /// Old verdict.
    pub from: Verdict,
    /// New verdict.
    pub to: Verdict,
    /// Changed lines of this kind, all sources.
    pub lines: u64,
    /// ... among generated claims.
    pub generated: u64,
    /// ... in the exhaustive scope.
    pub exhaustive: u64,
    /// ... in the corpus.
    pub corpus: u64,
    /// Lines no expectation declares.
    pub undeclared: u64,
    /// Codes of the changed lines (up to 20).
    pub codes: Vec<String>,
    /// The smallest example (an undeclared one when there is one).
    pub example: Option<Example>,
}

/// One declared change and how many changed lines it covered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpectationReport {
    /// The entry, as written.
    pub change: String,
    /// The author's note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Changed lines it declared.
    pub matched: u64,
}

/// The result of a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffReport {
    /// The old version.
    pub old: PackSummary,
    /// The new version.
    pub new: PackSummary,
    /// How their rules relate.
    pub rules: RuleDelta,
    /// Generated claims.
    pub generated: Option<PhaseSummary>,
    /// Generator seed.
    pub seed: u64,
    /// The exhaustive scope.
    pub exhaustive: Option<ExhaustiveSummary>,
    /// The replay corpus.
    pub corpus: Option<PhaseSummary>,
    /// Kinds of change, undeclared first, then most frequent.
    pub changes: Vec<ChangeReport>,
    /// Declared changes.
    pub expectations: Vec<ExpectationReport>,
}

impl DiffReport {
    /// Changed lines that no expectation declares.
    pub fn undeclared(&self) -> u64 {
        self.changes.iter().map(|c| c.undeclared).sum()
    }

    /// Whether anything changed at all.
    pub fn changed(&self) -> bool {
        !self.changes.is_empty()
    }
}
