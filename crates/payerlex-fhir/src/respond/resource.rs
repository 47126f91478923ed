//! The FHIR R4 `ClaimResponse` elements payerlex writes, as serde structs.
//!
//! Only what a decision fills is modelled; empty lists and absent optionals are skipped, so
//! the JSON holds exactly the elements that carry something. Required R4 elements (`status`,
//! `type`, `use`, `patient`, `created`, `insurer`, `outcome`; `item.itemSequence`,
//! `item.adjudication` with its `category`; `processNote.text`; `error.code`) are plain
//! fields, so they cannot be left out by mistake.

use serde::Serialize;
use serde_json::value::RawValue;

/// `Coding`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coding {
    /// Code system URI.
    pub system: String,
    /// The code.
    pub code: String,
}

impl Coding {
    /// A coding in `system`.
    pub fn new(system: &str, code: impl Into<String>) -> Self {
        Self {
            system: system.to_owned(),
            code: code.into(),
        }
    }
}

/// `Extension` with a code value (only the data-absent reason is written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Extension {
    /// Extension URL.
    pub url: String,
    /// Its value.
    pub value_code: String,
}

/// `CodeableConcept`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CodeableConcept {
    /// Why the concept has no value (required elements that are unknown).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// Codings.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub coding: Vec<Coding>,
    /// Text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl CodeableConcept {
    /// A concept of one coding.
    pub fn coded(system: &str, code: impl Into<String>) -> Self {
        Self {
            coding: vec![Coding::new(system, code)],
            ..Self::default()
        }
    }
}

/// `Identifier` (value only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identifier {
    /// The value.
    pub value: String,
}

/// `Reference`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Reference {
    /// Why there is no reference (required elements that are unknown).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `Type/id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// A logical reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<Identifier>,
    /// Text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

/// A FHIR `decimal`, written as a JSON number with its digits exactly as given (no float).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decimal(String);

impl Decimal {
    /// A decimal from its text (`78.83`), when the text is a plain decimal number.
    pub fn parse(text: &str) -> Option<Self> {
        let digits = text.strip_prefix('-').unwrap_or(text);
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let canonical_whole = whole == "0" || !whole.starts_with('0');
        (all_digits(whole) && all_digits(fraction) && canonical_whole)
            .then(|| Self(text.to_owned()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Serialize for Decimal {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // `parse` admits only JSON number syntax, so this never fails for a built value.
        let raw = RawValue::from_string(self.0.clone()).map_err(serde::ser::Error::custom)?;
        raw.serialize(serializer)
    }
}

/// `Money`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Money {
    /// Amount.
    pub value: Decimal,
    /// ISO 4217 currency.
    pub currency: String,
}

/// `ClaimResponse.item.adjudication`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Adjudication {
    /// `eligible`, ...
    pub category: CodeableConcept,
    /// CARC, group code and RARCs of a finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<CodeableConcept>,
    /// The amount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
}

/// `ClaimResponse.item`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    /// The claim's `item.sequence`.
    pub item_sequence: u32,
    /// `processNote.number`s about this item.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub note_number: Vec<u32>,
    /// Adjudication results (at least one).
    pub adjudication: Vec<Adjudication>,
}

/// `ClaimResponse.processNote`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcessNote {
    /// Note number, referenced by `item.noteNumber`.
    pub number: u32,
    /// `display`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The note.
    pub text: String,
}

/// `ClaimResponse.error`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseError {
    /// The item the problem is in, when it is in one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_sequence: Option<u32>,
    /// The problem: `text` is `element path: what is wrong`.
    pub code: CodeableConcept,
}

/// A FHIR R4 `ClaimResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimResponse {
    /// Always `ClaimResponse`.
    pub resource_type: String,
    /// `active`.
    pub status: String,
    /// `professional` or `institutional`.
    #[serde(rename = "type")]
    pub kind: CodeableConcept,
    /// `claim`.
    #[serde(rename = "use")]
    pub purpose: String,
    /// The patient.
    pub patient: Reference,
    /// When the response was made.
    pub created: String,
    /// The payer (the policy pack's id).
    pub insurer: Reference,
    /// The claim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<Reference>,
    /// `complete`, `partial` or `error`.
    pub outcome: String,
    /// The decision in words, with the deciding pack.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disposition: Option<String>,
    /// One per claim line.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub item: Vec<Item>,
    /// Finding messages.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub process_note: Vec<ProcessNote>,
    /// Why the claim could not be decided.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub error: Vec<ResponseError>,
}
