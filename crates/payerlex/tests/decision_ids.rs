//! A decision id names one claim decided by one pack: changing any field of the claim, or the
//! pack digest, changes it; the same claim and digest always give the same id.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use payerlex::{parse_claim, DecisionId};
use serde_json::{json, Value};

/// A claim stating every field of the JSON contract.
fn full_claim() -> Value {
    json!({
        "id": "C1", "payer": "medicare", "patient": "P1",
        "patient_birth_date": "1950-04-01", "patient_sex": "F",
        "provider": {"npi": "1234567893", "role": "professional", "taxonomy": "2085R0202X"},
        "rendering": {"npi": "1245319599", "taxonomy": "2085R0202X"},
        "frequency": "7", "replaces": "C0",
        "place_of_service": "11",
        "diagnoses": ["S32.401A", "M54.5"],
        "prior_authorization": "PA1",
        "authorizations": [{"number": "A1", "codes": ["76377"], "units": 1,
                            "from": "2026-03-01", "to": "2026-03-31"}],
        "lines": [{"number": 1, "code": "76377", "modifiers": ["26"], "units": 1,
                   "date": "2026-03-02", "diagnosis_pointers": [1],
                   "place_of_service": "22",
                   "rendering": {"npi": "1245319599", "taxonomy": "2085R0202X"}}],
        "report": {"text": "rendered on an independent workstation",
                   "facts": {"independent_workstation": true}},
        "locality": {"contractor": "99901", "locality": "01"}
    })
}

fn id(claim: &Value, digest: &str) -> DecisionId {
    DecisionId::of(&parse_claim(&claim.to_string()).unwrap(), digest)
}

#[test]
fn every_field_of_the_claim_and_the_digest_change_the_id() {
    let base = full_claim();
    let same = id(&base, "sha256:a");
    assert_eq!(same, id(&full_claim(), "sha256:a"));
    let edits: Vec<(&str, Value)> = vec![
        ("/id", json!("C2")),
        ("/payer", json!("acme-health")),
        ("/patient", json!("P2")),
        ("/patient_birth_date", json!("1950-04-02")),
        ("/patient_sex", json!("M")),
        ("/provider/npi", json!("1245319599")),
        ("/provider/role", json!("facility")),
        ("/provider/taxonomy", json!("2085N0700X")),
        ("/rendering/npi", json!("1234567893")),
        ("/rendering/taxonomy", json!("2085N0700X")),
        ("/frequency", json!("1")),
        ("/replaces", json!("C9")),
        ("/place_of_service", json!("22")),
        ("/diagnoses/1", json!("M54.6")),
        ("/prior_authorization", json!("PA2")),
        ("/authorizations/0/number", json!("A2")),
        ("/authorizations/0/codes/0", json!("76376")),
        ("/authorizations/0/units", json!(2)),
        ("/authorizations/0/from", json!("2026-02-28")),
        ("/authorizations/0/to", json!("2026-04-01")),
        ("/lines/0/number", json!(2)),
        ("/lines/0/code", json!("76376")),
        ("/lines/0/modifiers/0", json!("TC")),
        ("/lines/0/units", json!(2)),
        ("/lines/0/date", json!("2026-03-03")),
        ("/lines/0/diagnosis_pointers/0", json!(2)),
        ("/lines/0/place_of_service", json!("11")),
        ("/lines/0/rendering/npi", json!("1234567893")),
        ("/lines/0/rendering/taxonomy", json!("2085N0700X")),
        ("/report/text", json!("rendered on the scanner")),
        ("/report/facts/independent_workstation", json!(false)),
        ("/locality/contractor", json!("99902")),
        ("/locality/locality", json!("00")),
    ];
    let mut ids = BTreeMap::new();
    ids.insert(same.to_string(), "unchanged");
    for (pointer, value) in &edits {
        let mut edited = base.clone();
        *edited.pointer_mut(pointer).unwrap() = value.clone();
        let edited_id = id(&edited, "sha256:a");
        if let Some(other) = ids.insert(edited_id.to_string(), pointer) {
            panic!("{pointer} gives the same id as {other}");
        }
    }
    // Fields that can be absent: dropping one changes the id too.
    for field in [
        "patient_birth_date",
        "rendering",
        "report",
        "locality",
        "authorizations",
    ] {
        let mut edited = base.clone();
        edited.as_object_mut().unwrap().remove(field);
        assert_ne!(id(&edited, "sha256:a"), same, "without {field}");
    }
    assert_ne!(id(&base, "sha256:b"), same);
}

/// Optional values nested in the claim: leaving one out changes the id (the layout marks
/// presence with a bit, so an absent value must not read like a present one).
#[test]
fn leaving_out_nested_optional_values_changes_the_id() {
    let base = full_claim();
    let same = id(&base, "sha256:a");
    let mut ids = BTreeMap::new();
    ids.insert(same.to_string(), "unchanged".to_owned());
    for (parent, field) in [
        ("/provider", "taxonomy"),
        ("/rendering", "taxonomy"),
        ("/lines/0", "rendering"),
        ("/lines/0", "place_of_service"),
        ("/lines/0", "modifiers"),
        ("/lines/0", "diagnosis_pointers"),
        ("/lines/0/rendering", "taxonomy"),
        ("/authorizations/0", "units"),
        ("/report", "text"),
        ("/report", "facts"),
        ("", "prior_authorization"),
        ("", "patient_sex"),
        ("", "frequency"),
    ] {
        let mut edited = base.clone();
        let removed = edited
            .pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .and_then(|object| object.remove(field));
        assert!(removed.is_some(), "{parent}/{field} is in the full claim");
        let edited_id = id(&edited, "sha256:a");
        if let Some(other) = ids.insert(edited_id.to_string(), format!("{parent}/{field}")) {
            panic!("without {parent}/{field} gives the same id as {other}");
        }
    }
}

/// Text moved from one string field to the next gives another id: each string's length
/// comes before it.
#[test]
fn moving_text_between_string_fields_changes_the_id() {
    let mut moved = full_claim();
    moved["id"] = json!("C1P");
    moved["patient"] = json!("1");
    assert_ne!(id(&moved, "sha256:a"), id(&full_claim(), "sha256:a"));
    let mut moved = full_claim();
    moved["locality"] = json!({"contractor": "9990", "locality": "101"});
    assert_ne!(id(&moved, "sha256:a"), id(&full_claim(), "sha256:a"));
}

/// The engine's ids (from the key it keeps per pack) are the ids `DecisionId::of` gives for
/// the pack's digest, for a plain check, a reused decision and a void.
#[test]
fn the_engine_gives_the_ids_decision_id_of_gives() {
    use payerlex::{CheckOptions, Engine, NoHistory, PackSources};
    let manifest = "id = \"medicare\"\nname = \"Ids\"\nversion = \"1.0.0\"\n\
                    effective = \"2025-01-01\"\npolicies = [\"p.policy\"]\n";
    let policy = "policy ids\nversion 1.0.0\neffective 2025-01-01\n\n\
                  rule units\n  cite \"test\"\n  when line.code = 76377 and line.units > 1\n  \
                  deny carc 151 \"units\"\n";
    let engine = Engine::from_sources(&[
        PackSources::new("medicare", manifest).with_file("p.policy", policy)
    ])
    .unwrap();
    let digest = engine.pack("medicare").unwrap().policy().digest.clone();
    let mut void = full_claim();
    void["frequency"] = json!("8");
    let mut reused = None;
    for claim in [full_claim(), void] {
        let claim = parse_claim(&claim.to_string()).unwrap();
        let expected = DecisionId::of(&claim, &digest);
        let decision = engine.check(&claim, &NoHistory).unwrap();
        assert_eq!(decision.id, expected);
        let into = reused.get_or_insert_with(|| decision.clone());
        engine
            .check_into(&claim, &NoHistory, CheckOptions::default(), into)
            .unwrap();
        assert_eq!(into.id, expected);
    }
}
