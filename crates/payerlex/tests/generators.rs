//! The claim generators reach what general payer policies read.
//!
//! The differential test only means something if the generated claims vary what the rules
//! read: a patient just under and just over each age threshold, each sex, taxonomies in and
//! out of each set, rendering providers equal to and different from the billing one,
//! authorisations that do and do not cover a line, history lines at each edge of each window,
//! replacements of a history claim. These tests draw claims for the synthetic pack of general
//! policies and check each of those shows up, that every claim is valid, and that shrinking
//! still ends at a one-line claim.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use payerlex::testing::{cases, synthetic_packs, Case};
use payerlex::{Engine, Frequency, InMemoryHistory, PlaceOfService, ProviderRole};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

fn engine() -> Engine {
    Engine::from_sources(&synthetic_packs())
        .unwrap_or_else(|e| panic!("synthetic packs do not load:\n{}", e.render()))
}

fn runner() -> TestRunner {
    TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    )
}

fn drawn(engine: &Engine, id: &str, n: usize) -> Vec<Case> {
    let pack = engine.pack(id).unwrap();
    let strategy = cases(pack);
    let mut runner = runner();
    (0..n)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect()
}

#[test]
fn general_claims_vary_everything_the_rules_read() {
    let engine = engine();
    let cases = drawn(&engine, "syn-general", 3000);
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut ages: BTreeSet<u32> = BTreeSet::new();
    let mut history_offsets: BTreeSet<i32> = BTreeSet::new();
    for case in &cases {
        let claim = &case.claim;
        assert!(claim.validate().is_ok(), "invalid claim {claim:?}");
        let mut mark = |what: &'static str, when: bool| {
            if when {
                seen.insert(what);
            }
        };
        mark("no birth date", claim.patient_birth_date.is_none());
        mark("no sex", claim.patient_sex.is_none());
        for sex in ["F", "M", "U"] {
            mark(sex, claim.patient_sex.is_some_and(|s| s.as_str() == sex));
        }
        mark("billing taxonomy", claim.provider.taxonomy.is_some());
        mark(
            "other billing npi",
            claim.provider.npi.to_string() != "1234567893",
        );
        mark("claim rendering", claim.rendering.is_some());
        mark("authorisations", !claim.authorizations.is_empty());
        mark(
            "replacement",
            claim.frequency == Some(Frequency::Replacement),
        );
        mark("void", claim.frequency == Some(Frequency::Void));
        for line in &claim.lines {
            if let Some(age) = claim.patient_age(line) {
                ages.insert(age.years);
            }
            let rendering = claim.rendering_npi(line);
            mark(
                "rendered by the billing npi",
                line.rendering.is_some_and(|r| r.npi == claim.provider.npi),
            );
            mark("rendered by another npi", rendering != claim.provider.npi);
            mark(
                "radiologist",
                claim
                    .rendering_taxonomy(line)
                    .is_some_and(|t| t.as_str() == "2085R0202X"),
            );
            mark(
                "other specialty",
                claim
                    .rendering_taxonomy(line)
                    .is_some_and(|t| !t.as_str().starts_with("2085")),
            );
            mark("authorised line", claim.line_authorized(line));
            mark(
                "unauthorised line despite an authorisation",
                !claim.authorizations.is_empty() && !claim.line_authorized(line),
            );
            for prior in &case.history {
                let offset = prior.date.days_since_epoch() - line.date.days_since_epoch();
                history_offsets.insert(offset);
            }
        }
        for prior in &case.history {
            mark(
                "history at a facility",
                prior.place_of_service != PlaceOfService::OFFICE,
            );
            mark(
                "history by a facility",
                prior.role == ProviderRole::Facility,
            );
            mark(
                "history rendered elsewhere",
                prior.rendering_npi != prior.npi,
            );
            mark("history taxonomy", prior.rendering_taxonomy.is_some());
            mark("history diagnoses", prior.diagnoses.iter().next().is_some());
            mark(
                "history by another provider",
                prior.npi != claim.provider.npi,
            );
        }
        mark(
            "replaces a claim of the history",
            claim
                .replaces
                .as_deref()
                .is_some_and(|r| case.history.iter().any(|p| &*p.claim == r)),
        );
    }
    let expected = [
        "no birth date",
        "no sex",
        "F",
        "M",
        "U",
        "billing taxonomy",
        "other billing npi",
        "claim rendering",
        "authorisations",
        "replacement",
        "void",
        "rendered by the billing npi",
        "rendered by another npi",
        "radiologist",
        "other specialty",
        "authorised line",
        "unauthorised line despite an authorisation",
        "history at a facility",
        "history by a facility",
        "history rendered elsewhere",
        "history taxonomy",
        "history diagnoses",
        "history by another provider",
        "replaces a claim of the history",
    ];
    let missing: Vec<&str> = expected
        .iter()
        .copied()
        .filter(|e| !seen.contains(e))
        .collect();
    assert!(missing.is_empty(), "never generated: {missing:?}");
    // Ages on each side of the thresholds of `patient.age < 18`, `< 40`, `>= 19`.
    for age in [17, 18, 19, 39, 40, 41] {
        assert!(ages.contains(&age), "no patient aged {age}: {ages:?}");
    }
    // History lines at each edge of `within 90 days before`, `within 1 day after`,
    // `within 3 days` and `within 7 days before`, and on the same date.
    for offset in [-91, -90, -89, -8, -7, -6, -4, -3, 0, 1, 2, 3, 4] {
        assert!(
            history_offsets.contains(&offset),
            "no history line {offset} days from a line"
        );
    }
}

/// A deny rule reading other claims, a history line it now applies to: some generated claims
/// adjust an earlier claim, and some are replacements whose replaced claim no longer counts.
#[test]
fn general_claims_produce_prior_adjustments() {
    let engine = engine();
    let cases = drawn(&engine, "syn-general", 3000);
    let mut adjusted = BTreeSet::new();
    for case in &cases {
        let history: InMemoryHistory = case.in_memory_history();
        let decision = engine.check(&case.claim, &history).unwrap();
        adjusted.extend(
            decision
                .adjustments
                .iter()
                .map(|a| a.finding.rule.to_string()),
        );
    }
    // A window in days before, and one in calendar months after.
    for rule in ["syn.history/global-period", "syn.history/repeat-surgery"] {
        assert!(
            adjusted.contains(rule),
            "no adjustment by {rule}: {adjusted:?}"
        );
    }
}

/// Some generated reports state a fact no policy declares, so decisions carry warnings.
#[test]
fn general_claims_produce_warnings() {
    let engine = engine();
    let warned = drawn(&engine, "syn-general", 500).iter().any(|case| {
        let decision = engine
            .check(&case.claim, &case.in_memory_history())
            .unwrap();
        !decision.warnings.is_empty()
    });
    assert!(warned);
}

/// Failing cases of the general pack still shrink to one plain line without history.
#[test]
fn general_claims_shrink_to_one_plain_line() {
    let engine = engine();
    let pack = engine.pack("syn-general").unwrap();
    let strategy = cases(pack);
    let mut runner = runner();
    for _ in 0..64 {
        let mut tree = strategy.new_tree(&mut runner).unwrap();
        while tree.simplify() {}
        let small = tree.current();
        assert!(small.claim.validate().is_ok());
        assert_eq!(small.claim.lines.len(), 1);
        assert!(small.history.is_empty());
        let claim = &small.claim;
        assert!(claim.patient_birth_date.is_none() && claim.patient_sex.is_none());
        assert!(claim.rendering.is_none() && claim.lines[0].rendering.is_none());
        assert!(claim.authorizations.is_empty() && claim.frequency.is_none());
        assert!(claim.provider.taxonomy.is_none());
        assert_eq!(claim.provider.npi.to_string(), "1234567893");
    }
}

/// Every history source of the general pack has a window: its look-back is bounded, so the
/// differential test covers the engine's bounded `adjust_prior` search (and `syn` the
/// unbounded one).
#[test]
fn the_general_pack_looks_back_a_bounded_time_and_syn_does_not() {
    let general = Engine::from_sources(&synthetic_packs()[2..]).unwrap();
    assert!(general.look_back_days().is_some_and(|d| d >= 365));
    let syn = Engine::from_sources(&synthetic_packs()[..1]).unwrap();
    assert_eq!(syn.look_back_days(), None);
}
