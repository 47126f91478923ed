//! `POST /v1/check` (one claim) and `POST /v1/check/batch` (NDJSON in, NDJSON out).
//!
//! Both take the engine in force once, when the request arrives, and decide everything the
//! request holds with it: a reload during a batch does not change the packs halfway through.
//! A batch decides its records in order, so later claims of a patient see the earlier ones,
//! as with `payerlex check`; the records that arrive together are decided as a group in one
//! store transaction (one write to disk), and answered once the group is durable. The answer
//! streams: each group's decisions (or error records, `{"record":N,"error":...,"code":...}`)
//! are written as soon as they are durable, so memory does not grow with the batch.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use utoipa::IntoParams;

use super::body::{body_error, read_all, read_text};
use super::formats::{json_line, read_all as read_format, Format, Read};
use crate::checking::{decide_and_record, decide_group};
use crate::engine_slot::LoadedEngine;
use crate::errors::{codes, ApiError, ErrorBody};
use crate::payerlex_api::{parse_claim, CheckOptions, Claim, ErrorRecord};
use crate::state::AppState;

/// Query parameters of the check routes.
#[derive(Debug, Clone, Copy, Default, Deserialize, IntoParams)]
pub struct CheckQuery {
    /// Attach a clause-level explanation to every finding.
    #[serde(default)]
    pub explain: bool,
}

impl CheckQuery {
    fn options(self) -> CheckOptions {
        CheckOptions {
            explain: self.explain,
        }
    }
}

/// Decides one claim.
#[utoipa::path(
    post,
    path = "/v1/check",
    tag = "check",
    params(CheckQuery),
    request_body(description = "One claim: JSON (the JSON contract), an X12 837 interchange \
        holding one claim, or one FHIR R4 Claim (with --payer-map for their payer ids)",
        content(
            (Object = "application/json"),
            (String = "application/edi-x12"),
            (Object = "application/fhir+json"),
        )),
    responses(
        (status = 200, description = "The decision (JSON contract), recorded before it is answered", body = Object),
        (status = 400, description = "The body is not a claim", body = ErrorBody),
        (status = 408, description = "Time limit reached"),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "A content type other than JSON, X12 or FHIR", body = ErrorBody),
        (status = 422, description = "Unknown payer, or an inconsistent claim", body = ErrorBody),
        (status = 503, description = "The state store failed; nothing was recorded", body = ErrorBody),
    )
)]
pub async fn check_one(
    State(state): State<Arc<AppState>>,
    Query(query): Query<CheckQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let claim = match Format::of(&headers)? {
        Format::Json => {
            let text = read_text(body).await?;
            parse_claim(&text).map_err(|e| ApiError::bad_claim(&e))?
        }
        format => one_claim(&state, format, read_all(body).await?).await?,
    };
    let loaded = state.engines.current();
    let decision = tokio::task::spawn_blocking(move || {
        decide_and_record(&state, &loaded, &claim, query.options())
    })
    .await
    .map_err(|_| ApiError::internal("the check"))??;
    Ok(Json(decision).into_response())
}

/// The one claim of an X12 or FHIR body.
async fn one_claim(state: &Arc<AppState>, format: Format, body: Bytes) -> Result<Claim, ApiError> {
    let reading = state.clone();
    let mut reads =
        tokio::task::spawn_blocking(move || read_format(format, &body, &reading.payers))
            .await
            .map_err(|_| ApiError::internal("reading the claim"))??;
    if reads.len() != 1 {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            codes::UNREADABLE_BODY,
            format!(
                "the body holds {} records; send several to /v1/check/batch",
                reads.len()
            ),
        ));
    }
    match reads.pop() {
        Some(Read::Claim(_, claim)) => Ok(*claim),
        Some(Read::Error(line)) => {
            let record: serde_json::Value = serde_json::from_slice(&line).unwrap_or_default();
            Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                codes::UNREADABLE_BODY,
                record["error"]
                    .as_str()
                    .unwrap_or("the claim could not be read"),
            ))
        }
        None => Err(ApiError::internal("reading the claim")),
    }
}

/// Decides a stream of claims (NDJSON), answering a stream of decisions.
#[utoipa::path(
    post,
    path = "/v1/check/batch",
    tag = "check",
    params(CheckQuery),
    request_body(description = "Claims: JSON Lines (one per line; blank lines skipped but \
        counted; streamed), an X12 837 interchange, or FHIR R4 Claims (a Claim, a Bundle, or NDJSON)",
        content(
            (String = "application/x-ndjson"),
            (String = "application/edi-x12"),
            (String = "application/fhir+json"),
        )),
    responses(
        (status = 200, description = "One line per record, in order: a decision, or an error record \
            `{\"record\":N,\"error\":...,\"code\":...}` (N = the record's 1-based line number)",
            body = String, content_type = "application/x-ndjson"),
        (status = 400, description = "An X12 body that is not an interchange", body = ErrorBody),
        (status = 413, description = "Content-Length above the batch limit (X12 and FHIR: the body)"),
        (status = 415, description = "A content type other than JSON, X12 or FHIR", body = ErrorBody),
    )
)]
pub async fn check_batch(
    State(state): State<Arc<AppState>>,
    Query(query): Query<CheckQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let format = Format::of(&headers)?;
    let loaded = state.engines.current();
    let (sender, receiver) = mpsc::channel::<Bytes>(32);
    if format == Format::Json {
        tokio::spawn(run_batch(state, loaded, body, sender, query.options()));
    } else {
        // An interchange or a Bundle is read whole before anything is decided, so its
        // problems as a whole are answered with a status, not in the stream.
        let body = read_all(body).await?;
        let reading = state.clone();
        let reads =
            tokio::task::spawn_blocking(move || read_format(format, &body, &reading.payers))
                .await
                .map_err(|_| ApiError::internal("reading the body"))??;
        tokio::spawn(run_reads(state, loaded, reads, sender, query.options()));
    }
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver
            .recv()
            .await
            .map(|chunk| (Ok::<_, std::convert::Infallible>(chunk), receiver))
    });
    Ok((
        [(CONTENT_TYPE, "application/x-ndjson")],
        Body::from_stream(stream),
    )
        .into_response())
}

/// Decides records already read (X12, FHIR) group by group, sending each group's answers.
async fn run_reads(
    state: Arc<AppState>,
    loaded: Arc<LoadedEngine>,
    reads: Vec<Read>,
    sender: mpsc::Sender<Bytes>,
    options: CheckOptions,
) {
    let mut reads = reads.into_iter().peekable();
    while reads.peek().is_some() {
        let group: Vec<Read> = reads.by_ref().take(GROUP).collect();
        let work_state = state.clone();
        let work_engine = loaded.clone();
        let answers = tokio::task::spawn_blocking(move || {
            answer_reads(&work_state, &work_engine, group, options)
        })
        .await;
        let Ok(answers) = answers else {
            let error = ApiError::internal("the batch");
            let _ = sender.send(json_line(&error.body)).await;
            return;
        };
        for answer in answers {
            if sender.send(answer).await.is_err() {
                return;
            }
        }
    }
}

/// An error record that ends or interrupts a batch.
#[derive(Debug, Serialize)]
struct BatchError<'a> {
    record: usize,
    error: &'a str,
    code: &'a str,
}

/// Splits the body into lines and decides them in order, sending each answer line.
async fn run_batch(
    state: Arc<AppState>,
    loaded: Arc<LoadedEngine>,
    body: Body,
    sender: mpsc::Sender<Bytes>,
    options: CheckOptions,
) {
    let deadline = Instant::now() + state.limits.batch_timeout;
    let max_record = state.limits.max_batch_record_bytes;
    let mut lines = LineSplitter::new(max_record);
    let mut stream = body.into_data_stream();
    let mut ended = false;
    while !ended {
        let chunk = match tokio::time::timeout_at(deadline.into(), stream.next()).await {
            Err(_) => {
                let record = lines.next_record();
                let error = ApiError::new(
                    axum::http::StatusCode::REQUEST_TIMEOUT,
                    codes::TIME_LIMIT,
                    "the batch time limit was reached; later records were not decided",
                );
                let _ = send_error(&sender, record, &error.body).await;
                return;
            }
            Ok(Some(Ok(chunk))) => chunk,
            Ok(Some(Err(error))) => {
                let record = lines.next_record();
                let _ = send_error(&sender, record, &body_error(&error).body).await;
                return;
            }
            Ok(None) => {
                ended = true;
                Bytes::new()
            }
        };
        let records = if ended {
            lines.finish()
        } else {
            lines.push(&chunk)
        };
        if records.is_empty() {
            continue;
        }
        let work_state = state.clone();
        let work_engine = loaded.clone();
        let answers = tokio::task::spawn_blocking(move || {
            answer_records(&work_state, &work_engine, records, options)
        })
        .await;
        let Ok(answers) = answers else {
            let error = ApiError::internal("the batch");
            let _ = send_error(&sender, lines.next_record(), &error.body).await;
            return;
        };
        for answer in answers {
            if sender.send(answer).await.is_err() {
                return; // the client went away
            }
        }
    }
}

async fn send_error(
    sender: &mpsc::Sender<Bytes>,
    record: usize,
    body: &ErrorBody,
) -> Result<(), mpsc::error::SendError<Bytes>> {
    let line = BatchError {
        record,
        error: &body.error,
        code: body.code.as_deref().unwrap_or_default(),
    };
    sender.send(json_line(&line)).await
}

/// Most claims decided in one group (one transaction): bounds how long a batch holds its
/// patients' locks and the store's writer.
const GROUP: usize = 256;

/// The answer lines for records read together (blocking): error records for those that are
/// not claims, decisions for the others, decided in groups ([`decide_group`]), in order.
fn answer_records(
    state: &AppState,
    loaded: &LoadedEngine,
    records: Vec<Record>,
    options: CheckOptions,
) -> Vec<Bytes> {
    let reads = records
        .into_iter()
        .map(|record| match parse_record(record) {
            Ok((number, claim)) => Read::Claim(number, Box::new(claim)),
            Err(answer) => Read::Error(answer),
        })
        .collect();
    answer_reads(state, loaded, reads, options)
}

/// The answer lines for records already read, in order (blocking).
fn answer_reads(
    state: &AppState,
    loaded: &LoadedEngine,
    reads: Vec<Read>,
    options: CheckOptions,
) -> Vec<Bytes> {
    let mut answers: Vec<Option<Bytes>> = vec![None; reads.len()];
    let mut claims = Vec::new();
    let mut places = Vec::new();
    for (slot, read) in reads.into_iter().enumerate() {
        match read {
            Read::Claim(number, claim) => {
                claims.push(*claim);
                places.push((slot, number));
            }
            Read::Error(answer) => answers[slot] = Some(answer),
        }
    }
    for (group, places) in claims.chunks(GROUP).zip(places.chunks(GROUP)) {
        let results = decide_group(state, loaded, group, options);
        for (&(slot, number), result) in places.iter().zip(results) {
            answers[slot] = Some(match result {
                Ok(decision) => json_line(&decision),
                Err(failure) => {
                    let error = ApiError::from(failure);
                    json_line(&BatchError {
                        record: number,
                        error: &error.body.error,
                        code: error.body.code.as_deref().unwrap_or_default(),
                    })
                }
            });
        }
    }
    answers.into_iter().flatten().collect()
}

/// A record's claim and number, or the error record answering it.
fn parse_record(record: Record) -> Result<(usize, Claim), Bytes> {
    let (number, text) = match record {
        Record::TooLong(number) => {
            return Err(json_line(&BatchError {
                record: number,
                error: "the record is longer than the batch record limit",
                code: codes::RECORD_TOO_LARGE,
            }));
        }
        Record::Line(number, text) => (number, text),
    };
    let Ok(text) = std::str::from_utf8(&text) else {
        return Err(json_line(&BatchError {
            record: number,
            error: "the record is not UTF-8 text",
            code: codes::UNREADABLE_BODY,
        }));
    };
    parse_claim(text)
        .map(|claim| (number, claim))
        .map_err(|error| json_line(&ErrorRecord::new(number, &error)))
}

/// One input record of a batch.
#[derive(Debug)]
enum Record {
    /// A non-blank line and its 1-based number.
    Line(usize, Vec<u8>),
    /// A line over the record limit (skipped up to its end).
    TooLong(usize),
}

/// Cuts a byte stream into lines, numbering them, holding at most one record in memory.
#[derive(Debug)]
struct LineSplitter {
    max_record: usize,
    current: BytesMut,
    number: usize,
    skipping: bool,
}

impl LineSplitter {
    fn new(max_record: usize) -> Self {
        Self {
            max_record,
            current: BytesMut::new(),
            number: 0,
            skipping: false,
        }
    }

    /// The number the next record would get.
    fn next_record(&self) -> usize {
        self.number + 1
    }

    /// The records completed by `chunk`.
    fn push(&mut self, chunk: &[u8]) -> Vec<Record> {
        let mut out = Vec::new();
        let mut rest = chunk;
        while let Some(end) = rest.iter().position(|&b| b == b'\n') {
            let (line, after) = rest.split_at(end);
            self.append(line);
            if let Some(record) = self.complete() {
                out.push(record);
            }
            rest = after.get(1..).unwrap_or_default();
        }
        self.append(rest);
        out
    }

    /// The last record, when the body does not end with a newline.
    fn finish(&mut self) -> Vec<Record> {
        if self.current.is_empty() && !self.skipping {
            return Vec::new();
        }
        self.complete().into_iter().collect()
    }

    fn append(&mut self, bytes: &[u8]) {
        if self.skipping {
            return;
        }
        if self.current.len() + bytes.len() > self.max_record {
            self.skipping = true;
            self.current.clear();
        } else {
            self.current.extend_from_slice(bytes);
        }
    }

    fn complete(&mut self) -> Option<Record> {
        self.number += 1;
        if std::mem::take(&mut self.skipping) {
            return Some(Record::TooLong(self.number));
        }
        let line = self.current.split().to_vec();
        if line.iter().all(u8::is_ascii_whitespace) {
            None
        } else {
            Some(Record::Line(self.number, line))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn numbers(records: &[Record]) -> Vec<(usize, bool)> {
        records
            .iter()
            .map(|r| match r {
                Record::Line(n, _) => (*n, true),
                Record::TooLong(n) => (*n, false),
            })
            .collect()
    }

    #[test]
    fn lines_split_across_chunks_are_numbered_like_the_cli() {
        let mut splitter = LineSplitter::new(100);
        let mut records = splitter.push(b"{\"a\":1}\n\n{\"b\"");
        records.extend(splitter.push(b":2}\n  \n{\"c\":3}"));
        records.extend(splitter.finish());
        assert_eq!(numbers(&records), vec![(1, true), (3, true), (5, true)]);
        let Record::Line(_, text) = &records[1] else {
            panic!("expected a line")
        };
        assert_eq!(text, b"{\"b\":2}");
    }

    #[test]
    fn a_record_over_the_limit_is_skipped_to_its_end() {
        let mut splitter = LineSplitter::new(8);
        let mut records = splitter.push(b"0123456789");
        records.extend(splitter.push(b"abc\n{\"x\":1}\n"));
        records.extend(splitter.finish());
        assert_eq!(numbers(&records), vec![(1, false), (2, true)]);
    }
}
