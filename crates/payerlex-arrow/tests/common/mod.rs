//! Claims for the tests and the bench: the example claims with patients that repeat, as JSON
//! Lines and as Arrow rows (one per claim line, the crate's input schema).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{Int64Builder, ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use serde_json::Value;

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn engine() -> Arc<payerlex::Engine> {
    Arc::new(payerlex::Engine::load(repo().join("policies")).unwrap())
}

/// The example claims that are claims (not the deliberately broken one).
pub fn templates() -> Vec<Value> {
    std::fs::read_to_string(repo().join("examples/claims.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .collect()
}

/// `count` claims over `patients` patients and a few days, in the order the Arrow input
/// wants (payer, patient, date, claim id): template `i % templates`, so every template
/// (the broken one too) appears.
pub fn claims(count: usize, patients: usize) -> Vec<Value> {
    let templates = templates();
    let mut out: Vec<Value> = (0..count)
        .map(|i| {
            let mut claim = templates[i % templates.len()].clone();
            claim["id"] = format!("G{i:06}").into();
            claim["patient"] = format!("Q{:04}", (i * 7) % patients).into();
            let date = format!("2026-03-{:02}", 2 + (i * 3) % 4);
            for line in claim["lines"].as_array_mut().unwrap() {
                line["date"] = date.clone().into();
            }
            claim
        })
        .collect();
    out.sort_by_key(|c| {
        (
            c["payer"].as_str().unwrap().to_owned(),
            c["patient"].as_str().unwrap().to_owned(),
            c["lines"][0]["date"].as_str().unwrap().to_owned(),
            c["id"].as_str().unwrap().to_owned(),
        )
    });
    out
}

pub fn jsonl(claims: &[Value]) -> String {
    claims.iter().map(|c| format!("{c}\n")).collect()
}

/// One row per claim line, with the claim's fields on every row.
pub fn rows(claims: &[Value]) -> RecordBatch {
    let mut payer = StringBuilder::new();
    let mut patient = StringBuilder::new();
    let mut claim_id = StringBuilder::new();
    let mut number = Int64Builder::new();
    let mut code = StringBuilder::new();
    let mut units = Int64Builder::new();
    let mut date = StringBuilder::new();
    let mut modifiers = ListBuilder::new(StringBuilder::new());
    let mut pointers = ListBuilder::new(Int64Builder::new());
    let mut place = StringBuilder::new();
    let mut npi = StringBuilder::new();
    let mut role = StringBuilder::new();
    let mut diagnoses = ListBuilder::new(StringBuilder::new());
    let mut report = StringBuilder::new();
    let mut extra = StringBuilder::new();
    let text = |v: &Value| v.as_str().map(str::to_owned);
    for claim in claims {
        for line in claim["lines"].as_array().unwrap() {
            payer.append_option(text(&claim["payer"]));
            patient.append_option(text(&claim["patient"]));
            claim_id.append_option(text(&claim["id"]));
            number.append_option(line["number"].as_i64());
            code.append_option(text(&line["code"]));
            units.append_option(line["units"].as_i64());
            date.append_option(text(&line["date"]));
            match line["modifiers"].as_array() {
                Some(list) => {
                    for m in list {
                        modifiers.values().append_option(text(m));
                    }
                    modifiers.append(true);
                }
                None => modifiers.append(false),
            }
            match line["diagnosis_pointers"].as_array() {
                Some(list) => {
                    for p in list {
                        pointers.values().append_option(p.as_i64());
                    }
                    pointers.append(true);
                }
                None => pointers.append(false),
            }
            place.append_option(text(&claim["place_of_service"]));
            npi.append_option(text(&claim["provider"]["npi"]));
            role.append_option(text(&claim["provider"]["role"]));
            match claim["diagnoses"].as_array() {
                Some(list) => {
                    for d in list {
                        diagnoses.values().append_option(text(d));
                    }
                    diagnoses.append(true);
                }
                None => diagnoses.append(false),
            }
            report.append_option(text(&claim["report"]["text"]));
            extra.append_option(claim_json(claim));
        }
    }
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("payer", Arc::new(payer.finish())),
        ("patient", Arc::new(patient.finish())),
        ("claim", Arc::new(claim_id.finish())),
        ("line", Arc::new(number.finish())),
        ("code", Arc::new(code.finish())),
        ("units", Arc::new(units.finish())),
        ("date", Arc::new(date.finish())),
        ("modifiers", Arc::new(modifiers.finish())),
        ("diagnosis_pointers", Arc::new(pointers.finish())),
        ("place_of_service", Arc::new(place.finish())),
        ("provider_npi", Arc::new(npi.finish())),
        ("provider_role", Arc::new(role.finish())),
        ("diagnoses", Arc::new(diagnoses.finish())),
        ("report_text", Arc::new(report.finish())),
        ("claim_json", Arc::new(extra.finish())),
    ];
    RecordBatch::try_from_iter(columns).unwrap()
}

/// The claim's fields that have no column of their own, as a JSON object (`None` if none).
fn claim_json(claim: &Value) -> Option<String> {
    let mut extra = claim.as_object().unwrap().clone();
    for key in [
        "id",
        "payer",
        "patient",
        "place_of_service",
        "diagnoses",
        "lines",
        "frequency",
        "replaces",
    ] {
        extra.remove(key);
    }
    if let Some(Value::Object(provider)) = extra.get_mut("provider") {
        provider.remove("npi");
        provider.remove("role");
        if provider.is_empty() {
            extra.remove("provider");
        }
    }
    if let Some(Value::Object(report)) = extra.get_mut("report") {
        report.remove("text");
        if report.is_empty() {
            extra.remove("report");
        }
    }
    (!extra.is_empty()).then(|| Value::Object(extra).to_string())
}
