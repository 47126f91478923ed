//! The decision log: one JSON object per decision, enough to decide the claim again.
//!
//! Format version 1 (`"v":1`), one record per line (JSON Lines):
//!
//! ```json
//! {"v":1,"claim":{...},"history":[{...},...],"decision":{...}}
//! ```
//!
//! - `claim`: the claim as decided (`payerlex::Claim`, the JSON contract's input);
//! - `history`: the lines of the patient's earlier claims the engine was given
//!   (`payerlex::PriorLine`, in decided order): replaying `claim` against exactly these
//!   lines with the same packs gives the same `decision`;
//! - `decision`: the `payerlex::Decision` as answered (with `id`, `decided_at` and
//!   `policy.digest`).
//!
//! The state database keeps full records. A log that leaves the machine (`--decision-log
//! FILE`, `export-log --masked`) is masked with [`mask`]: identifiers are replaced by keyed
//! pseudonyms (HMAC-SHA256 under the store's secret, first 128 bits in hex), the same value
//! always giving the same pseudonym, so a masked log still links a patient's claims, a
//! replacement to the claim it replaces, and history lines to their claims; free text and
//! birth dates are removed. A masked record adds `"masked":[...]`, the fields it changed:
//!
//! | field | masked as |
//! |---|---|
//! | `claim.id`, `claim.replaces`, `history[].claim`, `decision.claim`, `decision.adjustments[].claim` | `c-` + pseudonym of (payer, claim id) |
//! | `claim.patient` | `p-` + pseudonym of (payer, patient id) |
//! | `claim.patient_birth_date` | removed |
//! | `claim.report.text` | removed (stated `facts` kept) |
//! | `claim.prior_authorization`, `claim.authorizations[].number` | `a-` + pseudonym of (payer, number) |
//!
//! Codes, units, dates of service, places, providers (NPIs, taxonomies), diagnoses, sex and
//! the decision's findings are kept: a masked record is like a HIPAA limited data set, not a
//! de-identified one. Replaying a masked record gives the same outcomes except where a rule
//! reads what was removed (the patient's age, the report text), and a different decision id
//! (the id hashes the claim as it was).

use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::Sha256;

/// A record read back (replay, tests): the library's record, `masked` listing what masking
/// changed.
pub use payerlex::DecisionLogRecord as LogRecord;
/// A record to write, borrowing what the check produced.
pub use payerlex::DecisionLogRecordRef as LogRecordRef;
/// The format version written in `"v"` (the library's decision log format).
pub use payerlex::DECISION_LOG_VERSION as LOG_VERSION;

/// A keyed pseudonym: `prefix` + the first 128 bits of HMAC-SHA256(key, kind, payer, value).
fn pseudonym(key: &[u8; 32], prefix: &str, payer: &str, value: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        // HMAC takes keys of any length; this branch is never taken.
        return format!("{prefix}masked");
    };
    for part in [prefix, payer, value] {
        mac.update(part.as_bytes());
        mac.update(&[0]);
    }
    let digest = mac.finalize().into_bytes();
    let mut out = String::with_capacity(prefix.len() + 32);
    out.push_str(prefix);
    for byte in digest.iter().take(16) {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

/// Masks a full record (as JSON) in place following the table in the module doc.
pub fn mask(record: &mut Value, key: &[u8; 32]) {
    let mut masked: Vec<&'static str> = Vec::new();
    let payer = record
        .pointer("/claim/payer")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let claim_name = |id: &str| pseudonym(key, "c-", &payer, id);
    let replace = |value: Option<&mut Value>, make: &dyn Fn(&str) -> String| -> bool {
        match value {
            Some(Value::String(text)) => {
                *text = make(text);
                true
            }
            _ => false,
        }
    };
    if let Some(claim) = record.get_mut("claim").and_then(Value::as_object_mut) {
        if replace(claim.get_mut("id"), &claim_name) {
            masked.push("claim.id");
        }
        if replace(claim.get_mut("replaces"), &claim_name) {
            masked.push("claim.replaces");
        }
        if replace(claim.get_mut("patient"), &|p| {
            pseudonym(key, "p-", &payer, p)
        }) {
            masked.push("claim.patient");
        }
        if claim.remove("patient_birth_date").is_some() {
            masked.push("claim.patient_birth_date");
        }
        if let Some(report) = claim.get_mut("report").and_then(Value::as_object_mut) {
            if matches!(report.remove("text"), Some(Value::String(_))) {
                masked.push("claim.report.text");
            }
        }
        let authorization = |n: &str| pseudonym(key, "a-", &payer, n);
        if replace(claim.get_mut("prior_authorization"), &authorization) {
            masked.push("claim.prior_authorization");
        }
        let mut numbers = false;
        for entry in array_mut(claim, "authorizations") {
            numbers |= replace(entry.get_mut("number"), &authorization);
        }
        if numbers {
            masked.push("claim.authorizations[].number");
        }
    }
    let mut history = false;
    if let Some(Value::Array(lines)) = record.get_mut("history") {
        for line in lines {
            history |= replace(line.get_mut("claim"), &claim_name);
        }
    }
    if history {
        masked.push("history[].claim");
    }
    if let Some(decision) = record.get_mut("decision").and_then(Value::as_object_mut) {
        if replace(decision.get_mut("claim"), &claim_name) {
            masked.push("decision.claim");
        }
        let mut adjustments = false;
        for entry in array_mut(decision, "adjustments") {
            adjustments |= replace(entry.get_mut("claim"), &claim_name);
        }
        if adjustments {
            masked.push("decision.adjustments[].claim");
        }
    }
    if let Some(object) = record.as_object_mut() {
        object.insert("masked".to_owned(), Value::from(masked));
    }
}

fn array_mut<'a>(
    object: &'a mut Map<String, Value>,
    field: &str,
) -> impl Iterator<Item = &'a mut Value> + 'a {
    object
        .get_mut(field)
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
}

/// The full record's JSON text.
pub fn full_json(record: &LogRecordRef<'_>) -> Result<String, serde_json::Error> {
    serde_json::to_string(record)
}

/// The masked record's JSON text, from the full record's.
pub fn masked_json(full: &str, key: &[u8; 32]) -> Result<String, serde_json::Error> {
    let mut value: Value = serde_json::from_str(full)?;
    mask(&mut value, key);
    serde_json::to_string(&value)
}
