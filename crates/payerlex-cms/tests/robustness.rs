//! No loader panics on damaged input: every fixture is truncated at every third byte and has bytes
//! flipped, and each result must be a value or a `TableError` naming the file. The fixtures are
//! in the repository: a missing one fails the test, it is never skipped.
#![allow(clippy::panic)]

use payerlex_cms::{AddOnTable, FeeSchedule, GpciTable, MueTable, PtpTable, TableError};

mod common;
use common::day;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");

type Loader = fn(&[u8]) -> Result<(), TableError>;

fn loaders() -> Vec<(&'static str, Loader)> {
    vec![
        ("ptp_practitioner_sample.txt", |b| {
            PtpTable::from_bytes(b, "x").map(drop)
        }),
        ("aoc_sample.txt", |b| {
            AddOnTable::from_bytes(b, "x").map(drop)
        }),
        ("pprrvu_2025_sample.csv", |b| {
            FeeSchedule::from_bytes(b, "x", day("2025-01-01")).map(drop)
        }),
        ("pprrvu_2026_jul_sample.csv", |b| {
            FeeSchedule::from_bytes(b, "x", day("2026-01-01")).map(drop)
        }),
        ("gpci_2026_sample.csv", |b| {
            GpciTable::from_bytes(b, "x").map(drop)
        }),
    ]
}

fn check(load: Loader, bytes: &[u8]) {
    if let Err(e) = load(bytes) {
        assert_eq!(e.source_name(), "x");
        assert!(!e.to_string().is_empty());
    }
}

#[test]
fn truncated_and_flipped_fixtures_never_panic() {
    let mue = "\"notice\n\n(c)\",,,\n\"HCPCS/\nCPT Code\",Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale\n\
               76376,2,3 Date of Service Edit: Clinical,Clinical: Data\n76377,2,3 Date of Service Edit: Clinical,\"a, b\"\n";
    let mut cases: Vec<(Vec<u8>, Loader)> = vec![(mue.as_bytes().to_vec(), |b| {
        MueTable::from_bytes(b, "x").map(drop)
    })];
    for (name, load) in loaders() {
        let path = format!("{FIXTURES}{name}");
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"));
        assert!(!bytes.is_empty(), "fixture {path} is empty");
        cases.push((bytes, load));
    }
    let mut state = 0x1234_5678_9ABC_DEF0u64;
    for (bytes, load) in cases {
        for cut in (0..=bytes.len()).step_by(3) {
            check(load, &bytes[..cut]);
        }
        for _ in 0..1_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mut b = bytes.clone();
            let at = (state % b.len() as u64) as usize;
            b[at] =
                [b'"', b'\t', b',', b'\n', b'\r', 0xAE, b'*', b'9', 0][(state >> 32) as usize % 9];
            check(load, &b);
        }
    }
}
