//! History stays bounded: the look-back sweep drops patients no later claim can reach, the
//! total cap evicts whole patients (and their later decisions say so), and one claim reads
//! at most `history_lines_per_check` lines (with a warning when it had to cut).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use payerlex::{
    check_jsonl, CheckOptions, Claim, Date, Engine, History, InMemoryHistory, LoadOptions, Npi,
    Outcome, PriorLine, ProcedureCode, EVICTED_WARNING,
};
use serde_json::Value;

fn claim_json(id: &str, patient: &str, date: &str) -> String {
    format!(
        r#"{{"id":"{id}","payer":"medicare","patient":"{patient}","provider":{{"npi":"1234567893","role":"professional"}},"place_of_service":"11","diagnoses":["S32.401A"],"lines":[{{"number":1,"code":"72192","units":1,"date":"{date}","diagnosis_pointers":[1]}},{{"number":2,"code":"76377","units":1,"date":"{date}","diagnosis_pointers":[1]}}]}}"#
    )
}

fn claim(id: &str, patient: &str, date: &str) -> Claim {
    payerlex::parse_claim(&claim_json(id, patient, date)).unwrap()
}

fn engine(limits: impl FnOnce(&mut payerlex::Limits)) -> Engine {
    let policies = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies");
    let mut options = LoadOptions::default();
    limits(&mut options.limits);
    Engine::load_with(policies, &options).unwrap()
}

#[derive(Clone, Copy)]
struct AllAllowed;

impl payerlex::LineOutcomes for AllAllowed {
    fn line_outcomes(&self) -> impl Iterator<Item = Outcome> + '_ {
        std::iter::repeat(Outcome::Allow)
    }
}

#[test]
fn the_look_back_sweep_keeps_a_date_ordered_batch_small() {
    let mut history = InMemoryHistory::with_look_back(Some(30));
    let start = Date::parse("2024-01-01").unwrap();
    let mut most = 0;
    for k in 0..20_000 {
        let date = start.add_days(k / 20).to_string();
        history.record(
            &claim(&format!("C{k}"), &format!("P{k}"), &date),
            &AllAllowed,
        );
        most = most.max(history.len());
    }
    // 20 patients a day, 2 lines each, 30 days of look-back, plus one sweep interval.
    assert!(most < 2 * 20 * 31 + 2 * 4096 + 100, "held {most} lines");
    // A patient seen yesterday is still there; one seen a year ago is not.
    let last = start.add_days(999);
    assert!(!history.prior_lines("medicare", "P19990").is_empty());
    assert!(history.prior_lines("medicare", "P0").is_empty());
    assert!(last > start);
}

#[test]
fn past_the_total_cap_the_stalest_patients_are_evicted_and_remembered() {
    let mut history = InMemoryHistory::new().with_max_lines_total(100);
    let start = Date::parse("2026-01-01").unwrap();
    for k in 0..80 {
        let date = start.add_days(k).to_string();
        history.record(
            &claim(&format!("C{k}"), &format!("P{k}"), &date),
            &AllAllowed,
        );
        assert!(history.len() <= 100, "{}", history.len());
    }
    assert!(history.evicted_patients() > 0);
    assert!(
        history.was_evicted("medicare", "P0"),
        "the stalest went first"
    );
    assert!(!history.was_evicted("medicare", "P79"));
    assert!(!history.prior_lines("medicare", "P79").is_empty());
}

#[test]
fn a_batch_says_when_a_patients_history_was_evicted() {
    let engine = engine(|l| l.history_lines_total = 10);
    let mut input = String::new();
    for k in 0..10 {
        let date = format!("2026-03-{:02}", k + 1);
        input.push_str(&claim_json(&format!("C{k}"), &format!("P{k}"), &date));
        input.push('\n');
    }
    input.push_str(&claim_json("AGAIN", "P0", "2026-03-20"));
    input.push('\n');
    let mut output = Vec::new();
    check_jsonl(
        &engine,
        input.as_bytes(),
        &mut output,
        CheckOptions::default(),
    )
    .unwrap();
    let records: Vec<Value> = String::from_utf8(output)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let last = records.last().unwrap();
    assert_eq!(last["claim"], "AGAIN");
    let warnings = last["warnings"].to_string();
    assert!(warnings.contains(EVICTED_WARNING), "{last}");
    assert!(!records[0].to_string().contains("evicted"));
}

#[test]
fn one_claim_reads_at_most_the_history_budget_and_says_so() {
    let engine = engine(|l| l.history_lines_per_check = 8);
    let mut history = InMemoryHistory::new();
    let date = Date::parse("2026-03-02").unwrap();
    let npi = Npi::parse("1234567893").unwrap();
    for k in 0..50 {
        let code = ProcedureCode::parse("72192").unwrap();
        history.push(
            "medicare",
            "P1",
            PriorLine::new(format!("H{k}"), 1, code, 1, date, npi, Outcome::Allow),
        );
    }
    let decision = engine
        .check(&claim("C", "P1", "2026-03-02"), &history)
        .unwrap();
    let warnings = decision.warnings.join(" ");
    assert!(
        warnings.contains("50 lines within the rules' reach") && warnings.contains("(8)"),
        "{warnings}"
    );
    // Within the budget: no warning.
    let roomy = self::engine(|_| {});
    let decision = roomy
        .check(&claim("C", "P1", "2026-03-02"), &history)
        .unwrap();
    assert!(decision.warnings.is_empty(), "{:?}", decision.warnings);
}

/// The differential test's find: an engine that read history in another order reported the
/// same adjustments in another order. Adjustments come sorted by earlier claim, line, rule.
#[test]
fn adjustments_are_ordered_by_claim_line_and_rule_whatever_the_history_order() {
    let engine = engine(|_| {});
    let prior = |json: &str| -> PriorLine { serde_json::from_str(json).unwrap() };
    let h1 = prior(
        r#"{"claim":"H1","number":1,"code":"76377","modifiers":[],"units":1,"date":"2026-01-01","place_of_service":"11","npi":"1234567893","role":"professional","rendering_npi":"1234567893","diagnoses":[null,null,null,null],"outcome":"allow"}"#,
    );
    let h2a = prior(
        r#"{"claim":"H2","number":1,"code":"10004","modifiers":[],"units":1,"date":"2025-01-01","place_of_service":"11","npi":"1234567893","role":"professional","rendering_npi":"1234567893","diagnoses":[null,null,null,null],"outcome":"allow"}"#,
    );
    let h2b = prior(
        r#"{"claim":"H2","number":2,"code":"76377","modifiers":[],"units":2,"date":"2026-01-01","place_of_service":"11","npi":"1234567893","role":"professional","rendering_npi":"1234567893","diagnoses":[null,null,null,null],"outcome":"allow"}"#,
    );
    let new = payerlex::parse_claim(
        r#"{"id":"C1","payer":"acme-health","patient":"P1","provider":{"npi":"1234567893","role":"professional"},"place_of_service":"11","lines":[{"number":1,"code":"70451","units":1,"date":"2026-01-01"}]}"#,
    )
    .unwrap();
    let decide = |order: &[&PriorLine]| {
        let mut history = InMemoryHistory::new();
        for line in order {
            history.push("acme-health", "P1", (*line).clone());
        }
        engine.check(&new, &history).unwrap().adjustments
    };
    let forward = decide(&[&h1, &h2a, &h2b]);
    let backward = decide(&[&h2b, &h2a, &h1]);
    assert_eq!(forward, backward);
    let keys: Vec<(String, u32)> = forward.iter().map(|a| (a.claim.clone(), a.line)).collect();
    assert_eq!(keys, [("H1".to_owned(), 1), ("H2".to_owned(), 2)]);
}
