//! CMS Blue Button (BFD) FHIR responses from /work/shared: real FHIR structure, placeholder
//! codes. The reader must find the structure (items, diagnoses, patient) and turn each
//! placeholder into a per-claim error naming the element, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use payerlex_fhir::{read_claims, Document, FhirError, ReadOptions};

/// A shared BFD file. The build script marks these tests ignored when the folder is absent
/// (unless PAYERLEX_REQUIRE_SHARED=1), so a test that runs needs its file and fails without it.
fn bfd(file: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/cms-bfd-fhir/v2")
        .join(file);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (the shared BFD data is required)", path.display()))
}

fn paths(error: &FhirError) -> Vec<&str> {
    error.problems.iter().map(|p| p.path.as_str()).collect()
}

#[test]
#[cfg_attr(bfd_data_absent, ignore = "needs ../shared/data/cms-bfd-fhir/v2")]
fn professional_mcs_claim_structure_and_placeholder_errors() {
    let text = bfd("claimMcsRead.json");
    let document = Document::parse(&text).unwrap();
    let entries: Vec<_> = document.claims().collect();
    assert_eq!(entries.len(), 1);
    let claim = entries[0].resource().unwrap();
    assert_eq!(claim.item.len(), 1);
    assert_eq!(claim.diagnosis.len(), 2);
    assert_eq!(claim.item[0].modifier.len(), 1);
    let patient = entries[0].patient(&claim).unwrap();
    assert_eq!(patient.gender.as_deref(), Some("male"));
    assert_eq!(patient.birth_date, None);

    let results = read_claims(&text, &ReadOptions::default());
    assert_eq!(results.len(), 1);
    let error = results[0].as_ref().unwrap_err();
    assert_eq!(error.claim_id.as_deref(), Some("m-654321"));
    let found = paths(error);
    for expected in [
        "Claim.item[0].productOrService.coding[0].code",
        "Claim.item[0].modifier[0].coding[0].code",
        "Claim.item[0].quantity.value",
        "Claim.diagnosis[0].diagnosisCodeableConcept.coding[0].code",
        "Claim.diagnosis[1].diagnosisCodeableConcept.coding",
        "Claim.insurer",
    ] {
        assert!(found.contains(&expected), "{expected} not in {found:?}");
    }
    let placeholder = error
        .problems
        .iter()
        .find(|p| p.path == "Claim.item[0].productOrService.coding[0].code")
        .unwrap();
    assert_eq!(placeholder.item_sequence, Some(1));
    assert!(placeholder
        .to_string()
        .contains("`FDSAE`: invalid procedure code"));
    // No patient data in the message: the member id and the name stay out.
    let message = error.to_string();
    for phi in ["123456MBI", "SMITH"] {
        assert!(!message.contains(phi), "{message}");
    }
}

#[test]
#[cfg_attr(bfd_data_absent, ignore = "needs ../shared/data/cms-bfd-fhir/v2")]
fn institutional_fiss_claim_structure_and_placeholder_errors() {
    let text = bfd("claimFissRead.json");
    let document = Document::parse(&text).unwrap();
    let entry = document.claims().next().unwrap();
    let claim = entry.resource().unwrap();
    assert_eq!(claim.item.len(), 2);
    assert_eq!(claim.diagnosis.len(), 3);
    assert_eq!(claim.item[0].modifier.len(), 4);
    let patient = entry.patient(&claim).unwrap();
    assert_eq!(patient.gender.as_deref(), Some("male"));
    assert_eq!(patient.birth_date.as_deref(), Some("1975-03-01"));

    let results = read_claims(&text, &ReadOptions::default());
    let error = results[0].as_ref().unwrap_err();
    assert_eq!(error.claim_id.as_deref(), Some("f-123456"));
    let found = paths(error);
    for expected in [
        // ICD-9 placeholders: no ICD-10-CM coding at all.
        "Claim.diagnosis[0].diagnosisCodeableConcept.coding",
        "Claim.diagnosis[2].diagnosisCodeableConcept.coding",
        // The second item is a drug detail without a procedure code or date.
        "Claim.item[1].productOrService",
        "Claim.item[1].servicedDate",
    ] {
        assert!(found.contains(&expected), "{expected} not in {found:?}");
    }
    let message = error.to_string();
    for phi in ["123456MBI", "baker", "1975-03-01"] {
        assert!(!message.contains(phi), "{message}");
    }
}

#[test]
#[cfg_attr(bfd_data_absent, ignore = "needs ../shared/data/cms-bfd-fhir/v2")]
fn responses_and_explanations_of_benefit_are_not_claims() {
    for file in [
        "claimResponseMcsRead.json",
        "claimResponseFissRead.json",
        "eobReadCarrier.json",
        "eobReadInpatient.json",
    ] {
        let text = bfd(file);
        let results = read_claims(&text, &ReadOptions::default());
        assert_eq!(results.len(), 1, "{file}");
        let error = results[0].as_ref().unwrap_err();
        assert_eq!(paths(error), ["resourceType"], "{file}");
    }
}
