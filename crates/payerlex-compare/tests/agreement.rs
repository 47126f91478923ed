//! Every engine agrees with the hand-written reference on generated claims, the generated mix
//! makes every rule fire, and a wrong answer is caught.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use payerlex_compare::alloc::CountingAllocator;
use payerlex_compare::findings::{FindingSet, Rule, Severity};
use payerlex_compare::generate::{self, DEFAULT_SEED};
use payerlex_compare::runner::Runner;
use payerlex_compare::{measure, CompareError, Mode, Workload};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

const CLAIMS: usize = 1_000;

#[test]
fn every_mode_agrees_with_the_reference_and_allocates_inside_its_call() {
    let workload = Workload::generate(CLAIMS, DEFAULT_SEED).unwrap();
    let expected = workload.reference_findings().unwrap();
    for mode in Mode::ALL.into_iter().filter(|m| m.is_available()) {
        let measured =
            measure(mode, &workload, Some(&expected), 1).unwrap_or_else(|e| panic!("{mode}: {e}"));
        assert_eq!(measured.rounds.len(), 1, "{mode}");
        assert_eq!(measured.claims, CLAIMS);
        let allocations = measured.allocations.unwrap();
        // Every mode but `payerlex-into` and `payerlex-id` returns owned results, so it
        // allocates at least once per claim (`payerlex-into` is held to zero in
        // tests/zero_allocations.rs, alone in its binary: the counters are global, and the
        // tests here run in parallel).
        if !matches!(mode, Mode::PayerlexInto | Mode::PayerlexId) {
            assert!(
                allocations.count >= CLAIMS as u64,
                "{mode}: {allocations:?}"
            );
        }
        assert!(measured.ns_per_claim().unwrap() > 0.0, "{mode}");
    }
}

#[test]
fn the_generated_mix_fires_every_rule_and_leaves_most_claims_alone() {
    let workload = Workload::generate(CLAIMS, DEFAULT_SEED).unwrap();
    let expected = workload.reference_findings().unwrap();
    let mut fired: BTreeMap<(Rule, Severity), usize> = BTreeMap::new();
    for finding in expected.iter().flat_map(FindingSet::findings) {
        *fired.entry((finding.rule, finding.severity)).or_default() += 1;
    }
    for rule in Rule::ALL {
        let severity = if rule == Rule::Workstation {
            Severity::Review
        } else {
            Severity::Deny
        };
        let count = fired.get(&(rule, severity)).copied().unwrap_or(0);
        assert!(count >= 10, "{} fired {count} times", rule.name());
    }
    let clean = expected.iter().filter(|f| f.findings().is_empty()).count();
    assert!(clean * 2 > CLAIMS, "only {clean} claims without findings");
    let lines = workload.lines_per_claim();
    assert!((3.0..4.0).contains(&lines), "{lines} lines per claim");
}

#[test]
fn a_wrong_answer_is_reported_with_its_claim() {
    let workload = Workload::generate(200, DEFAULT_SEED).unwrap();
    let mut expected = workload.reference_findings().unwrap();
    let index = expected
        .iter()
        .position(|f| !f.findings().is_empty())
        .unwrap();
    let mut fewer = expected[index].findings().to_vec();
    fewer.pop();
    expected[index] = FindingSet::new(fewer);
    for mode in [
        Mode::Handwritten,
        Mode::Payerlex,
        Mode::PayerlexExplain,
        Mode::RegorusRvm,
        Mode::Zen,
    ]
    .into_iter()
    .filter(|m| m.is_available())
    {
        let mut runner = Runner::prepare(mode, &workload).unwrap();
        match runner.agree(&expected) {
            Err(CompareError::Disagreement { claim, .. }) => {
                assert_eq!(claim, workload.hosts[index].id, "{mode}")
            }
            other => panic!("{mode}: expected a disagreement, got {other:?}"),
        }
    }
}

#[test]
fn a_smaller_run_measures_the_first_claims_of_a_larger_one() {
    let small = generate::generate(50, DEFAULT_SEED);
    let large = generate::generate(500, DEFAULT_SEED);
    assert_eq!(small[..], large[..50]);
    assert_ne!(generate::generate(50, DEFAULT_SEED + 1), small);
}
