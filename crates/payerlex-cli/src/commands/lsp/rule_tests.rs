//! "Run this rule's pack tests": the pack tests of every pack that applies the rule, run
//! against the policies as they are in the editor (unsaved edits included), and the ones
//! that concern the rule reported: tests where it fired, tests that expected it, tests that
//! forbade it.

use lsp_types::{MessageType, ShowMessageParams};
use payerlex::authoring::Workspace;
use payerlex::pack_tests::{self, Mismatch};
use serde::Serialize;

/// One test that concerns the rule.
#[derive(Debug, Serialize)]
pub struct RuleTest {
    /// The pack.
    pub pack: String,
    /// The test's name.
    pub name: String,
    /// `file:line:col` of the test.
    pub location: String,
    /// Whether every expectation of the test held.
    pub passed: bool,
    /// The rule fired on some claim of the test.
    pub fired: bool,
}

/// The outcome of the command.
#[derive(Debug, Serialize)]
pub struct RuleTestReport {
    /// `policy/rule`.
    pub rule: String,
    /// Packs whose tests were run.
    pub packs: Vec<String>,
    /// Tests that concern the rule.
    pub tests: Vec<RuleTest>,
    /// Why nothing ran, when nothing could.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

impl RuleTestReport {
    fn failed(&self) -> usize {
        self.tests.iter().filter(|t| !t.passed).count()
    }

    /// What to tell the author.
    pub fn message(&self) -> ShowMessageParams {
        if let Some(problem) = &self.problem {
            return ShowMessageParams {
                typ: MessageType::ERROR,
                message: format!("{}: {problem}", self.rule),
            };
        }
        let failed = self.failed();
        let mut message = format!(
            "{}: {} pack test(s) concern it, {} passed, {failed} failed",
            self.rule,
            self.tests.len(),
            self.tests.len() - failed
        );
        for test in self.tests.iter().filter(|t| !t.passed) {
            message.push_str(&format!(
                "\nFAIL {} ({}): {}",
                test.location, test.pack, test.name
            ));
        }
        if self.tests.is_empty() {
            message.push_str(" (no test makes it fire: add one)");
        }
        ShowMessageParams {
            typ: if failed > 0 || self.tests.is_empty() {
                MessageType::WARNING
            } else {
                MessageType::INFO
            },
            message,
        }
    }
}

/// Runs the tests of the packs that apply `rule`.
pub fn run(workspace: &Workspace, rule: &str) -> RuleTestReport {
    let mut report = RuleTestReport {
        rule: rule.to_owned(),
        packs: Vec::new(),
        tests: Vec::new(),
        problem: None,
    };
    let Some(engine) = workspace.engine() else {
        report.problem = Some("the policies do not load; fix their errors first".into());
        return report;
    };
    report.packs = engine
        .packs()
        .filter(|p| p.rules().any(|r| r.id() == rule))
        .map(|p| p.id().to_owned())
        .collect();
    if report.packs.is_empty() {
        report.problem =
            Some("no loaded pack applies this rule (save the file, or fix its errors)".into());
        return report;
    }
    let suites = match pack_tests::load_suites(workspace.root(), engine, &report.packs) {
        Ok(suites) => suites,
        Err(errors) => {
            let reasons: Vec<String> = errors.iter().map(ToString::to_string).collect();
            report.problem = Some(format!(
                "the pack tests do not load: {}",
                reasons.join("; ")
            ));
            return report;
        }
    };
    let run = pack_tests::run(engine, &suites);
    for result in run.results {
        let fired = result.fired.iter().any(|r| &**r == rule);
        let named = result.failures.iter().any(|step| {
            step.lines.iter().any(|line| {
                line.why_not.iter().any(|w| &*w.rule == rule)
                    || line.mismatches.iter().any(|m| match m {
                        Mismatch::MissingRule(r) | Mismatch::UnexpectedRule(r) => &**r == rule,
                        _ => false,
                    })
            })
        });
        if fired || named {
            report.tests.push(RuleTest {
                passed: result.passed(),
                pack: result.pack,
                name: result.name,
                location: result.location.to_string(),
                fired,
            });
        }
    }
    report
}
