//! The one module that names payerlex items, so that when payerlex's facade changes only this
//! file (and the shared hand-written baseline in `crates/payerlex/benches/support`) needs new
//! paths. Everything else in this crate goes through the functions here.
//!
//! Everything comes from payerlex's root facade.

use std::collections::BTreeMap;

pub use payerlex::{CheckOptions, Claim, Decision, DecisionId, Engine, InMemoryHistory, NoHistory};

use payerlex::{
    Date, FindingOutcome, Line, Modifiers, Npi, PackSources, PlaceOfService, ProcedureCode,
    Provider, ProviderRole, Report,
};

use crate::error::CompareError;
use crate::findings::{Finding, FindingSet, Rule, Severity};
use crate::host::{HostClaim, PAYER};

const ENGINE: &str = "payerlex";

/// The fixed benchmark policy (six 3D rules), the same file payerlex's own benches use.
pub const THREE_D_POLICY: &str = include_str!("../../payerlex/benches/support/three_d.policy");

const PACK_MANIFEST: &str = "id = \"bench\"\nname = \"Benchmark\"\nversion = \"1.0.0\"\neffective = \"2025-01-01\"\npolicies = [\"three_d.policy\"]\n";

/// An engine with the benchmark policy as pack `bench`.
pub fn bench_engine() -> Result<Engine, CompareError> {
    let pack = PackSources::new(PAYER, PACK_MANIFEST).with_file("three_d.policy", THREE_D_POLICY);
    Engine::from_sources(&[pack]).map_err(|e| CompareError::Load {
        engine: ENGINE,
        message: e.render(),
    })
}

/// Builds a payerlex claim from the host's record: what a host embedding payerlex does for
/// every claim, measured on its own as mode `payerlex-build`.
pub fn build_claim(host: &HostClaim) -> Result<Claim, CompareError> {
    let bad = |field: &'static str, message: String| CompareError::Input {
        engine: ENGINE,
        claim: host.id.clone(),
        field,
        message,
    };
    let npi = Npi::parse(&host.npi).map_err(|e| bad("npi", e.to_string()))?;
    let place = PlaceOfService::parse(&host.place_of_service)
        .map_err(|e| bad("place_of_service", e.to_string()))?;
    let lines = host
        .lines
        .iter()
        .map(|l| {
            let code = ProcedureCode::parse(&l.code).map_err(|e| bad("code", e.to_string()))?;
            let date = Date::parse(&l.date).map_err(|e| bad("date", e.to_string()))?;
            let mut line = Line::new(l.number, code, l.units, date);
            line.modifiers = Modifiers::parse(&l.modifiers).map_err(|e| bad("modifiers", e))?;
            Ok(line)
        })
        .collect::<Result<Vec<_>, CompareError>>()?;
    let mut claim = Claim::new(
        host.id.as_str(),
        PAYER,
        host.patient.as_str(),
        Provider::new(npi, ProviderRole::Professional),
        place,
        lines,
    );
    claim.report = host.report.as_ref().map(|r| Report {
        text: r.text.clone(),
        facts: r
            .workstation
            .map(|w| BTreeMap::from([("workstation".to_owned(), w)]))
            .unwrap_or_default(),
    });
    Ok(claim)
}

/// Parses a claim from payerlex's JSON contract (to check `build_claim` against).
pub fn parse_claim(json: &str) -> Result<Claim, CompareError> {
    payerlex::parse_claim(json).map_err(|error| CompareError::Input {
        engine: ENGINE,
        claim: String::new(),
        field: "json",
        message: error.to_string(),
    })
}

/// `engine.check(claim, &NoHistory)`, with the error made a string.
pub fn check(engine: &Engine, claim: &Claim) -> Result<Decision, CompareError> {
    engine
        .check(claim, &NoHistory)
        .map_err(|e| evaluate_error(claim, e))
}

/// The id `engine.check` gives `claim` (`None` for an unknown payer), computed alone.
pub fn id(engine: &Engine, claim: &Claim) -> Option<DecisionId> {
    engine
        .pack(&claim.payer)
        .map(|pack| DecisionId::of(claim, &pack.policy().digest))
}

/// `engine.check_into(claim, &NoHistory, ..., decision)`, reusing the decision of the previous
/// claim (the first claim fills `reused` with `Engine::check`).
pub fn check_into(
    engine: &Engine,
    claim: &Claim,
    reused: &mut Option<Decision>,
) -> Result<(), CompareError> {
    match reused {
        Some(decision) => engine
            .check_into(claim, &NoHistory, CheckOptions::default(), decision)
            .map_err(|e| evaluate_error(claim, e)),
        None => {
            *reused = Some(check(engine, claim)?);
            Ok(())
        }
    }
}

/// `engine.check` reading `history`, then recording the decided claim in it, as the CLI's
/// `check` command does for every record.
pub fn check_recording(
    engine: &Engine,
    claim: &Claim,
    history: &mut InMemoryHistory,
) -> Result<Decision, CompareError> {
    let decision = engine
        .check(claim, history)
        .map_err(|e| evaluate_error(claim, e))?;
    history.record(claim, &decision);
    Ok(decision)
}

/// `engine.check_with` with explanations on.
pub fn check_explained(engine: &Engine, claim: &Claim) -> Result<Decision, CompareError> {
    engine
        .check_with(claim, &NoHistory, CheckOptions { explain: true })
        .map_err(|e| evaluate_error(claim, e))
}

fn evaluate_error(claim: &Claim, error: payerlex::CheckError) -> CompareError {
    CompareError::Evaluate {
        engine: ENGINE,
        claim: claim.id.clone(),
        message: error.to_string(),
    }
}

/// The deny and review findings of a decision. With `explained`, every finding must carry an
/// explanation (so the explain mode is known to have done its work).
pub fn findings(decision: &Decision, explained: bool) -> Result<FindingSet, CompareError> {
    let unexpected = |message: String| CompareError::Output {
        engine: ENGINE,
        claim: decision.claim.to_string(),
        message,
    };
    let mut out = Vec::new();
    for line in &decision.lines {
        for finding in &line.findings {
            let severity = match finding.outcome {
                FindingOutcome::Deny => Severity::Deny,
                FindingOutcome::Review => Severity::Review,
                FindingOutcome::Advice | FindingOutcome::AdjustPrior => continue,
            };
            if explained && finding.explanation.is_none() {
                return Err(unexpected(format!(
                    "finding {} without an explanation",
                    finding.rule
                )));
            }
            let rule = Rule::parse(&finding.rule)
                .ok_or_else(|| unexpected(format!("unknown rule {}", finding.rule)))?;
            out.push(Finding {
                line: line.number,
                rule,
                severity,
            });
        }
    }
    Ok(FindingSet::new(out))
}

/// Lines in a decision (what the timed loops keep so the work cannot be optimised away).
pub fn decided_lines(decision: &Decision) -> usize {
    decision.lines.len()
}

/// A line outcome as the severity of its worst finding (`None` for allow).
pub fn severity(outcome: payerlex::Outcome) -> Option<Severity> {
    match outcome {
        payerlex::Outcome::Allow => None,
        payerlex::Outcome::Review => Some(Severity::Review),
        payerlex::Outcome::Deny => Some(Severity::Deny),
    }
}
