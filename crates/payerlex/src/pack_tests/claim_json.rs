//! Claims in test files: TOML tables merged with the file's defaults into a JSON claim of
//! the public contract, then deserialised and validated as `payerlex check` would.
//!
//! Going through JSON (rather than deserialising TOML into `Claim` directly) keeps one claim
//! format: a claim moves between a test and a JSON Lines file unchanged, and any error is the
//! contract's own message. Each field's TOML span is kept beside its JSON path, so an error
//! at `lines[0].code` points at the code in the file.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::parse::{Ctx, Defaults, Value};
use crate::facts::{Claim, ClaimError};

/// A claim as JSON, with the position of each field for error messages.
pub(super) struct JsonClaim {
    value: serde_json::Value,
    /// JSON path (`lines[0].code`) to source span, longest paths last.
    spans: Vec<(String, Range<usize>)>,
}

impl Ctx<'_> {
    pub(super) fn claim_json(
        &mut self,
        span: Range<usize>,
        table: &DeTable<'_>,
        defaults: &Defaults<'_, '_>,
        id: &str,
    ) -> Option<JsonClaim> {
        let mut object = serde_json::Map::new();
        let mut spans = vec![(String::new(), span.clone())];
        let mut lines = None;
        let own = table.iter().map(|(k, v)| (k.get_ref().as_ref(), v));
        for (key, value) in defaults.claim.iter().copied().chain(own) {
            match key {
                "expect" => {}
                "lines" => lines = Some(value),
                _ => {
                    object.insert(key.to_owned(), self.json(value)?);
                    spans.push((key.to_owned(), value.span()));
                }
            }
        }
        object
            .entry("id")
            .or_insert_with(|| serde_json::Value::String(id.to_owned()));
        match object.get("payer") {
            None => {
                object.insert(
                    "payer".into(),
                    serde_json::Value::String(self.pack.id.clone()),
                );
            }
            Some(serde_json::Value::String(payer)) if *payer == self.pack.id => {}
            Some(_) => {
                let at = spans
                    .iter()
                    .find(|(k, _)| k == "payer")
                    .map_or(span.clone(), |(_, s)| s.clone());
                self.error(
                    &at,
                    format!(
                        "the tests of pack `{}` decide claims for payer `{}`",
                        self.pack.id, self.pack.id
                    ),
                    Some("remove `payer`: it defaults to the pack's id".into()),
                );
                return None;
            }
        }
        if let Some(lines) = lines {
            let DeValue::Array(items) = lines.get_ref() else {
                self.error(
                    &lines.span(),
                    "`lines` must be an array of line tables",
                    None,
                );
                return None;
            };
            let mut array = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let line = self.table(item, "a claim line")?;
                let mut fields = serde_json::Map::new();
                spans.push((format!("lines[{i}]"), item.span()));
                let own = line.iter().map(|(k, v)| (k.get_ref().as_ref(), v));
                for (key, value) in defaults.line.iter().copied().chain(own) {
                    fields.insert(key.to_owned(), self.json(value)?);
                    spans.push((format!("lines[{i}].{key}"), value.span()));
                }
                fields
                    .entry("number")
                    .or_insert_with(|| serde_json::Value::from(i + 1));
                array.push(serde_json::Value::Object(fields));
            }
            object.insert("lines".into(), serde_json::Value::Array(array));
        }
        Some(JsonClaim {
            value: serde_json::Value::Object(object),
            spans,
        })
    }

    fn json(&mut self, value: &Value<'_>) -> Option<serde_json::Value> {
        Some(match value.get_ref() {
            DeValue::String(s) => serde_json::Value::String(s.to_string()),
            DeValue::Integer(i) => {
                let digits = i.as_str().replace('_', "");
                match i64::from_str_radix(&digits, i.radix()) {
                    Ok(n) => serde_json::Value::from(n),
                    Err(_) => {
                        self.error(&value.span(), "integer out of range", None);
                        return None;
                    }
                }
            }
            DeValue::Float(f) => {
                let number = f
                    .as_str()
                    .replace('_', "")
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64);
                match number {
                    Some(n) => serde_json::Value::Number(n),
                    None => {
                        self.error(&value.span(), "this number cannot be used in a claim", None);
                        return None;
                    }
                }
            }
            DeValue::Boolean(b) => serde_json::Value::Bool(*b),
            // Unquoted TOML dates (`date = 2026-03-02`) are accepted as the date text.
            DeValue::Datetime(d) => serde_json::Value::String(d.to_string()),
            DeValue::Array(items) => {
                let mut array = Vec::new();
                for item in items.iter() {
                    array.push(self.json(item)?);
                }
                serde_json::Value::Array(array)
            }
            DeValue::Table(table) => {
                let mut object = serde_json::Map::new();
                for (key, item) in table.iter() {
                    object.insert(key.get_ref().to_string(), self.json(item)?);
                }
                serde_json::Value::Object(object)
            }
        })
    }

    pub(super) fn claim(&mut self, json: &JsonClaim) -> Option<Claim> {
        let span_of = |path: &str| {
            json.spans
                .iter()
                .filter(|(p, _)| {
                    p.is_empty()
                        || path == p
                        || path.starts_with(&format!("{p}."))
                        || path.starts_with(&format!("{p}["))
                })
                .max_by_key(|(p, _)| p.len())
                .map_or(0..0, |(_, s)| s.clone())
        };
        let claim: Claim = match serde_path_to_error::deserialize(json.value.clone()) {
            Ok(claim) => claim,
            Err(e) => {
                let path = e.path().to_string();
                let message = e.into_inner().to_string();
                let span = span_of(&path);
                let message = if path == "." || path == "?" || path.is_empty() {
                    format!("invalid claim: {message}")
                } else {
                    format!("invalid claim: {path}: {message}")
                };
                self.error(
                    &span,
                    message,
                    Some(
                        "claims use the fields of the JSON claim contract (see the README)".into(),
                    ),
                );
                return None;
            }
        };
        if let Err(e) = claim.validate() {
            let path = match &e {
                ClaimError::DuplicateLineNumber { index, .. } => format!("lines[{index}].number"),
                ClaimError::MissingDiagnosis { index, .. }
                | ClaimError::TooManyPointers { index, .. } => {
                    format!("lines[{index}].diagnosis_pointers")
                }
                ClaimError::TooManyDiagnoses { .. } => "diagnoses".to_owned(),
                _ => String::new(),
            };
            self.error(&span_of(&path), format!("invalid claim: {e}"), None);
            return None;
        }
        Some(claim)
    }
}
