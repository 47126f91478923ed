//! The check loop every format shares: read records, decide each claim in input order with
//! the history of the claims before it, and hand decisions and error records to a sink.
//!
//! Readers turn their input into [`Item`]s (a claim, or a record that is not one, each with
//! the fields that locate it in that format); sinks write them in an output format. The loop
//! itself knows neither, which is what lets `--input` and `--output` combine freely.

use std::io::{self, BufRead, Write};

use payerlex::{
    parse_claim, CheckError, CheckOptions, Claim, Decision, DecisionLogRecordRef, Engine,
    ErrorRecord, InMemoryHistory, PriorLine, RecordReader, Timestamp, EVICTED_WARNING,
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
    /// Says the run stopped after `after_record` (the input failed); formats without a place
    /// for it leave this to the message on stderr.
    fn stopped(&mut self, _after_record: usize, _reason: &str) -> io::Result<()> {
        Ok(())
    }
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

/// How a run goes: check options and where to resume.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunSettings {
    pub options: CheckOptions,
    /// Records up to this number are decided (they are the history of later ones) but not
    /// written: `--resume-after N` continues a run that stopped after record N.
    pub resume_after: usize,
}

/// A run that stopped before the end of its input.
#[derive(Debug)]
pub struct Stopped {
    /// The last record written (0 when none was).
    pub after_record: usize,
    /// Reading the input failed (a final line can still say where the run stopped), or
    /// writing the output did (nothing more can be written).
    pub cause: StopCause,
    /// What was decided before the stop.
    pub summary: Summary,
}

/// Why a run stopped.
#[derive(Debug)]
pub enum StopCause {
    Input(io::Error),
    Output(io::Error),
}

/// Where `--log` writes decision log records: each written whole and flushed.
pub struct DecisionLog {
    out: Box<dyn Write>,
    line: Vec<u8>,
}

impl DecisionLog {
    pub fn new(out: Box<dyn Write>) -> Self {
        Self {
            out,
            line: Vec::with_capacity(4096),
        }
    }

    fn write(
        &mut self,
        claim: &Claim,
        history: &[PriorLine],
        decision: &Decision,
    ) -> io::Result<()> {
        self.line.clear();
        serde_json::to_writer(
            &mut self.line,
            &DecisionLogRecordRef::new(claim, history, decision),
        )?;
        self.line.push(b'\n');
        self.out.write_all(&self.line)?;
        self.out.flush()
    }
}

/// Decides every item in order, each decided claim joining the history of later ones.
pub fn decide(
    engine: &Engine,
    items: impl Iterator<Item = io::Result<Item>>,
    sink: &mut dyn Sink,
    settings: RunSettings,
    mut log: Option<&mut DecisionLog>,
) -> Result<Summary, Stopped> {
    let mut history = InMemoryHistory::for_engine(engine);
    let mut summary = Summary::default();
    let mut written = 0usize;
    let stop = |cause, after_record, summary| Stopped {
        after_record,
        cause,
        summary,
    };
    for item in items {
        let item = item.map_err(|e| stop(StopCause::Input(e), written, summary))?;
        let record = item.record();
        let replaying = record <= settings.resume_after;
        let result = match item {
            Item::Claim {
                record,
                claim,
                details,
                payer_details,
            } => match engine.check_with(&claim, &history, settings.options) {
                Ok(mut decision) => {
                    decision.decided_at = Some(Timestamp::now());
                    if let (Some(log), false) = (log.as_deref_mut(), replaying) {
                        let read = engine.history_in_reach(&claim, &history);
                        log.write(&claim, &read, &decision)
                            .map_err(|e| stop(StopCause::Output(e), written, summary))?;
                    }
                    if history.was_evicted(&claim.payer, &claim.patient) {
                        decision.warnings.push(EVICTED_WARNING.to_owned());
                    }
                    history.record(&claim, &decision);
                    if replaying {
                        Ok(true)
                    } else {
                        sink.decided(record, &claim, &decision)
                    }
                }
                Err(error) => {
                    let details = match (&error, payer_details) {
                        (CheckError::UnknownPayer { .. }, Some(payer)) => payer,
                        _ => details,
                    };
                    let rejection =
                        Rejection::from_library(ErrorRecord::new(record, &error), details);
                    if replaying {
                        Ok(false)
                    } else {
                        sink.rejected(&rejection).map(|()| false)
                    }
                }
            },
            Item::Rejected(rejection) => {
                if replaying {
                    Ok(false)
                } else {
                    sink.rejected(&rejection).map(|()| false)
                }
            }
        };
        match result {
            Ok(_) if replaying => {}
            Ok(true) => summary.decided += 1,
            Ok(false) => summary.rejected += 1,
            Err(e) => return Err(stop(StopCause::Output(e), written, summary)),
        }
        if !replaying {
            written = record;
        }
    }
    Ok(summary)
}

impl Item {
    /// The record number of the item.
    pub fn record(&self) -> usize {
        match self {
            Item::Claim { record, .. } => *record,
            Item::Rejected(rejection) => rejection.record,
        }
    }
}

/// JSON Lines input: one record per line, whatever its bytes (see `payerlex::RecordReader`),
/// numbered by line.
pub fn json_items(
    input: impl BufRead,
    max_record_bytes: usize,
) -> impl Iterator<Item = io::Result<Item>> {
    let mut records = RecordReader::with_max_bytes(input, max_record_bytes);
    std::iter::from_fn(move || {
        let record = match records.next_record() {
            Ok(Some(record)) => record,
            Ok(None) => return None,
            Err(e) => return Some(Err(e)),
        };
        let number = record.number;
        let parsed = record
            .text
            .map_err(|e| ErrorRecord::new(number, &e))
            .and_then(|text| parse_claim(text).map_err(|e| ErrorRecord::new(number, &e)));
        Some(Ok(match parsed {
            Ok(claim) => Item::Claim {
                record: number,
                claim: Box::new(claim),
                details: Vec::new(),
                payer_details: None,
            },
            Err(error) => Item::Rejected(Rejection::from_library(error, Vec::new())),
        }))
    })
}

/// The JSON contract's output: one decision or error record per line.
///
/// Each record is serialised into a reused buffer and written with one `write_all`, then
/// flushed: the output only ever holds whole records, and a process killed mid-run has
/// already written every record it decided (`--resume-after` continues from there).
pub struct JsonSink<W: Write> {
    out: W,
    line: Vec<u8>,
}

impl<W: Write> JsonSink<W> {
    pub fn new(out: W) -> Self {
        Self {
            out,
            line: Vec::with_capacity(4096),
        }
    }

    fn write_record(&mut self, record: &impl Serialize) -> io::Result<()> {
        self.line.clear();
        serde_json::to_writer(&mut self.line, record)?;
        self.line.push(b'\n');
        self.out.write_all(&self.line)?;
        self.out.flush()
    }
}

impl<W: Write> Sink for JsonSink<W> {
    fn decided(&mut self, _record: usize, _claim: &Claim, decision: &Decision) -> io::Result<bool> {
        self.write_record(decision).map(|()| true)
    }

    fn rejected(&mut self, rejection: &Rejection) -> io::Result<()> {
        self.write_record(rejection)
    }

    fn stopped(&mut self, after_record: usize, reason: &str) -> io::Result<()> {
        self.write_record(&serde_json::json!({
            "stopped": {"after_record": after_record, "reason": reason}
        }))
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
