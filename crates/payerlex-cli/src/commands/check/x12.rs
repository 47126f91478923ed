//! `--input x12` and `--output x12-835`: X12 claims in, 835 adjustment segments out.
//!
//! The reading and writing live in the `payerlex-x12` crate; this module turns its records
//! into the check loop's items (error records get the 999 coordinates as extra fields) and
//! its adjustment writer into a sink.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

use payerlex::{Claim, Decision, Engine};
use payerlex_x12::{
    write_adjustments, ClaimSource, Coordinates, PayerMap, Reader, Record, RemitError, X12Error,
};
use serde_json::Value;

use super::pipeline::{
    decide, DecisionLog, Details, Item, Rejection, RunSettings, Sink, Stopped, Summary,
};
use super::CheckArgs;
use crate::commands::load::EXIT_POLICY_ERROR;

/// Largest X12 input read (the reader borrows segments from one buffer).
pub const MAX_X12_INPUT_BYTES: u64 = 1 << 30;

/// Reads the payer map and the interchange, then decides every claim. `Err` is the exit code
/// when the input is unusable (unreadable, too large, not an interchange).
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
        Some(path) => Some(PayerMap::load(path).map_err(|e| fail(e.to_string()))?),
        None => None,
    };
    let input = read_input(&args.input).map_err(fail)?;
    let reader = Reader::new(&input).map_err(|e| {
        fail(format!(
            "`{}` is not a usable X12 interchange: {e}",
            args.input.display()
        ))
    })?;
    let reader = match &payers {
        Some(payers) => reader.with_payer_map(payers),
        None => reader,
    };
    Ok(decide(engine, items(reader), sink, settings, log))
}

/// The whole input (file or `-` for stdin), bounded.
fn read_input(path: &Path) -> Result<Vec<u8>, String> {
    let mut input = Vec::new();
    let limited = |source: &mut dyn Read, input: &mut Vec<u8>| {
        source.take(MAX_X12_INPUT_BYTES + 1).read_to_end(input)
    };
    let read = if path.as_os_str() == "-" {
        limited(&mut io::stdin().lock(), &mut input)
    } else {
        File::open(path).and_then(|mut file| limited(&mut file, &mut input))
    };
    read.map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    if input.len() as u64 > MAX_X12_INPUT_BYTES {
        return Err(format!(
            "`{}` is larger than {MAX_X12_INPUT_BYTES} bytes",
            path.display()
        ));
    }
    Ok(input)
}

/// One item per reader record, numbered in output order.
fn items<'a>(reader: Reader<'a>) -> impl Iterator<Item = io::Result<Item>> + 'a {
    reader.enumerate().map(|(index, record)| {
        let record_number = index + 1;
        Ok(match record {
            Record::Claim(read) => {
                let details = claim_details(&read.source);
                let payer_details = Some(coordinates(None, &read.payer_coordinates()));
                Item::Claim {
                    record: record_number,
                    claim: Box::new(read.claim),
                    details,
                    payer_details,
                }
            }
            Record::Rejected(rejected) => rejection(record_number, &rejected.error),
            Record::Error(error) => rejection(record_number, &error),
        })
    })
}

fn rejection(record: usize, error: &X12Error) -> Item {
    let kind = serde_json::to_value(error.kind).unwrap_or(Value::Null);
    Item::Rejected(Rejection {
        record,
        error: error.to_string(),
        code: None,
        details: coordinates(Some(kind), &error.at),
    })
}

/// The 999 coordinates as error record fields, in a fixed order, absent ones left out.
fn coordinates(kind: Option<Value>, at: &Coordinates) -> Details {
    let mut details: Details = Vec::new();
    let mut put = |key: &'static str, value: Option<Value>| {
        if let Some(value) = value {
            details.push((key, value));
        }
    };
    put("kind", kind);
    put("interchange", at.interchange.clone().map(Value::from));
    put("group", at.group.clone().map(Value::from));
    put("transaction", at.transaction.clone().map(Value::from));
    put("segment", at.segment.map(Value::from));
    put("segment_id", at.segment_id.clone().map(Value::from));
    put("loop", at.loop_id.map(Value::from));
    put("element", at.element.map(Value::from));
    put("component", at.component.map(Value::from));
    put("value", at.value.clone().map(Value::from));
    put("claim", at.claim.clone().map(Value::from));
    put("offset", Some(Value::from(at.offset)));
    details
}

/// Where a claim is: its CLM segment.
fn claim_details(source: &ClaimSource) -> Details {
    let at = Coordinates {
        interchange: Some(source.interchange.to_string()),
        group: Some(source.group.to_string()),
        transaction: Some(source.transaction.to_string()),
        segment: Some(source.segment),
        segment_id: Some("CLM".to_owned()),
        loop_id: Some("2300"),
        claim: source.claim_id.clone(),
        offset: source.offset,
        ..Coordinates::default()
    };
    coordinates(None, &at)
}

/// `--output x12-835`: adjustment segments on `out`, error records (JSON) on `errors`.
pub struct RemitSink<W: Write, E: Write> {
    out: W,
    errors: E,
    buffer: Vec<u8>,
}

impl<W: Write, E: Write> RemitSink<W, E> {
    pub fn new(out: W, errors: E) -> Self {
        Self {
            out,
            errors,
            buffer: Vec::with_capacity(512),
        }
    }
}

impl<W: Write, E: Write> Sink for RemitSink<W, E> {
    fn decided(&mut self, record: usize, claim: &Claim, decision: &Decision) -> io::Result<bool> {
        self.buffer.clear();
        match write_adjustments(&mut self.buffer, claim, decision) {
            Ok(()) => {
                self.out.write_all(&self.buffer)?;
                Ok(true)
            }
            Err(RemitError::Io(e)) => Err(e),
            Err(e) => {
                let rejection = Rejection {
                    record,
                    error: e.to_string(),
                    code: None,
                    details: Vec::new(),
                };
                self.rejected(&rejection)?;
                Ok(false)
            }
        }
    }

    fn rejected(&mut self, rejection: &Rejection) -> io::Result<()> {
        serde_json::to_writer(&mut self.errors, rejection)?;
        self.errors.write_all(b"\n")
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()?;
        self.errors.flush()
    }
}
