//! `--explain` on general payer policies: the explanation of a rule using a time window, the
//! patient's age, a taxonomy set, a rendering-provider filter or `known(...)` lists each
//! clause as written with the value it had on this claim (unknown as `null`).
//!
//! The claims are decided against the synthetic pack of general policies
//! (`payerlex::testing::synthetic_packs`, pack `syn-general`), through the public API.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use payerlex::testing::synthetic_packs;
use payerlex::{
    CheckOptions, Claim, Date, Decision, Engine, Finding, InMemoryHistory, Line, Npi, Outcome,
    PlaceOfService, PriorLine, ProcedureCode, Provider, ProviderRole, Rendering, Taxonomy,
};

const BILLING: &str = "1234567893";
const RADIOLOGIST: &str = "1245319599";

fn engine() -> Engine {
    Engine::from_sources(&synthetic_packs())
        .unwrap_or_else(|e| panic!("synthetic packs do not load:\n{}", e.render()))
}

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn code(s: &str) -> ProcedureCode {
    ProcedureCode::parse(s).unwrap()
}

fn npi(s: &str) -> Npi {
    Npi::parse(s).unwrap()
}

/// A 76377 line on 2026-03-10 for a patient born 2008-03-11 (17, one day short of 18),
/// rendered by a radiologist's NPI under a family-medicine taxonomy.
fn claim() -> Claim {
    let mut line = Line::new(1, code("76377"), 1, date("2026-03-10"));
    line.rendering = Some(Rendering {
        npi: npi(RADIOLOGIST),
        taxonomy: Some(Taxonomy::parse("207Q00000X").unwrap()),
    });
    let mut claim = Claim::new(
        "C1",
        "syn-general",
        "P1",
        Provider::new(npi(BILLING), ProviderRole::Professional),
        PlaceOfService::OFFICE,
        vec![line],
    );
    claim.patient_birth_date = Some(date("2008-03-11"));
    claim
}

/// A 76376 rendered by the same radiologist seven days before (the edge of `within 7 days
/// before`), billed by another provider.
fn history() -> InMemoryHistory {
    let mut prior = PriorLine::new(
        "H1",
        1,
        code("76376"),
        1,
        date("2026-03-03"),
        npi("9876543213"),
        Outcome::Allow,
    );
    prior.rendering_npi = npi(RADIOLOGIST);
    let mut history = InMemoryHistory::new();
    history.push("syn-general", "P1", prior);
    history
}

fn explained(claim: &Claim, history: &InMemoryHistory) -> Decision {
    engine()
        .check_with(claim, history, CheckOptions { explain: true })
        .unwrap()
}

fn finding<'a>(decision: &'a Decision, rule: &str) -> &'a Finding {
    decision.lines[0]
        .findings
        .iter()
        .find(|f| &*f.rule == rule)
        .unwrap_or_else(|| panic!("{rule} did not fire: {decision:#?}"))
}

/// The clauses of a finding's explanation, as (clause, value).
fn clauses(finding: &Finding) -> Vec<(String, Option<bool>)> {
    finding
        .explanation
        .as_ref()
        .expect("an explanation")
        .clauses
        .iter()
        .map(|c| (c.clause.clone(), c.value))
        .collect()
}

fn has(finding: &Finding, clause: &str, value: Option<bool>) {
    let all = clauses(finding);
    assert!(
        all.iter().any(|(c, v)| c == clause && *v == value),
        "{}: no clause `{clause}` = {value:?} in {all:#?}",
        finding.rule
    );
}

#[test]
fn an_age_rule_shows_the_age_comparison_and_its_value() {
    let decision = explained(&claim(), &history());
    let adults = finding(&decision, "syn.people/adults-only");
    has(adults, "line.code in three_d", Some(true));
    has(adults, "patient.age < 18", Some(true));
}

#[test]
fn a_taxonomy_rule_shows_the_set_test_as_written() {
    let decision = explained(&claim(), &history());
    let radiologist = finding(&decision, "syn.people/radiologist");
    has(radiologist, "line.code = 76377", Some(true));
    has(
        radiologist,
        "not line.rendering.taxonomy in radiology",
        Some(true),
    );
}

#[test]
fn a_window_rule_shows_its_aggregate_with_window_and_provider_filter() {
    let decision = explained(&claim(), &history());
    let same = finding(&decision, "syn.history/same-radiologist");
    has(
        same,
        "count lines in claim or history within 7 days before by same rendering provider where code in three_d >= 1",
        Some(true),
    );
}

#[test]
fn an_unknown_clause_is_null_and_known_is_never_unknown() {
    // Without a taxonomy for whoever rendered the line, the taxonomy test is unknown and the
    // rule is held for review (`when unknown review`).
    let mut claim = claim();
    claim.lines[0].rendering = Some(Rendering {
        npi: npi(RADIOLOGIST),
        taxonomy: None,
    });
    claim.patient_birth_date = None;
    let decision = explained(&claim, &history());
    let radiologist = finding(&decision, "syn.people/radiologist");
    has(
        radiologist,
        "not line.rendering.taxonomy in radiology",
        None,
    );
    let adults = finding(&decision, "syn.people/adults-only");
    has(adults, "patient.age < 18", None);
    // `known(...)` is true or false, never unknown: 76376 has no row in the unit table.
    claim.lines[0].code = code("76376");
    let decision = explained(&claim, &history());
    let no_limit = finding(&decision, "syn.people/no-unit-limit");
    has(no_limit, "not known(mue[line.code].value)", Some(true));
}
