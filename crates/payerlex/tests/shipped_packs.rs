//! The packs shipped in `policies/` (medicare, acme-health, summit-care), through the public
//! API: they load without warnings, decide representative claims as the primer's rules say,
//! and their own pack tests pass with full rule coverage.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use payerlex::{pack_tests, Claim, Decision, Engine, FindingOutcome, InMemoryHistory, Outcome};

fn engine() -> Engine {
    load(&policies_dir())
}

const FULL_REPORT: &str = "3D volume rendering performed on an independent workstation under concurrent physician supervision. 3D findings: comminuted acetabular fracture. Required to characterize the fracture for preoperative planning.";

/// A claim of `payer` for a fractured pelvis (S32.401A): `lines` are `(code, modifiers)` on
/// the default date, each pointing to the diagnosis.
fn spec(payer: &str, lines: &[(&str, &[&str])]) -> ClaimSpec {
    claim(payer).id("C").diagnoses(&["S32.401A"]).lines(
        lines
            .iter()
            .map(|(code, modifiers)| line(code).modifiers(modifiers).pointers(&[1])),
    )
}

fn with_report(payer: &str, lines: &[(&str, &[&str])], text: &str) -> Claim {
    spec(payer, lines).report_text(text).build()
}

/// The CARCs of a line's denials.
fn carcs(decision: &Decision, line: usize) -> Vec<String> {
    decision.lines[line]
        .findings
        .iter()
        .filter(|f| f.outcome == FindingOutcome::Deny)
        .filter_map(|f| f.carc.map(|c| c.to_string()))
        .collect()
}

#[test]
fn the_shipped_packs_load_without_warnings() {
    let engine = engine();
    let ids: Vec<&str> = engine.packs().map(|p| p.id()).collect();
    assert_eq!(ids, ["acme-health", "medicare", "summit-care"]);
    let warnings: Vec<String> = engine.warnings().iter().map(|w| w.render()).collect();
    assert!(warnings.is_empty(), "{}", warnings.join("\n"));
    for pack in engine.packs() {
        for rule in pack.rules() {
            assert!(rule.citation().is_some(), "{} has no citation", rule.id());
        }
    }
}

#[test]
fn medicare_denies_3d_with_ct_angiography_and_allows_it_with_a_plain_ct() {
    let engine = engine();
    let d = decide(
        &engine,
        &with_report("medicare", &[("71275", &[]), ("76377", &[])], FULL_REPORT),
    );
    assert_eq!(d.lines[1].outcome, Outcome::Deny);
    assert_eq!(carcs(&d, 1), ["97"]);
    let d = decide(
        &engine,
        &with_report("medicare", &[("71250", &[]), ("76377", &[])], FULL_REPORT),
    );
    assert_eq!(d.outcome, Outcome::Allow);
    assert!(d.lines[1].findings.is_empty(), "{:?}", d.lines[1].findings);
}

#[test]
fn medicare_indicator_1_pairs_are_bypassed_by_ncci_modifiers_only() {
    let engine = engine();
    let d = decide(
        &engine,
        &with_report(
            "medicare",
            &[("70544", &[]), ("76377", &["XS"])],
            FULL_REPORT,
        ),
    );
    assert_eq!(d.lines[1].outcome, Outcome::Allow);
    let d = decide(
        &engine,
        &with_report(
            "medicare",
            &[("70544", &[]), ("76377", &["76"])],
            FULL_REPORT,
        ),
    );
    assert_eq!(carcs(&d, 1), ["236"]);
}

#[test]
fn medicare_codes_for_base_study_units_and_components() {
    let engine = engine();
    let d = decide(
        &engine,
        &with_report("medicare", &[("76377", &[])], FULL_REPORT),
    );
    assert_eq!(carcs(&d, 0), ["B15"]);
    let rarcs: Vec<String> = d.lines[0].findings[0]
        .rarc
        .iter()
        .map(|r| r.to_string())
        .collect();
    assert_eq!(rarcs, ["N657"]);
    let d = decide(
        &engine,
        &with_report(
            "medicare",
            &[("74177", &[]), ("76377", &["26", "TC"])],
            FULL_REPORT,
        ),
    );
    assert_eq!(carcs(&d, 1), ["4"]);
    let d = decide(
        &engine,
        &with_report(
            "medicare",
            &[("74177", &[]), ("76377", &[]), ("76376", &[])],
            FULL_REPORT,
        ),
    );
    assert_eq!(d.lines[1].outcome, Outcome::Allow);
    assert_eq!(carcs(&d, 2), ["97"]);
}

#[test]
fn medicare_mue_sums_units_across_claims_and_keeps_earlier_claims() {
    let engine = engine();
    let mut history = InMemoryHistory::new();
    let mut first = with_report(
        "medicare",
        &[("74177", &[]), ("71250", &[]), ("76377", &[])],
        FULL_REPORT,
    );
    first.lines[2].units = 2;
    let decided = engine.check(&first, &history).unwrap();
    assert_eq!(decided.outcome, Outcome::Allow);
    history.record(&first, &decided);
    let mut second = with_report(
        "medicare",
        &[("70486", &[]), ("76377", &["76"])],
        FULL_REPORT,
    );
    second.id = "C2".into();
    let decided = engine.check(&second, &history).unwrap();
    assert_eq!(carcs(&decided, 1), ["151"]);
    let rule = &decided.lines[1].findings[0].rule;
    assert_eq!(&**rule, "medicare.3d-rendering/units-over-mue");
}

#[test]
fn documentation_rules_read_report_phrases_and_say_when_there_is_no_report() {
    let engine = engine();
    let lines: &[(&str, &[&str])] = &[("72192", &[]), ("76377", &[])];
    let d = decide(&engine, &spec("medicare", lines).build());
    assert_eq!(
        d.outcome,
        Outcome::Allow,
        "missing documentation never changes the outcome"
    );
    let advice: Vec<&str> = d.lines[1].findings.iter().map(|f| &*f.message).collect();
    assert_eq!(advice.len(), 5, "{advice:?}");
    for finding in &d.lines[1].findings {
        assert_eq!(finding.outcome, FindingOutcome::Advice);
        assert!(
            finding
                .message
                .starts_with("not evaluated: report required"),
            "{}",
            finding.message
        );
    }
    let weak = "CT pelvis. 3D images were generated per protocol for better visualization.";
    let d = decide(&engine, &with_report("medicare", lines, weak));
    assert_eq!(d.lines[1].outcome, Outcome::Review);
    let reviews: Vec<&str> = d.lines[1]
        .findings
        .iter()
        .filter(|f| f.outcome == FindingOutcome::Review)
        .map(|f| f.rule.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(
        reviews,
        [
            "workstation-not-documented",
            "supervision-not-documented",
            "interpretation-not-documented",
            "necessity-not-documented"
        ]
    );
    let suggested = d.lines[1].findings[0].suggested_code.map(|c| c.to_string());
    assert_eq!(suggested.as_deref(), Some("76376"));
    let d = decide(&engine, &with_report("medicare", lines, FULL_REPORT));
    assert!(d.lines[1].findings.is_empty(), "{:?}", d.lines[1].findings);
}

#[test]
fn acme_health_adds_its_posture_to_medicare() {
    let engine = engine();
    let d = decide(
        &engine,
        &with_report(
            "acme-health",
            &[("74177", &[]), ("76376", &[])],
            FULL_REPORT,
        ),
    );
    assert_eq!(carcs(&d, 1), ["97"]);
    let d = decide(
        &engine,
        &with_report(
            "acme-health",
            &[("74177", &[]), ("76377", &[])],
            FULL_REPORT,
        ),
    );
    assert_eq!(carcs(&d, 1), ["197"]);
    // Acme pays 76377 only when a radiologist rendered it: the billing radiologist here.
    let mut authorised = spec("acme-health", &[("74177", &[]), ("76377", &[])])
        .report_text(FULL_REPORT)
        .set(
            "provider",
            serde_json::json!({ "npi": NPI, "role": "professional", "taxonomy": "2085R0202X" }),
        )
        .build();
    authorised.prior_authorization = Some("ACME-PA-1".into());
    assert_eq!(decide(&engine, &authorised).outcome, Outcome::Allow);
    let d = decide(
        &engine,
        &with_report(
            "acme-health",
            &[("71275", &[]), ("76377", &[])],
            FULL_REPORT,
        ),
    );
    assert!(
        carcs(&d, 1).contains(&"97".to_owned()),
        "Medicare's angiography edit is inherited"
    );
    assert_eq!(d.policy.pack.as_ref(), "acme-health");
}

#[test]
fn summit_care_pays_3d_only_for_pointed_indications() {
    let engine = engine();
    let lines: &[(&str, &[&str])] = &[("72192", &[]), ("76377", &[])];
    assert_eq!(
        decide(&engine, &with_report("summit-care", lines, FULL_REPORT)).outcome,
        Outcome::Allow
    );
    let mut aneurysm = with_report("summit-care", lines, FULL_REPORT);
    aneurysm.diagnoses = vec!["I71.2".parse().unwrap()];
    assert_eq!(carcs(&decide(&engine, &aneurysm), 1), ["50"]);
}

#[test]
fn every_shipped_pack_test_passes_with_full_rule_coverage() {
    let engine = engine();
    let suites = pack_tests::load_suites(&policies_dir(), &engine, &[]).unwrap_or_else(|errors| {
        panic!(
            "{}",
            errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    assert_eq!(suites.len(), 3);
    let run = pack_tests::run(&engine, &suites);
    let failed: Vec<String> = run
        .results
        .iter()
        .filter(|r| !r.passed())
        .map(|r| format!("{}: {}", r.location, r.name))
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    assert!(run.passed() > 50);
    for pack in &run.coverage {
        let never: Vec<&str> = pack.never_fired().map(|r| &*r.rule).collect();
        assert!(never.is_empty(), "{}: {never:?}", pack.pack);
        assert!((pack.percent() - 100.0).abs() < f64::EPSILON);
    }
    let medicare = run.coverage.iter().find(|c| c.pack == "medicare").unwrap();
    assert_eq!(
        medicare.rules.len(),
        36,
        "16 3D rules, 8 general NCCI rules, 7 surgical indicator, 2 global surgery and 3 component rules"
    );
    let acme = run
        .coverage
        .iter()
        .find(|c| c.pack == "acme-health")
        .unwrap();
    assert_eq!((acme.rules.len(), acme.inherited), (4, 36));
}

#[test]
fn the_example_claims_cover_the_three_payers_and_one_malformed_record() {
    let engine = engine();
    let input = std::fs::read_to_string(policies_dir().join("../examples/claims.jsonl")).unwrap();
    let mut output = Vec::new();
    let summary = payerlex::check_jsonl(
        &engine,
        input.as_bytes(),
        &mut output,
        payerlex::CheckOptions::default(),
    )
    .unwrap();
    assert_eq!(summary.rejected, 1);
    let records: Vec<serde_json::Value> = String::from_utf8(output)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        records.last().unwrap().get("error").is_some(),
        "the malformed record is last"
    );
    for payer in ["medicare", "acme-health", "summit-care"] {
        assert!(records.iter().any(|r| r["payer"] == payer), "{payer}");
    }
    for outcome in ["allow", "review", "deny"] {
        assert!(records.iter().any(|r| r["outcome"] == outcome), "{outcome}");
    }
}

#[test]
fn explanations_show_each_written_clause_once() {
    // `has no modifier`, `not in` and `no line ...` are checked as negations of their positive
    // form; the explanation must show the value of the clause as written, once.
    let engine = engine();
    let mut history = InMemoryHistory::new();
    let mut first = with_report("medicare", &[("74177", &[]), ("76377", &[])], FULL_REPORT);
    first.provider.npi = OTHER_NPI.parse().unwrap();
    let decided = engine.check(&first, &history).unwrap();
    history.record(&first, &decided);
    let second = with_report("medicare", &[("76377", &["26"])], FULL_REPORT);
    let decided = engine
        .check_with(&second, &history, payerlex::CheckOptions { explain: true })
        .unwrap();
    let finding = decided.lines[0]
        .findings
        .iter()
        .find(|f| f.rule.ends_with("/component-billed-by-another-provider"))
        .unwrap();
    let clauses = &finding.explanation.as_ref().unwrap().clauses;
    let written: Vec<(&str, Option<bool>)> = clauses
        .iter()
        .map(|c| (c.clause.as_str(), c.value))
        .collect();
    assert!(
        written.contains(&("line has no modifier in separate_session", Some(true))),
        "{written:?}"
    );
    for (i, clause) in clauses.iter().enumerate() {
        assert!(
            !clauses[i + 1..]
                .iter()
                .any(|c| c.at == clause.at && c.clause == clause.clause),
            "{} is listed twice: {written:?}",
            clause.clause
        );
    }
}
