//! The claim as a host application holds it before any engine sees it: plain strings and
//! numbers, the shape a database row or an ORM gives. Every engine is fed from these values:
//! payerlex through [`crate::payerlex_api::build_claim`], regorus and zen through
//! [`HostClaim::to_json`] (payerlex's JSON claim contract), so all of them see the same facts.
//!
//! Strings rather than typed codes on purpose: turning them into payerlex's validated types is
//! a cost a host pays, and the `payerlex-build` mode measures exactly that.

use serde_json::{json, Map, Value};

/// One service line as the host stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostLine {
    /// Line number as billed, unique within the claim.
    pub number: u32,
    /// Five-character procedure code, e.g. `76377`.
    pub code: String,
    /// Modifiers in billed order, e.g. `["26"]`.
    pub modifiers: Vec<String>,
    /// Units of service, at least 1.
    pub units: u32,
    /// Date of service, `YYYY-MM-DD`.
    pub date: String,
}

/// What the radiology report documents. The generator always sets `text` or `workstation`
/// (a report stating neither is "unknown" to payerlex but "not stated" to the reference).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostReport {
    /// Report text, searched for the workstation phrases.
    pub text: Option<String>,
    /// The workstation fact when the host states it; it overrides the text.
    pub workstation: Option<bool>,
}

/// One claim as the host stores it. The payer is always `bench` (the benchmark pack).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostClaim {
    /// Host claim identifier.
    pub id: String,
    /// Patient identifier (synthetic).
    pub patient: String,
    /// Billing provider NPI.
    pub npi: String,
    /// Claim-level place of service, two digits.
    pub place_of_service: String,
    /// Service lines.
    pub lines: Vec<HostLine>,
    /// The report, when the host has one.
    pub report: Option<HostReport>,
}

/// The payer id every generated claim carries (the benchmark pack's id).
pub const PAYER: &str = "bench";

impl HostClaim {
    /// The claim in payerlex's JSON contract, which the Rego rules and the JDM graph read too.
    /// `modifiers` is always present (possibly empty) so the other engines need no null checks.
    pub fn to_json(&self) -> Value {
        let lines: Vec<Value> = self
            .lines
            .iter()
            .map(|l| {
                json!({
                    "number": l.number,
                    "code": l.code,
                    "modifiers": l.modifiers,
                    "units": l.units,
                    "date": l.date,
                })
            })
            .collect();
        let mut claim = json!({
            "id": self.id,
            "payer": PAYER,
            "patient": self.patient,
            "provider": {"npi": self.npi, "role": "professional"},
            "place_of_service": self.place_of_service,
            "lines": lines,
        });
        if let (Some(report), Some(object)) = (&self.report, claim.as_object_mut()) {
            let mut value = Map::new();
            if let Some(text) = &report.text {
                value.insert("text".to_owned(), Value::from(text.as_str()));
            }
            let mut facts = Map::new();
            if let Some(workstation) = report.workstation {
                facts.insert("workstation".to_owned(), Value::from(workstation));
            }
            value.insert("facts".to_owned(), Value::Object(facts));
            object.insert("report".to_owned(), Value::Object(value));
        }
        claim
    }
}
