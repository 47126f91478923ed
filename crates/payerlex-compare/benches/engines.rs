//! Criterion view of the same comparison as the `measure` binary: every mode on 1,000
//! generated claims, agreement with the hand-written reference asserted before timing.
//! `measure` (and `scripts/compare.sh`) is the one to quote; this gives criterion's
//! statistics for the same rounds.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use payerlex_compare::generate::DEFAULT_SEED;
use payerlex_compare::runner::Runner;
use payerlex_compare::{Mode, Workload};

const CLAIMS: usize = 1_000;

fn bench(c: &mut Criterion) {
    let workload = Workload::generate(CLAIMS, DEFAULT_SEED).unwrap();
    let expected = workload.reference_findings().unwrap();
    let mut group = c.benchmark_group("three_d_generated_claims");
    group.throughput(Throughput::Elements(CLAIMS as u64));
    group.sample_size(10);
    for mode in Mode::ALL.into_iter().filter(|m| m.is_available()) {
        let mut runner = Runner::prepare(mode, &workload).unwrap();
        runner.agree(&expected).unwrap();
        group.bench_function(mode.name(), |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| runner.round().unwrap().0)
                    .sum::<Duration>()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
