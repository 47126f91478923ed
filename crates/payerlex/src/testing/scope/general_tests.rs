//! The scope of the synthetic general-policies pack: each new dimension is enumerated, its
//! classes fall where they should (ages, authorisations, window edges), and claims are valid.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};

use super::{ExhaustiveScope, ScopeLimits};
use crate::facts::{Claim, Frequency};
use crate::testing::space::Vocabulary;

fn general_scope() -> ExhaustiveScope {
    let engine = crate::Engine::from_sources(&crate::testing::synthetic_packs()).unwrap();
    let pack = engine.pack("syn-general").unwrap();
    let vocabulary = Vocabulary::of_pack(pack);
    ExhaustiveScope::new(
        "syn-general",
        &vocabulary,
        &BTreeMap::new(),
        &BTreeMap::new(),
        ScopeLimits::default(),
    )
    .unwrap()
}

/// A one-line claim of the scope, to apply claim-level classes to.
fn first_claim(scope: &ExhaustiveScope) -> Claim {
    scope.case(0).unwrap().claim
}

#[test]
fn every_new_dimension_is_enumerated_and_claims_are_valid() {
    let scope = general_scope();
    let shape = scope.shape();
    assert!(shape.patients > 4, "{shape:?}");
    assert!(shape.providers > 1 && shape.renderings > 1, "{shape:?}");
    assert_eq!(shape.authorizations, 7);
    assert!(
        shape.relative_dates > 0 && shape.history_profiles > 1,
        "{shape:?}"
    );
    assert!(shape.context_summary().is_some());
    // Every rule at once makes a scope far beyond any bound (see the per-rule test below);
    // claims spread over it are still valid.
    let total = scope.len();
    let step = (total / 3000).max(1);
    for k in 0..3000u64 {
        let index = k.saturating_mul(step).min(total - 1);
        let case = scope.case(index).unwrap();
        assert!(case.claim.validate().is_ok(), "claim {index} is invalid");
    }
}

#[test]
fn claim_classes_straddle_ages_and_authorisations() {
    let scope = general_scope();
    let extras = &scope.extras;
    let mut ages = BTreeSet::new();
    let mut authorised = BTreeSet::new();
    let mut frequencies = BTreeSet::new();
    let mut sexes = BTreeSet::new();
    for index in 0..extras.claim_count() {
        let mut claim = first_claim(&scope);
        claim.provider.npi = extras.billing_npi(index).unwrap();
        extras.apply(index, &mut claim).unwrap();
        assert!(claim.validate().is_ok());
        let line = &claim.lines[0];
        ages.insert(claim.patient_age(line).map(|a| a.years));
        authorised.insert((claim.authorizations.len(), claim.line_authorized(line)));
        frequencies.insert(claim.frequency.map(Frequency::code));
        sexes.insert(claim.patient_sex.map(|s| s.as_str()));
    }
    // `patient.age < 18`, `< 40`, `>= 19`: one day short of, and exactly, each threshold.
    for age in [17, 18, 19, 39, 40] {
        assert!(ages.contains(&Some(age)), "no age {age}: {ages:?}");
    }
    assert!(ages.contains(&None));
    assert_eq!(
        authorised,
        [(0, false), (1, true), (1, false)].into_iter().collect()
    );
    assert_eq!(frequencies, [None, Some(7), Some(8)].into_iter().collect());
    assert_eq!(sexes.len(), 4);
}

#[test]
fn history_lines_fall_on_every_window_edge() {
    let scope = general_scope();
    let claim = first_claim(&scope);
    let anchor = claim.lines[0].date.days_since_epoch();
    let mut offsets = BTreeSet::new();
    let mut facility = false;
    let per_line = scope.history_line_count();
    // History variants 1..=per_line are the one-line histories.
    for index in 1..=per_line {
        let history = scope.history(index, &claim).unwrap();
        assert_eq!(history.len(), 1);
        offsets.insert(history[0].date.days_since_epoch() - anchor);
        facility |= history[0].role == crate::facts::ProviderRole::Facility;
    }
    // within 90 days before, within 1 day after, within 3 days, within 7 days before.
    for offset in [-91, -90, -8, -7, -4, -3, -1, 0, 1, 2, 3, 4] {
        assert!(
            offsets.contains(&offset),
            "no history line at {offset}: {offsets:?}"
        );
    }
    assert!(facility);
}

/// A diff that changes one rule of the general pack enumerates that rule's classes: each
/// such scope fits under `payerlex diff`'s default bound, so the check is complete.
#[test]
fn each_rules_scope_is_complete_under_the_default_bound() {
    let engine = crate::Engine::from_sources(&crate::testing::synthetic_packs()).unwrap();
    let pack = engine.pack("syn-general").unwrap();
    let bound = crate::testing::DiffOptions::default().max_scope;
    for rule in &pack.rules {
        let vocabulary = Vocabulary::of_rules([rule], &[pack.effective], &pack.facts);
        let scope = ExhaustiveScope::new(
            "syn-general",
            &vocabulary,
            &BTreeMap::new(),
            &BTreeMap::new(),
            ScopeLimits::default(),
        )
        .unwrap();
        assert!(
            scope.len() <= bound,
            "{}: {} claims, {:?}",
            rule.id,
            scope.len(),
            scope.shape().context_summary()
        );
    }
}
