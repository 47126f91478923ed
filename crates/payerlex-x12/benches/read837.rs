//! Claims per second reading an 837P of 100,000 claims (generated here, not committed): the
//! reader alone and reader + `Engine::check` with the repository's `policies/`, beside the
//! JSON Lines path (`payerlex::parse_claim` alone and + check) over the same claims, in one
//! run. Report ratios between the rows, not absolute times: wall time is noisy on shared
//! machines.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

#[path = "support/generate.rs"]
mod generate;
use payerlex::{Engine, NoHistory};
use payerlex_x12::{PayerMap, Reader, Record};

const CLAIMS: usize = 100_000;

fn bench_read(c: &mut Criterion) {
    let engine =
        Engine::load(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../policies")).unwrap();
    let mut payers = PayerMap::new();
    payers.insert("00882", "medicare");
    let x12 = generate::generate(CLAIMS);
    let claims: Vec<payerlex::Claim> = Reader::new(x12.as_bytes())
        .unwrap()
        .with_payer_map(&payers)
        .map(|record| match record {
            Record::Claim(read) => read.claim,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(claims.len(), CLAIMS);
    // The same claims as JSON Lines, so both paths read identical claims.
    let jsonl: String = claims
        .iter()
        .map(|c| serde_json::to_string(c).unwrap() + "\n")
        .collect();
    for (line, claim) in jsonl.lines().zip(&claims).take(100) {
        assert_eq!(&payerlex::parse_claim(line).unwrap(), claim);
    }
    eprintln!(
        "837P: {} bytes, JSON Lines: {} bytes, {CLAIMS} claims",
        x12.len(),
        jsonl.len()
    );

    let mut group = c.benchmark_group("read_100k_claims");
    group.sample_size(10);
    group.throughput(Throughput::Elements(CLAIMS as u64));
    group.bench_function("x12_read", |b| {
        b.iter(|| {
            let reader = Reader::new(black_box(x12.as_bytes()))
                .unwrap()
                .with_payer_map(&payers);
            reader
                .map(|r| match r {
                    Record::Claim(read) => read.claim.lines.len(),
                    _ => 0,
                })
                .sum::<usize>()
        })
    });
    group.bench_function("jsonl_parse", |b| {
        b.iter(|| {
            black_box(&jsonl)
                .lines()
                .map(|l| payerlex::parse_claim(l).unwrap().lines.len())
                .sum::<usize>()
        })
    });
    group.bench_function("x12_read_check", |b| {
        b.iter(|| {
            let reader = Reader::new(black_box(x12.as_bytes()))
                .unwrap()
                .with_payer_map(&payers);
            reader
                .map(|r| match r {
                    Record::Claim(read) => {
                        engine.check(&read.claim, &NoHistory).unwrap().lines.len()
                    }
                    _ => 0,
                })
                .sum::<usize>()
        })
    });
    group.bench_function("jsonl_parse_check", |b| {
        b.iter(|| {
            black_box(&jsonl)
                .lines()
                .map(|l| {
                    engine
                        .check(&payerlex::parse_claim(l).unwrap(), &NoHistory)
                        .unwrap()
                        .lines
                        .len()
                })
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_read);
criterion_main!(benches);
