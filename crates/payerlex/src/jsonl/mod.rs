//! The JSON Lines contract: one claim per input line, one decision or error record per
//! output line, in the same order.
//!
//! A record that is not a valid claim becomes `{"record":N,"error":"..."}` and every other
//! record is still decided. Claims are decided in file order and each decided claim joins the
//! patient's history, so later claims see earlier ones.

use std::io::{self, BufRead, Write};

use serde::Serialize;

use crate::engine::Engine;
use crate::eval::CheckOptions;
use crate::facts::{Claim, InMemoryHistory};
use crate::records::RecordReader;

use crate::redact;

/// What a run decided.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RunSummary {
    /// Records decided.
    pub decided: usize,
    /// Records rejected (error records written).
    pub rejected: usize,
}

/// An error record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorRecord {
    /// 1-based line number of the record in the input.
    pub record: usize,
    /// What is wrong and where (the field's JSON path, never its value).
    pub error: String,
    /// The stable code of the problem (`PLX-R001`...), listed in `docs/diagnostics.md`.
    pub code: String,
}

impl ErrorRecord {
    /// The error record for `record`, from any typed error with a code.
    pub fn new(record: usize, error: &(impl miette::Diagnostic + ?Sized)) -> Self {
        Self {
            record,
            error: error.to_string(),
            code: error.code().map(|c| c.to_string()).unwrap_or_default(),
        }
    }
}

/// Why a record is not a claim: the JSON path of the field at fault (empty for the record
/// as a whole), what is wrong with it, and the column where reading stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[error("{}{message} (column {column})", if path.is_empty() { "invalid claim: ".to_owned() } else { format!("{path}: ") })]
#[diagnostic(code("PLX-R001"))]
pub struct ClaimParseError {
    /// JSON path of the field (`lines[0].code`), empty when the record itself is malformed.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// 1-based column in the record where the problem was found.
    pub column: usize,
}

/// Parses one record into a claim, naming the field at fault (never its value: see
/// `redact`).
///
/// Valid records (nearly all) are read by `serde_json` alone; only a record that fails is
/// read again with `serde_path_to_error` to name the field at fault. Tracking the path on
/// every record cost almost half of reading it (26,000 against 14,400 instructions for a
/// generated claim).
pub fn parse_claim(text: &str) -> Result<Claim, ClaimParseError> {
    match serde_json::from_str(text) {
        Ok(claim) => Ok(claim),
        Err(_) => parse_claim_tracking_path(text),
    }
}

/// [`parse_claim`] with the JSON path of every value tracked, for the error of a bad record.
fn parse_claim_tracking_path(text: &str) -> Result<Claim, ClaimParseError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let claim: Claim = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = redact::redact_path(&e.path().to_string());
        let inner = e.into_inner();
        // serde_json says "at line 1 column N"; a record is one line, so keep the column only.
        let column = inner.column();
        let message = inner.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message);
        let path = if path.is_empty() || path == "." || path == "?" {
            String::new()
        } else {
            path
        };
        ClaimParseError {
            path,
            message: redact::redact_message(message),
            column,
        }
    })?;
    deserializer.end().map_err(|e| ClaimParseError {
        path: String::new(),
        message: "trailing characters after the claim".into(),
        column: e.column(),
    })?;
    Ok(claim)
}

/// The warning on a decision whose patient's earlier history was evicted from a batch
/// run's memory (the `history_lines_total` limit).
pub const EVICTED_WARNING: &str =
    "history: this patient's earlier claims were evicted from memory \
     (history_lines_total limit); edits that read history did not see them";

/// Decides every record of `input`, writing exactly one output line per input line, in
/// order: a decision, or an error record for a line that is not a claim (whatever its bytes:
/// empty, not UTF-8, longer than the engine's `record_bytes` limit, or not a valid claim).
///
/// Each output line is serialised whole and handed to `output` in one `write_all`, so a
/// buffered writer never holds half a record: if the process dies, what reached the output
/// is whole records. An `Err` is an I/O failure of the input or output; the records before
/// it were written.
pub fn check_jsonl(
    engine: &Engine,
    input: impl BufRead,
    mut output: impl Write,
    options: CheckOptions,
) -> io::Result<RunSummary> {
    let mut history = InMemoryHistory::for_engine(engine);
    let mut summary = RunSummary::default();
    let mut records = RecordReader::with_max_bytes(input, engine.limits().record_bytes);
    let mut line = Vec::with_capacity(4096);
    while let Some(record) = records.next_record()? {
        let number = record.number;
        let result = record
            .text
            .map_err(|e| ErrorRecord::new(number, &e))
            .and_then(|text| parse_claim(text).map_err(|e| ErrorRecord::new(number, &e)))
            .and_then(|claim| {
                let mut decision = engine
                    .check_with(&claim, &history, options)
                    .map_err(|e| ErrorRecord::new(number, &e))?;
                decision.decided_at = Some(crate::eval::Timestamp::now());
                if history.was_evicted(&claim.payer, &claim.patient) {
                    decision.warnings.push(EVICTED_WARNING.to_owned());
                }
                history.record(&claim, &decision);
                Ok(decision)
            });
        line.clear();
        match result {
            Ok(decision) => {
                serde_json::to_writer(&mut line, &decision)?;
                summary.decided += 1;
            }
            Err(error) => {
                serde_json::to_writer(&mut line, &error)?;
                summary.rejected += 1;
            }
        }
        line.push(b'\n');
        output.write_all(&line)?;
    }
    output.flush()?;
    Ok(summary)
}
