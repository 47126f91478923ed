//! Instruction counts for the X12 and JSON Lines paths, repeatable where wall time is not:
//! run one mode under callgrind and subtract the `setup` mode (same generation and engine
//! load, nothing read), then divide by the 10,000 claims.
//!
//! ```sh
//! cargo build --release -p payerlex-x12 --example read_instructions
//! for mode in setup x12 json x12-check json-check; do
//!   valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/read_instructions $mode 2>&1 | grep Collected
//! done
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "../benches/support/generate.rs"]
mod generate;

use std::hint::black_box;
use std::path::PathBuf;

use payerlex::{Engine, NoHistory};
use payerlex_x12::{PayerMap, Reader, Record};

const CLAIMS: usize = 10_000;

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
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
    let jsonl: String = claims
        .iter()
        .map(|c| serde_json::to_string(c).unwrap() + "\n")
        .collect();
    let engine =
        Engine::load(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../policies")).unwrap();
    let x12_lines = |check: bool| -> usize {
        Reader::new(black_box(x12.as_bytes()))
            .unwrap()
            .with_payer_map(&payers)
            .map(|record| match record {
                Record::Claim(read) if check => {
                    engine.check(&read.claim, &NoHistory).unwrap().lines.len()
                }
                Record::Claim(read) => read.claim.lines.len(),
                _ => 0,
            })
            .sum()
    };
    let json_lines = |check: bool| -> usize {
        black_box(&jsonl)
            .lines()
            .map(|line| {
                let claim = payerlex::parse_claim(line).unwrap();
                if check {
                    engine.check(&claim, &NoHistory).unwrap().lines.len()
                } else {
                    claim.lines.len()
                }
            })
            .sum()
    };
    let lines = match mode.as_str() {
        "x12" => x12_lines(false),
        "json" => json_lines(false),
        "x12-check" => x12_lines(true),
        "json-check" => json_lines(true),
        "setup" => 0,
        other => panic!("mode `{other}`: setup, x12, json, x12-check or json-check"),
    };
    println!("{lines} lines");
}
