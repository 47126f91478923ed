//! `measure`: generates claims, asserts every engine agrees with the hand-written reference
//! on every line, then times each mode and prints a Markdown table (see the crate README).
//! `scripts/compare.sh` runs it under callgrind with `--no-check` and passes the instruction
//! counts back with `--instructions`.

use std::collections::BTreeMap;
use std::process::ExitCode;

use clap::Parser;
use payerlex_compare::alloc::CountingAllocator;
use payerlex_compare::generate::{DEFAULT_SEED, MAX_CLAIMS};
use payerlex_compare::{measure, table, CompareError, Measurement, Mode, Workload};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

const MAX_ROUNDS: usize = 1_000;

/// Same-run comparison of payerlex, hand-written Rust, regorus and zen-engine.
#[derive(Debug, Parser)]
#[command(name = "measure")]
struct Args {
    /// Generated claims per round.
    #[arg(long, default_value_t = 100_000)]
    claims: usize,
    /// Generator seed.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
    /// Timed rounds for the fast modes (hand-written, payerlex); the best one is reported.
    #[arg(long, default_value_t = 5)]
    rounds: usize,
    /// Timed rounds for regorus, regorus-rvm and zen.
    #[arg(long, default_value_t = 2)]
    slow_rounds: usize,
    /// Modes to run, comma-separated (default: all this build has; regorus and zen need the
    /// `engines` feature).
    #[arg(long, value_delimiter = ',', value_parser = parse_mode)]
    modes: Vec<Mode>,
    /// Skip the agreement pass (and so the allocation counts): for instruction counting,
    /// after a checked run on the same seed.
    #[arg(long)]
    no_check: bool,
    /// Instructions per claim measured elsewhere, as MODE=N (repeatable), for the table.
    #[arg(long = "instructions", value_name = "MODE=N", value_parser = parse_instructions)]
    instructions: Vec<(Mode, f64)>,
    /// Print nothing on success.
    #[arg(long)]
    quiet: bool,
}

fn parse_mode(text: &str) -> Result<Mode, String> {
    text.parse()
}

fn parse_instructions(text: &str) -> Result<(Mode, f64), String> {
    let (mode, count) = text
        .split_once('=')
        .ok_or_else(|| format!("expected MODE=N, got `{text}`"))?;
    let count: f64 = count
        .parse()
        .map_err(|_| format!("`{count}` is not a number"))?;
    Ok((mode.parse()?, count))
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.claims == 0 || args.claims > MAX_CLAIMS {
        eprintln!("error: --claims must be between 1 and {MAX_CLAIMS}");
        return ExitCode::from(2);
    }
    if args.rounds > MAX_ROUNDS || args.slow_rounds > MAX_ROUNDS {
        eprintln!("error: at most {MAX_ROUNDS} rounds");
        return ExitCode::from(2);
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), CompareError> {
    let modes: Vec<Mode> = if args.modes.is_empty() {
        Mode::ALL.into_iter().filter(|m| m.is_available()).collect()
    } else {
        args.modes.clone()
    };
    let workload = Workload::generate(args.claims, args.seed)?;
    let expected = if args.no_check {
        None
    } else {
        Some(workload.reference_findings()?)
    };
    let mut measurements: Vec<Measurement> = Vec::new();
    for &mode in &modes {
        let rounds = if mode.is_slow() {
            args.slow_rounds
        } else {
            args.rounds
        };
        if !args.quiet {
            eprintln!("{mode}: checking and timing {rounds} round(s)...");
        }
        measurements.push(measure(mode, &workload, expected.as_deref(), rounds)?);
    }
    if args.quiet {
        return Ok(());
    }
    let instructions: BTreeMap<Mode, f64> = args.instructions.iter().copied().collect();
    println!(
        "{} generated claims (seed {}), {:.2} lines per claim.",
        workload.len(),
        args.seed,
        workload.lines_per_claim()
    );
    if expected.is_some() {
        println!(
            "Every mode agreed with the hand-written reference on every line of every claim \
             (findings: line, rule, deny/review); payerlex-build's claims equal the parsed JSON."
        );
    }
    println!(
        "ns/claim: best of {} round(s) (regorus, RVM, zen: {}) over all claims; \
         allocations: inside the timed call only.\n",
        args.rounds, args.slow_rounds
    );
    print!("{}", table::render(&measurements, &instructions));
    Ok(())
}
