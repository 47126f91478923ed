//! Decides a claim: for each line, the rules its code triggers, in pack order.
//!
//! What it costs (callgrind on the bench mix, `scripts/instructions.sh`; see the README's
//! Performance section), per claim of about two lines: evaluating the triggered rules'
//! conditions about 490 instructions (the fast-path form, [`CompiledRule::triggered_condition`]:
//! the trigger conjunct the index answered is gone and the commonest clauses are fused, see
//! `compile::specialize`), reading the report for phrases about 460, the decision id
//! (computed by the engine: the claim's fields laid out and hashed with XXH3) about 690, this
//! module's bookkeeping (trigger index, findings, coverage advice, estimates, warnings) about
//! 650; a returned `Decision` adds about 340 to drop and 1.4 allocations (its lines vector
//! and the findings vectors of lines that have findings; the claim id is inline and the payer
//! id is the pack's, shared), which a reused one does not.
//! Findings share the compiled rule's id, message, citation and remark list (`Arc`s, a
//! reference-count bump each) and "not evaluated" messages are rendered once per rule and
//! claim shape, so a decision the host reuses (`decide_into_with`, `Engine::check_into`)
//! allocates nothing: its vectors keep their capacity, and findings buffers of lines a shorter
//! claim drops are kept per thread for the next longer one.

use super::audit::DecisionId;
use super::decision::{Decision, Finding, LineDecision, Outcome, PolicyRef};
use super::evaluate::{LineEnv, NoTrace};
use super::fact_cache::FactCache;
use super::findings::{fired, no_policy_in_force, unknown_with_message};
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
    let id = DecisionId::of(claim, &policy.digest);
    let mut decision = new_decision(policy, claim, payer_of(policy, claim), id);
    decide_lines(
        program,
        policy,
        claim,
        history,
        options,
        &mut decision,
        false,
    );
    decision
}

/// A decision of `claim` for `payer` by the pack of `policy` with id `id`, before any line is
/// decided: what [`decide`] and the engine's `check` fill (the engine, which picked the pack
/// by the payer id, passes the pack's id as the payer, and sets the id itself from the pack's
/// key). Always inlined: built in the caller's own place, a 208-byte decision is not moved
/// after (about 25 instructions per check on the bench mix).
#[inline(always)]
pub(crate) fn new_decision(
    policy: &PolicyRef,
    claim: &Claim,
    payer: std::sync::Arc<str>,
    id: DecisionId,
) -> Decision {
    Decision {
        id,
        decided_at: None,
        claim: claim.id.as_str().into(),
        payer,
        policy: policy.clone(),
        outcome: Outcome::Allow,
        lines: Vec::with_capacity(claim.lines.len()),
        adjustments: Vec::new(),
        warnings: Vec::new(),
    }
}

/// [`decide`] into `decision`, as [`crate::Engine::check_into`] does: its strings and vectors
/// (the lines, each line's findings) keep their capacity, so once they have grown to the
/// largest claim seen, deciding allocates nothing (findings share the compiled rule's id,
/// message and citation; a "not evaluated" message is rendered once per rule and claim
/// shape). The result is exactly what [`decide`] returns once the caller has set
/// `decision.id` (the engine derives it from the pack's key, kept with the pack, rather than
/// from the digest's text).
///
/// `recycle` says whether `decision` is one the host reuses (its claim id, payer and policy
/// are brought up to date, and new lines take findings buffers kept from earlier claims) or
/// one just built for this claim with those already set (new lines start empty: a decision
/// about to be handed out must not drain what a reusing host on this thread keeps).
pub(crate) fn decide_into_with(
    program: &Program,
    policy: &PolicyRef,
    claim: &Claim,
    history: &[PriorLine],
    options: CheckOptions,
    decision: &mut Decision,
    recycle: bool,
) {
    decision.decided_at = None;
    if recycle {
        // A decision checked again for the same claim or pack keeps what it has: copying and
        // reference-counting cost more than the comparisons.
        if decision.claim != claim.id {
            decision.claim.clear();
            decision.claim.push_str(&claim.id);
        }
        if *decision.payer != *claim.payer {
            decision.payer = payer_of(policy, claim);
        }
        if !policy.is_same(&decision.policy) {
            decision.policy.clone_from(policy);
        }
    }
    decision.outcome = Outcome::Allow;
    decision.adjustments.clear();
    decision.warnings.clear();
    decide_lines(program, policy, claim, history, options, decision, recycle);
}

/// The claim's payer id, shared with the pack's id when they are the same (as they are when
/// the engine picked the pack by the payer id): no string to allocate per decision.
fn payer_of(policy: &PolicyRef, claim: &Claim) -> std::sync::Arc<str> {
    if *policy.pack == *claim.payer {
        policy.pack.clone()
    } else {
        std::sync::Arc::from(claim.payer.as_str())
    }
}

/// Fills `decision`'s lines (reusing the ones it has), outcome and warnings.
fn decide_lines(
    program: &Program,
    policy: &PolicyRef,
    claim: &Claim,
    history: &[PriorLine],
    options: CheckOptions,
    decision: &mut Decision,
    recycle: bool,
) {
    let facts = FactCache::new(&program.facts, claim.report.as_ref());
    if decision.lines.len() > claim.lines.len() {
        spare::keep(decision.lines.drain(claim.lines.len()..));
    }
    let mut claim_outcome = Outcome::Allow;
    let Some(first) = claim.lines.first() else {
        decision.lines.clear();
        decision.outcome = claim_outcome;
        return;
    };
    // One environment for the claim, moved from line to line: its lookup memo is emptied
    // per line rather than built (and zeroed) again.
    let mut env = LineEnv {
        claim,
        line: first,
        index: 0,
        history,
        facts: &facts,
        memo: Default::default(),
    };
    // Lines the decision lacks are added in one `extend`, which builds each in place: a
    // line decision is large (its estimate is inline), and pushing one by one moved each.
    let have = decision.lines.len();
    decision
        .lines
        .extend(claim.lines.iter().skip(have).map(|line| LineDecision {
            number: line.number,
            code: line.code,
            outcome: Outcome::Allow,
            findings: if recycle { spare::take() } else { Vec::new() },
            estimate: None,
        }));
    for ((index, line), decided) in claim.lines.iter().enumerate().zip(&mut decision.lines) {
        env.line = line;
        env.index = index;
        env.memo.clear();
        decided.number = line.number;
        decided.code = line.code;
        decided.findings.clear();
        let findings = &mut decided.findings;
        let mut outcome = Outcome::Allow;
        for rule in triggered(program, line.code, line.date) {
            let Some(mut finding) = evaluate(rule, &env, claim) else {
                continue;
            };
            if options.explain {
                let mut recorder = Recorder::new(rule.clause_texts(), &program.facts);
                env.eval(&rule.condition, &mut recorder);
                finding.explanation = Some(Box::new(recorder.finish()));
            }
            if let Some(severity) = finding.outcome.severity() {
                outcome = outcome.max(severity);
            }
            findings.push(finding);
        }
        if !program.covers(line.date) {
            let mut finding = no_policy_in_force(&policy.pack);
            if options.explain {
                finding.explanation = Some(Box::new(coverage_explanation(program, &policy.pack)));
            }
            findings.push(finding);
        }
        claim_outcome = claim_outcome.max(outcome);
        decided.outcome = outcome;
        // Written only when there is something to write: most packs have no fee schedule,
        // and a line's estimate is large to move.
        match &program.pricing {
            Some(pricing) if outcome != Outcome::Deny => {
                decided.estimate = super::estimate::estimate(pricing, claim, line);
            }
            _ if decided.estimate.is_some() => decided.estimate = None,
            _ => {}
        }
    }
    if let Some(pricing) = &program.pricing {
        super::surgical_pricing::adjust(pricing, claim, &mut decision.lines, &policy.pack);
    }
    decision.outcome = claim_outcome;
    push_warnings(program, claim, &mut decision.warnings);
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

/// The finding of one rule on the line of `env`, if it fires or cannot be decided. The rule
/// was picked by [`triggered`] for the line's code, so its trigger conjunct holds.
pub(super) fn evaluate(rule: &CompiledRule, env: &LineEnv<'_>, claim: &Claim) -> Option<Finding> {
    let info = &rule.info;
    match env.eval(&rule.triggered_condition, &mut NoTrace) {
        Tri::False => None,
        Tri::True => Some(fired(&info.id, &info.outcome, &info.citation)),
        Tri::Unknown => Some(unknown_with_message(
            &info.id,
            &info.outcome,
            &info.citation,
            rule.on_unknown,
            rule.unknown_message(claim),
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
fn push_warnings(program: &Program, claim: &Claim, warnings: &mut Vec<String>) {
    let Some(report) = &claim.report else {
        return;
    };
    warnings.extend(
        report
            .facts
            .keys()
            .filter(|name| program.facts.index_of(name).is_none())
            .map(|name| crate::eval::unread_fact_warning(name)),
    );
}

/// Findings buffers of lines a reused decision no longer needs (its previous claim had more
/// lines than this one), kept for the next claim with more lines, so a host reusing one
/// [`Decision`] allocates nothing per claim once the buffers have grown. Per thread, bounded
/// in count and in each buffer's capacity (larger ones are freed).
mod spare {
    use std::cell::RefCell;

    use crate::eval::decision::{Finding, LineDecision};

    /// Buffers kept per thread.
    const MAX_KEPT: usize = 256;
    /// Largest buffer kept, in findings.
    const MAX_CAPACITY: usize = 64;

    thread_local! {
        static SPARE: RefCell<Vec<Vec<Finding>>> = const { RefCell::new(Vec::new()) };
    }

    /// Keeps the (emptied) findings buffers of `lines`.
    pub(super) fn keep(lines: impl Iterator<Item = LineDecision>) {
        let _ = SPARE.try_with(|spare| {
            let Ok(mut spare) = spare.try_borrow_mut() else {
                return;
            };
            for line in lines {
                let mut findings = line.findings;
                if spare.len() < MAX_KEPT
                    && findings.capacity() > 0
                    && findings.capacity() <= MAX_CAPACITY
                {
                    findings.clear();
                    spare.push(findings);
                }
            }
        });
    }

    /// A kept buffer, or a new empty one.
    pub(super) fn take() -> Vec<Finding> {
        SPARE
            .try_with(|spare| spare.try_borrow_mut().ok().and_then(|mut s| s.pop()))
            .ok()
            .flatten()
            .unwrap_or_default()
    }
}
