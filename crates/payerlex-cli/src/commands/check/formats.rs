//! `--input` and `--output` of `payerlex check`: which reader makes claims and which writer
//! prints decisions. Each format keeps its own code in its own module (`x12.rs`); this file
//! only names the formats and routes a run to them, so adding one is a variant and an arm.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};

use payerlex::Engine;

use super::pipeline::{
    decide, json_items, DecisionLog, JsonSink, RunSettings, Sink, StopCause, Stopped, Summary,
};
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

/// Exit code of a run that stopped mid-stream (its input or output failed): the records
/// before the stop were written whole, and a final line (JSON output) says after which.
pub const EXIT_STOPPED: u8 = 3;

/// Runs `check` for any pair of formats; returns the exit code.
/// Claims per hand-off to a deciding thread when `--jobs` reads a regular file: one channel
/// message and at most one thread wake-up per batch instead of per claim (on two cores, the
/// per-claim hand-off cost about what a second thread saved).
const FILE_BATCH: usize = 32;

pub fn run(engine: &Engine, args: &CheckArgs, settings: RunSettings) -> u8 {
    let mut log = match &args.log {
        Some(path) => match std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            Ok(file) => Some(DecisionLog::new(Box::new(file))),
            Err(e) => {
                eprintln!(
                    "error: cannot open the decision log `{}`: {e}",
                    path.display()
                );
                return EXIT_POLICY_ERROR;
            }
        },
        None => None,
    };
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
            // `Send` so `--jobs` can read on its own thread (a stdin lock is not `Send`).
            let input: Box<dyn BufRead + Send> = if args.input.as_os_str() == "-" {
                Box::new(BufReader::new(io::stdin()))
            } else {
                match File::open(&args.input) {
                    Ok(file) => Box::new(BufReader::new(file)),
                    Err(e) => {
                        eprintln!("error: cannot read `{}`: {e}", args.input.display());
                        return EXIT_POLICY_ERROR;
                    }
                }
            };
            // A regular file is read to its end, so claims can go to the deciding threads in
            // batches; a pipe or a terminal may be a host waiting for each decision.
            let is_file = args.input.as_os_str() != "-"
                && std::fs::metadata(&args.input).is_ok_and(|m| m.is_file());
            let settings = RunSettings {
                batch: if is_file { FILE_BATCH } else { 1 },
                ..settings
            };
            let items = json_items(input, engine.limits().record_bytes);
            decide(engine, items, sink.as_mut(), settings, log.as_mut())
        }
        InputFormat::X12 => match x12::run(engine, args, sink.as_mut(), settings, log.as_mut()) {
            Ok(result) => result,
            Err(code) => return code,
        },
        InputFormat::Fhir => match fhir::run(engine, args, sink.as_mut(), settings, log.as_mut()) {
            Ok(result) => result,
            Err(code) => return code,
        },
    };
    let code = match result {
        Ok(summary) => match sink.finish() {
            Ok(()) => summary_code(summary),
            Err(e) => {
                eprintln!("error: writing the output failed: {e}");
                EXIT_STOPPED
            }
        },
        Err(stopped) => report_stop(sink.as_mut(), &stopped),
    };
    drop(sink);
    match out.flush() {
        Ok(()) => code,
        Err(e) => {
            eprintln!("error: writing the output failed: {e}");
            EXIT_STOPPED
        }
    }
}

/// Says where a run stopped: on stderr always, and as a final record when the output still
/// works.
fn report_stop(sink: &mut dyn Sink, stopped: &Stopped) -> u8 {
    let (what, error) = match &stopped.cause {
        StopCause::Input(e) => ("reading the input", e),
        StopCause::Output(e) => ("writing the output", e),
    };
    let reason = format!("{what} failed: {}", error.kind());
    if matches!(stopped.cause, StopCause::Input(_)) {
        let _ = sink.stopped(stopped.after_record, &reason);
        let _ = sink.finish();
    }
    eprintln!(
        "error: stopped after record {} ({reason}; {} decided, {} rejected); rerun with \
         --resume-after {} to continue",
        stopped.after_record,
        stopped.summary.decided,
        stopped.summary.rejected,
        stopped.after_record
    );
    EXIT_STOPPED
}

/// 0 every record decided, 1 some rejected.
fn summary_code(summary: Summary) -> u8 {
    if summary.rejected == 0 {
        0
    } else {
        eprintln!(
            "{} record(s) rejected, {} decided",
            summary.rejected, summary.decided
        );
        1
    }
}
