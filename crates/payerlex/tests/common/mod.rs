//! Helpers shared by the integration tests: in-memory packs and claims.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use payerlex::Outcome;
use payerlex::PackSources;
use payerlex::{Claim, Decision, Engine, InMemoryHistory};

/// A manifest for pack `id` holding `files`.
pub fn manifest(id: &str, files: &[&str], extra: &str) -> String {
    let list: Vec<String> = files.iter().map(|f| format!("\"{f}\"")).collect();
    format!(
        "id = \"{id}\"\nname = \"Test payer {id}\"\nversion = \"2026.1.0\"\neffective = \"2025-01-01\"\npolicies = [{}]\n{extra}",
        list.join(", ")
    )
}

/// An engine with one pack `test` holding one policy file.
pub fn engine(policy: &str) -> Engine {
    try_engine(policy).unwrap_or_else(|e| panic!("policy failed to load:\n{}", e.render()))
}

/// Like [`engine`], returning the load error.
pub fn try_engine(policy: &str) -> Result<Engine, payerlex::LoadError> {
    let pack =
        PackSources::new("test", manifest("test", &["p.policy"], "")).with_file("p.policy", policy);
    Engine::from_sources(&[pack])
}

/// A policy header for `policy test.p`.
pub const HEADER: &str = "policy test.p\nversion 1.0.0\n";

/// A claim from JSON; fields not given get defaults (payer `test`, patient `P1`).
pub fn claim(lines: &str, extra: &str) -> Claim {
    let text = format!(
        r#"{{"id":"C1","payer":"test","patient":"P1","provider":{{"npi":"1234567893","role":"professional"}},"place_of_service":"11","lines":[{lines}]{extra}}}"#
    );
    payerlex::parse_claim(&text).unwrap_or_else(|e| panic!("bad test claim: {e}\n{text}"))
}

/// A line as JSON.
pub fn line(number: u32, code: &str, modifiers: &[&str], units: u32, date: &str) -> String {
    let mods: Vec<String> = modifiers.iter().map(|m| format!("\"{m}\"")).collect();
    format!(
        r#"{{"number":{number},"code":"{code}","modifiers":[{}],"units":{units},"date":"{date}","diagnosis_pointers":[]}}"#,
        mods.join(",")
    )
}

/// Decides a claim with no history.
pub fn decide(engine: &Engine, claim: &Claim) -> Decision {
    engine.check(claim, &InMemoryHistory::new()).unwrap()
}

/// The outcome of each line.
pub fn outcomes(decision: &Decision) -> Vec<Outcome> {
    decision.lines.iter().map(|l| l.outcome).collect()
}

/// Rule ids that fired on line `index` (0-based).
pub fn fired(decision: &Decision, index: usize) -> Vec<String> {
    decision.lines[index]
        .findings
        .iter()
        .map(|f| f.rule.to_string())
        .collect()
}
