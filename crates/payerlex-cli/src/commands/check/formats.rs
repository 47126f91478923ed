//! `--input` and `--output` of `payerlex check`: which reader makes claims and which writer
//! prints decisions. Each format keeps its own code in its own module (`x12.rs`); this file
//! only names the formats and routes a run to them, so adding one is a variant and an arm.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};

use payerlex::{CheckOptions, Engine};

use super::pipeline::{decide, json_items, JsonSink, Sink, Summary};
use super::{fhir, x12, CheckArgs};
use crate::commands::load::EXIT_POLICY_ERROR;

/// Where claims come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// JSON Lines, one claim per line (the JSON contract).
    Json,
    /// An X12 interchange of 837P/837I claims (5010).
    X12,
    /// FHIR R4 `Claim`s: one resource, a `Bundle`, or NDJSON of either.
    Fhir,
}

/// How decisions are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// One JSON decision (or error record) per line.
    Json,
    /// The 835 adjustment segments of each claim (SVC, CAS, LQ); error records go to stderr.
    #[value(name = "x12-835")]
    X12Remit,
    /// One FHIR R4 `ClaimResponse` per claim (NDJSON).
    Fhir,
}

/// Runs `check` for any pair of formats; returns the exit code.
pub fn run(engine: &Engine, args: &CheckArgs, options: CheckOptions) -> u8 {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut sink: Box<dyn Sink + '_> = match args.output_format {
        OutputFormat::Json => Box::new(JsonSink::new(&mut out)),
        OutputFormat::X12Remit => Box::new(x12::RemitSink::new(&mut out, io::stderr())),
        OutputFormat::Fhir => Box::new(fhir::ResponseSink::new(&mut out)),
    };
    let result = match args.input_format {
        InputFormat::Json => {
            if args.payer_map.is_some() {
                eprintln!("error: --payer-map applies to claims that name payers by their own ids (--input x12 or fhir)");
                return EXIT_POLICY_ERROR;
            }
            let input: Box<dyn BufRead> = if args.input.as_os_str() == "-" {
                Box::new(io::stdin().lock())
            } else {
                match File::open(&args.input) {
                    Ok(file) => Box::new(BufReader::new(file)),
                    Err(e) => {
                        eprintln!("error: cannot read `{}`: {e}", args.input.display());
                        return EXIT_POLICY_ERROR;
                    }
                }
            };
            decide(engine, json_items(input), sink.as_mut(), options)
        }
        InputFormat::X12 => match x12::run(engine, args, sink.as_mut(), options) {
            Ok(result) => result,
            Err(code) => return code,
        },
        InputFormat::Fhir => match fhir::run(engine, args, sink.as_mut(), options) {
            Ok(result) => result,
            Err(code) => return code,
        },
    };
    let result = result.and_then(|summary| sink.finish().map(|()| summary));
    drop(sink);
    let flushed = out.flush();
    exit_code(result.and_then(|summary| flushed.map(|()| summary)))
}

/// 0 every record decided, 1 some rejected, 2 the run failed.
fn exit_code(result: io::Result<Summary>) -> u8 {
    match result {
        Ok(summary) if summary.rejected == 0 => 0,
        Ok(summary) => {
            eprintln!(
                "{} record(s) rejected, {} decided",
                summary.rejected, summary.decided
            );
            1
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_POLICY_ERROR
        }
    }
}
