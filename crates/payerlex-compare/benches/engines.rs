//! payerlex vs regorus (Rego) vs hand-written Rust on the same six rules and claims, in one run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "../../payerlex/benches/support/claims.rs"]
mod claims;
#[path = "../../payerlex/benches/support/handwritten.rs"]
mod handwritten;

use std::collections::BTreeSet;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use payerlex::{NoHistory, Outcome};

fn rego_denied(engine: &mut regorus::Engine, input: &regorus::Value) -> BTreeSet<u64> {
    engine.set_input(input.clone());
    let findings = engine.eval_rule("data.claims.findings".to_owned()).unwrap();
    let json: serde_json::Value = serde_json::from_str(&findings.to_json_str().unwrap()).unwrap();
    json.as_array()
        .unwrap()
        .iter()
        .filter(|f| f["outcome"] == "deny")
        .map(|f| f["line"].as_u64().unwrap())
        .collect()
}

fn bench(c: &mut Criterion) {
    let engine = claims::engine().unwrap();
    let claims = claims::claims();
    let baseline = handwritten::Baseline::new();
    let mut rego = regorus::Engine::new();
    rego.add_policy(
        "three_d.rego".to_owned(),
        payerlex_compare::THREE_D_REGO.to_owned(),
    )
    .unwrap();
    let inputs: Vec<regorus::Value> = claims
        .iter()
        .map(|c| regorus::Value::from_json_str(&serde_json::to_string(c).unwrap()).unwrap())
        .collect();
    for (claim, input) in claims.iter().zip(&inputs) {
        let ours: BTreeSet<u64> = engine
            .check(claim, &NoHistory)
            .unwrap()
            .lines
            .iter()
            .filter(|l| l.outcome == Outcome::Deny)
            .map(|l| u64::from(l.number))
            .collect();
        assert_eq!(ours, rego_denied(&mut rego, input), "claim {}", claim.id);
    }
    let mut group = c.benchmark_group("three_d_claim_mix");
    group.throughput(Throughput::Elements(claims.len() as u64));
    group.bench_function("handwritten_rust", |b| {
        b.iter(|| {
            claims
                .iter()
                .map(|c| baseline.check(std::hint::black_box(c)).len())
                .sum::<usize>()
        })
    });
    group.bench_function("payerlex_compiled", |b| {
        b.iter(|| {
            claims
                .iter()
                .map(|c| {
                    engine
                        .check(std::hint::black_box(c), &NoHistory)
                        .unwrap()
                        .lines
                        .len()
                })
                .sum::<usize>()
        })
    });
    group.bench_function("regorus_rego", |b| {
        b.iter(|| {
            inputs
                .iter()
                .map(|input| {
                    rego.set_input(input.clone());
                    rego.eval_rule("data.claims.findings".to_owned()).unwrap()
                })
                .count()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
