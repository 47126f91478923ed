//! `Engine::check` against a hand-written Rust baseline of the same rules, in one run.
//!
//! Report ratios (payerlex / handwritten), not absolute times: wall time is noisy on shared
//! machines. `examples/instructions.rs` gives instruction counts under valgrind.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "support/claims.rs"]
mod claims;
#[path = "support/handwritten.rs"]
mod handwritten;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use payerlex::NoHistory;

fn bench_check(c: &mut Criterion) {
    let engine = claims::engine().expect("bench policy loads");
    let claims = claims::claims();
    assert_eq!(claims.len(), 6, "every bench claim parses");
    let baseline = handwritten::Baseline::new();
    // Same outcomes, or the comparison is meaningless.
    for claim in &claims {
        let d = engine.check(claim, &NoHistory).unwrap();
        let b = baseline.check(claim);
        let ours: Vec<_> = d.lines.iter().map(|l| l.outcome).collect();
        let theirs: Vec<_> = b.iter().map(|l| l.outcome).collect();
        assert_eq!(ours, theirs, "claim {}", claim.id);
    }
    let mut group = c.benchmark_group("check_3d_claim_mix");
    group.throughput(Throughput::Elements(claims.len() as u64));
    group.bench_function("handwritten_rust", |b| {
        b.iter(|| {
            for claim in &claims {
                std::hint::black_box(baseline.check(std::hint::black_box(claim)));
            }
        })
    });
    group.bench_function("payerlex_compiled", |b| {
        b.iter(|| {
            for claim in &claims {
                std::hint::black_box(
                    engine
                        .check(std::hint::black_box(claim), &NoHistory)
                        .unwrap(),
                );
            }
        })
    });
    group.finish();

    let mut group = c.benchmark_group("load");
    group.bench_function("parse_check_compile_bench_policy", |b| {
        b.iter_batched(|| (), |_| claims::engine().unwrap(), BatchSize::SmallInput)
    });
    group.finish();
}

criterion_group!(benches, bench_check);
criterion_main!(benches);
