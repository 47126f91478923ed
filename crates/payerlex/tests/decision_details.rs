//! What pack-test data cannot say about a decision: the claim's outcome, the order, text and
//! citation of findings, the "not evaluated" message and explanations. The constructs
//! themselves are tested as data (`tests/packs/`, run by `construct_packs.rs`); these tests
//! decide claims against the same packs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use payerlex::{CheckOptions, Engine, FindingOutcome, NoHistory, Outcome};

fn packs() -> Engine {
    load(&packs_dir())
}

#[test]
fn the_claim_takes_its_most_severe_line_and_findings_keep_rule_order() {
    let engine = packs();
    let c = claim("outcomes")
        .lines([line("76377"), line("76376"), line("99213")])
        .build();
    let d = decide(&engine, &c);
    assert_eq!(
        outcomes(&d),
        vec![Outcome::Review, Outcome::Deny, Outcome::Allow]
    );
    assert_eq!(d.outcome, Outcome::Deny);
    assert_eq!(
        fired(&d, 0),
        vec![
            "dsl.outcomes/name-technique",
            "dsl.outcomes/document-workstation"
        ]
    );
    let advice = &d.lines[0].findings[0];
    assert_eq!(advice.outcome, FindingOutcome::Advice);
    assert_eq!(&*advice.message, "name the technique");
    let deny = &d.lines[1].findings[0];
    let rarcs: Vec<String> = deny.rarc.iter().map(|r| r.to_string()).collect();
    assert_eq!(rarcs, ["M15", "N20"], "RARCs keep their written order");
    assert_eq!(
        deny.citation.as_deref(),
        Some("DSL: deny with several RARCs")
    );
    assert_eq!(&*d.policy.pack, "outcomes");
    assert!(d.policy.digest.starts_with("sha256:"));
}

#[test]
fn not_evaluated_findings_say_why_and_quote_the_rule() {
    let engine = packs();
    let no_report = claim("report-facts").line(line("76377")).build();
    let d = decide(&engine, &no_report);
    let finding = &d.lines[0].findings[0];
    assert_eq!(finding.outcome, FindingOutcome::Advice);
    assert_eq!(finding.carc, None, "advice carries no CARC");
    assert_eq!(
        &*finding.message,
        "not evaluated: report required (rule: the workstation is not documented)"
    );
    let silent_report = claim("report-facts")
        .line(line("76377"))
        .report_text("independent workstation")
        .build();
    let d = decide(&engine, &silent_report);
    let messages: Vec<&str> = d.lines[0].findings.iter().map(|f| &*f.message).collect();
    assert_eq!(
        messages,
        ["not evaluated: the report does not state a fact this rule needs (rule: supervision is not documented)"]
    );
}

#[test]
fn explanations_list_each_clause_with_its_value_place_and_the_facts_read() {
    let engine = packs();
    let c = claim("report-facts")
        .line(line("76376"))
        .report_text("3D images were generated")
        .build();
    let d = engine
        .check_with(&c, &NoHistory, CheckOptions { explain: true })
        .unwrap();
    let explanation = d.lines[0].findings[0].explanation.as_ref().unwrap();
    let clauses: Vec<(&str, Option<bool>, &str)> = explanation
        .clauses
        .iter()
        .map(|c| (c.clause.as_str(), c.value, c.at.as_str()))
        .collect();
    assert_eq!(
        clauses,
        [
            (
                "line.code = 76376",
                Some(true),
                "report-facts/report.policy:25:8"
            ),
            (
                "report.workstation",
                Some(false),
                "report-facts/report.policy:25:34"
            ),
            (
                "not report.workstation",
                Some(true),
                "report-facts/report.policy:25:30"
            ),
        ]
    );
    assert_eq!(explanation.facts.len(), 1);
    assert_eq!(explanation.facts[0].fact, "workstation");
    assert_eq!(explanation.facts[0].value, Some(false));
    assert!(
        explanation.facts[0]
            .source
            .contains("none of the policy's phrases"),
        "{}",
        explanation.facts[0].source
    );
}

#[test]
fn a_line_no_rule_is_in_force_on_gets_advice_instead_of_a_bare_allow() {
    let engine = load(&policies_dir());
    let c = claim("medicare")
        .lines([line("76377").date("2019-06-01"), line("76377")])
        .build();
    let d = engine
        .check_with(&c, &NoHistory, CheckOptions { explain: true })
        .unwrap();
    let before = &d.lines[0];
    assert_eq!(before.outcome, Outcome::Allow);
    assert_eq!(before.findings.len(), 1, "{:?}", before.findings);
    let finding = &before.findings[0];
    assert_eq!(&*finding.rule, "medicare/no-policy-in-force");
    assert_eq!(finding.outcome, FindingOutcome::Advice);
    assert!(finding.message.contains("not checked"));
    let explanation = finding.explanation.as_ref().unwrap();
    assert!(
        explanation.clauses[0].clause.contains("2025-01-01.."),
        "{explanation:?}"
    );
    assert!(d.lines[1]
        .findings
        .iter()
        .all(|f| !f.rule.ends_with("no-policy-in-force")));
}
