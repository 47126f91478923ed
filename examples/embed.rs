//! Embedding payerlex in a billing service: load the packs once, share the engine, build
//! claims with the typed API, keep the patient history, read the decision.
//!
//! Run: `cargo run -p payerlex --example embed`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use payerlex::{CheckOptions, Claim, Engine, InMemoryHistory, Line, Report};
use payerlex::{
    Date, Diagnosis, Modifiers, Npi, PlaceOfService, ProcedureCode, Provider, ProviderRole,
};

fn line(number: u32, code: &str, modifiers: &[&str], date: &str) -> Line {
    let mut line = Line::new(
        number,
        ProcedureCode::parse(code).unwrap(),
        1,
        Date::parse(date).unwrap(),
    );
    line.modifiers = Modifiers::parse(modifiers).unwrap();
    line.diagnosis_pointers = vec![1];
    line
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let policies = concat!(env!("CARGO_MANIFEST_DIR"), "/../../policies");
    // Load once at start-up; a policy error lists every problem with file:line:col.
    let engine = Engine::load(policies).map_err(|e| e.render())?;
    // `Engine` is Send + Sync; clone it (an Arc bump) into each worker thread.
    let mut history = InMemoryHistory::new();

    let mut claim = Claim::new(
        "C-1001",
        "medicare",
        "P-77",
        Provider::new(Npi::parse("1234567893")?, ProviderRole::Professional),
        PlaceOfService::parse("11")?,
        vec![
            line(1, "72192", &["26"], "2026-03-02"),
            line(2, "76377", &["26"], "2026-03-02"),
        ],
    );
    claim.diagnoses = vec![Diagnosis::parse("S32.401A")?];
    claim.report = Some(Report {
        text: Some("Volume rendering on an independent workstation under concurrent physician supervision; 3D images demonstrate the fracture; required for operative planning.".into()),
        facts: Default::default(),
    });

    let decision = engine.check_with(&claim, &history, CheckOptions { explain: false })?;
    // Later claims of the same patient see this one (frequency, duplicate components).
    history.record(&claim, &decision);

    println!(
        "claim {} -> {:?} (pack {} {})",
        decision.claim, decision.outcome, decision.policy.pack, decision.policy.version
    );
    for line in &decision.lines {
        println!("  line {} {} -> {:?}", line.number, line.code, line.outcome);
        for finding in &line.findings {
            println!(
                "    {:?} {} [{}]: {}",
                finding.outcome,
                finding.rule,
                finding.carc.map(|c| c.to_string()).unwrap_or_default(),
                finding.message
            );
        }
    }
    println!("{}", serde_json::to_string(&decision)?);
    Ok(())
}
