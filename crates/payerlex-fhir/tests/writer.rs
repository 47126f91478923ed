//! ClaimResponse resources for decided claims and for claims that could not be read, checked
//! against the FHIR R4 structure (required elements, codes from the bound value sets, no empty
//! elements) and snapshotted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use payerlex::{Claim, Decision, Engine, InMemoryHistory};
use payerlex_fhir::{read_claims, ClaimResponse, PayerMap, ReadOptions, ResponseWriter};
use serde_json::{json, Value};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn engine() -> Engine {
    Engine::load(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../policies")).unwrap()
}

/// The claims of the fixture Bundle (M-clean, M-cta, M-lone, M-mra-xs, M-units), decided.
fn decided_bundle() -> Vec<(Claim, Decision)> {
    let options = ReadOptions::with_payers(PayerMap::load(fixtures().join("payers.toml")).unwrap());
    let text = std::fs::read_to_string(fixtures().join("bundle.json")).unwrap();
    let engine = engine();
    let mut history = InMemoryHistory::new();
    read_claims(&text, &options)
        .into_iter()
        .map(|claim| {
            let claim = claim.unwrap();
            let decision = engine.check(&claim, &history).unwrap();
            history.record(&claim, &decision);
            (claim, decision)
        })
        .collect()
}

fn writer() -> ResponseWriter {
    ResponseWriter::new("2026-03-03T12:00:00Z")
}

/// The decision and the response of one Bundle claim: the typed response and its JSON read
/// back (for structure checks; decimals are compared on the serialised text).
fn response_for(id: &str) -> (Decision, ClaimResponse, Value) {
    let (claim, decision) = decided_bundle()
        .into_iter()
        .find(|(claim, _)| claim.id == id)
        .unwrap();
    let response = writer().decision(&claim, &decision);
    let value: Value = serde_json::from_str(&serde_json::to_string(&response).unwrap()).unwrap();
    assert_r4_shape(&value);
    (decision, response, value)
}

fn assert_in(value: &Value, allowed: &[&str], what: &str) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("{what} is not a string"));
    assert!(allowed.contains(&text), "{what} = {text}");
}

fn assert_codeable_concept(value: &Value, what: &str) {
    let object = value
        .as_object()
        .unwrap_or_else(|| panic!("{what} is not an object"));
    let has_content = object.contains_key("coding")
        || object.contains_key("text")
        || object.contains_key("extension");
    assert!(has_content, "{what} is empty");
    for coding in value["coding"].as_array().into_iter().flatten() {
        assert!(
            coding["system"].is_string() && coding["code"].is_string(),
            "{what}: {coding}"
        );
    }
}

/// No `null`, empty object, empty array or empty string anywhere (FHIR JSON forbids them).
fn assert_no_empty_elements(value: &Value, path: &str) {
    match value {
        Value::Null => panic!("{path} is null"),
        Value::String(s) => assert!(!s.is_empty(), "{path} is an empty string"),
        Value::Array(items) => {
            assert!(!items.is_empty(), "{path} is an empty array");
            for (i, item) in items.iter().enumerate() {
                assert_no_empty_elements(item, &format!("{path}[{i}]"));
            }
        }
        Value::Object(fields) => {
            assert!(!fields.is_empty(), "{path} is an empty object");
            for (name, field) in fields {
                assert_no_empty_elements(field, &format!("{path}.{name}"));
            }
        }
        Value::Bool(_) | Value::Number(_) => {}
    }
}

/// The R4 ClaimResponse structure: required elements (1..1 / 1..*) present, required-bound
/// codes from their value sets, positiveInts positive, note numbers resolve.
fn assert_r4_shape(response: &Value) {
    assert_no_empty_elements(response, "ClaimResponse");
    assert_eq!(response["resourceType"], "ClaimResponse");
    assert_in(
        &response["status"],
        &["active", "cancelled", "draft", "entered-in-error"],
        "status",
    );
    assert_codeable_concept(&response["type"], "type");
    assert_in(
        &response["use"],
        &["claim", "preauthorization", "predetermination"],
        "use",
    );
    assert!(response["patient"].is_object(), "patient (1..1)");
    assert!(response["insurer"].is_object(), "insurer (1..1)");
    let created = response["created"].as_str().unwrap();
    assert!(
        created.len() >= 10 && created.as_bytes()[4] == b'-',
        "created: {created}"
    );
    assert_in(
        &response["outcome"],
        &["queued", "complete", "error", "partial"],
        "outcome",
    );
    let notes: Vec<u64> = response["processNote"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|note| {
            assert_in(
                &note["type"],
                &["display", "print", "printoper"],
                "processNote.type",
            );
            assert!(note["text"].is_string(), "processNote.text (1..1)");
            note["number"].as_u64().filter(|n| *n > 0).unwrap()
        })
        .collect();
    for item in response["item"].as_array().into_iter().flatten() {
        assert!(
            item["itemSequence"].as_u64().unwrap() > 0,
            "item.itemSequence"
        );
        let adjudications = item["adjudication"].as_array().unwrap();
        assert!(!adjudications.is_empty(), "item.adjudication (1..*)");
        for adjudication in adjudications {
            assert_codeable_concept(&adjudication["category"], "adjudication.category");
            if let Some(reason) = adjudication.get("reason") {
                assert_codeable_concept(reason, "adjudication.reason");
            }
            if let Some(amount) = adjudication.get("amount") {
                assert!(amount["value"].is_number(), "amount.value is a decimal");
                assert_eq!(amount["currency"], "USD");
            }
        }
        for number in item["noteNumber"].as_array().into_iter().flatten() {
            assert!(
                notes.contains(&number.as_u64().unwrap()),
                "noteNumber {number}"
            );
        }
    }
    for error in response["error"].as_array().into_iter().flatten() {
        assert_codeable_concept(&error["code"], "error.code");
        if let Some(sequence) = error.get("itemSequence") {
            assert!(sequence.as_u64().unwrap() > 0);
        }
    }
}

fn codings(concept: &Value) -> Vec<(String, String)> {
    concept["coding"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["system"].as_str().unwrap().to_owned(),
                c["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_denied_3d_line_carries_carc_group_rarc_and_note() {
    let (decision, typed, response) = response_for("M-cta");
    assert_eq!(
        response["outcome"], "complete",
        "a denial is a finished adjudication"
    );
    assert_eq!(response["request"]["reference"], "Claim/M-cta");
    let denied = decision.lines.iter().find(|l| l.number == 2).unwrap();
    let finding = &denied.findings[0];
    let item = response["item"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i.get("itemSequence") == Some(&json!(2)))
        .unwrap();
    let reason = &item["adjudication"][0]["reason"];
    let mut expected = vec![
        (
            "https://x12.org/codes/claim-adjustment-reason-codes".to_owned(),
            finding.carc.as_ref().unwrap().as_str().to_owned(),
        ),
        (
            "https://x12.org/codes/claim-adjustment-group-codes".to_owned(),
            "CO".to_owned(),
        ),
    ];
    for rarc in finding.rarc.iter() {
        expected.push((
            "https://x12.org/codes/remittance-advice-remark-codes".to_owned(),
            rarc.as_str().to_owned(),
        ));
    }
    assert!(!finding.rarc.is_empty(), "the scenario's denial has a RARC");
    assert_eq!(codings(reason), expected);
    // The denied line pays nothing.
    let last = item["adjudication"].as_array().unwrap().last().unwrap();
    assert_eq!(last["amount"]["value"], json!(0.0));
    let text = serde_json::to_string(&typed).unwrap();
    assert!(
        text.contains(r#""amount":{"value":0.00,"currency":"USD"}"#),
        "{text}"
    );
    // The message is a process note linked from the item.
    let number = &item["noteNumber"][0];
    let note = response["processNote"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| &n["number"] == number)
        .unwrap();
    let text = note["text"].as_str().unwrap();
    assert!(
        text.contains(&*finding.message) && text.contains(&*finding.rule),
        "{text}"
    );
}

#[test]
fn an_allowed_line_carries_its_estimate_as_an_exact_decimal() {
    let (decision, typed, response) = response_for("M-clean");
    assert_eq!(response["outcome"], "complete");
    let text = serde_json::to_string(&typed).unwrap();
    let estimated: Vec<_> = decision
        .lines
        .iter()
        .filter_map(|l| l.estimate.as_ref())
        .collect();
    assert!(!estimated.is_empty(), "the medicare pack prices 76377");
    for estimate in estimated {
        let amount = format!(
            "\"amount\":{{\"value\":{},\"currency\":\"USD\"}}",
            estimate.amount
        );
        assert!(text.contains(&amount), "{amount} not in {text}");
    }
}

#[test]
fn a_line_held_for_review_makes_the_outcome_partial() {
    let engine = engine();
    let options = ReadOptions::with_payers(PayerMap::load(fixtures().join("payers.toml")).unwrap());
    let ndjson = std::fs::read_to_string(fixtures().join("claims.ndjson")).unwrap();
    let line = ndjson
        .lines()
        .find(|l| l.contains("M-weak-report"))
        .unwrap();
    let claim = read_claims(line, &options).remove(0).unwrap();
    let decision = engine.check(&claim, &InMemoryHistory::new()).unwrap();
    let response = serde_json::to_value(writer().decision(&claim, &decision)).unwrap();
    assert_r4_shape(&response);
    assert_eq!(response["outcome"], "partial");
    let notes = response["processNote"].to_string();
    assert!(notes.contains("review "), "{notes}");
}

#[test]
fn a_claim_that_cannot_be_read_gets_an_error_response() {
    let text = std::fs::read_to_string(fixtures().join("claim-single.json")).unwrap();
    let mut value: Value = serde_json::from_str(&text).unwrap();
    value["item"][1]["productOrService"]["coding"][0]["code"] = json!("7637");
    let error = read_claims(&value.to_string(), &ReadOptions::default())
        .remove(0)
        .unwrap_err();
    let response = serde_json::to_value(writer().error(&error)).unwrap();
    assert_r4_shape(&response);
    assert_eq!(response["outcome"], "error");
    assert_eq!(response["request"]["reference"], "Claim/M-hosp-facility");
    let entry = &response["error"][0];
    assert_eq!(entry["itemSequence"], 2);
    let text = entry["code"]["text"].as_str().unwrap();
    assert!(
        text.starts_with("Claim.item[1].productOrService.coding[0].code: "),
        "{text}"
    );
    // Unknown patient and insurer are marked absent, not invented.
    assert!(response["patient"]["extension"][0]["url"]
        .as_str()
        .unwrap()
        .ends_with("data-absent-reason"));
}

#[test]
fn an_unknown_payer_is_an_error_at_the_insurer() {
    let text = std::fs::read_to_string(fixtures().join("claim-single.json")).unwrap();
    // Without the payer map the insurer's id is not a pack id.
    let claim = read_claims(&text, &ReadOptions::default())
        .remove(0)
        .unwrap();
    let error = engine().check(&claim, &InMemoryHistory::new()).unwrap_err();
    let response = serde_json::to_value(writer().check_error(&claim, &error)).unwrap();
    assert_r4_shape(&response);
    assert_eq!(response["outcome"], "error");
    assert_eq!(response["type"]["coding"][0]["code"], "institutional");
    let text = response["error"][0]["code"]["text"].as_str().unwrap();
    assert!(text.starts_with("Claim.insurer: unknown payer"), "{text}");
}

#[test]
fn snapshot_of_a_denied_claim() {
    let (decision, typed, _) = response_for("M-lone");
    // The pack digest changes with every policy edit; the snapshot is about the shape.
    let text = serde_json::to_string_pretty(&typed)
        .unwrap()
        .replace(&*decision.policy.digest, "[digest]");
    insta::assert_snapshot!("m_lone_claim_response", text);
}
