//! History: earlier claims of the same patient inform later ones.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use payerlex::InMemoryHistory;
use payerlex::Outcome;

const MUE: &str = "policy test.p\nversion 1.0.0\nrule mue\n  cite \"CMS MUE, MAI 3\"\n  when line.code = 76377 and (sum units of lines in claim or history on same date where code = line.code) > 2\n  deny carc 151 rarc N362 \"units over the MUE\"\nrule duplicate-component\n  cite \"PC/TC\"\n  when line.code = 76377 and any earlier line in claim or history on same date by same provider where code = line.code and has modifier 26 and line has modifier 26\n  deny carc 18 \"professional component already billed\"\n";

#[test]
fn units_add_up_across_claims_of_the_same_patient() {
    let engine = engine(MUE);
    let mut history = InMemoryHistory::new();
    let first = claim(&line(1, "76377", &["TC"], 2, "2026-03-02"), "");
    let d1 = engine.check(&first, &history).unwrap();
    assert_eq!(d1.outcome, Outcome::Allow);
    history.record(&first, &d1);
    let mut second = claim(&line(1, "76377", &["TC"], 1, "2026-03-02"), "");
    second.id = "C2".into();
    let d2 = engine.check(&second, &history).unwrap();
    assert_eq!(d2.outcome, Outcome::Deny, "2 earlier + 1 now > 2");
    let mut other_patient = second.clone();
    other_patient.patient = "P2".into();
    assert_eq!(
        engine.check(&other_patient, &history).unwrap().outcome,
        Outcome::Allow
    );
    let mut other_day = second.clone();
    other_day.lines[0].date = payerlex::Date::parse("2026-03-03").unwrap();
    assert_eq!(
        engine.check(&other_day, &history).unwrap().outcome,
        Outcome::Allow
    );
}

#[test]
fn denied_history_lines_do_not_count() {
    let engine = engine(MUE);
    let mut history = InMemoryHistory::new();
    let first = claim(&line(1, "76377", &[], 3, "2026-03-02"), "");
    let d1 = engine.check(&first, &history).unwrap();
    assert_eq!(d1.outcome, Outcome::Deny);
    history.record(&first, &d1);
    let second = claim(&line(1, "76377", &[], 1, "2026-03-02"), "");
    assert_eq!(
        engine.check(&second, &history).unwrap().outcome,
        Outcome::Allow
    );
}

#[test]
fn same_provider_filters_history() {
    let engine = engine(MUE);
    let mut history = InMemoryHistory::new();
    let mut first = claim(&line(1, "76377", &["26"], 1, "2026-03-02"), "");
    first.provider.npi = payerlex::Npi::parse("1245319599").unwrap();
    let d1 = engine.check(&first, &history).unwrap();
    history.record(&first, &d1);
    let second = claim(&line(1, "76377", &["26"], 1, "2026-03-02"), "");
    assert_eq!(
        engine.check(&second, &history).unwrap().outcome,
        Outcome::Allow,
        "another provider's -26"
    );
    let mut third = second.clone();
    third.provider.npi = first.provider.npi;
    let d3 = engine.check(&third, &history).unwrap();
    assert_eq!(d3.outcome, Outcome::Deny);
    assert_eq!(fired(&d3, 0), vec!["test.p/duplicate-component"]);
}
