//! How a rule's result becomes a finding: fired, or not decidable for lack of data.
//!
//! Both the engine and the reference interpreter build findings here, so the two can only
//! disagree on *whether* a rule fires, never on how a finding reads.

use std::sync::Arc;

use super::decision::{Finding, FindingOutcome};
use crate::facts::{Carc, Claim, GroupCode, Rarc};
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
/// by default, or a review or denial as the rule's `when unknown` says. (The reference
/// interpreter's way: it renders the message from the claim every time, where the engine
/// shares one per rule and [`ClaimShape`].)
#[cfg(feature = "testing")]
pub(crate) fn unknown(
    rule: &Arc<str>,
    outcome: &RuleOutcome,
    citation: &Option<Arc<str>>,
    on_unknown: OnUnknown,
    needs: Needs,
    claim: &Claim,
) -> Finding {
    let message = render_unknown(outcome, on_unknown, &needs.missing(claim));
    unknown_with_message(rule, outcome, citation, on_unknown, Arc::from(message))
}

/// What of a claim decides a "not evaluated" message: whether it has a report, a patient
/// birth date and a patient sex (all that [`Needs::missing`] reads). Eight shapes, so the
/// engine renders each rule's message at most eight times (see `CompiledRule`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ClaimShape(u8);

impl ClaimShape {
    /// How many shapes there are.
    pub(crate) const COUNT: usize = 8;

    /// The shape of `claim`.
    pub(crate) fn of(claim: &Claim) -> Self {
        Self(
            u8::from(claim.report.is_some())
                | u8::from(claim.patient_birth_date.is_some()) << 1
                | u8::from(claim.patient_sex.is_some()) << 2,
        )
    }

    /// Its index in `0..COUNT`.
    pub(crate) fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// The message of an unknown finding on a claim of `shape`.
pub(crate) fn unknown_message(
    outcome: &RuleOutcome,
    on_unknown: OnUnknown,
    needs: Needs,
    shape: ClaimShape,
) -> String {
    let why = needs.missing_given(shape.0 & 1 != 0, shape.0 & 2 != 0, shape.0 & 4 != 0);
    render_unknown(outcome, on_unknown, &why)
}

/// "not evaluated: {why} (rule: ...)" and its review and denial forms.
fn render_unknown(outcome: &RuleOutcome, on_unknown: OnUnknown, why: &str) -> String {
    match on_unknown {
        OnUnknown::Advice => format!("not evaluated: {why} (rule: {})", outcome.message),
        OnUnknown::Review => format!("held for review: {why} (rule: {})", outcome.message),
        OnUnknown::Deny => format!("denied until provided: {why} (rule: {})", outcome.message),
    }
}

/// An empty remark list, shared (`Arc::from([])` allocates a reference count each time).
fn no_rarcs() -> Arc<[Rarc]> {
    static EMPTY: std::sync::OnceLock<Arc<[Rarc]>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| Arc::from([])).clone()
}

/// [`unknown`] with its message already rendered.
pub(crate) fn unknown_with_message(
    rule: &Arc<str>,
    outcome: &RuleOutcome,
    citation: &Option<Arc<str>>,
    on_unknown: OnUnknown,
    message: Arc<str>,
) -> Finding {
    let (kind, carc, rarc) = match on_unknown {
        OnUnknown::Advice => (FindingOutcome::Advice, None, no_rarcs()),
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
                _ => no_rarcs(),
            },
        ),
        OnUnknown::Deny => (
            FindingOutcome::Deny,
            match outcome.kind {
                OutcomeKind::Deny => outcome.carc,
                _ => None,
            }
            .or(Carc::parse("16").ok()),
            outcome.rarcs.clone(),
        ),
    };
    Finding {
        rule: rule.clone(),
        outcome: kind,
        group: (kind != FindingOutcome::Advice).then_some(GroupCode::CO),
        carc,
        rarc,
        message,
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
        rarc: no_rarcs(),
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
