//! The claim model's optional fields (patient, rendering provider, frequency, authorisations):
//! read from the JSON contract, written back unchanged, and every inconsistency named by field.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use payerlex::parse_claim;
use serde_json::{json, Value};

/// A one-line claim (76377) as a JSON record, with `extra` fields on the claim and
/// `line_extra` on its line.
fn claim_json(extra: Value, line_extra: Value) -> String {
    let provider = json!({ "npi": NPI, "role": "professional", "taxonomy": "2085R0202X" });
    let mut record = claim("medicare")
        .id("C2")
        .set("provider", provider)
        .line(line("76377"))
        .to_json();
    merge(&mut record, extra);
    merge(&mut record["lines"][0], line_extra);
    record.to_string()
}

fn merge(target: &mut Value, fields: Value) {
    if let (Value::Object(target), Value::Object(fields)) = (target, fields) {
        target.extend(fields);
    }
}

fn none() -> Value {
    json!({})
}

fn error_of(extra: Value, line_extra: Value) -> String {
    let text = claim_json(extra, line_extra);
    match parse_claim(&text) {
        Err(e) => e.to_string(),
        Ok(claim) => match claim.validate() {
            Err(e) => e.to_string(),
            Ok(()) => panic!("accepted: {text}"),
        },
    }
}

#[test]
fn every_new_field_round_trips() {
    let text = claim_json(
        json!({
            "patient_birth_date": "1950-04-01",
            "patient_sex": "F",
            "rendering": { "npi": OTHER_NPI, "taxonomy": "2085R0202X" },
            "frequency": "7",
            "replaces": "C1",
            "authorizations": [{ "number": "A123", "codes": ["76377"], "units": 1, "from": "2026-03-01", "to": "2026-03-31" }],
        }),
        json!({ "rendering": { "npi": OTHER_NPI } }),
    );
    let claim = parse_claim(&text).unwrap();
    claim.validate().unwrap();
    assert_eq!(claim.patient_sex.map(|s| s.as_str()), Some("F"));
    assert_eq!(claim.frequency.map(|f| f.code()), Some(7));
    assert_eq!(claim.replaces.as_deref(), Some("C1"));
    assert_eq!(claim.authorizations.len(), 1);
    assert!(claim.lines[0].rendering.is_some());
    let again = parse_claim(&serde_json::to_string(&claim).unwrap()).unwrap();
    assert_eq!(again, claim);
}

#[test]
fn todays_records_stay_valid() {
    let claim = parse_claim(&claim_json(none(), none())).unwrap();
    claim.validate().unwrap();
    assert!(claim.patient_birth_date.is_none() && claim.frequency.is_none());
}

#[test]
fn bad_values_name_the_field_not_the_value() {
    let sex = error_of(json!({ "patient_sex": "female" }), none());
    assert!(sex.starts_with("patient_sex: expected F, M or U"), "{sex}");
    assert!(!sex.contains("female"), "{sex}");
    let taxonomy = error_of(
        none(),
        json!({ "rendering": { "npi": OTHER_NPI, "taxonomy": "2085R0202" } }),
    );
    assert!(
        taxonomy.starts_with("lines[0].rendering.taxonomy: invalid taxonomy code"),
        "{taxonomy}"
    );
    let frequency = error_of(json!({ "frequency": "9" }), none());
    assert!(
        frequency.starts_with("frequency: invalid claim frequency"),
        "{frequency}"
    );
}

#[test]
fn cross_field_problems_are_named() {
    assert_eq!(
        error_of(json!({ "patient_birth_date": "2026-03-03" }), none()),
        "patient_birth_date: after the date of service of lines[0]"
    );
    assert_eq!(
        error_of(json!({ "frequency": "7" }), none()),
        "replaces: a replacement (frequency 7) or void (8) claim must name the claim it replaces"
    );
    assert_eq!(
        error_of(json!({ "replaces": "C1" }), none()),
        "replaces: only a replacement (frequency 7) or void (8) claim replaces another"
    );
    assert_eq!(
        error_of(
            json!({ "authorizations": [{ "number": "A1", "codes": ["76377"], "from": "2026-03-31", "to": "2026-03-01" }] }),
            none()
        ),
        "authorizations[0]: `from` is after `to`"
    );
    let zero = claim_json(none(), json!({ "units": 0 }));
    let claim = parse_claim(&zero).unwrap();
    assert_eq!(
        claim.validate().unwrap_err().to_string(),
        "lines[0].units: must be at least 1"
    );
}
