//! How a rule's result becomes a finding: fired, or not decidable for lack of data.
//!
//! Both the engine and the reference interpreter build findings here, so the two can only
//! disagree on *whether* a rule fires, never on how a finding reads.

use std::sync::Arc;

use super::decision::{Finding, FindingOutcome};
use crate::facts::{Carc, Claim, GroupCode};
use crate::ir::{Needs, OnUnknown, OutcomeKind, RuleOutcome};

/// The finding of a rule whose condition holds.
pub(crate) fn fired(
    rule: &Arc<str>,
    outcome: &RuleOutcome,
    citation: &Option<Arc<str>>,
) -> Finding {
    let kind = FindingOutcome::of(outcome.kind);
    Finding {
        rule: rule.clone(),
        outcome: kind,
        group: (kind != FindingOutcome::Advice).then_some(outcome.group),
        carc: outcome.carc,
        rarc: outcome.rarcs.clone(),
        message: outcome.message.clone(),
        citation: citation.clone(),
        suggested_code: outcome.suggest,
        explanation: None,
    }
}

/// The finding of a rule whose condition is unknown (data missing): advice "not evaluated"
/// by default, or a review or denial as the rule's `when unknown` says.
pub(crate) fn unknown(
    rule: &Arc<str>,
    outcome: &RuleOutcome,
    citation: &Option<Arc<str>>,
    on_unknown: OnUnknown,
    needs: Needs,
    claim: &Claim,
) -> Finding {
    let why = needs.missing(claim);
    let (kind, carc, rarc, message) = match on_unknown {
        OnUnknown::Advice => (
            FindingOutcome::Advice,
            None,
            Arc::from([]),
            format!("not evaluated: {why} (rule: {})", outcome.message),
        ),
        OnUnknown::Review => (
            FindingOutcome::Review,
            // A hold for missing data is not the denial the rule would make: no CARC unless
            // the rule itself is a review with one.
            match outcome.kind {
                OutcomeKind::Review => outcome.carc,
                _ => None,
            },
            match outcome.kind {
                OutcomeKind::Review => outcome.rarcs.clone(),
                _ => Arc::from([]),
            },
            format!("held for review: {why} (rule: {})", outcome.message),
        ),
        OnUnknown::Deny => (
            FindingOutcome::Deny,
            match outcome.kind {
                OutcomeKind::Deny => outcome.carc,
                _ => None,
            }
            .or(Carc::parse("16").ok()),
            outcome.rarcs.clone(),
            format!("denied until provided: {why} (rule: {})", outcome.message),
        ),
    };
    Finding {
        rule: rule.clone(),
        outcome: kind,
        group: (kind != FindingOutcome::Advice).then_some(GroupCode::CO),
        carc,
        rarc,
        message: Arc::from(message),
        citation: citation.clone(),
        suggested_code: None,
        explanation: None,
    }
}
