//! `--input fhir` and `--output fhir`: FHIR R4 `Claim`s (a resource, a `Bundle`, or NDJSON of
//! either) in, one `ClaimResponse` per claim out.
//!
//! Reading and writing live in the `payerlex-fhir` crate; this module turns its reader into the
//! check loop's items and its response writer into a sink.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};

use payerlex::{Claim, Decision, Engine};
use payerlex_fhir::{
    FhirError, FhirReader, PayerMap, Problem, ProblemKind, ReadOptions, ResponseWriter,
};
use serde_json::Value;

use super::pipeline::{
    decide, DecisionLog, Details, Item, Rejection, RunSettings, Sink, Stopped, Summary,
};
use super::CheckArgs;
use crate::commands::load::EXIT_POLICY_ERROR;

/// Reads the payer map and the FHIR input, then decides every claim. `Err` is the exit code
/// when the input or the map is unusable.
pub fn run(
    engine: &Engine,
    args: &CheckArgs,
    sink: &mut dyn Sink,
    settings: RunSettings,
    log: Option<&mut DecisionLog>,
) -> Result<Result<Summary, Stopped>, u8> {
    let fail = |message: String| {
        eprintln!("error: {message}");
        EXIT_POLICY_ERROR
    };
    let payers = match &args.payer_map {
        Some(path) => PayerMap::load(path).map_err(|e| fail(e.to_string()))?,
        None => PayerMap::new(),
    };
    let input: Box<dyn BufRead + Send> = if args.input.as_os_str() == "-" {
        Box::new(BufReader::new(io::stdin()))
    } else {
        let file = File::open(&args.input)
            .map_err(|e| fail(format!("cannot read `{}`: {e}", args.input.display())))?;
        Box::new(BufReader::new(file))
    };
    let reader = FhirReader::new(input, ReadOptions::with_payers(payers));
    Ok(decide(engine, items(reader), sink, settings, log))
}

/// One item per claim resource, numbered in reading order.
fn items<R: BufRead + Send>(
    reader: FhirReader<R>,
) -> impl Iterator<Item = io::Result<Item>> + Send {
    reader.enumerate().map(|(index, read)| {
        let record = index + 1;
        Ok(match read {
            Ok(claim) => Item::Claim {
                record,
                details: vec![("claim", Value::from(claim.id.clone()))],
                claim: Box::new(claim),
                payer_details: Some(vec![("element", Value::from("Claim.insurer"))]),
            },
            Err(error) => Item::Rejected(Rejection {
                record,
                error: error.to_string(),
                code: None,
                details: details(&error),
            }),
        })
    })
}

/// Where a FHIR error is: the NDJSON record, the Bundle entry, the claim id.
fn details(error: &FhirError) -> Details {
    let mut details: Details = Vec::new();
    if let Some(record) = error.record {
        details.push(("fhir_record", Value::from(record)));
    }
    if let Some(entry) = error.entry {
        details.push(("entry", Value::from(entry)));
    }
    if let Some(claim) = &error.claim_id {
        details.push(("claim", Value::from(claim.clone())));
    }
    details
}

/// `--output fhir`: one `ClaimResponse` per line (NDJSON), an error response for each record
/// that was not decided.
pub struct ResponseSink<W: Write> {
    out: W,
    writer: ResponseWriter,
}

impl<W: Write> ResponseSink<W> {
    pub fn new(out: W) -> Self {
        Self {
            out,
            writer: ResponseWriter::now(),
        }
    }

    fn write(&mut self, response: &impl serde::Serialize) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, response)?;
        self.out.write_all(b"\n")
    }
}

impl<W: Write> Sink for ResponseSink<W> {
    fn decided(&mut self, _record: usize, claim: &Claim, decision: &Decision) -> io::Result<bool> {
        let response = self.writer.decision(claim, decision);
        self.write(&response)?;
        Ok(true)
    }

    fn rejected(&mut self, rejection: &Rejection) -> io::Result<()> {
        let mut error = FhirError::single(Problem::new(
            "Claim",
            ProblemKind::Unsupported {
                what: rejection.error.clone(),
            },
        ));
        error.record = Some(rejection.record);
        let response = self.writer.error(&error);
        self.write(&response)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
