//! `payerlex test`: runs each pack's `tests/` files and reports failures and rule coverage.
//!
//! The library (`payerlex::pack_tests`) reads, runs and measures; this command only prints:
//! each failure with the expected and actual decision and the explanation, the summary line
//! `N passed, M failed`, and the rules no test made fire.

use std::path::PathBuf;

use payerlex::pack_tests::{
    self, LineFailure, PackCoverage, StepFailure, TestResult, TestRun, WhyNot,
};
use payerlex::{Finding, FindingOutcome, Outcome};

use super::load::{load_engine_with, LimitArgs, EXIT_POLICY_ERROR};

/// Arguments of `payerlex test`.
#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// Folder of policy packs (or one pack folder).
    #[arg(long, value_name = "DIR")]
    pub policies: PathBuf,
    /// Fail (exit 1) when a pack's rule coverage is below this percentage.
    #[arg(long, value_name = "PCT", value_parser = parse_percent)]
    pub min_coverage: Option<f64>,
    /// Treat policy warnings as errors.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Load and input limits.
    #[command(flatten)]
    pub limit: LimitArgs,
    /// Packs to test, by payer id or folder name (default: every pack).
    #[arg(value_name = "PACK")]
    pub packs: Vec<String>,
}

fn parse_percent(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("`{text}` is not a percentage"))?;
    if (0.0..=100.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("`{text}` is not between 0 and 100"))
    }
}

/// Runs the command; returns the exit code.
pub fn run(args: &TestArgs) -> u8 {
    let options = args.limit.load_options(&[]);
    let Some(engine) = load_engine_with(&args.policies, args.deny_warnings, &options) else {
        return EXIT_POLICY_ERROR;
    };
    let suites = match pack_tests::load_suites(&args.policies, &engine, &args.packs) {
        Ok(suites) => suites,
        Err(errors) => {
            for error in &errors {
                eprintln!("error[{}]: {error}", error.code());
                if let Some(help) = error.help() {
                    eprintln!("  help: {help}");
                }
            }
            eprintln!(
                "error: {} problem(s) in the pack tests; no test was run",
                errors.len()
            );
            return EXIT_POLICY_ERROR;
        }
    };
    let run = pack_tests::run(&engine, &suites);
    print!("{}", render(&run));
    let mut code = if run.failed() > 0 { 1 } else { 0 };
    if let Some(min) = args.min_coverage {
        for pack in run.below_coverage(min) {
            println!(
                "error: rule coverage of pack `{}` is {:.1}%, below --min-coverage {min}",
                pack.pack,
                pack.percent()
            );
            code = 1;
        }
    }
    code
}

fn render(run: &TestRun) -> String {
    let mut out = String::new();
    for result in run.results.iter().filter(|r| !r.passed()) {
        failure(&mut out, result);
    }
    out.push_str(&format!(
        "{} passed, {} failed\n",
        run.passed(),
        run.failed()
    ));
    out.push_str("\nrule coverage:\n");
    for pack in &run.coverage {
        coverage(&mut out, pack);
    }
    out
}

fn failure(out: &mut String, result: &TestResult) {
    out.push_str(&format!(
        "FAIL {} ({}): {}\n",
        result.location, result.pack, result.name
    ));
    for step in &result.failures {
        step_failure(out, step);
    }
    out.push('\n');
}

fn step_failure(out: &mut String, step: &StepFailure) {
    if let Some(error) = &step.error {
        out.push_str(&format!(
            "  claim `{}` ({}): not decided: {error}\n",
            step.claim, step.location
        ));
        return;
    }
    for line in &step.lines {
        line_failure(out, &step.claim, line);
    }
}

fn line_failure(out: &mut String, claim: &str, line: &LineFailure) {
    let actual = &line.actual;
    out.push_str(&format!(
        "  claim `{}`, line {} ({}): expected {}, got {}  [expectation at {}]\n",
        claim,
        actual.number,
        actual.code,
        outcome(line.expected.outcome),
        outcome(actual.outcome),
        line.expected.location
    ));
    for mismatch in &line.mismatches {
        if !matches!(mismatch, pack_tests::Mismatch::Outcome { .. }) {
            out.push_str(&format!("    - {mismatch}\n"));
        }
    }
    if actual.findings.is_empty() {
        out.push_str("    no rule fired on this line\n");
    }
    for finding in &actual.findings {
        finding_text(out, finding);
    }
    for why in &line.why_not {
        why_not(out, why);
    }
}

fn finding_text(out: &mut String, finding: &Finding) {
    let kind = match finding.outcome {
        FindingOutcome::Deny => "deny",
        FindingOutcome::Review => "review",
        FindingOutcome::Advice => "advice",
        FindingOutcome::AdjustPrior => "adjust prior",
    };
    let mut codes = Vec::new();
    if let Some(carc) = finding.carc {
        codes.push(format!("CARC {carc}"));
    }
    for rarc in finding.rarc.iter() {
        codes.push(format!("RARC {rarc}"));
    }
    if let Some(code) = finding.suggested_code {
        codes.push(format!("suggest {code}"));
    }
    let codes = if codes.is_empty() {
        String::new()
    } else {
        format!(" [{}]", codes.join(", "))
    };
    out.push_str(&format!(
        "    {kind} {}{codes}: {}\n",
        finding.rule, finding.message
    ));
    if let Some(explanation) = &finding.explanation {
        explanation_text(out, explanation, "      ");
    }
}

fn explanation_text(out: &mut String, explanation: &payerlex::Explanation, indent: &str) {
    for clause in &explanation.clauses {
        out.push_str(&format!(
            "{indent}{} = {}  ({})\n",
            clause.clause,
            value(clause.value),
            clause.at
        ));
    }
    for fact in &explanation.facts {
        out.push_str(&format!(
            "{indent}report.{} = {}: {}\n",
            fact.fact,
            value(fact.value),
            fact.source
        ));
    }
}

fn why_not(out: &mut String, why: &WhyNot) {
    match &why.explanation {
        Some(explanation) => {
            out.push_str(&format!("    why `{}` did not fire:\n", why.rule));
            explanation_text(out, explanation, "      ");
        }
        None => out.push_str(&format!(
            "    `{}` is not in force on this line's date of service\n",
            why.rule
        )),
    }
}

fn coverage(out: &mut String, pack: &PackCoverage) {
    let own = if pack.base.is_some() {
        "own rules"
    } else {
        "rules"
    };
    let mut line = format!(
        "  {}: {}/{} {own} fired ({:.1}%)",
        pack.pack,
        pack.fired(),
        pack.rules.len(),
        pack.percent()
    );
    if let Some(base) = &pack.base {
        line.push_str(&format!(
            "; {} inherited from {base} are measured there",
            pack.inherited
        ));
    }
    if !pack.has_tests_folder {
        line.push_str("; no tests/ folder");
    }
    out.push_str(&line);
    out.push('\n');
    for rule in pack.never_fired() {
        out.push_str(&format!(
            "    never fired: {} ({})\n",
            rule.rule, rule.location
        ));
    }
}

fn outcome(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Allow => "allow",
        Outcome::Review => "review",
        Outcome::Deny => "deny",
    }
}

fn value(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "true",
        Some(false) => "false",
        None => "unknown",
    }
}
