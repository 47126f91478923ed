//! Claims as billing systems send them: X12 837 interchanges (`Content-Type:
//! application/edi-x12`) and FHIR R4 `Claim` resources (`application/fhir+json`: a `Claim`, a
//! `Bundle`, or NDJSON of either), read by the `payerlex-x12` and `payerlex-fhir` crates exactly
//! as `payerlex check --input x12|fhir` reads them. JSON claims (`application/json`,
//! `application/x-ndjson`, or no content type) stay on their own streaming path.
//!
//! An interchange or a Bundle is read whole (it is not a sequence of independent lines), so
//! these bodies are buffered up to the route's body limit before any claim is decided. Payer
//! ids are mapped to packs with `--payer-map FILE` (the CLI's TOML format). Problems become
//! error records with the reader's message and, for X12, the coordinates a 999 reports.

use std::io::Cursor;
use std::path::Path;

use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use bytes::Bytes;
use serde_json::{Map, Value};

use crate::errors::{codes, ApiError};
use crate::payerlex_api::Claim;

/// What a request body holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON claims (the JSON contract).
    Json,
    /// An X12 837 interchange.
    X12,
    /// FHIR R4 Claims.
    Fhir,
}

impl Format {
    /// The format the `Content-Type` names (JSON when absent); 415 for any other.
    pub fn of(headers: &HeaderMap) -> Result<Self, ApiError> {
        let Some(value) = headers.get(CONTENT_TYPE) else {
            return Ok(Self::Json);
        };
        let media = value
            .to_str()
            .unwrap_or_default()
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        match media.as_str() {
            "" | "application/json" | "application/x-ndjson" | "application/jsonl" => {
                Ok(Self::Json)
            }
            "application/edi-x12" | "application/x12" => Ok(Self::X12),
            "application/fhir+json" | "application/fhir+ndjson" => Ok(Self::Fhir),
            _ => Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                codes::UNSUPPORTED_MEDIA_TYPE,
                "send application/json (or x-ndjson), application/edi-x12 or application/fhir+json",
            )),
        }
    }
}

/// Payer ids of X12 and FHIR input, mapped to pack ids.
#[derive(Debug, Default)]
pub struct PayerMaps {
    x12: payerlex_x12::PayerMap,
    fhir: payerlex_fhir::PayerMap,
}

impl PayerMaps {
    /// Reads the map file (TOML lines `"payer id" = "pack id"`); none: payer ids are pack ids.
    pub fn load(path: Option<&Path>) -> Result<Self, String> {
        let Some(path) = path else {
            return Ok(Self::default());
        };
        Ok(Self {
            x12: payerlex_x12::PayerMap::load(path).map_err(|e| e.to_string())?,
            fhir: payerlex_fhir::PayerMap::load(path).map_err(|e| e.to_string())?,
        })
    }
}

/// One record read from a body: a claim with its record number, or its error record line.
#[derive(Debug)]
pub enum Read {
    /// A claim to decide.
    Claim(usize, Box<Claim>),
    /// The error record answering a record that is not a claim.
    Error(Bytes),
}

/// Reads every record of an X12 or FHIR body (blocking). `Err` when the body as a whole is
/// unusable (not an interchange).
pub fn read_all(format: Format, body: &[u8], payers: &PayerMaps) -> Result<Vec<Read>, ApiError> {
    match format {
        Format::Json => Ok(Vec::new()),
        Format::X12 => read_x12(body, &payers.x12),
        Format::Fhir => Ok(read_fhir(body, &payers.fhir)),
    }
}

fn read_x12(body: &[u8], payers: &payerlex_x12::PayerMap) -> Result<Vec<Read>, ApiError> {
    use payerlex_x12::{Reader, Record};
    let reader = Reader::new(body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            codes::UNREADABLE_BODY,
            format!("the body is not a usable X12 interchange: {e}"),
        )
    })?;
    let reader = reader.with_payer_map(payers);
    Ok(reader
        .enumerate()
        .map(|(index, record)| {
            let number = index + 1;
            match record {
                Record::Claim(read) => Read::Claim(number, Box::new(read.claim)),
                Record::Rejected(rejected) => Read::Error(x12_error(number, &rejected.error)),
                Record::Error(error) => Read::Error(x12_error(number, &error)),
            }
        })
        .collect())
}

/// `{"record":N,"error":...,"kind":...}` and the 999 coordinates that are known.
fn x12_error(record: usize, error: &payerlex_x12::X12Error) -> Bytes {
    let at = &error.at;
    let mut line = Map::new();
    line.insert("record".into(), Value::from(record));
    line.insert("error".into(), Value::from(error.to_string()));
    line.insert(
        "kind".into(),
        serde_json::to_value(error.kind).unwrap_or(Value::Null),
    );
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(value) = value {
            line.insert(key.into(), value);
        }
    };
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
    json_line(&Value::Object(line))
}

fn read_fhir(body: &[u8], payers: &payerlex_fhir::PayerMap) -> Vec<Read> {
    let options = payerlex_fhir::ReadOptions::with_payers(payers.clone());
    payerlex_fhir::FhirReader::new(Cursor::new(body), options)
        .enumerate()
        .map(|(index, read)| {
            let number = index + 1;
            match read {
                Ok(claim) => Read::Claim(number, Box::new(claim)),
                Err(error) => {
                    let mut line = Map::new();
                    line.insert("record".into(), Value::from(number));
                    line.insert("error".into(), Value::from(error.to_string()));
                    if let Some(claim) = &error.claim_id {
                        line.insert("claim".into(), Value::from(claim.clone()));
                    }
                    Read::Error(json_line(&Value::Object(line)))
                }
            }
        })
        .collect()
}

/// A value as one NDJSON line.
pub fn json_line(value: &impl serde::Serialize) -> Bytes {
    let mut out = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
    out.push(b'\n');
    Bytes::from(out)
}
