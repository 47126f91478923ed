//! What a check returns: a decision per line, with findings, reason codes and explanations.
//!
//! These types are the stable JSON contract (see the README): field names and enum spellings
//! here are what integrators parse.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use crate::facts::Outcome;
use crate::facts::{Carc, LineOutcomes, ProcedureCode, Rarc};

/// What a finding asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingOutcome {
    /// Deny the line.
    Deny,
    /// Hold the line for review.
    Review,
    /// Information only; never changes the outcome.
    Advice,
}

impl FindingOutcome {
    /// The finding outcome of a rule's outcome keyword.
    pub(crate) fn of(kind: crate::ir::OutcomeKind) -> Self {
        match kind {
            crate::ir::OutcomeKind::Deny => Self::Deny,
            crate::ir::OutcomeKind::Review => Self::Review,
            crate::ir::OutcomeKind::Advice => Self::Advice,
        }
    }

    /// The line outcome this finding imposes, if any.
    pub fn severity(self) -> Option<Outcome> {
        match self {
            Self::Deny => Some(Outcome::Deny),
            Self::Review => Some(Outcome::Review),
            Self::Advice => None,
        }
    }
}

/// Which policy pack decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyRef {
    /// Pack id.
    pub pack: Arc<str>,
    /// Pack version.
    pub version: Arc<str>,
    /// `sha256:` digest of the pack's manifest and policy files (and its bases').
    pub digest: Arc<str>,
}

/// A decision for one claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Claim id.
    pub claim: String,
    /// Payer id.
    pub payer: String,
    /// The pack that decided.
    pub policy: PolicyRef,
    /// The most severe line outcome.
    pub outcome: Outcome,
    /// One entry per claim line, in claim order.
    pub lines: Vec<LineDecision>,
}

/// A decision for one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineDecision {
    /// Line number.
    pub number: u32,
    /// Procedure code.
    pub code: ProcedureCode,
    /// The most severe finding's outcome (advice never counts).
    pub outcome: Outcome,
    /// Rules that fired (or could not be evaluated), in pack order.
    pub findings: Vec<Finding>,
    /// Payment estimate, for lines not denied when the pack has a fee schedule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimate: Option<super::estimate::Estimate>,
}

/// One rule's finding on a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// `policy/rule`.
    pub rule: Arc<str>,
    /// Deny, review or advice.
    pub outcome: FindingOutcome,
    /// Claim adjustment reason code.
    pub carc: Option<Carc>,
    /// Remark codes.
    pub rarc: Arc<[Rarc]>,
    /// What to fix.
    pub message: Arc<str>,
    /// Where the rule comes from.
    pub citation: Option<Arc<str>>,
    /// A code to bill instead (review findings).
    pub suggested_code: Option<ProcedureCode>,
    /// Clause-level trace, when explanations were asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
}

/// Why a rule fired: each evaluated clause and each report fact read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// Clauses in evaluation order (short-circuited clauses are absent).
    pub clauses: Vec<ClauseTrace>,
    /// Report facts read.
    pub facts: Vec<FactTrace>,
}

/// A clause and its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClauseTrace {
    /// The clause as written in the policy.
    pub clause: String,
    /// `true`, `false`, or `null` when unknown (a report fact was missing).
    pub value: Option<bool>,
    /// `file:line:col` of the clause.
    pub at: String,
}

/// A report fact that was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactTrace {
    /// Fact name.
    pub fact: String,
    /// Its value; `null` when unknown.
    pub value: Option<bool>,
    /// Where the value came from.
    pub source: String,
}

impl LineOutcomes for Decision {
    fn line_outcomes(&self) -> impl Iterator<Item = Outcome> + '_ {
        self.lines.iter().map(|line| line.outcome)
    }
}
