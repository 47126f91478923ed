//! Decides a claim: for each line, the rules its code triggers, in pack order.

use std::sync::Arc;

use super::decision::{Decision, Finding, FindingOutcome, LineDecision, Outcome, PolicyRef};
use super::evaluate::{LineEnv, NoTrace};
use super::fact_cache::FactCache;
use super::trace::Recorder;
use super::tri::Tri;
use crate::compile::{CompiledRule, Program};
use crate::facts::{Claim, PriorLine};

/// Options for one check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckOptions {
    /// Attach a clause-level explanation to every finding.
    pub explain: bool,
}

/// Decides every line of `claim`.
pub fn decide(
    program: &Program,
    policy: &PolicyRef,
    claim: &Claim,
    history: &[PriorLine],
    options: CheckOptions,
) -> Decision {
    let facts = FactCache::new(&program.facts, claim.report.as_ref());
    let mut lines = Vec::with_capacity(claim.lines.len());
    let mut claim_outcome = Outcome::Allow;
    for (index, line) in claim.lines.iter().enumerate() {
        let env = LineEnv {
            claim,
            line,
            index,
            history,
            facts: &facts,
            memo: Default::default(),
        };
        let mut findings = Vec::new();
        let mut outcome = Outcome::Allow;
        for &rule_index in program.index.rules_for(line.code) {
            let Some(rule) = program.rules.get(rule_index as usize) else {
                continue;
            };
            if !rule.effective.contains(line.date) {
                continue;
            }
            let value = env.eval(&rule.condition, &mut NoTrace);
            let mut finding = match value {
                Tri::False => continue,
                Tri::True => fired(rule),
                Tri::Unknown => not_evaluated(rule, claim),
            };
            if options.explain {
                let mut recorder = Recorder::new(&rule.info.source, &program.facts);
                env.eval(&rule.condition, &mut recorder);
                finding.explanation = Some(recorder.finish());
            }
            if let Some(severity) = finding.outcome.severity() {
                outcome = outcome.max(severity);
            }
            findings.push(finding);
        }
        claim_outcome = claim_outcome.max(outcome);
        let estimate = match &program.pricing {
            Some(pricing) if outcome != Outcome::Deny => {
                super::estimate::estimate(pricing, claim, line)
            }
            _ => None,
        };
        lines.push(LineDecision {
            number: line.number,
            code: line.code,
            outcome,
            findings,
            estimate,
        });
    }
    Decision {
        claim: claim.id.clone(),
        payer: claim.payer.clone(),
        policy: policy.clone(),
        outcome: claim_outcome,
        lines,
    }
}

fn fired(rule: &CompiledRule) -> Finding {
    let info = &rule.info;
    Finding {
        rule: info.id.clone(),
        outcome: FindingOutcome::of(info.outcome.kind),
        carc: info.outcome.carc,
        rarc: info.outcome.rarcs.clone(),
        message: info.outcome.message.clone(),
        citation: info.citation.clone(),
        suggested_code: info.outcome.suggest,
        explanation: None,
    }
}

/// A rule whose condition depends on report facts the claim does not provide.
fn not_evaluated(rule: &CompiledRule, claim: &Claim) -> Finding {
    let info = &rule.info;
    let why = if claim.report.is_none() {
        "report required"
    } else {
        "the report does not state a fact this rule needs"
    };
    Finding {
        rule: info.id.clone(),
        outcome: FindingOutcome::Advice,
        carc: None,
        rarc: Arc::from([]),
        message: Arc::from(format!(
            "not evaluated: {why} (rule: {})",
            info.outcome.message
        )),
        citation: info.citation.clone(),
        suggested_code: None,
        explanation: None,
    }
}
