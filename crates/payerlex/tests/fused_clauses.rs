//! The fast path's fused clauses (a quantifier over the claim's lines that filters on codes,
//! `no ...`, unit limits, `not report.x`, modifier conjunctions) decide exactly what the clauses
//! as written decide: each rule below is checked on claims at the edges of what it reads
//! (the selector, the window, the code test, units against lines), through `Engine::check`,
//! against the expected outcome and against the reference interpreter. Quantifiers that read
//! history or filter providers are not fused; the last two tests hold them to the same
//! edges (window, replaced claim, provider) on the general walk.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use payerlex::testing::reference_check;
use payerlex::{parse_claim, Engine, History, InMemoryHistory, NoHistory, PackSources};
use serde_json::{json, Value};

const MANIFEST: &str = r#"
id = "fused"
name = "Fused clauses"
version = "1.0.0"
effective = "2025-01-01"
policies = ["rules.policy"]
"#;

const RULES: &str = r#"
policy fused.rules
version 1.0.0

set three_d = 76376, 76377
set base = 70450..70498
phrases workstation = "independent workstation"

rule other-base
  cite "c"
  when line.code in three_d and any other line on same date where code in base
  advice "other-base"

rule duplicate
  cite "c"
  when line.code in three_d and any other line on same date where code = line.code
  advice "duplicate"

rule no-earlier-base
  cite "c"
  when line.code in three_d and no earlier line where code in base
  advice "no-earlier-base"

rule recent-76377
  cite "c"
  when line.code = 76376 and any other line within 3 days before where code = 76377
  advice "recent-76377"

rule session-units
  cite "c"
  when line.code in three_d and sum units of lines on same date where code = line.code > 2
  advice "session-units"

rule two-3d-lines
  cite "c"
  when line.code in three_d and count lines within 1 days where code in three_d >= 2
  advice "two-3d-lines"

rule both-components
  cite "c"
  when line.code in three_d and line has modifier 26 and line has modifier TC
  advice "both-components"

rule no-workstation
  cite "c"
  when line.code = 76377 and not report.workstation
  advice "no-workstation"

rule repeat-30
  cite "c"
  when line.code in three_d and any line in history within 30 days before where code = line.code
  advice "repeat-30"

rule base-by-same-provider
  cite "c"
  when line.code in three_d
   and no line in claim or history within 2 days by same provider where code in base
  advice "base-by-same-provider"
"#;

fn engine() -> (Engine, payerlex::Pack) {
    let sources = PackSources::new("fused", MANIFEST).with_file("rules.policy", RULES);
    let engine = Engine::from_sources(std::slice::from_ref(&sources))
        .unwrap_or_else(|e| panic!("fixture pack loads:\n{}", e.render()));
    let pack = engine.pack("fused").unwrap().clone();
    (engine, pack)
}

/// A claim of `lines` (code, units, date, modifiers), with report text when given.
fn claim(lines: &[(&str, u32, &str, &[&str])], text: Option<&str>) -> payerlex::Claim {
    parse_claim(&claim_json(lines, text).to_string()).unwrap()
}

/// [`claim`] as JSON, for tests that change its id, provider or frequency.
fn claim_json(lines: &[(&str, u32, &str, &[&str])], text: Option<&str>) -> Value {
    let lines: Vec<Value> = lines
        .iter()
        .enumerate()
        .map(|(i, (code, units, date, modifiers))| {
            json!({"number": i + 1, "code": code, "units": units, "date": date,
                   "modifiers": modifiers})
        })
        .collect();
    let mut claim = json!({
        "id": "C1", "payer": "fused", "patient": "P1",
        "provider": {"npi": "1234567893", "role": "professional"},
        "place_of_service": "11", "lines": lines
    });
    if let Some(text) = text {
        claim["report"] = json!({ "text": text });
    }
    claim
}

/// The rules that fired on each line, after checking that the reference agrees.
fn fired(claim: &payerlex::Claim) -> Vec<Vec<String>> {
    fired_after(claim, &NoHistory)
}

/// [`fired`] with the patient's earlier claims.
fn fired_after(claim: &payerlex::Claim, history: &dyn History) -> Vec<Vec<String>> {
    let (engine, pack) = engine();
    let decision = engine.check(claim, history).unwrap();
    let expected = reference_check(&pack, claim, history).unwrap();
    assert_eq!(decision, expected, "engine and reference disagree");
    decision
        .lines
        .iter()
        .map(|line| {
            line.findings
                .iter()
                .map(|f| f.rule.trim_start_matches("fused.rules/").to_owned())
                .collect()
        })
        .collect()
}

const DAY: &str = "2026-03-10";

#[test]
fn other_excludes_the_line_itself_and_windows_bound_the_dates() {
    // A base study on the same date counts; the 3D line itself is not a base study, and a
    // base study the day before is outside `on same date`.
    let same = fired(&claim(
        &[("76377", 1, DAY, &[]), ("70450", 1, DAY, &[])],
        Some("independent workstation"),
    ));
    assert!(same[0].contains(&"other-base".to_owned()), "{same:?}");
    let before = fired(&claim(
        &[("76377", 1, DAY, &[]), ("70450", 1, "2026-03-09", &[])],
        Some("independent workstation"),
    ));
    assert!(!before[0].contains(&"other-base".to_owned()), "{before:?}");
}

#[test]
fn other_never_counts_the_line_being_decided() {
    let single = fired(&claim(
        &[("76377", 1, DAY, &[])],
        Some("independent workstation"),
    ));
    assert!(!single[0].contains(&"duplicate".to_owned()), "{single:?}");
    let twice = fired(&claim(
        &[("76377", 1, DAY, &[]), ("76377", 1, DAY, &[])],
        Some("independent workstation"),
    ));
    assert!(twice
        .iter()
        .all(|line| line.contains(&"duplicate".to_owned())));
}

#[test]
fn earlier_reads_only_the_lines_before() {
    let base_first = fired(&claim(
        &[("70450", 1, DAY, &[]), ("76377", 1, DAY, &[])],
        Some("independent workstation"),
    ));
    assert!(!base_first[1].contains(&"no-earlier-base".to_owned()));
    let base_after = fired(&claim(
        &[("76377", 1, DAY, &[]), ("70450", 1, DAY, &[])],
        Some("independent workstation"),
    ));
    assert!(base_after[0].contains(&"no-earlier-base".to_owned()));
}

#[test]
fn within_days_before_excludes_the_day_itself_and_reaches_n_days_back() {
    let on = |date: &str| {
        fired(&claim(
            &[("76376", 1, DAY, &[]), ("76377", 1, date, &[])],
            Some("independent workstation"),
        ))[0]
            .contains(&"recent-76377".to_owned())
    };
    assert!(!on(DAY), "the same day is not within 3 days before");
    assert!(on("2026-03-09"));
    assert!(on("2026-03-07"));
    assert!(!on("2026-03-06"), "4 days before is outside the window");
}

#[test]
fn unit_limits_sum_units_of_lines_with_the_same_code() {
    let units = |lines: &[(&str, u32, &str, &[&str])]| {
        fired(&claim(lines, Some("independent workstation")))[0]
            .contains(&"session-units".to_owned())
    };
    assert!(units(&[("76377", 3, DAY, &[])]), "3 units on one line");
    assert!(!units(&[("76377", 2, DAY, &[])]));
    assert!(units(&[("76377", 2, DAY, &[]), ("76377", 1, DAY, &[])]));
    assert!(
        !units(&[("76377", 2, DAY, &[]), ("76376", 1, DAY, &[])]),
        "another code's units do not count"
    );
    assert!(
        !units(&[("76377", 2, DAY, &[]), ("76377", 1, "2026-03-11", &[])]),
        "another date's units do not count"
    );
}

#[test]
fn counts_count_lines_not_units() {
    let two = |lines: &[(&str, u32, &str, &[&str])]| {
        fired(&claim(lines, Some("independent workstation")))[0]
            .contains(&"two-3d-lines".to_owned())
    };
    assert!(
        !two(&[("76377", 4, DAY, &[])]),
        "one line of 4 units is one line"
    );
    assert!(two(&[
        ("76377", 1, DAY, &[]),
        ("76376", 1, "2026-03-11", &[])
    ]));
    assert!(!two(&[
        ("76377", 1, DAY, &[]),
        ("76376", 1, "2026-03-12", &[])
    ]));
}

#[test]
fn modifier_conjunctions_need_every_modifier() {
    let both = |modifiers: &[&str]| {
        fired(&claim(
            &[("76377", 1, DAY, modifiers)],
            Some("independent workstation"),
        ))[0]
            .contains(&"both-components".to_owned())
    };
    assert!(both(&["26", "TC"]));
    assert!(both(&["TC", "59", "26"]));
    assert!(!both(&["26"]));
    assert!(!both(&["TC"]));
    assert!(!both(&[]));
}

#[test]
fn a_negated_fact_is_unknown_when_the_report_is_missing() {
    let stated = fired(&claim(
        &[("76377", 1, DAY, &[])],
        Some("independent workstation"),
    ));
    assert!(!stated[0].contains(&"no-workstation".to_owned()));
    let absent = fired(&claim(&[("76377", 1, DAY, &[])], Some("3D images")));
    assert!(absent[0].contains(&"no-workstation".to_owned()));
    // No report at all: the fact is unknown, and the rule is "not evaluated" advice.
    let (engine, _) = engine();
    let decision = engine
        .check(&claim(&[("76377", 1, DAY, &[])], None), &NoHistory)
        .unwrap();
    let finding = decision.lines[0]
        .findings
        .iter()
        .find(|f| f.rule.ends_with("/no-workstation"))
        .expect("an unknown fact gives a finding");
    assert!(
        finding.message.contains("not evaluated"),
        "{}",
        finding.message
    );
    assert_eq!(
        decision,
        reference_check(
            &engine.pack("fused").unwrap().clone(),
            &claim(&[("76377", 1, DAY, &[])], None),
            &NoHistory
        )
        .unwrap()
    );
}

#[test]
fn history_scans_keep_to_the_window_and_skip_a_replaced_claim() {
    let (engine, _) = engine();
    let mut history = InMemoryHistory::new();
    let earlier = claim_json(
        &[("76377", 1, "2026-03-01", &[])],
        Some("independent workstation"),
    );
    let mut earlier_c0 = earlier.clone();
    earlier_c0["id"] = json!("C0");
    let earlier = parse_claim(&earlier_c0.to_string()).unwrap();
    let decision = engine.check(&earlier, &history).unwrap();
    history.record(&earlier, &decision);

    let repeat = |date: &str, edit: &dyn Fn(&mut Value)| {
        let mut later = claim_json(&[("76377", 1, date, &[])], Some("independent workstation"));
        edit(&mut later);
        fired_after(&parse_claim(&later.to_string()).unwrap(), &history)[0]
            .contains(&"repeat-30".to_owned())
    };
    assert!(repeat(DAY, &|_| {}), "9 days after a paid 76377");
    assert!(repeat("2026-03-31", &|_| {}), "30 days after");
    assert!(
        !repeat("2026-04-01", &|_| {}),
        "31 days after is outside the window"
    );
    assert!(
        !repeat(DAY, &|c| {
            c["frequency"] = json!("7");
            c["replaces"] = json!("C0");
        }),
        "a replacement of C0 is decided as if C0 were absent"
    );
}

#[test]
fn provider_filters_apply_to_history_and_claim_lines() {
    let (engine, _) = engine();
    let mut history = InMemoryHistory::new();
    let mut base = claim_json(&[("70450", 1, "2026-03-09", &[])], None);
    base["id"] = json!("C0");
    let base = parse_claim(&base.to_string()).unwrap();
    let decision = engine.check(&base, &history).unwrap();
    history.record(&base, &decision);

    let lacks_base = |npi: &str| {
        let mut later = claim_json(&[("76377", 1, DAY, &[])], Some("independent workstation"));
        later["provider"]["npi"] = json!(npi);
        fired_after(&parse_claim(&later.to_string()).unwrap(), &history)[0]
            .contains(&"base-by-same-provider".to_owned())
    };
    assert!(
        !lacks_base("1234567893"),
        "the same provider's base study a day before counts"
    );
    assert!(
        lacks_base("1245319599"),
        "another provider's base study does not"
    );
}
