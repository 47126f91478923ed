//! Static checks at load time: never-firing, shadowed and conflicting rules.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;

fn warnings(rules: &str) -> Vec<String> {
    let e = engine(&format!("{HEADER}set three_d = 76376, 76377\n{rules}"));
    e.warnings()
        .iter()
        .map(|w| format!("{} {}", w.location().unwrap_or_default(), w.message()))
        .collect()
}

fn rule(name: &str, when: &str, outcome: &str) -> String {
    format!("rule {name}\n  cite \"x\"\n  when {when}\n  {outcome}\n")
}

#[test]
fn rules_that_can_never_fire() {
    let w = warnings(&rule(
        "r",
        "line.code in three_d and line.code = 99213",
        "deny carc 97 \"m\"",
    ));
    assert!(
        w.iter().any(|w| w.contains(
            "rule `test.p/r` can never fire: its code conditions have no code in common"
        )),
        "{w:?}"
    );
    assert!(w[0].starts_with("test/p.policy:4:1 "), "{w:?}");
    let w = warnings(&rule(
        "r",
        "line.code = 76377 and line.code not in three_d",
        "deny carc 97 \"m\"",
    ));
    assert!(
        w.iter()
            .any(|w| w.contains("every code it requires is also excluded")),
        "{w:?}"
    );
    let w = warnings(&rule(
        "r",
        "line has modifier 26 and line has no modifier in [26, TC]",
        "deny carc 4 \"m\"",
    ));
    assert!(
        w.iter()
            .any(|w| w.contains("it requires modifier 26 and excludes it")),
        "{w:?}"
    );
    let w = warnings(
        &rule("r", "line.code in three_d", "deny carc 4 \"m\"")
            .replace("  when", "  effective 2020-01-01 until 2020-12-31\n  when"),
    );
    assert!(
        w.iter().any(|w| w.contains("effective dates fall outside")),
        "{w:?}"
    );
}

#[test]
fn shadowed_rules() {
    let rules = rule("general", "line.code in three_d", "deny carc 97 \"m\"")
        + &rule(
            "specific",
            "line.code in three_d and line.units > 1",
            "deny carc 97 \"m\"",
        );
    let w = warnings(&rules);
    assert!(
        w.iter()
            .any(|w| w.contains("rule `test.p/specific` is shadowed by `test.p/general`")),
        "{w:?}"
    );
    // A review rule under a deny rule with the same conditions never changes a decision either.
    let rules = rule("deny", "line.code = 76377", "deny carc 97 \"m\"")
        + &rule("review", "line.code = 76377", "review \"m\"");
    assert!(warnings(&rules)
        .iter()
        .any(|w| w.contains("`test.p/review` is shadowed by `test.p/deny`")));
    // The other way round is fine: the deny rule changes the decision.
    let rules = rule("review", "line.code = 76377", "review \"m\"")
        + &rule(
            "deny",
            "line.code = 76377 and line.units > 1",
            "deny carc 97 \"m\"",
        );
    assert!(
        !warnings(&rules).iter().any(|w| w.contains("shadowed")),
        "{:?}",
        warnings(&rules)
    );
}

#[test]
fn conflicting_denial_reasons() {
    let rules = rule("bundled", "line.code in three_d", "deny carc 97 \"m\"")
        + &rule(
            "units",
            "line.code in three_d and line.units > 2",
            "deny carc 151 \"m\"",
        );
    let w = warnings(&rules);
    assert!(w.iter().any(|w| w.contains("rules `test.p/units` and `test.p/bundled` conflict: whenever `test.p/units` fires, `test.p/bundled` fires on the same line with CARC 97 instead of 151")), "{w:?}");
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
    assert!(warnings(&rules).is_empty(), "{:?}", warnings(&rules));
}

#[test]
fn the_shipped_packs_have_no_warnings() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies");
    let engine = payerlex::Engine::load(&dir).unwrap_or_else(|e| panic!("{}", e.render()));
    let w: Vec<String> = engine.warnings().iter().map(|w| w.render()).collect();
    assert!(w.is_empty(), "{}", w.join("\n"));
}

#[test]
fn partially_overlapping_trigger_sets() {
    let policy = format!(
        "{HEADER}set ct = 70450..70498, 71250..71275\nset mri = 70540..70559, 71275\nset angio = 70496, 70498\nrule a\n  cite \"x\"\n  when line.code in ct\n  deny carc 97 \"m\"\nrule b\n  cite \"x\"\n  when line.code in mri\n  deny carc 16 \"m\"\nrule c\n  cite \"x\"\n  when line.code in angio and line.units > 1\n  deny carc 151 \"m\"\n"
    );
    let e = engine(&policy);
    let w: Vec<String> = e
        .warnings()
        .iter()
        .map(|w| format!("{} {}", w.location().unwrap_or_default(), w.message()))
        .collect();
    assert!(
        w.iter()
            .any(|w| w
                == "test/p.policy:4:5 code sets `ct` and `mri` overlap, and both trigger rules"),
        "{w:?}"
    );
    assert!(
        !w.iter().any(|w| w.contains("`angio`")),
        "nested sets are deliberate: {w:?}"
    );
}
