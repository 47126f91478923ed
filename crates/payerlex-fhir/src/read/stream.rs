//! Reading claims from a stream: NDJSON record by record, or one pretty-printed document.
//!
//! Both shapes start with `{`, so the first record decides: when the first non-blank line is
//! a complete JSON value (or broken JSON that is not merely cut short) the input is NDJSON;
//! when the JSON on it ends early, the input is one document spread over lines, read whole.
//! Lines are read into a buffer that never grows past the record limit (a longer line is
//! skipped to its end and reported), so a file with no newline cannot exhaust memory.

use std::collections::VecDeque;
use std::io::{BufRead, Read};

use serde_json::Value;

use super::document::Document;
use super::ReadOptions;
use crate::error::{sanitized_serde_message, FhirError, Problem, ProblemKind};
use crate::payerlex_api::Claim;

/// An iterator of claims read from FHIR JSON or NDJSON: one item per `Claim` resource.
///
/// Errors carry their record number (the NDJSON line, or 1 for a single document). After
/// an I/O error ([`FhirError::is_fatal`]) the iterator ends.
#[derive(Debug)]
pub struct FhirReader<R> {
    input: R,
    options: ReadOptions,
    line: Vec<u8>,
    record: usize,
    shape: Shape,
    pending: VecDeque<Result<Claim, FhirError>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Undecided,
    Ndjson,
    Finished,
}

/// One bounded line read.
enum LineRead {
    /// End of input.
    End,
    /// A line (in the buffer, without its newline).
    Line,
    /// A line longer than the limit, skipped.
    TooLong,
}

impl<R: BufRead> FhirReader<R> {
    /// Reads claims from `input`.
    pub fn new(input: R, options: ReadOptions) -> Self {
        Self {
            input,
            options,
            line: Vec::new(),
            record: 0,
            shape: Shape::Undecided,
            pending: VecDeque::new(),
        }
    }

    fn read_line(&mut self) -> std::io::Result<LineRead> {
        self.line.clear();
        let limit = self.options.max_record_bytes;
        let mut too_long = false;
        let mut read_any = false;
        loop {
            let available = self.input.fill_buf()?;
            if available.is_empty() {
                return Ok(match (read_any, too_long) {
                    (false, _) => LineRead::End,
                    (true, true) => LineRead::TooLong,
                    (true, false) => LineRead::Line,
                });
            }
            read_any = true;
            let newline = available.iter().position(|&b| b == b'\n');
            let chunk = newline.unwrap_or(available.len());
            if !too_long {
                if self.line.len() + chunk > limit {
                    too_long = true;
                    self.line.clear();
                } else {
                    self.line.extend_from_slice(&available[..chunk]);
                }
            }
            let consumed = newline.map_or(chunk, |at| at + 1);
            self.input.consume(consumed);
            if newline.is_some() {
                return Ok(if too_long {
                    LineRead::TooLong
                } else {
                    LineRead::Line
                });
            }
        }
    }

    /// Reads the next record into `pending`; false at the end of input.
    fn advance(&mut self) -> bool {
        loop {
            if self.shape == Shape::Finished {
                return false;
            }
            let read = match self.read_line() {
                Ok(read) => read,
                Err(error) => {
                    self.record += 1;
                    self.fail(io_error(&error));
                    return true;
                }
            };
            self.record += 1;
            match read {
                LineRead::End => {
                    self.shape = Shape::Finished;
                    return false;
                }
                LineRead::TooLong => {
                    let error = too_large(self.options.max_record_bytes);
                    self.push_error(error);
                    return true;
                }
                LineRead::Line => {}
            }
            let Ok(text) = std::str::from_utf8(&self.line) else {
                self.push_error(json_error("the record is not UTF-8 text".to_owned()));
                return true;
            };
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            let value = match serde_json::from_str::<Value>(text) {
                Ok(value) => value,
                Err(error) if self.shape == Shape::Undecided && error.is_eof() => {
                    self.read_whole_document();
                    return true;
                }
                Err(error) => {
                    self.shape = Shape::Ndjson;
                    self.push_error(json_error(sanitized_serde_message(&error)));
                    return true;
                }
            };
            self.shape = Shape::Ndjson;
            self.push_document(Document::from_value(value));
            return true;
        }
    }

    /// The first line was the start of a longer JSON value: read the rest as one document.
    fn read_whole_document(&mut self) {
        self.shape = Shape::Finished;
        let limit = self.options.max_record_bytes;
        let mut text = std::mem::take(&mut self.line);
        text.push(b'\n');
        let allowance = limit.saturating_sub(text.len()) as u64 + 1;
        if let Err(error) = (&mut self.input).take(allowance).read_to_end(&mut text) {
            self.fail(io_error(&error));
            return;
        }
        if text.len() > limit {
            self.push_error(too_large(limit));
            return;
        }
        match std::str::from_utf8(&text) {
            Ok(text) => {
                let document = Document::parse(text);
                self.push_document(document);
            }
            Err(_) => self.push_error(json_error("the input is not UTF-8 text".to_owned())),
        }
    }

    fn push_document(&mut self, document: Result<Document, FhirError>) {
        match document {
            Ok(document) => {
                for result in super::claims_of(&document, &self.options.payers) {
                    match result {
                        Ok(claim) => self.pending.push_back(Ok(claim)),
                        Err(error) => self.push_error(error),
                    }
                }
            }
            Err(error) => self.push_error(error),
        }
    }

    fn push_error(&mut self, mut error: FhirError) {
        error.record = Some(self.record);
        self.pending.push_back(Err(error));
    }

    fn fail(&mut self, error: FhirError) {
        self.shape = Shape::Finished;
        self.push_error(error);
    }
}

impl<R: BufRead> Iterator for FhirReader<R> {
    type Item = Result<Claim, FhirError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(next) = self.pending.pop_front() {
                return Some(next);
            }
            if !self.advance() {
                return None;
            }
        }
    }
}

/// The error for a record over the size limit.
pub(crate) fn too_large(limit: usize) -> FhirError {
    FhirError::single(Problem::new("(record)", ProblemKind::TooLarge { limit }))
}

fn json_error(message: String) -> FhirError {
    FhirError::single(Problem::new("(record)", ProblemKind::Json { message }))
}

fn io_error(error: &std::io::Error) -> FhirError {
    FhirError::single(Problem::new(
        "(input)",
        ProblemKind::Io {
            message: error.kind().to_string(),
        },
    ))
}
