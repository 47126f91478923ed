//! Packs: manifests, `extends` with semver, replacing and disabling inherited rules,
//! imports across packs, payer selection.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use payerlex::Engine;
use payerlex::Outcome;
use payerlex::PackSources;

fn base() -> PackSources {
    manifest("base").version("2026.1.3").policies(&["b.policy"]).pack("base").with_file(
        "b.policy",
        "policy base.rules\nversion 2026.1.3\nset three_d = 76376, 76377\nset angio = 70496, 71275\nrule angio\n  cite \"NCCI\"\n  when line.code in three_d and any line on same date where code in angio\n  deny carc 97 \"bundled\"\nrule units\n  cite \"MUE\"\n  when line.code in three_d and line.units > 2\n  deny carc 151 rarc N362 \"too many units\"\n",
    )
}

fn child(extends: &str, policy: &str, disable: &[&str]) -> PackSources {
    manifest("child")
        .policies(&["c.policy"])
        .extends("base", extends)
        .disable(disable)
        .pack("child")
        .with_file("c.policy", policy)
}

const CHILD_POLICY: &str = "policy child.rules\nversion 1.0.0\nimport three_d from base.rules\nrule prior-auth\n  cite \"Child payer policy\"\n  when line.code = 76377 and not claim.prior_authorization\n  deny carc 197 \"get a prior authorisation\"\nrule stricter-units replaces base.rules/units\n  cite \"Child payer policy\"\n  when line.code in three_d and line.units > 1\n  deny carc 151 \"one unit only\"\n";

fn claim_for(payer: &str, code: &str, units: u32) -> payerlex::Claim {
    claim(payer).line(line(code).units(units)).build()
}

#[test]
fn child_inherits_replaces_and_adds_rules() {
    let engine = Engine::from_sources(&[child("^2026.1", CHILD_POLICY, &[]), base()]).unwrap();
    let d = decide(&engine, &claim_for("child", "76376", 2));
    assert_eq!(d.outcome, Outcome::Deny);
    assert_eq!(fired(&d, 0), vec!["child.rules/stricter-units"]);
    let d = decide(&engine, &claim_for("base", "76376", 2));
    assert_eq!(
        d.outcome,
        Outcome::Allow,
        "the base pack keeps its own rule"
    );
    let d = decide(&engine, &claim_for("child", "76377", 1));
    assert_eq!(fired(&d, 0), vec!["child.rules/prior-auth"]);
    let rule_ids: Vec<&str> = engine
        .pack("child")
        .unwrap()
        .rules()
        .map(|r| r.id())
        .collect();
    assert_eq!(
        rule_ids,
        vec![
            "base.rules/angio",
            "child.rules/stricter-units",
            "child.rules/prior-auth"
        ],
        "replacement keeps the replaced rule's place"
    );
    assert_eq!(&*d.policy.pack, "child");
    assert!(d.policy.digest.starts_with("sha256:"));
}

#[test]
fn child_may_disable_inherited_rules() {
    let engine = Engine::from_sources(&[
        base(),
        child(
            "^2026.1",
            "policy child.rules\nversion 1.0.0\n",
            &["base.rules/angio"],
        ),
    ])
    .unwrap();
    let mut c = claim("child").lines([line("71275"), line("76377")]).build();
    assert_eq!(decide(&engine, &c).outcome, Outcome::Allow);
    c.payer = "base".into();
    assert_eq!(decide(&engine, &c).outcome, Outcome::Deny);
}

#[test]
fn semver_mismatch_is_rejected_with_the_versions_named() {
    let err = Engine::from_sources(&[base(), child("^2027", CHILD_POLICY, &[])]).unwrap_err();
    let errs: Vec<_> = err.errors().collect();
    assert_eq!(errs.len(), 1);
    assert_eq!(
        errs[0].message(),
        "`base` is version 2026.1.3, which does not satisfy `^2027`"
    );
    assert!(
        errs[0]
            .location()
            .unwrap()
            .starts_with("child/pack.toml:6:"),
        "{:?}",
        errs[0].location()
    );
    let ok = Engine::from_sources(&[base(), child("~2026.1.2", CHILD_POLICY, &[])]);
    assert!(ok.is_ok());
}

#[test]
fn unknown_base_disable_and_replace_targets_are_errors() {
    let err = Engine::from_sources(&[child("^2026", CHILD_POLICY, &[])]).unwrap_err();
    assert!(err
        .errors()
        .any(|e| e.message() == "pack `base` is not loaded"));
    let err = Engine::from_sources(&[
        base(),
        child(
            "^2026",
            "policy child.rules\nversion 1.0.0\n",
            &["base.rules/angios"],
        ),
    ])
    .unwrap_err();
    let e = err.errors().next().unwrap();
    assert_eq!(
        e.message(),
        "no rule `base.rules/angios` in the extended pack"
    );
    assert_eq!(
        e.help().as_deref(),
        Some("did you mean `base.rules/angio`?")
    );
    let bad_replace = CHILD_POLICY.replace("replaces base.rules/units", "replaces base.rules/unit");
    let err = Engine::from_sources(&[base(), child("^2026", &bad_replace, &[])]).unwrap_err();
    let e = err.errors().next().unwrap();
    assert!(
        e.message()
            .contains("`base.rules/unit` is not a rule of the extended pack"),
        "{}",
        e.message()
    );
    assert_eq!(e.location().as_deref(), Some("child/c.policy:8:30"));
}

#[test]
fn imports_must_name_loaded_policies_and_sets() {
    let bad = CHILD_POLICY.replace(
        "import three_d from base.rules",
        "import three_D from base.rules",
    );
    let err = Engine::from_sources(&[base(), child("^2026", &bad, &[])]).unwrap_err();
    assert!(err.errors().any(
        |e| e.message() == "policy `base.rules` declares no set `three_D`"
            && e.help().as_deref() == Some("did you mean `three_d`?")
    ));
    let bad = CHILD_POLICY.replace("from base.rules", "from base.rule");
    let err = Engine::from_sources(&[base(), child("^2026", &bad, &[])]).unwrap_err();
    assert!(err
        .errors()
        .any(|e| e.message() == "unknown policy `base.rule`"));
}

#[test]
fn cycles_and_duplicate_ids_are_errors() {
    let a = manifest("a").extends("b", "*").pack("a");
    let b = manifest("b").extends("a", "*").pack("b");
    let err = Engine::from_sources(&[a, b]).unwrap_err();
    assert!(err.errors().any(|e| e.message().contains("cycle")));
    let err = Engine::from_sources(&[base(), base()]).unwrap_err();
    assert!(err
        .errors()
        .any(|e| e.message() == "two packs have the id `base`"));
}

#[test]
fn unknown_payer_is_an_error_with_a_hint() {
    let engine = Engine::from_sources(&[base()]).unwrap();
    let err = engine
        .check(&claim_for("bsae", "76377", 1), &payerlex::NoHistory)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown payer `bsae` (did you mean `base`?)"
    );
}

#[test]
fn engine_is_send_sync_and_cheap_to_clone() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Engine>();
    let engine = Engine::from_sources(&[base()]).unwrap();
    let clone = engine.clone();
    std::thread::spawn(move || decide(&clone, &claim_for("base", "76377", 1)))
        .join()
        .unwrap();
}

#[test]
fn loads_packs_from_a_folder() {
    let dir = policies_dir();
    let engine = load(&dir);
    assert!(engine.pack("medicare").is_some());
    let err = Engine::load(dir.join("no-such-folder")).unwrap_err();
    assert!(err.render().contains("is not a folder"));
}
