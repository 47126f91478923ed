//! The end-to-end baseline of `scripts/end-to-end.sh`: everything `payerlex check` does to a
//! claims file except deciding. It reads `INPUT` line by line, parses each line into a
//! [`payerlex::Claim`] with the same reader the CLI uses, and writes, for each line, the bytes
//! `payerlex check` wrote for it (read from `EXPECTED` into memory before the first claim),
//! through a buffered writer. `payerlex check` / this program is the end-to-end overhead of
//! deciding and serialising decisions.
//!
//! `parse_and_write INPUT EXPECTED > OUT`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, BufWriter, Write};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(input), Some(expected)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: parse_and_write INPUT EXPECTED");
        std::process::exit(2);
    };
    let expected = std::fs::read_to_string(expected).expect("expected output is readable");
    let mut records = expected.lines();
    let reader = BufReader::new(std::fs::File::open(input).expect("input is readable"));
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let (mut parsed, mut errors) = (0usize, 0usize);
    for line in reader.lines() {
        let line = line.expect("input is UTF-8");
        match payerlex::parse_claim(&line) {
            Ok(claim) => parsed += usize::from(!claim.lines.is_empty()),
            Err(_) => errors += 1,
        }
        let record = records.next().expect("one output record per input line");
        out.write_all(record.as_bytes()).unwrap();
        out.write_all(b"\n").unwrap();
    }
    out.flush().unwrap();
    eprintln!("parse_and_write: {parsed} claims parsed, {errors} errors");
}
