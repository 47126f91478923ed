//! Runs pack tests through the public [`Engine`] and compares each line's decision with its
//! expectation.
//!
//! Tests go through `Engine::check_with` exactly as production claims do, with explanations on,
//! so a failure shows the clause-level trace of every finding. When a rule the test expected
//! did not fire, the runner also says *why not*: it evaluates that rule's negation on the same
//! claim and history, which fires exactly when the rule does not and records the clauses that
//! made it false.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use super::coverage::{coverage, PackCoverage};
use super::format::{LineExpectation, Location, Step, TestCase};
use super::PackSuite;
use crate::compile::compile;
use crate::eval::{decide, Explanation};
use crate::facts::{Carc, History, InMemoryHistory, ProcedureCode, Rarc};
use crate::ir::{CheckedRule, Cond, CondKind};
use crate::pack::Pack;
use crate::source::Span;
use crate::{CheckOptions, Engine, LineDecision, Outcome};

/// Everything a run produced.
#[derive(Debug, Clone)]
pub struct TestRun {
    /// One result per test, in pack, file and file order.
    pub results: Vec<TestResult>,
    /// Rule coverage per pack.
    pub coverage: Vec<PackCoverage>,
}

impl TestRun {
    /// Tests whose every expectation held.
    pub fn passed(&self) -> usize {
        self.results.iter().filter(|r| r.passed()).count()
    }

    /// Tests with at least one failed expectation.
    pub fn failed(&self) -> usize {
        self.results.len() - self.passed()
    }

    /// Packs whose rule coverage is below `percent`.
    pub fn below_coverage(&self, percent: f64) -> Vec<&PackCoverage> {
        self.coverage
            .iter()
            .filter(|c| c.percent() < percent)
            .collect()
    }
}

/// The result of one test.
#[derive(Debug, Clone)]
pub struct TestResult {
    /// The pack.
    pub pack: String,
    /// The test's name.
    pub name: String,
    /// Where the test is.
    pub location: Location,
    /// Claims whose decision did not match; empty when the test passed.
    pub failures: Vec<StepFailure>,
    /// Rules that produced a finding on any claim of the test.
    pub fired: BTreeSet<Arc<str>>,
}

impl TestResult {
    /// Whether every expectation held.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// A claim of a test whose decision did not match.
#[derive(Debug, Clone)]
pub struct StepFailure {
    /// The claim's id.
    pub claim: String,
    /// Where the claim is written.
    pub location: Location,
    /// The engine refused the claim (it should not: test claims are validated when loaded).
    pub error: Option<String>,
    /// The lines that did not match.
    pub lines: Vec<LineFailure>,
}

/// A line whose decision did not match its expectation.
#[derive(Debug, Clone)]
pub struct LineFailure {
    /// What was expected.
    pub expected: LineExpectation,
    /// What the engine decided, with explanations.
    pub actual: LineDecision,
    /// Each expectation that did not hold.
    pub mismatches: Vec<Mismatch>,
    /// For each expected rule that did not fire (or, when the test names no rule, each rule
    /// that gives the expected CARC): the clauses that kept it from firing.
    pub why_not: Vec<WhyNot>,
}

/// Why an expected rule did not fire on a line.
#[derive(Debug, Clone)]
pub struct WhyNot {
    /// The rule.
    pub rule: Arc<str>,
    /// The clauses evaluated, with their values; `None` when the rule is not in force on the
    /// line's date of service or does not exist in the pack.
    pub explanation: Option<Explanation>,
}

/// One expectation that did not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// The line's outcome differs.
    Outcome {
        /// Expected.
        expected: Outcome,
        /// Decided.
        actual: Outcome,
    },
    /// No finding carries the expected CARC.
    MissingCarc(Carc),
    /// No finding carries the expected RARC.
    MissingRarc(Rarc),
    /// The expected rule produced no finding.
    MissingRule(Arc<str>),
    /// A rule that must not fire produced a finding.
    UnexpectedRule(Arc<str>),
    /// No finding suggests the expected code.
    MissingSuggestion(ProcedureCode),
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Outcome { expected, actual } => {
                write!(
                    f,
                    "expected {}, got {}",
                    outcome_name(*expected),
                    outcome_name(*actual)
                )
            }
            Self::MissingCarc(carc) => write!(f, "expected CARC {carc}, no finding carries it"),
            Self::MissingRarc(rarc) => write!(f, "expected RARC {rarc}, no finding carries it"),
            Self::MissingRule(rule) => write!(f, "expected rule `{rule}` to fire, it did not"),
            Self::UnexpectedRule(rule) => write!(f, "expected rule `{rule}` not to fire, it did"),
            Self::MissingSuggestion(code) => {
                write!(f, "expected a suggestion of {code}, none was made")
            }
        }
    }
}

/// The lower-case name of an outcome, as in the JSON contract.
pub(crate) fn outcome_name(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Allow => "allow",
        Outcome::Review => "review",
        Outcome::Deny => "deny",
    }
}

/// Runs every test of `suites` and computes each pack's rule coverage.
pub fn run(engine: &Engine, suites: &[PackSuite]) -> TestRun {
    let mut results = Vec::new();
    let mut coverages = Vec::new();
    for suite in suites {
        let Some(pack) = engine.pack(&suite.pack) else {
            continue;
        };
        let first = results.len();
        for file in &suite.files {
            for case in &file.tests {
                results.push(run_case(engine, pack, case));
            }
        }
        let fired: BTreeSet<Arc<str>> = results[first..]
            .iter()
            .flat_map(|r| r.fired.iter().cloned())
            .collect();
        let base = pack.extends.as_deref().and_then(|b| engine.pack(b));
        coverages.push(coverage(pack, base, &fired, suite.has_tests_folder));
    }
    TestRun {
        results,
        coverage: coverages,
    }
}

fn run_case(engine: &Engine, pack: &Pack, case: &TestCase) -> TestResult {
    let mut history = InMemoryHistory::new();
    let mut result = TestResult {
        pack: pack.id.clone(),
        name: case.name.clone(),
        location: case.location.clone(),
        failures: Vec::new(),
        fired: BTreeSet::new(),
    };
    for step in &case.steps {
        let decision =
            match engine.check_with(&step.claim, &history, CheckOptions { explain: true }) {
                Ok(decision) => decision,
                Err(e) => {
                    result.failures.push(StepFailure {
                        claim: step.claim.id.clone(),
                        location: step.location.clone(),
                        error: Some(e.to_string()),
                        lines: Vec::new(),
                    });
                    return result;
                }
            };
        for line in &decision.lines {
            result
                .fired
                .extend(line.findings.iter().map(|f| f.rule.clone()));
        }
        if let Some(expectations) = &step.expect {
            let lines: Vec<LineFailure> = expectations
                .iter()
                .filter_map(|expected| {
                    let actual = decision.lines.iter().find(|l| l.number == expected.line)?;
                    compare(expected, actual, pack, step, &history)
                })
                .collect();
            if !lines.is_empty() {
                result.failures.push(StepFailure {
                    claim: step.claim.id.clone(),
                    location: step.location.clone(),
                    error: None,
                    lines,
                });
            }
        }
        history.record(&step.claim, &decision);
    }
    result
}

impl LineExpectation {
    /// Each part of this expectation that `actual` does not meet (empty when it holds): the
    /// outcome, then the subset matches on CARC, RARCs, rules, absent rules and suggestion.
    ///
    /// The runner explains the mismatches of the engine's decision; other deciders (the
    /// reference interpreter in the crate's own tests) are held to the same expectations.
    pub fn mismatches(&self, actual: &LineDecision) -> Vec<Mismatch> {
        let findings = &actual.findings;
        let mut mismatches = Vec::new();
        if self.outcome != actual.outcome {
            mismatches.push(Mismatch::Outcome {
                expected: self.outcome,
                actual: actual.outcome,
            });
        }
        if let Some(carc) = self.carc {
            if !findings.iter().any(|f| f.carc == Some(carc)) {
                mismatches.push(Mismatch::MissingCarc(carc));
            }
        }
        for rarc in &self.rarc {
            if !findings.iter().any(|f| f.rarc.contains(rarc)) {
                mismatches.push(Mismatch::MissingRarc(*rarc));
            }
        }
        for rule in &self.rules {
            if !findings.iter().any(|f| f.rule == *rule) {
                mismatches.push(Mismatch::MissingRule(rule.clone()));
            }
        }
        for rule in &self.absent {
            if findings.iter().any(|f| f.rule == *rule) {
                mismatches.push(Mismatch::UnexpectedRule(rule.clone()));
            }
        }
        if let Some(code) = self.suggest {
            if !findings.iter().any(|f| f.suggested_code == Some(code)) {
                mismatches.push(Mismatch::MissingSuggestion(code));
            }
        }
        mismatches
    }
}

fn compare(
    expected: &LineExpectation,
    actual: &LineDecision,
    pack: &Pack,
    step: &Step,
    history: &InMemoryHistory,
) -> Option<LineFailure> {
    let mismatches = expected.mismatches(actual);
    if mismatches.is_empty() {
        return None;
    }
    let mut why_not = Vec::new();
    for mismatch in &mismatches {
        match mismatch {
            // The rules that could have given that CARC, unless the test names its rules.
            Mismatch::MissingCarc(carc) if expected.rules.is_empty() => {
                for rule in pack.rules.iter().filter(|r| r.outcome.carc == Some(*carc)) {
                    why_not.push(explain_not_firing(
                        pack,
                        &rule.id,
                        step,
                        actual.number,
                        history,
                    ));
                }
            }
            Mismatch::MissingRule(rule) => {
                why_not.push(explain_not_firing(pack, rule, step, actual.number, history));
            }
            _ => {}
        }
    }
    Some(LineFailure {
        expected: expected.clone(),
        actual: actual.clone(),
        mismatches,
        why_not,
    })
}

/// Evaluates `not (rule's condition)` on the line, which fires exactly when the rule does
/// not, to record the clauses that kept the rule from firing.
fn explain_not_firing(
    pack: &Pack,
    rule_id: &Arc<str>,
    step: &Step,
    line: u32,
    history: &InMemoryHistory,
) -> WhyNot {
    let Some(rule) = pack.rules.iter().find(|r| r.id == *rule_id) else {
        return WhyNot {
            rule: rule_id.clone(),
            explanation: None,
        };
    };
    let negated = CheckedRule {
        // An empty span: the wrapper's own trace entry is then always the last one, distinct
        // from the condition's clauses, and is dropped below.
        condition: Cond {
            kind: CondKind::Not(Box::new(rule.condition.clone())),
            span: Span {
                start: rule.condition.span.start,
                end: rule.condition.span.start,
            },
        },
        ..rule.clone()
    };
    let Ok(program) = compile(
        std::slice::from_ref(&negated),
        &pack.facts,
        &pack.tables,
        pack.effective,
    ) else {
        return WhyNot {
            rule: rule_id.clone(),
            explanation: None,
        };
    };
    let prior = history.prior_lines(&step.claim.payer, &step.claim.patient);
    let decision = decide(
        &program,
        &pack.policy,
        &step.claim,
        &prior,
        CheckOptions { explain: true },
    );
    let explanation = decision
        .lines
        .iter()
        .find(|l| l.number == line)
        .and_then(|l| l.findings.first())
        .and_then(|f| f.explanation.as_deref().cloned())
        .map(|mut e| {
            // The last clause is the negation itself (the whole condition); drop it.
            e.clauses.pop();
            e
        });
    WhyNot {
        rule: rule_id.clone(),
        explanation,
    }
}
