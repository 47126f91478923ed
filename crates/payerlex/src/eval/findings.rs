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

/// The advice on a line whose date of service no rule of the pack is in force on (before
/// the pack's first effective date, after its last, or between its rules' ranges): the line
/// was not checked, and the decision says so instead of a bare `allow`.
pub(crate) fn no_policy_in_force(pack: &str) -> Finding {
    Finding {
        rule: Arc::from(format!("{pack}/no-policy-in-force")),
        outcome: FindingOutcome::Advice,
        group: None,
        carc: None,
        rarc: Arc::from([]),
        message: Arc::from(
            "no rule of this pack is in force on the line's date of service: the line was not \
             checked (see the pack's effective dates)",
        ),
        citation: Some(Arc::from(
            "the effective dates of the pack's manifest and policies",
        )),
        suggested_code: None,
        explanation: None,
    }
}

/// The warning for a report fact the claim states that no policy of the pack reads. The
/// fact's name is quoted only when it reads as a field name: the key is the sender's text.
pub(crate) fn unread_fact_warning(name: &str) -> String {
    let shown = if crate::redact::is_field_name(name) {
        name
    } else {
        "?"
    };
    format!("report.facts.{shown}: no policy of this pack reads this fact (misspelt?)")
}
