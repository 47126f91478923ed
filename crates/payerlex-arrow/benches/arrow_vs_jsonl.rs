//! Claims per second of the Arrow batch path against `check_jsonl` on the same claims, in one
//! run: report the ratio, not absolute times (the machine is shared).
//!
//! JSON Lines: parse each line, decide, serialise the decision. Arrow: read the rows of
//! 8,192-row batches, decide, build the output batch.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use payerlex_arrow::BatchChecker;

const CLAIMS: usize = 2_000;
const BATCH_ROWS: usize = 8_192;

fn bench(c: &mut Criterion) {
    let engine = common::engine();
    let claims = common::claims(CLAIMS, 200);
    let jsonl = common::jsonl(&claims);
    let rows = common::rows(&claims);
    let mut group = c.benchmark_group("decide_2000_claims");
    group.throughput(Throughput::Elements(CLAIMS as u64));
    group.sample_size(20);
    group.bench_function("jsonl_check_jsonl", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(jsonl.len() * 2);
            payerlex::check_jsonl(&engine, jsonl.as_bytes(), &mut out, Default::default()).unwrap();
            std::hint::black_box(out)
        })
    });
    group.bench_function("arrow_batch_checker", |b| {
        b.iter(|| {
            let mut checker = BatchChecker::new(Arc::clone(&engine));
            let mut offset = 0;
            let mut out = Vec::new();
            while offset < rows.num_rows() {
                let len = BATCH_ROWS.min(rows.num_rows() - offset);
                out.push(checker.push(&rows.slice(offset, len)).unwrap());
                offset += len;
            }
            out.push(checker.finish().unwrap());
            std::hint::black_box(out)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
