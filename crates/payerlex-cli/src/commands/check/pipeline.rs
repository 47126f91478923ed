//! The check loop every format shares: read records, decide each claim in input order with
//! the history of the claims before it, and hand decisions and error records to a sink.
//!
//! Readers turn their input into [`Item`]s (a claim, or a record that is not one, each with
//! the fields that locate it in that format); sinks write them in an output format. The loop
//! itself knows neither, which is what lets `--input` and `--output` combine freely.

use std::io::{self, BufRead, Write};

use payerlex::{
    parse_claim, CheckError, CheckOptions, Claim, Decision, DecisionLogRecordRef, Engine,
    ErrorRecord, InMemoryHistory, RecordReader, Timestamp, EVICTED_WARNING,
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
    /// Whether decisions may reach this sink already serialised as JSON lines
    /// ([`Sink::decided_json`]): `--jobs` then serialises on the deciding threads.
    fn takes_json_lines(&self) -> bool {
        false
    }
    /// Writes a decision serialised by [`json_line`] (only called when
    /// [`Sink::takes_json_lines`]).
    fn decided_json(&mut self, _record: usize, _line: &[u8]) -> io::Result<bool> {
        Err(io::Error::other(
            "this output format does not take JSON lines",
        ))
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
    /// Threads deciding claims (`--jobs`); 0 and 1 decide on the calling thread.
    pub jobs: usize,
    /// With `--jobs`, claims handed to a deciding thread at a time (0 and 1: one at a time).
    /// Larger only for a regular input file: a host feeding claims one at a time on a pipe
    /// must get each decision before it sends the next.
    pub batch: usize,
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
}

impl DecisionLog {
    pub fn new(out: Box<dyn Write>) -> Self {
        Self { out }
    }

    /// Writes one serialised record and flushes it.
    fn write_line(&mut self, line: &[u8]) -> io::Result<()> {
        self.out.write_all(line)?;
        self.out.flush()
    }
}

/// Decides every item in order, each decided claim joining the history of later ones; with
/// `settings.jobs` above 1, [`super::parallel::decide`] spreads the claims over threads by
/// payer and patient with the same output.
pub fn decide(
    engine: &Engine,
    items: impl Iterator<Item = io::Result<Item>> + Send,
    sink: &mut dyn Sink,
    settings: RunSettings,
    log: Option<&mut DecisionLog>,
) -> Result<Summary, Stopped> {
    if settings.jobs > 1 {
        return super::parallel::decide(engine, items, sink, settings, log);
    }
    let mut history = InMemoryHistory::for_engine(engine);
    let mut run = Emitter::new(sink, settings, log);
    for item in items {
        let item = item.map_err(|e| run.stop(StopCause::Input(e)))?;
        let done = process(
            engine,
            &mut history,
            item,
            settings.options,
            run.logs(),
            false,
        );
        run.emit(done)?;
    }
    Ok(run.summary)
}

/// One item after deciding: what the emitter writes.
pub enum Done {
    Decided {
        record: usize,
        claim: Box<Claim>,
        decision: Box<Decision>,
        /// The decision log record (one JSON line), when `--log` asked for one.
        log_line: Option<io::Result<Vec<u8>>>,
    },
    /// A decision already serialised as its output line ([`json_line`]), by a deciding
    /// thread of `--jobs`, so the writing thread only writes bytes.
    Serialized {
        record: usize,
        line: io::Result<Vec<u8>>,
        log_line: Option<io::Result<Vec<u8>>>,
    },
    Rejected(Rejection),
}

impl Done {
    /// The record number of the item.
    pub fn record(&self) -> usize {
        match self {
            Done::Decided { record, .. } | Done::Serialized { record, .. } => *record,
            Done::Rejected(rejection) => rejection.record,
        }
    }
}

/// Decides one item against `history` and records a decided claim in it: the step each
/// thread of a run takes for the items of its patients. With `json_lines`, the decision
/// comes back serialised ([`Done::Serialized`]).
pub fn process(
    engine: &Engine,
    history: &mut InMemoryHistory,
    item: Item,
    options: CheckOptions,
    log: bool,
    json_lines: bool,
) -> Done {
    let (record, claim, details, payer_details) = match item {
        Item::Claim {
            record,
            claim,
            details,
            payer_details,
        } => (record, claim, details, payer_details),
        Item::Rejected(rejection) => return Done::Rejected(rejection),
    };
    match engine.check_with(&claim, &*history, options) {
        Ok(mut decision) => {
            decision.decided_at = Some(Timestamp::now());
            let log_line = log.then(|| {
                let read = engine.history_in_reach(&claim, &*history);
                let mut line = Vec::with_capacity(4096);
                serde_json::to_writer(
                    &mut line,
                    &DecisionLogRecordRef::new(&claim, &read, &decision),
                )
                .map(|()| {
                    line.push(b'\n');
                    line
                })
                .map_err(io::Error::from)
            });
            if history.was_evicted(&claim.payer, &claim.patient) {
                decision.warnings.push(EVICTED_WARNING.to_owned());
            }
            history.record(&claim, &decision);
            if json_lines {
                let mut line = Vec::with_capacity(2048);
                return Done::Serialized {
                    record,
                    line: json_line(&decision, &mut line).map(|()| line),
                    log_line,
                };
            }
            Done::Decided {
                record,
                claim,
                decision: Box::new(decision),
                log_line,
            }
        }
        Err(error) => {
            let details = match (&error, payer_details) {
                (CheckError::UnknownPayer { .. }, Some(payer)) => payer,
                _ => details,
            };
            Done::Rejected(Rejection::from_library(
                ErrorRecord::new(record, &error),
                details,
            ))
        }
    }
}

/// Writes decided items in the order it is given them, counts them, and knows where a run
/// stopped.
pub struct Emitter<'s, 'l> {
    sink: &'s mut dyn Sink,
    settings: RunSettings,
    log: Option<&'l mut DecisionLog>,
    pub summary: Summary,
    written: usize,
}

impl<'s, 'l> Emitter<'s, 'l> {
    pub fn new(
        sink: &'s mut dyn Sink,
        settings: RunSettings,
        log: Option<&'l mut DecisionLog>,
    ) -> Self {
        Self {
            sink,
            settings,
            log,
            summary: Summary::default(),
            written: 0,
        }
    }

    /// Whether decisions need a decision log record.
    pub fn logs(&self) -> bool {
        self.log.is_some()
    }

    /// The stop of this run, after the records written so far.
    pub fn stop(&self, cause: StopCause) -> Stopped {
        Stopped {
            after_record: self.written,
            cause,
            summary: self.summary,
        }
    }

    /// Writes one item (records up to `--resume-after` only count as history).
    pub fn emit(&mut self, done: Done) -> Result<(), Stopped> {
        let record = done.record();
        if record <= self.settings.resume_after {
            return Ok(());
        }
        let result = match done {
            Done::Decided {
                record,
                claim,
                decision,
                log_line,
            } => {
                if let (Some(log), Some(line)) = (self.log.as_deref_mut(), log_line) {
                    line.and_then(|line| log.write_line(&line))
                        .map_err(|e| self.stop(StopCause::Output(e)))?;
                }
                self.sink.decided(record, &claim, &decision)
            }
            Done::Serialized {
                record,
                line,
                log_line,
            } => {
                if let (Some(log), Some(log_line)) = (self.log.as_deref_mut(), log_line) {
                    log_line
                        .and_then(|log_line| log.write_line(&log_line))
                        .map_err(|e| self.stop(StopCause::Output(e)))?;
                }
                line.and_then(|line| self.sink.decided_json(record, &line))
            }
            Done::Rejected(rejection) => self.sink.rejected(&rejection).map(|()| false),
        };
        match result {
            Ok(true) => self.summary.decided += 1,
            Ok(false) => self.summary.rejected += 1,
            Err(e) => return Err(self.stop(StopCause::Output(e))),
        }
        self.written = record;
        Ok(())
    }
}

/// JSON Lines input: one record per line, whatever its bytes (see `payerlex::RecordReader`),
/// numbered by line.
pub fn json_items(
    input: impl BufRead + Send,
    max_record_bytes: usize,
) -> impl Iterator<Item = io::Result<Item>> + Send {
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
        json_line(record, &mut self.line)?;
        self.out.write_all(&self.line)?;
        self.out.flush()
    }
}

/// `record` as one line of the JSON contract, newline included, in `line` (cleared first):
/// the bytes [`JsonSink`] writes, whichever thread serialises them.
pub fn json_line(record: &impl Serialize, line: &mut Vec<u8>) -> io::Result<()> {
    line.clear();
    sonic_rs::to_writer(&mut *line, record).map_err(io::Error::other)?;
    line.push(b'\n');
    Ok(())
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

    fn takes_json_lines(&self) -> bool {
        true
    }

    fn decided_json(&mut self, _record: usize, line: &[u8]) -> io::Result<bool> {
        self.out.write_all(line)?;
        self.out.flush()?;
        Ok(true)
    }
}
