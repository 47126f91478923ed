//! Decides a claim: for each line, the rules its code triggers, in pack order.

use super::audit::DecisionId;
use super::decision::{Decision, Finding, LineDecision, Outcome, PolicyRef};
use super::evaluate::{LineEnv, NoTrace};
use super::fact_cache::FactCache;
use super::findings::{fired, no_policy_in_force, unknown};
use super::trace::Recorder;
use super::tri::Tri;
use crate::compile::{CompiledRule, Program};
use crate::facts::{Claim, Date, PriorLine, ProcedureCode};

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
        for rule in triggered(program, line.code, line.date) {
            let Some(mut finding) = evaluate(rule, &env, claim) else {
                continue;
            };
            if options.explain {
                let mut recorder = Recorder::new(rule.clause_texts(), &program.facts);
                env.eval(&rule.condition, &mut recorder);
                finding.explanation = Some(recorder.finish());
            }
            if let Some(severity) = finding.outcome.severity() {
                outcome = outcome.max(severity);
            }
            findings.push(finding);
        }
        if !program.covers(line.date) {
            let mut finding = no_policy_in_force(&policy.pack);
            if options.explain {
                finding.explanation = Some(coverage_explanation(program, &policy.pack));
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
        id: DecisionId::of(claim, &policy.digest),
        decided_at: None,
        claim: claim.id.clone(),
        payer: claim.payer.clone(),
        policy: policy.clone(),
        outcome: claim_outcome,
        lines,
        adjustments: Vec::new(),
        warnings: warnings(program, claim),
    }
}

/// The rules of `program` that can fire on `line`: triggered by its code and in force on its
/// date, in pack order.
pub(super) fn triggered(
    program: &Program,
    code: ProcedureCode,
    date: Date,
) -> impl Iterator<Item = &CompiledRule> + '_ {
    program
        .index
        .rules_for(code)
        .iter()
        .filter_map(|&i| program.rules.get(i as usize))
        .filter(move |rule| rule.effective.contains(date))
}

/// The finding of one rule on the line of `env`, if it fires or cannot be decided.
pub(super) fn evaluate(rule: &CompiledRule, env: &LineEnv<'_>, claim: &Claim) -> Option<Finding> {
    let info = &rule.info;
    match env.eval(&rule.condition, &mut NoTrace) {
        Tri::False => None,
        Tri::True => Some(fired(&info.id, &info.outcome, &info.citation)),
        Tri::Unknown => Some(unknown(
            &info.id,
            &info.outcome,
            &info.citation,
            rule.on_unknown,
            rule.needs,
            claim,
        )),
    }
}

/// Why no rule was in force: the dates the pack's rules cover, none of which is the line's.
fn coverage_explanation(program: &Program, pack: &str) -> super::decision::Explanation {
    let ranges: Vec<String> = program
        .coverage
        .iter()
        .map(|r| format!("{}..{}", r.from, r.until))
        .collect();
    super::decision::Explanation {
        clauses: vec![super::decision::ClauseTrace {
            clause: format!(
                "line.date within the dates the pack's rules are in force ({})",
                if ranges.is_empty() {
                    "none".to_owned()
                } else {
                    ranges.join(", ")
                }
            ),
            value: Some(false),
            at: format!("{pack}/pack.toml"),
        }],
        facts: Vec::new(),
    }
}

/// Report facts the claim states that no policy of the pack reads (probably misspelt: a
/// silently ignored fact would leave a rule "not evaluated" with no hint why).
fn warnings(program: &Program, claim: &Claim) -> Vec<String> {
    let Some(report) = &claim.report else {
        return Vec::new();
    };
    report
        .facts
        .keys()
        .filter(|name| program.facts.index_of(name).is_none())
        .map(|name| crate::eval::unread_fact_warning(name))
        .collect()
}
