//! The check loop every format shares: read records, decide each claim in input order with
//! the history of the claims before it, and hand decisions and error records to a sink.
//!
//! Readers turn their input into [`Item`]s (a claim, or a record that is not one, each with
//! the fields that locate it in that format); sinks write them in an output format. The loop
//! itself knows neither, which is what lets `--input` and `--output` combine freely.

use std::io::{self, BufRead, Write};

use payerlex::{
    parse_claim, CheckError, CheckOptions, Claim, Decision, Engine, ErrorRecord, InMemoryHistory,
    Timestamp,
};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// Format-specific fields of an error record (e.g. X12 coordinates), in output order.
pub type Details = Vec<(&'static str, serde_json::Value)>;

/// One input record.
pub enum Item {
    /// A claim to decide.
    Claim {
        /// The record number error records use.
        record: usize,
        claim: Box<Claim>,
        /// Fields for an error record about this claim.
        details: Details,
        /// Fields for an error record about its payer (no pack for it), when the format
        /// knows where the payer was named.
        payer_details: Option<Details>,
    },
    /// A record that is not a claim.
    Rejected(Rejection),
}

/// An error record: `{"record":N,"error":"...","code":"PLX-...", ...details}`.
#[derive(Debug)]
pub struct Rejection {
    pub record: usize,
    pub error: String,
    /// The stable diagnostic code, when the problem has one.
    pub code: Option<String>,
    pub details: Details,
}

impl Rejection {
    /// The error record for a library error (its message and code).
    pub fn from_library(record: ErrorRecord, details: Details) -> Self {
        Self {
            record: record.record,
            error: record.error,
            code: Some(record.code).filter(|c| !c.is_empty()),
            details,
        }
    }
}

impl Serialize for Rejection {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("record", &self.record)?;
        map.serialize_entry("error", &self.error)?;
        if let Some(code) = &self.code {
            map.serialize_entry("code", code)?;
        }
        for (key, value) in &self.details {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// Writes decisions and error records in one output format.
pub trait Sink {
    /// Writes a decision; `Ok(false)` when the decision could not be expressed in the format
    /// (the sink then wrote an error record for it).
    fn decided(&mut self, record: usize, claim: &Claim, decision: &Decision) -> io::Result<bool>;
    /// Writes an error record.
    fn rejected(&mut self, rejection: &Rejection) -> io::Result<()>;
    /// Flushes what the sink buffers.
    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// What a run decided.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub decided: usize,
    pub rejected: usize,
}

/// Decides every item in order, each decided claim joining the history of later ones.
pub fn decide(
    engine: &Engine,
    items: impl Iterator<Item = io::Result<Item>>,
    sink: &mut dyn Sink,
    options: CheckOptions,
) -> io::Result<Summary> {
    let mut history = InMemoryHistory::with_look_back(engine.look_back_days());
    let mut summary = Summary::default();
    for item in items {
        match item? {
            Item::Claim {
                record,
                claim,
                details,
                payer_details,
            } => match engine.check_with(&claim, &history, options) {
                Ok(mut decision) => {
                    decision.decided_at = Some(Timestamp::now());
                    history.record(&claim, &decision);
                    if sink.decided(record, &claim, &decision)? {
                        summary.decided += 1;
                    } else {
                        summary.rejected += 1;
                    }
                }
                Err(error) => {
                    let details = match (&error, payer_details) {
                        (CheckError::UnknownPayer { .. }, Some(payer)) => payer,
                        _ => details,
                    };
                    let rejection =
                        Rejection::from_library(ErrorRecord::new(record, &error), details);
                    sink.rejected(&rejection)?;
                    summary.rejected += 1;
                }
            },
            Item::Rejected(rejection) => {
                sink.rejected(&rejection)?;
                summary.rejected += 1;
            }
        }
    }
    Ok(summary)
}

/// JSON Lines input: one claim per non-blank line, numbered by line.
pub fn json_items(input: impl BufRead) -> impl Iterator<Item = io::Result<Item>> {
    input.lines().enumerate().filter_map(|(index, line)| {
        let record = index + 1;
        let line = match line {
            Ok(line) if line.trim().is_empty() => return None,
            Ok(line) => line,
            Err(e) => return Some(Err(e)),
        };
        Some(Ok(match parse_claim(&line) {
            Ok(claim) => Item::Claim {
                record,
                claim: Box::new(claim),
                details: Vec::new(),
                payer_details: None,
            },
            Err(error) => Item::Rejected(Rejection::from_library(
                ErrorRecord::new(record, &error),
                Vec::new(),
            )),
        }))
    })
}

/// The JSON contract's output: one decision or error record per line.
pub struct JsonSink<W: Write> {
    out: W,
}

impl<W: Write> JsonSink<W> {
    pub fn new(out: W) -> Self {
        Self { out }
    }
}

impl<W: Write> Sink for JsonSink<W> {
    fn decided(&mut self, _record: usize, _claim: &Claim, decision: &Decision) -> io::Result<bool> {
        serde_json::to_writer(&mut self.out, decision)?;
        self.out.write_all(b"\n")?;
        Ok(true)
    }

    fn rejected(&mut self, rejection: &Rejection) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, rejection)?;
        self.out.write_all(b"\n")
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
