//! What a check returns: a decision per line, with findings, reason codes and explanations.
//!
//! These types are the stable JSON contract (see the README): field names and enum spellings
//! here are what integrators parse.

use std::sync::Arc;

use compact_str::CompactString;
use serde::{Deserialize, Serialize};

use super::audit::{DecisionId, Timestamp};
pub use crate::facts::Outcome;
use crate::facts::{Carc, GroupCode, LineOutcomes, ProcedureCode, Rarc};

/// What a finding asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingOutcome {
    /// Deny the line.
    Deny,
    /// Hold the line for review.
    Review,
    /// Information only; never changes the outcome.
    Advice,
    /// A line of an earlier claim should now be denied (the payer recoups it); never changes
    /// the outcome of the claim being decided.
    AdjustPrior,
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
            Self::Advice | Self::AdjustPrior => None,
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
    /// `sha256:` digest of the pack's manifest, policy files and table data (and its bases').
    pub digest: Arc<str>,
}

impl PolicyRef {
    /// Whether `other` shares this reference's strings (a clone of it): cheaper than
    /// comparing their text.
    pub(crate) fn is_same(&self, other: &PolicyRef) -> bool {
        Arc::ptr_eq(&self.pack, &other.pack)
            && Arc::ptr_eq(&self.version, &other.version)
            && Arc::ptr_eq(&self.digest, &other.digest)
    }
}

/// A decision for one claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// This decision's id: the same claim decided by the same pack (policies and tables) always
    /// gets the same id.
    pub id: DecisionId,
    /// When it was made: stamped by the host that records it (the CLI, the service);
    /// [`crate::Engine::check`] itself is pure and leaves it empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<Timestamp>,
    /// Claim id (held inline up to 24 bytes, so a decision allocates nothing for it).
    pub claim: CompactString,
    /// Payer id (shared with the pack that decided: the payer id picks the pack).
    pub payer: Arc<str>,
    /// The pack that decided.
    pub policy: PolicyRef,
    /// The most severe line outcome.
    pub outcome: Outcome,
    /// One entry per claim line, in claim order.
    pub lines: Vec<LineDecision>,
    /// Lines of the patient's earlier claims that this claim makes wrong (a surgery whose
    /// global period covers an E/M paid last week): each names the line, the rule and the
    /// CARC, so the payer can recoup. Ordered by earlier claim id, line number, then rule id
    /// (see [`PriorAdjustment::canonical_order`]), whatever order history arrived in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adjustments: Vec<PriorAdjustment>,
    /// Problems with the claim that do not stop the decision (a stated report fact that no
    /// policy of the pack reads, probably misspelt).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// An `adjust_prior` finding: a line of an earlier claim and the rule it now fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorAdjustment {
    /// The earlier claim's id.
    pub claim: String,
    /// Its line number.
    pub line: u32,
    /// That line's procedure code.
    pub code: ProcedureCode,
    /// The rule, CARC and message (outcome `adjust_prior`).
    #[serde(flatten)]
    pub finding: Finding,
}

impl PriorAdjustment {
    /// Puts adjustments in the order a decision reports them: earlier claim id, line number,
    /// rule id. History may reach the engine in any order (a store sorted by date, a budget
    /// that keeps the nearest lines), so the order is fixed here rather than inherited.
    pub fn canonical_order(adjustments: &mut [PriorAdjustment]) {
        adjustments.sort_by(|a, b| {
            (a.claim.as_str(), a.line, &*a.finding.rule).cmp(&(
                b.claim.as_str(),
                b.line,
                &*b.finding.rule,
            ))
        });
    }
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
    /// Deny, review, advice, or adjust_prior (on an earlier claim's line).
    pub outcome: FindingOutcome,
    /// Who bears the adjustment (CO, PR, OA, PI) of a deny, review or adjust_prior finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupCode>,
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
    /// Clause-level trace, when explanations were asked for (boxed: most findings have
    /// none, and a smaller finding is cheaper to move).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Box<Explanation>>,
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

    fn adjusted_lines(&self) -> impl Iterator<Item = (&str, u32)> + '_ {
        self.adjustments
            .iter()
            .map(|adjustment| (adjustment.claim.as_str(), adjustment.line))
    }
}
