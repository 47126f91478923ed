//! The shipped `medicare` pack's fee-schedule families beyond what pack tests can say: a
//! surgery that arrives after its visit was paid reports the visit as `adjust_prior`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use payerlex::{Engine, FindingOutcome, InMemoryHistory, Outcome};

fn engine() -> Engine {
    load(&policies_dir())
}

/// Decides `first`, records it in the patient's history, then decides `second` against it.
fn after(engine: &Engine, first: &ClaimSpec, second: &ClaimSpec) -> payerlex::Decision {
    let mut history = InMemoryHistory::new();
    let first = first.build();
    let decided = engine.check(&first, &history).unwrap();
    assert_eq!(decided.outcome, Outcome::Allow, "{decided:?}");
    history.record(&first, &decided);
    engine.check(&second.build(), &history).unwrap()
}

#[test]
fn a_surgery_after_its_paid_visit_adjusts_the_visit() {
    let engine = engine();
    // The visit the day before a 090 surgery (synthetic 09001), paid when it arrived alone.
    let visit = claim("medicare")
        .id("VISIT")
        .line(line("99213").date("2026-03-01"));
    let surgery = claim("medicare")
        .id("SURGERY")
        .line(line("09001").date("2026-03-02"));
    let d = after(&engine, &visit, &surgery);
    assert_eq!(d.lines[0].outcome, Outcome::Allow);
    assert_eq!(d.adjustments.len(), 1, "{:?}", d.adjustments);
    let adjustment = &d.adjustments[0];
    assert_eq!((adjustment.claim.as_str(), adjustment.line), ("VISIT", 1));
    assert_eq!(adjustment.code.to_string(), "99213");
    assert_eq!(adjustment.finding.outcome, FindingOutcome::AdjustPrior);
    assert_eq!(
        &*adjustment.finding.rule,
        "medicare.global-surgery/em-in-global-period"
    );
    assert_eq!(
        adjustment.finding.carc.map(|c| c.to_string()).as_deref(),
        Some("97")
    );
}

#[test]
fn no_adjustment_for_a_decision_visit_or_a_code_without_a_global_period() {
    let engine = engine();
    // 57 marks the visit where the decision to operate was made: it stays paid.
    let visit = claim("medicare")
        .id("VISIT")
        .line(line("99213").date("2026-03-01").modifiers(&["57"]));
    let surgery = claim("medicare")
        .id("SURGERY")
        .line(line("09001").date("2026-03-02"));
    assert!(after(&engine, &visit, &surgery).adjustments.is_empty());
    // 09005 is ZZZ: no global period of its own.
    let visit = claim("medicare")
        .id("VISIT")
        .line(line("99213").date("2026-03-02"));
    let add_on = claim("medicare")
        .id("ADDON")
        .line(line("09005").date("2026-03-02"));
    assert!(after(&engine, &visit, &add_on).adjustments.is_empty());
}
