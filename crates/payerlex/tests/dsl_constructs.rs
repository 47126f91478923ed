//! Every DSL construct, exercised through the public API on in-memory packs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use payerlex::{FindingOutcome, Outcome};

fn one_rule(condition: &str) -> payerlex::Engine {
    engine(&format!(
        "{HEADER}set three_d = 76376, 76377\nset base = 70450..70498, 72191..72194\nset hcpcs = G0288, C8900..C8902\nmodifiers comps = 26, TC\nplaces facility = 19, 21, 22, 23\ndiagnoses fractures = S32, S42.2, Q65..Q67\nphrases workstation = \"independent workstation\", \"dedicated 3D workstation\"\nfacts supervision\nrule r\n  cite \"test\"\n  when {condition}\n  deny carc 97 \"m\"\n"
    ))
}

fn fires(engine: &payerlex::Engine, claim: &payerlex::Claim) -> bool {
    decide(engine, claim).lines[0].outcome == Outcome::Deny
}

#[test]
fn code_sets_singles_ranges_and_hcpcs() {
    let e = one_rule("line.code in three_d or line.code in base or line.code in hcpcs");
    for (code, expected) in [
        ("76377", true),
        ("70450", true),
        ("70498", true),
        ("70499", false),
        ("72193", true),
        ("G0288", true),
        ("C8901", true),
        ("C8903", false),
        ("99213", false),
    ] {
        let c = claim(&line(1, code, &[], 1, "2026-03-02"), "");
        assert_eq!(fires(&e, &c), expected, "{code}");
    }
}

#[test]
fn code_equality_and_inline_sets() {
    let e = one_rule("line.code = 76377 or line.code in [G0288, 70450..70452]");
    assert!(fires(
        &e,
        &claim(&line(1, "76377", &[], 1, "2026-03-02"), "")
    ));
    assert!(fires(
        &e,
        &claim(&line(1, "70451", &[], 1, "2026-03-02"), "")
    ));
    assert!(!fires(
        &e,
        &claim(&line(1, "76376", &[], 1, "2026-03-02"), "")
    ));
    let ne = one_rule("line.code in three_d and line.code != 76377");
    assert!(fires(
        &ne,
        &claim(&line(1, "76376", &[], 1, "2026-03-02"), "")
    ));
    assert!(!fires(
        &ne,
        &claim(&line(1, "76377", &[], 1, "2026-03-02"), "")
    ));
}

#[test]
fn modifiers_named_inline_and_negated() {
    let both = one_rule("line has modifier 26 and line has modifier TC");
    assert!(fires(
        &both,
        &claim(&line(1, "76377", &["26", "TC"], 1, "2026-03-02"), "")
    ));
    assert!(!fires(
        &both,
        &claim(&line(1, "76377", &["26"], 1, "2026-03-02"), "")
    ));
    let global = one_rule("line.code in three_d and line has no modifier in comps");
    assert!(fires(
        &global,
        &claim(&line(1, "76377", &["59"], 1, "2026-03-02"), "")
    ));
    assert!(!fires(
        &global,
        &claim(&line(1, "76377", &["TC"], 1, "2026-03-02"), "")
    ));
    let list = one_rule("line.modifiers in [XS, 59]");
    assert!(fires(
        &list,
        &claim(&line(1, "76377", &["26", "XS"], 1, "2026-03-02"), "")
    ));
}

#[test]
fn units_dates_and_arithmetic() {
    let e = one_rule("line.units * 2 > 3 + 1");
    assert!(fires(
        &e,
        &claim(&line(1, "76377", &[], 3, "2026-03-02"), "")
    ));
    assert!(!fires(
        &e,
        &claim(&line(1, "76377", &[], 2, "2026-03-02"), "")
    ));
    let d = one_rule("line.date >= 2026-03-01 and line.date < 2026-04-01");
    assert!(fires(
        &d,
        &claim(&line(1, "76377", &[], 1, "2026-03-31"), "")
    ));
    assert!(!fires(
        &d,
        &claim(&line(1, "76377", &[], 1, "2026-04-01"), "")
    ));
}

#[test]
fn place_of_service_line_overrides_claim() {
    let e = one_rule("line.pos in facility");
    assert!(!fires(
        &e,
        &claim(&line(1, "76377", &[], 1, "2026-03-02"), "")
    ));
    let with_line_pos =
        r#"{"number":1,"code":"76377","units":1,"date":"2026-03-02","place_of_service":"22"}"#;
    assert!(fires(&e, &claim(with_line_pos, "")));
    let claim_pos = one_rule("claim.pos = 11");
    assert!(fires(&claim_pos, &claim(with_line_pos, "")));
}

#[test]
fn diagnoses_through_pointers_and_on_the_claim() {
    let e = one_rule("line.diagnoses in fractures");
    let pointed =
        r#"{"number":1,"code":"76377","units":1,"date":"2026-03-02","diagnosis_pointers":[2]}"#;
    assert!(fires(
        &e,
        &claim(pointed, r#","diagnoses":["I10","S32.401A"]"#)
    ));
    assert!(!fires(
        &e,
        &claim(pointed, r#","diagnoses":["S32.401A","I10"]"#)
    ));
    let on_claim = one_rule("claim.diagnoses in fractures");
    assert!(fires(
        &on_claim,
        &claim(pointed, r#","diagnoses":["S32.401A","I10"]"#)
    ));
    let range = one_rule("claim.diagnoses in [Q65..Q67]");
    assert!(fires(
        &range,
        &claim(pointed, r#","diagnoses":["I10","Q66.89"]"#)
    ));
    assert!(!fires(
        &range,
        &claim(pointed, r#","diagnoses":["I10","Q68.0"]"#)
    ));
}

#[test]
fn provider_role_and_prior_authorization() {
    let e = one_rule("claim.role = facility or not claim.prior_authorization");
    let l = line(1, "76377", &[], 1, "2026-03-02");
    assert!(fires(&e, &claim(&l, "")));
    assert!(!fires(&e, &claim(&l, r#","prior_authorization":"PA-123""#)));
    let facility = claim(&l, r#","prior_authorization":"PA-1""#).clone();
    let mut facility = facility;
    facility.provider.role = payerlex::ProviderRole::Facility;
    assert!(fires(&e, &facility));
}

#[test]
fn quantifiers_any_no_other_and_same_date() {
    let any = one_rule("line.code in three_d and any other line on same date where code in base");
    let same_day = format!(
        "{},{}",
        line(1, "70450", &[], 1, "2026-03-02"),
        line(2, "76377", &[], 1, "2026-03-02")
    );
    let other_day = format!(
        "{},{}",
        line(1, "70450", &[], 1, "2026-03-01"),
        line(2, "76377", &[], 1, "2026-03-02")
    );
    assert_eq!(
        decide(&any, &claim(&same_day, "")).lines[1].outcome,
        Outcome::Deny
    );
    assert_eq!(
        decide(&any, &claim(&other_day, "")).lines[1].outcome,
        Outcome::Allow
    );
    let none = one_rule("line.code in three_d and no line on same date where code in base");
    assert_eq!(
        outcomes(&decide(&none, &claim(&other_day, ""))),
        vec![Outcome::Allow, Outcome::Deny]
    );
    // `any line` includes the current line; `any other line` does not.
    let self_incl = one_rule("line.code = 76377 and any line where code = 76377");
    assert!(fires(
        &self_incl,
        &claim(&line(1, "76377", &[], 1, "2026-03-02"), "")
    ));
    let self_excl = one_rule("line.code = 76377 and any other line where code = 76377");
    assert!(!fires(
        &self_excl,
        &claim(&line(1, "76377", &[], 1, "2026-03-02"), "")
    ));
}

#[test]
fn quantifier_filters_on_modifiers_units_and_current_line() {
    let e = one_rule("line.code in three_d and any other line where code = line.code and has modifier 26 and units >= 2");
    let lines = format!(
        "{},{}",
        line(1, "76377", &["26"], 2, "2026-03-02"),
        line(2, "76377", &[], 1, "2026-03-02")
    );
    let d = decide(&e, &claim(&lines, ""));
    assert_eq!(outcomes(&d), vec![Outcome::Allow, Outcome::Deny]);
}

#[test]
fn aggregates_count_sum_and_distinct_codes() {
    let e = one_rule("line.code in three_d and (sum units of lines on same date where code = line.code) > count distinct codes of lines on same date where code in base");
    let two_regions = format!(
        "{},{},{},{}",
        line(1, "70450", &[], 1, "2026-03-02"),
        line(2, "70450", &[], 1, "2026-03-02"),
        line(3, "72192", &[], 1, "2026-03-02"),
        line(4, "76377", &[], 2, "2026-03-02")
    );
    assert_eq!(
        decide(&e, &claim(&two_regions, "")).lines[3].outcome,
        Outcome::Allow
    );
    let one_region = format!(
        "{},{}",
        line(1, "70450", &[], 1, "2026-03-02"),
        line(2, "76377", &[], 2, "2026-03-02")
    );
    assert_eq!(
        decide(&e, &claim(&one_region, "")).lines[1].outcome,
        Outcome::Deny
    );
    let count = one_rule("line.code = 76377 and count lines where code in base = 2");
    assert_eq!(
        decide(&count, &claim(&two_regions, "")).lines[3].outcome,
        Outcome::Allow
    );
    let count3 = one_rule("line.code = 76377 and count lines where code in base = 3");
    assert_eq!(
        decide(&count3, &claim(&two_regions, "")).lines[3].outcome,
        Outcome::Deny
    );
}

#[test]
fn earlier_lines_deny_only_the_later_duplicate() {
    let e =
        one_rule("line.code in three_d and any earlier line on same date where code = line.code");
    let lines = format!(
        "{},{}",
        line(1, "76377", &["26"], 1, "2026-03-02"),
        line(2, "76377", &["26"], 1, "2026-03-02")
    );
    assert_eq!(
        outcomes(&decide(&e, &claim(&lines, ""))),
        vec![Outcome::Allow, Outcome::Deny]
    );
}

#[test]
fn report_facts_from_phrases_and_stated_values() {
    let e = one_rule("line.code = 76377 and not report.workstation");
    let l = line(1, "76377", &[], 1, "2026-03-02");
    let mentioned = claim(
        &l,
        r#","report":{"text":"Postprocessing on a Dedicated 3D Workstation."}"#,
    );
    assert!(!fires(&e, &mentioned), "phrases match case-insensitively");
    let weak = claim(
        &l,
        r#","report":{"text":"3D images were generated for better visualization."}"#,
    );
    assert!(fires(&e, &weak));
    let overridden = claim(
        &l,
        r#","report":{"text":"independent workstation","facts":{"workstation":false}}"#,
    );
    assert!(fires(&e, &overridden), "a stated fact overrides the text");
    let stated_only = one_rule("line.code = 76377 and not report.supervision");
    assert!(fires(
        &stated_only,
        &claim(&l, r#","report":{"facts":{"supervision":false}}"#)
    ));
    assert!(!fires(
        &stated_only,
        &claim(&l, r#","report":{"facts":{"supervision":true}}"#)
    ));
}

#[test]
fn missing_report_is_not_evaluated_advice_not_a_silent_pass() {
    let e = one_rule("line.code = 76377 and not report.workstation");
    let d = decide(&e, &claim(&line(1, "76377", &[], 1, "2026-03-02"), ""));
    let finding = &d.lines[0].findings[0];
    assert_eq!(finding.outcome, FindingOutcome::Advice);
    assert!(
        finding
            .message
            .starts_with("not evaluated: report required"),
        "{}",
        finding.message
    );
    assert_eq!(
        d.lines[0].outcome,
        Outcome::Allow,
        "advice never changes the outcome"
    );
    // A fact stated on neither the report nor derivable: also not evaluated.
    let stated = one_rule("line.code = 76377 and not report.supervision");
    let d = decide(
        &stated,
        &claim(
            &line(1, "76377", &[], 1, "2026-03-02"),
            r#","report":{"text":"x"}"#,
        ),
    );
    assert!(d.lines[0].findings[0].message.starts_with("not evaluated"));
    // Kleene logic: a false clause decides despite an unknown one.
    let decided = one_rule("line.code = 76376 and not report.workstation");
    let d = decide(
        &decided,
        &claim(&line(1, "76377", &[], 1, "2026-03-02"), ""),
    );
    assert!(d.lines[0].findings.is_empty());
}

#[test]
fn outcomes_deny_review_advice_and_severity() {
    let e = engine(&format!(
        "{HEADER}rule a\n  cite \"x\"\n  when line.code = 76377\n  advice \"name the technique\"\nrule r\n  cite \"x\"\n  when line.code = 76377\n  review carc 16 rarc N657 suggest 76376 \"document the workstation\"\nrule d\n  cite \"x\"\n  when line.code = 76376\n  deny carc 97 rarc M15, N20 \"bundled\"\n"
    ));
    let lines = format!(
        "{},{},{}",
        line(1, "76377", &[], 1, "2026-03-02"),
        line(2, "76376", &[], 1, "2026-03-02"),
        line(3, "99213", &[], 1, "2026-03-02")
    );
    let d = decide(&e, &claim(&lines, ""));
    assert_eq!(
        outcomes(&d),
        vec![Outcome::Review, Outcome::Deny, Outcome::Allow]
    );
    assert_eq!(d.outcome, Outcome::Deny);
    assert_eq!(fired(&d, 0), vec!["test.p/a", "test.p/r"]);
    let review = &d.lines[0].findings[1];
    assert_eq!(
        review.suggested_code.map(|c| c.to_string()).as_deref(),
        Some("76376")
    );
    assert_eq!(review.carc.map(|c| c.to_string()).as_deref(), Some("16"));
    let deny = &d.lines[1].findings[0];
    let rarcs: Vec<String> = deny.rarc.iter().map(|r| r.to_string()).collect();
    assert_eq!(rarcs, vec!["M15", "N20"]);
    assert_eq!(deny.citation.as_deref(), Some("x"));
}

#[test]
fn rule_and_policy_effective_dates() {
    let e = engine("policy test.p\nversion 1.0.0\neffective 2026-01-01 until 2026-12-31\nrule r\n  cite \"x\"\n  effective 2026-03-01 until 2026-06-30\n  when line.code = 76377\n  deny carc 97 \"m\"\n");
    for (date, expected) in [
        ("2026-02-28", Outcome::Allow),
        ("2026-03-01", Outcome::Deny),
        ("2026-06-30", Outcome::Deny),
        ("2026-07-01", Outcome::Allow),
    ] {
        let d = decide(&e, &claim(&line(1, "76377", &[], 1, date), ""));
        assert_eq!(d.lines[0].outcome, expected, "{date}");
    }
}

#[test]
fn pack_effective_range_bounds_every_rule() {
    let pack = payerlex::PackSources::new(
        "test",
        "id = \"test\"\nname = \"t\"\nversion = \"1.0.0\"\neffective = \"2026-01-01\"\nexpires = \"2026-12-31\"\npolicies = [\"p.policy\"]\n",
    )
    .with_file("p.policy", format!("{HEADER}rule r\n  cite \"x\"\n  when line.code = 76377\n  deny carc 97 \"m\"\n"));
    let e = payerlex::Engine::from_sources(&[pack]).unwrap();
    assert_eq!(
        decide(&e, &claim(&line(1, "76377", &[], 1, "2025-12-31"), "")).outcome,
        Outcome::Allow
    );
    assert_eq!(
        decide(&e, &claim(&line(1, "76377", &[], 1, "2026-01-01"), "")).outcome,
        Outcome::Deny
    );
    assert_eq!(
        decide(&e, &claim(&line(1, "76377", &[], 1, "2027-01-01"), "")).outcome,
        Outcome::Allow
    );
}

#[test]
fn explanation_lists_clauses_and_facts() {
    let e = one_rule("line.code = 76377 and not report.workstation");
    let c = claim(
        &line(1, "76377", &[], 1, "2026-03-02"),
        r#","report":{"text":"3D images were generated"}"#,
    );
    let d = e
        .check_with(
            &c,
            &payerlex::NoHistory,
            payerlex::CheckOptions { explain: true },
        )
        .unwrap();
    let explanation = d.lines[0].findings[0].explanation.as_ref().unwrap();
    let clauses: Vec<(&str, Option<bool>)> = explanation
        .clauses
        .iter()
        .map(|c| (c.clause.as_str(), c.value))
        .collect();
    assert!(
        clauses.contains(&("line.code = 76377", Some(true))),
        "{clauses:?}"
    );
    assert!(
        clauses.contains(&("not report.workstation", Some(true))),
        "{clauses:?}"
    );
    assert_eq!(explanation.facts[0].fact, "workstation");
    assert_eq!(explanation.facts[0].value, Some(false));
    assert!(explanation.facts[0]
        .source
        .contains("none of the policy's phrases"));
    assert!(
        explanation.clauses[0].at.starts_with("test/p.policy:"),
        "{}",
        explanation.clauses[0].at
    );
}

#[test]
fn phrases_match_whole_words_and_not_when_negated() {
    let e = engine(&format!(
        "{HEADER}phrases technique = \"MIP\", \"volume rendering\"\nphrases necessity = \"medically necessary\"\nrule t\n  cite \"x\"\n  when line.code = 76377 and report.technique\n  advice \"technique named\"\nrule n\n  cite \"x\"\n  when line.code = 76377 and report.necessity\n  advice \"necessity stated\"\n"
    ));
    let rules = |text: &str| {
        let c = claim(
            &line(1, "76377", &[], 1, "2026-03-02"),
            &format!(r#","report":{{"text":"{text}"}}"#),
        );
        fired(&decide(&e, &c), 0)
    };
    assert_eq!(
        rules("Patient on imipenem. 3D rendering was not medically necessary."),
        Vec::<String>::new()
    );
    assert_eq!(
        rules("MIP images reviewed; 3D was medically necessary for surgical planning."),
        vec!["test.p/t", "test.p/n"]
    );
    assert_eq!(rules("Volume rendering performed. It is not clear the study was needed; it was medically necessary."), vec!["test.p/t", "test.p/n"], "negation stays within its sentence or clause");
    assert_eq!(rules("No volume rendering was done."), Vec::<String>::new());
    assert_eq!(
        rules("We didn't consider it medically necessary"),
        Vec::<String>::new()
    );
}
