//! The synthetic NCCI-scale PTP table loads back through the real loader.
#![allow(clippy::unwrap_used)]

use std::time::Instant;

use payerlex_cms::{write_synthetic_ptp, ModifierIndicator, PtpTable};

mod common;
use common::day;

fn generate(pairs: usize, seed: u64) -> Vec<u8> {
    let mut out = Vec::new();
    write_synthetic_ptp(&mut out, pairs, seed).unwrap();
    out
}

#[test]
fn ten_thousand_pairs_round_trip() {
    let bytes = generate(10_000, 42);
    let t = PtpTable::from_bytes(&bytes, "synthetic.txt").unwrap();
    assert_eq!(t.pairs(), 10_000);
    assert!(t.len() > 10_000, "duplicates add rows: {}", t.len());
    let (mut ind0, mut ind1, mut ind9, mut deleted, mut dups) = (0, 0, 0, 0, 0);
    for (c1, c2) in t.iter_pairs() {
        let h = t.history(c1, c2);
        dups += usize::from(h.len() > 1);
        for e in &h {
            match e.indicator {
                ModifierIndicator::NotAllowed => ind0 += 1,
                ModifierIndicator::Allowed => ind1 += 1,
                ModifierIndicator::NotApplicable => ind9 += 1,
            }
            deleted += usize::from(e.deletion.is_some());
        }
        // The synthetic rows of a pair never overlap, so the edit in force is the row whose
        // dates cover the DOS, unless it is a tombstone.
        for dos in [day("2000-01-01"), day("2026-01-01")] {
            let expected = h
                .iter()
                .find(|e| e.in_force_on(dos) && e.indicator != ModifierIndicator::NotApplicable);
            assert_eq!(t.edit(c1, c2, dos).as_ref(), expected);
        }
    }
    assert_eq!(ind0 + ind1 + ind9, t.len());
    assert!(
        ind0 > 2_000 && ind1 > 4_000 && ind9 > 50 && deleted > 500 && dups > 100,
        "{ind0} {ind1} {ind9} {deleted} {dups}"
    );
}

#[test]
fn deterministic_per_seed() {
    assert_eq!(generate(2_000, 7), generate(2_000, 7));
    assert_ne!(generate(2_000, 7), generate(2_000, 8));
}

/// Not a test: measures loading a 2,000,000-pair table. Run with
/// `cargo test --release -p payerlex-cms --test synthetic_ptp -- --ignored --nocapture`.
/// Tests named `measure_*` are measurements; `.ci/run` skips them when it runs the ignored
/// tests.
#[test]
#[ignore = "a measurement, not a test: run alone, in release (see above)"]
fn measure_two_million_pairs() {
    fn status_kb(field: &str) -> u64 {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with(field))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|v| v.parse().ok())
            })
            .unwrap_or(0)
    }
    let path =
        std::env::temp_dir().join(format!("payerlex_synthetic_ptp_{}.txt", std::process::id()));
    let t0 = Instant::now();
    write_synthetic_ptp(std::fs::File::create(&path).unwrap(), 2_000_000, 1).unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    eprintln!("wrote {:.1} MB in {:.2?}", size as f64 / 1e6, t0.elapsed());

    let rss_before = status_kb("VmRSS:");
    let t1 = Instant::now();
    let bytes = std::fs::read(&path).unwrap();
    let read = t1.elapsed();
    let t1 = Instant::now();
    let t = PtpTable::from_bytes(&bytes, "synthetic.txt").unwrap();
    let parse = t1.elapsed();
    drop(bytes);
    let rss_after = status_kb("VmRSS:");
    eprintln!(
        "loaded {} rows / {} pairs: read {:.2?} + parse {:.2?}; RSS {} MB -> {} MB (table ~{} MB); peak RSS {} MB",
        t.len(),
        t.pairs(),
        read,
        parse,
        rss_before / 1024,
        rss_after / 1024,
        rss_after.saturating_sub(rss_before) / 1024,
        status_kb("VmHWM:") / 1024
    );
    let pairs: Vec<_> = t.iter_pairs().take(1_000_000).collect();
    let dos = day("2025-01-01");
    let t2 = Instant::now();
    let mut hits = 0usize;
    for &(c1, c2) in &pairs {
        hits += usize::from(t.edit(c1, c2, dos).is_some());
    }
    let per = t2.elapsed() / pairs.len() as u32;
    let t3 = Instant::now();
    let mut misses = 0usize;
    for &(c1, c2) in &pairs {
        misses += usize::from(t.edit(c2, c1, dos).is_none());
    }
    let per_miss = t3.elapsed() / pairs.len() as u32;
    eprintln!("edit(): {per:?}/lookup on present pairs ({hits} in force), {per_miss:?}/lookup on reversed pairs ({misses} absent)");
    std::fs::remove_file(&path).unwrap();
    assert_eq!(t.pairs(), 2_000_000);
}
