//! A claim from its rows: the claim-level columns of its first row, one line per row, as the
//! JSON contract's object, parsed by `payerlex::parse_claim` so a claim from Arrow passes the
//! same checks and gets the same error records as the same claim from JSON Lines.

use arrow_array::RecordBatch;
use serde_json::{Map, Value};

use crate::columns::{Column, Kind};
use crate::error::ArrowCheckError;

/// The columns of one input batch.
pub struct Columns<'a> {
    pub payer: Column<'a>,
    pub patient: Column<'a>,
    pub claim: Column<'a>,
    pub line: Column<'a>,
    code: Column<'a>,
    units: Column<'a>,
    pub date: Column<'a>,
    modifiers: Column<'a>,
    pointers: Column<'a>,
    line_place: Column<'a>,
    place: Column<'a>,
    npi: Column<'a>,
    role: Column<'a>,
    diagnoses: Column<'a>,
    frequency: Column<'a>,
    replaces: Column<'a>,
    report_text: Column<'a>,
    claim_json: Column<'a>,
}

impl<'a> Columns<'a> {
    pub fn of(batch: &'a RecordBatch) -> Result<Self, ArrowCheckError> {
        let column = |name, kind, required| Column::of(batch, name, kind, required);
        Ok(Self {
            payer: column("payer", Kind::Text, true)?,
            patient: column("patient", Kind::Text, true)?,
            claim: column("claim", Kind::Text, true)?,
            line: column("line", Kind::Int, true)?,
            code: column("code", Kind::Text, false)?,
            units: column("units", Kind::Int, false)?,
            date: column("date", Kind::Date, false)?,
            modifiers: column("modifiers", Kind::TextList, false)?,
            pointers: column("diagnosis_pointers", Kind::IntList, false)?,
            line_place: column("line_place_of_service", Kind::Text, false)?,
            place: column("place_of_service", Kind::Text, false)?,
            npi: column("provider_npi", Kind::Text, false)?,
            role: column("provider_role", Kind::Text, false)?,
            diagnoses: column("diagnoses", Kind::TextList, false)?,
            frequency: column("frequency", Kind::Text, false)?,
            replaces: column("replaces", Kind::Text, false)?,
            report_text: column("report_text", Kind::Text, false)?,
            claim_json: column("claim_json", Kind::Text, false)?,
        })
    }

    /// The JSON contract's claim object, from the claim-level columns of `row`.
    pub fn claim_object(&self, row: usize) -> Map<String, Value> {
        let mut claim = match self.claim_json.text(row).map(|t| serde_json::from_str(&t)) {
            Some(Ok(Value::Object(extra))) => extra,
            // Not an object: the claim's own checks report what is then missing; the text
            // itself may hold patient data and is never echoed.
            _ => Map::new(),
        };
        let mut set = |key: &str, value: Option<Value>| {
            if let Some(value) = value {
                claim.insert(key.to_owned(), value);
            }
        };
        set("id", self.claim.text(row).map(Value::from));
        set("payer", self.payer.text(row).map(Value::from));
        set("patient", self.patient.text(row).map(Value::from));
        set("place_of_service", self.place.text(row).map(Value::from));
        set("diagnoses", self.diagnoses.texts(row).map(Value::from));
        set("frequency", self.frequency.text(row).map(Value::from));
        set("replaces", self.replaces.text(row).map(Value::from));
        for (field, column) in [("npi", &self.npi), ("role", &self.role)] {
            if let Some(value) = column.text(row) {
                let provider = claim
                    .entry("provider")
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(provider) = provider {
                    provider.insert(field.into(), value.into());
                }
            }
        }
        if let Some(text) = self.report_text.text(row) {
            let report = claim
                .entry("report")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(report) = report {
                report.insert("text".into(), text.into());
            }
        }
        claim.insert("lines".into(), Value::Array(Vec::new()));
        claim
    }

    /// The JSON contract's line object of `row`.
    pub fn line_object(&self, row: usize) -> Value {
        let mut line = Map::new();
        let mut set = |key: &str, value: Option<Value>| {
            if let Some(value) = value {
                line.insert(key.to_owned(), value);
            }
        };
        set("number", self.line.int(row).map(Value::from));
        set("code", self.code.text(row).map(Value::from));
        set("units", self.units.int(row).map(Value::from));
        set("date", self.date.text(row).map(Value::from));
        set("modifiers", self.modifiers.texts(row).map(Value::from));
        set(
            "diagnosis_pointers",
            self.pointers.ints(row).map(Value::from),
        );
        set(
            "place_of_service",
            self.line_place.text(row).map(Value::from),
        );
        Value::Object(line)
    }
}
