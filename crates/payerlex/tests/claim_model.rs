//! The claim model's optional fields (patient, rendering provider, frequency, authorisations):
//! read from the JSON contract, written back unchanged, and every inconsistency named by field.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use payerlex::parse_claim;

const BASE: &str = r#""id":"C2","payer":"medicare","patient":"P1","provider":{"npi":"1234567893","role":"professional","taxonomy":"2085R0202X"},"place_of_service":"11""#;

fn claim_json(extra: &str, line_extra: &str) -> String {
    format!(
        r#"{{{BASE}{extra},"lines":[{{"number":1,"code":"76377","units":1,"date":"2026-03-02"{line_extra}}}]}}"#
    )
}

fn error_of(extra: &str, line_extra: &str) -> String {
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
        r#","patient_birth_date":"1950-04-01","patient_sex":"F","rendering":{"npi":"1245319599","taxonomy":"2085R0202X"},"frequency":"7","replaces":"C1","authorizations":[{"number":"A123","codes":["76377"],"units":1,"from":"2026-03-01","to":"2026-03-31"}]"#,
        r#","rendering":{"npi":"1245319599"}"#,
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
    let claim = parse_claim(&claim_json("", "")).unwrap();
    claim.validate().unwrap();
    assert!(claim.patient_birth_date.is_none() && claim.frequency.is_none());
}

#[test]
fn bad_values_name_the_field_not_the_value() {
    let sex = error_of(r#","patient_sex":"female""#, "");
    assert!(sex.starts_with("patient_sex: expected F, M or U"), "{sex}");
    assert!(!sex.contains("female"), "{sex}");
    let taxonomy = error_of(
        "",
        r#","rendering":{"npi":"1245319599","taxonomy":"2085R0202"}"#,
    );
    assert!(
        taxonomy.starts_with("lines[0].rendering.taxonomy: invalid taxonomy code"),
        "{taxonomy}"
    );
    let frequency = error_of(r#","frequency":"9""#, "");
    assert!(
        frequency.starts_with("frequency: invalid claim frequency"),
        "{frequency}"
    );
}

#[test]
fn cross_field_problems_are_named() {
    assert_eq!(
        error_of(r#","patient_birth_date":"2026-03-03""#, ""),
        "patient_birth_date: after the date of service of lines[0]"
    );
    assert_eq!(
        error_of(r#","frequency":"7""#, ""),
        "replaces: a replacement (frequency 7) or void (8) claim must name the claim it replaces"
    );
    assert_eq!(
        error_of(r#","replaces":"C1""#, ""),
        "replaces: only a replacement (frequency 7) or void (8) claim replaces another"
    );
    assert_eq!(
        error_of(
            r#","authorizations":[{"number":"A1","codes":["76377"],"from":"2026-03-31","to":"2026-03-01"}]"#,
            ""
        ),
        "authorizations[0]: `from` is after `to`"
    );
    let zero = claim_json("", "").replace(r#""units":1"#, r#""units":0"#);
    let claim = parse_claim(&zero).unwrap();
    assert_eq!(
        claim.validate().unwrap_err().to_string(),
        "lines[0].units: must be at least 1"
    );
}
