//! The reader's mapping decisions and its error paths, through the public API.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Cursor;

use payerlex::Claim;
use payerlex_fhir::{read_claims, FhirError, FhirReader, PayerMap, ProblemKind, ReadOptions};
use serde_json::{json, Value};

/// A valid professional claim with a contained patient, two items and two diagnoses.
fn claim_json() -> Value {
    json!({
        "resourceType": "Claim",
        "id": "T1",
        "contained": [{
            "resourceType": "Patient", "id": "pat",
            "identifier": [
                {"system": "urn:x-other", "value": "OTHER-ID"},
                {"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MB"}]}, "value": "MEMBER-7"}
            ],
            "name": [{"family": "Hopper", "given": ["Grace"]}],
            "gender": "female",
            "birthDate": "1960-05-17"
        }],
        "status": "active",
        "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "professional"}]},
        "use": "claim",
        "patient": {"reference": "#pat"},
        "created": "2026-03-03",
        "insurer": {"identifier": {"value": "PAYER-1"}},
        "provider": {"identifier": {"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"}},
        "diagnosis": [
            {"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "S32.401A"}]}},
            {"sequence": 2, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "I71.2"}]}}
        ],
        "insurance": [{"sequence": 1, "focal": true, "coverage": {"display": "c"}}],
        "item": [
            {"sequence": 1, "diagnosisSequence": [1],
             "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "74177"}]},
             "servicedDate": "2026-03-02", "quantity": {"value": 1},
             "locationCodeableConcept": {"coding": [{"system": "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set", "code": "11"}]}},
            {"sequence": 2, "diagnosisSequence": [2, 1],
             "productOrService": {"coding": [{"system": "http://snomed.info/sct", "code": "1234"}, {"system": "urn:oid:2.16.840.1.113883.6.285", "code": "G0288"}]},
             "modifier": [{"coding": [{"code": "26"}]}],
             "servicedPeriod": {"start": "2026-03-02T08:00:00Z", "end": "2026-03-04T08:00:00Z"},
             "quantity": {"value": 3.0}}
        ]
    })
}

fn read_one(value: &Value) -> Result<Claim, FhirError> {
    let mut results = read_claims(&value.to_string(), &ReadOptions::default());
    assert_eq!(results.len(), 1);
    results.remove(0)
}

fn problem_paths(error: &FhirError) -> Vec<String> {
    error.problems.iter().map(|p| p.path.clone()).collect()
}

#[test]
fn reads_a_valid_claim() {
    let claim = read_one(&claim_json()).unwrap();
    assert_eq!(claim.id, "T1");
    assert_eq!(claim.payer, "PAYER-1");
    assert_eq!(
        claim.patient, "MEMBER-7",
        "the member id (type MB) is preferred"
    );
    assert_eq!(claim.patient_birth_date.unwrap().to_string(), "1960-05-17");
    assert_eq!(claim.patient_sex.unwrap().as_str(), "F");
    assert_eq!(claim.provider.npi.to_string(), "1234567893");
    assert_eq!(claim.place_of_service.to_string(), "11");
    let second = &claim.lines[1];
    assert_eq!(
        second.code.to_string(),
        "G0288",
        "the HCPCS coding, not the SNOMED one"
    );
    assert_eq!(second.units, 3, "3.0 is three units");
    assert_eq!(
        second.date.to_string(),
        "2026-03-02",
        "a period is dated by its start"
    );
    assert_eq!(second.diagnosis_pointers, vec![2, 1]);
    assert_eq!(second.place_of_service, None, "inherits the claim's");
    assert_eq!(claim.frequency, None);
}

#[test]
fn the_principal_diagnosis_goes_first_and_pointers_follow_sequences() {
    let mut value = claim_json();
    value["diagnosis"][1]["type"] = json!([{"coding": [{"code": "principal"}]}]);
    let claim = read_one(&value).unwrap();
    let codes: Vec<String> = claim.diagnoses.iter().map(|d| d.to_string()).collect();
    assert_eq!(codes, ["I71.2", "S32.401A"]);
    // Item 1 points at sequence 1 (S32.401A), now in position 2.
    assert_eq!(claim.lines[0].diagnosis_pointers, vec![2]);
    assert_eq!(claim.lines[1].diagnosis_pointers, vec![1, 2]);
}

#[test]
fn every_problem_of_a_claim_is_reported_with_its_path() {
    let mut value = claim_json();
    value["item"][0]["productOrService"]["coding"][0]["code"] = json!("FDSAE");
    value["item"][1]["quantity"]["value"] = json!(1.5);
    value["item"][1]["careTeamSequence"] = json!([4]);
    value["diagnosis"][1]["diagnosisCodeableConcept"]["coding"][0]["system"] =
        json!("http://hl7.org/fhir/sid/icd-9-cm");
    let error = read_one(&value).unwrap_err();
    assert_eq!(error.claim_id.as_deref(), Some("T1"));
    assert_eq!(
        problem_paths(&error),
        [
            "Claim.diagnosis[1].diagnosisCodeableConcept.coding",
            "Claim.item[0].productOrService.coding[0].code",
            "Claim.item[1].quantity.value",
            "Claim.item[1].careTeamSequence[0]",
        ]
    );
    assert_eq!(error.problems[1].item_sequence, Some(1));
    assert_eq!(error.problems[2].item_sequence, Some(2));
    assert_eq!(error.problems[2].kind, ProblemKind::NotWholeUnits);
    assert!(
        error.to_string().contains("`FDSAE`"),
        "codes may be shown: {error}"
    );
}

#[test]
fn messages_never_echo_patient_data() {
    let mut value = claim_json();
    value["contained"][0]["birthDate"] = json!("1960-13-45");
    value["contained"][0]["gender"] = json!("Grace Hopper");
    value["item"][0]["quantity"]["value"] = json!("Hopper");
    let error = read_one(&value).unwrap_err();
    let message = error.to_string();
    for phi in ["Hopper", "Grace", "1960", "MEMBER-7"] {
        assert!(!message.contains(phi), "{phi} in {message}");
    }
    assert!(
        message.contains("Claim.item[0].quantity.value"),
        "{message}"
    );

    let mut value = claim_json();
    value["contained"][0]["birthDate"] = json!("1960-13-45");
    let error = read_one(&value).unwrap_err();
    assert_eq!(problem_paths(&error), ["Patient.birthDate"]);
    assert!(!error.to_string().contains("1960"), "{error}");
}

#[test]
fn a_partial_birth_date_is_unknown_not_an_error() {
    let mut value = claim_json();
    value["contained"][0]["birthDate"] = json!("1960-05");
    let claim = read_one(&value).unwrap();
    assert_eq!(claim.patient_birth_date, None);
}

#[test]
fn references_resolve_or_say_why_not() {
    let mut value = claim_json();
    value["patient"] = json!({"reference": "#nobody"});
    value["provider"] = json!({"reference": "Practitioner/absent"});
    let error = read_one(&value).unwrap_err();
    assert_eq!(
        problem_paths(&error),
        ["Claim.patient.reference", "Claim.provider"]
    );
    assert!(error
        .problems
        .iter()
        .all(|p| p.kind == ProblemKind::Unresolved));

    // A reference to a server the document does not carry: its id is the patient key.
    let mut value = claim_json();
    value["patient"] = json!({"reference": "https://fhir.example.invalid/Patient/P-77/_history/2"});
    assert_eq!(read_one(&value).unwrap().patient, "P-77");

    // A patient reference that is not a Patient.
    let mut value = claim_json();
    value["contained"][0]["resourceType"] = json!("Organization");
    let error = read_one(&value).unwrap_err();
    assert_eq!(problem_paths(&error), ["Claim.patient.reference"]);
    assert!(error.to_string().contains("found Organization"), "{error}");
}

#[test]
fn the_payer_map_picks_the_pack() {
    let mut payers = PayerMap::new();
    payers.insert("PAYER-1", "acme-health");
    let options = ReadOptions::with_payers(payers);
    let claim = read_claims(&claim_json().to_string(), &options)
        .remove(0)
        .unwrap();
    assert_eq!(claim.payer, "acme-health");
}

#[test]
fn a_replacement_is_frequency_7_and_names_the_replaced_claim() {
    let mut value = claim_json();
    value["related"] = json!([
        {"claim": {"reference": "Claim/OLD-1"}, "relationship": {"coding": [{"code": "prior"}]}},
        {"reference": {"value": "OLD-2"}, "relationship": {"coding": [{"code": "replaces"}]}}
    ]);
    let claim = read_one(&value).unwrap();
    assert_eq!(claim.replaces.as_deref(), Some("OLD-2"));
    assert_eq!(claim.frequency.map(|f| f.code()), Some(7));

    value["related"] = json!([{"claim": {"reference": "Claim/T1"}, "relationship": {"coding": [{"code": "replaces"}]}}]);
    let error = read_one(&value).unwrap_err();
    assert_eq!(problem_paths(&error), ["Claim.related"]);
}

#[test]
fn counts_are_bounded_before_items_are_mapped() {
    let mut value = claim_json();
    let item = value["item"][0].clone();
    value["item"] = Value::Array(vec![item; payerlex::MAX_LINES + 1]);
    let error = read_one(&value).unwrap_err();
    assert_eq!(problem_paths(&error), ["Claim.item"]);
    assert!(matches!(
        error.problems[0].kind,
        ProblemKind::TooMany { .. }
    ));
}

#[test]
fn ndjson_reports_each_bad_record_and_reads_the_rest() {
    let good = claim_json().to_string();
    let mut second = claim_json();
    second["id"] = json!("T2");
    let input = format!(
        "{good}\n\n{{\"resourceType\": \"Claim\", \"id\": }}\n{{\"resourceType\":\"Patient\",\"id\":\"x\"}}\n{}\n",
        second
    );
    let results: Vec<_> = FhirReader::new(Cursor::new(input), ReadOptions::default()).collect();
    assert_eq!(results.len(), 4);
    assert_eq!(results[0].as_ref().unwrap().id, "T1");
    let syntax = results[1].as_ref().unwrap_err();
    assert_eq!(syntax.record, Some(3));
    let wrong_type = results[2].as_ref().unwrap_err();
    assert_eq!(wrong_type.record, Some(4));
    assert_eq!(problem_paths(wrong_type), ["resourceType"]);
    assert_eq!(results[3].as_ref().unwrap().id, "T2");
}

#[test]
fn a_record_over_the_limit_is_skipped_and_reported() {
    let good = claim_json().to_string();
    let options = ReadOptions {
        max_record_bytes: good.len() + 10,
        ..ReadOptions::default()
    };
    let long = format!(
        "{{\"resourceType\":\"Claim\",\"id\":\"{}\"}}",
        "x".repeat(good.len())
    );
    let input = format!("{good}\n{long}\n{good}");
    let results: Vec<_> = FhirReader::new(Cursor::new(input), options.clone()).collect();
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok() && results[2].is_ok());
    let error = results[1].as_ref().unwrap_err();
    assert_eq!(error.record, Some(2));
    assert!(matches!(
        error.problems[0].kind,
        ProblemKind::TooLarge { .. }
    ));

    let pretty = serde_json::to_string_pretty(&json!({"resourceType": "Bundle", "entry": [{"resource": claim_json()}, {"resource": claim_json()}]})).unwrap();
    let results: Vec<_> = FhirReader::new(Cursor::new(pretty), options).collect();
    assert_eq!(
        results.len(),
        1,
        "a whole document over the limit is one error"
    );
    assert!(results[0].is_err());
}

#[test]
fn a_pretty_printed_bundle_is_read_whole() {
    let mut second = claim_json();
    second["id"] = json!("T2");
    second["item"][0]["sequence"] = json!(2);
    let bundle = json!({"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": "urn:uuid:1", "resource": claim_json()},
        {"fullUrl": "urn:uuid:2", "resource": second}
    ]});
    let pretty = serde_json::to_string_pretty(&bundle).unwrap();
    let results: Vec<_> =
        FhirReader::new(Cursor::new(pretty.clone()), ReadOptions::default()).collect();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().unwrap().id, "T1");
    let error = results[1].as_ref().unwrap_err();
    assert_eq!(error.entry, Some(1), "the Bundle entry of the claim");
    assert_eq!(error.record, Some(1));
    assert_eq!(problem_paths(error), ["Claim.item[1].sequence"]);
    assert_eq!(
        read_claims(&pretty, &ReadOptions::default()).len(),
        2,
        "the same from a string"
    );
}

#[test]
fn a_bundle_without_claims_is_an_error() {
    let bundle =
        json!({"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Patient"}}]});
    let results = read_claims(&bundle.to_string(), &ReadOptions::default());
    assert_eq!(results.len(), 1);
    assert_eq!(
        problem_paths(results[0].as_ref().unwrap_err()),
        ["Bundle.entry"]
    );
}

#[test]
fn an_unresolved_insurer_and_an_oversized_care_team_are_reported() {
    let mut value = claim_json();
    value["insurer"] = json!({"reference": "Organization/absent"});
    let member = json!({"sequence": 1, "role": {"coding": [{"code": "other"}]}});
    value["careTeam"] = Value::Array(vec![member; payerlex_fhir::MAX_CARE_TEAM + 1]);
    let error = read_one(&value).unwrap_err();
    assert_eq!(problem_paths(&error), ["Claim.insurer", "Claim.careTeam"]);
    assert_eq!(error.problems[0].kind, ProblemKind::Unresolved);
    assert!(matches!(
        error.problems[1].kind,
        ProblemKind::TooMany { .. }
    ));
}
