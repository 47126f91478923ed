//! Issue 13's second target: `Engine::check_into` with a reused `Decision` makes no heap
//! allocation per claim once the decision's buffers have grown to fit the workload. Its own
//! test binary: the allocation counters are global.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use payerlex_compare::alloc::{count_allocations, Allocations, CountingAllocator};
use payerlex_compare::generate::DEFAULT_SEED;
use payerlex_compare::payerlex_api::{self, CheckOptions, NoHistory};
use payerlex_compare::Workload;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

#[test]
fn check_into_a_reused_decision_allocates_nothing_per_claim() {
    let workload = Workload::generate(3_000, DEFAULT_SEED).unwrap();
    let engine = payerlex_api::bench_engine().unwrap();
    let mut decision = payerlex_api::check(&engine, &workload.claims[0]).unwrap();
    // First pass: the reused decision is the one a fresh check returns, and its lines,
    // findings and strings grow to fit.
    let mut findings = 0;
    for claim in &workload.claims {
        engine
            .check_into(claim, &NoHistory, CheckOptions::default(), &mut decision)
            .unwrap();
        let fresh = payerlex_api::check(&engine, claim).unwrap();
        assert_eq!(decision, fresh, "claim {}", claim.id);
        findings += fresh.lines.iter().map(|l| l.findings.len()).sum::<usize>();
    }
    assert!(
        findings > 500,
        "the workload has findings to share: {findings}"
    );
    engine
        .check_into(
            &workload.claims[0],
            &NoHistory,
            CheckOptions::default(),
            &mut decision,
        )
        .unwrap();
    let mut total = Allocations::default();
    for claim in &workload.claims {
        let (result, allocations) = count_allocations(|| {
            engine.check_into(claim, &NoHistory, CheckOptions::default(), &mut decision)
        });
        result.unwrap();
        total += allocations;
    }
    assert_eq!(
        total,
        Allocations::default(),
        "second pass over 3,000 claims"
    );
}
