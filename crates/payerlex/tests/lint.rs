//! Static checks at load time: never-firing, shadowed and conflicting rules, overlapping
//! trigger sets. The warnings (location and message) are `insta` snapshots.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use insta::assert_snapshot;

/// The warnings of a policy `test.p` with `three_d` and `rules`, one per line.
fn warnings(rules: &str) -> String {
    warnings_of(&format!("{HEADER}set three_d = 76376, 76377\n{rules}"))
}

fn warnings_of(policy: &str) -> String {
    engine(policy)
        .warnings()
        .iter()
        .map(|w| format!("{} {}", w.location().unwrap_or_default(), w.message()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn rule(name: &str, when: &str, outcome: &str) -> String {
    format!("rule {name}\n  cite \"x\"\n  when {when}\n  {outcome}\n")
}

#[test]
fn rules_that_can_never_fire() {
    let cases = [
        rule(
            "r",
            "line.code in three_d and line.code = 99213",
            "deny carc 97 \"m\"",
        ),
        rule(
            "r",
            "line.code = 76377 and line.code not in three_d",
            "deny carc 97 \"m\"",
        ),
        rule(
            "r",
            "line.code in three_d and line has modifier 26 and line has no modifier in [26, TC]",
            "deny carc 4 \"m\"",
        ),
        rule("r", "line.code in three_d", "deny carc 4 \"m\"")
            .replace("  when", "  effective 2020-01-01 until 2020-12-31\n  when"),
    ];
    let report: Vec<String> = cases.iter().map(|rules| warnings(rules)).collect();
    assert_snapshot!(report.join("\n\n"));
}

#[test]
fn shadowed_rules() {
    let general_first = rule("general", "line.code in three_d", "deny carc 97 \"m\"")
        + &rule(
            "specific",
            "line.code in three_d and line.units > 1",
            "deny carc 97 \"m\"",
        );
    assert_snapshot!(
        "a_narrower_rule_with_the_same_outcome",
        warnings(&general_first)
    );
    // A review rule under a deny rule with the same conditions never changes a decision either.
    let review_under_deny = rule("deny", "line.code in three_d", "deny carc 97 \"m\"")
        + &rule("review", "line.code in three_d", "review \"m\"");
    assert_snapshot!("review_under_deny", warnings(&review_under_deny));
    // The other way round is fine: the deny rule changes the decision.
    let deny_under_review = rule("review", "line.code in three_d", "review \"m\"")
        + &rule(
            "deny",
            "line.code in three_d and line.units > 1",
            "deny carc 97 \"m\"",
        );
    assert_eq!(warnings(&deny_under_review), "");
}

#[test]
fn conflicting_denial_reasons() {
    let rules = rule("bundled", "line.code in three_d", "deny carc 97 \"m\"")
        + &rule(
            "units",
            "line.code in three_d and line.units > 2",
            "deny carc 151 \"m\"",
        );
    assert_snapshot!(warnings(&rules));
}

#[test]
fn independent_rules_raise_nothing() {
    let rules = rule(
        "a",
        "line.code = 76376 and line.units > 1",
        "deny carc 97 \"m\"",
    ) + &rule(
        "b",
        "line.code in three_d and line.code = 76377 and line.units > 1",
        "deny carc 151 \"m\"",
    );
    assert_eq!(warnings(&rules), "");
}

#[test]
fn the_shipped_packs_have_no_warnings() {
    let engine = load(&policies_dir());
    let w: Vec<String> = engine.warnings().iter().map(|w| w.render()).collect();
    assert!(w.is_empty(), "{}", w.join("\n"));
}

#[test]
fn partially_overlapping_trigger_sets() {
    // `ct` and `mri` share 71275; `angio` lies inside `ct` (nested sets are deliberate).
    let policy = format!(
        "{HEADER}set ct = 70450..70498, 71250..71275\nset mri = 70540..70559, 71275\nset angio = 70496, 70498\nrule a\n  cite \"x\"\n  when line.code in ct\n  deny carc 97 \"m\"\nrule b\n  cite \"x\"\n  when line.code in mri\n  deny carc 16 \"m\"\nrule c\n  cite \"x\"\n  when line.code in angio and line.units > 1\n  deny carc 151 \"m\"\n"
    );
    assert_snapshot!(warnings_of(&policy));
}
