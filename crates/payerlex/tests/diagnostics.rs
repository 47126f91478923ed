//! Policy errors: positions, every error of a file, hints, rendering.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;

fn errors(policy: &str) -> Vec<payerlex::Diagnostic> {
    match try_engine(policy) {
        Ok(_) => panic!("expected the policy to fail"),
        Err(e) => e.errors().cloned().collect(),
    }
}

#[test]
fn parse_error_names_file_line_and_column_with_the_source_line() {
    let policy =
        format!("{HEADER}rule r\n  cite \"x\"\n  when line.units > \n  deny carc 97 \"m\"\n");
    let errs = errors(&policy);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].location().as_deref(), Some("test/p.policy:6:3"));
    assert!(
        errs[0].message().contains("expected"),
        "{}",
        errs[0].message()
    );
    let rendered = errs[0].render();
    assert!(
        rendered.starts_with("test/p.policy:6:3: error[PLX-S001]:"),
        "{rendered}"
    );
    assert!(
        rendered.contains("deny carc 97"),
        "the offending line is shown:\n{rendered}"
    );
}

#[test]
fn collects_every_error_of_a_file() {
    let policy = format!(
        "{HEADER}set a = 7637\nrule one\n  cite \"x\"\n  when line.code in thre_d\n  deny carc 9999 \"m\"\nrule two\n  cite \"x\"\n  when line.units >\n  deny carc 97 \"m\"\nrule three\n  cite \"x\"\n  when report.nothing\n  deny carc 97 \"m\"\n"
    );
    let errs = errors(&policy);
    // one syntax error (rule two) is reported; the checker only runs on files that parse,
    // so fix syntax first: the syntax stage must report it with its place.
    assert!(
        errs.iter()
            .any(|e| e.location().as_deref() == Some("test/p.policy:11:3")),
        "{errs:#?}"
    );
    let fixed = policy.replace("when line.units >\n", "when line.units > 1\n");
    let errs = errors(&fixed);
    let messages: Vec<String> = errs.iter().map(|e| e.message()).collect();
    assert_eq!(errs.len(), 4, "{messages:#?}");
    assert!(messages
        .iter()
        .any(|m| m.contains("invalid procedure code `7637`")));
    assert!(messages.iter().any(|m| m.contains("unknown set `thre_d`")));
    assert!(messages.iter().any(|m| m.contains("invalid CARC `9999`")));
    assert!(messages
        .iter()
        .any(|m| m.contains("unknown report fact `nothing`")));
}

#[test]
fn unknown_names_get_a_did_you_mean_hint() {
    let policy = format!("{HEADER}set three_d = 76376, 76377\nrule r\n  cite \"x\"\n  when line.code in three_D\n  deny carc 97 \"m\"\n");
    let errs = errors(&policy);
    assert_eq!(errs[0].help().as_deref(), Some("did you mean `three_d`?"));
    assert_eq!(errs[0].location().as_deref(), Some("test/p.policy:6:21"));
    assert!(errs[0].render().contains("did you mean `three_d`?"));
    let field =
        format!("{HEADER}rule r\n  cite \"x\"\n  when line.unit > 1\n  deny carc 97 \"m\"\n");
    assert_eq!(
        errors(&field)[0].help().as_deref(),
        Some("did you mean `units`?")
    );
}

#[test]
fn type_errors_explain_what_fits() {
    let cases = [
        ("line.code > 76377", "cannot compare"),
        ("line.code in comps", "is a set of modifiers"),
        ("claim.role = doctor", "unknown provider role"),
        ("code = 76377", "`code` of which line?"),
        (
            "any line where any line where code = 1",
            "quantifiers cannot be nested",
        ),
        ("line.code", "not a condition"),
        ("line.units + line.code > 1", "arithmetic needs numbers"),
    ];
    for (condition, expected) in cases {
        let policy = format!("{HEADER}modifiers comps = 26, TC\nrule r\n  cite \"x\"\n  when {condition}\n  deny carc 97 \"m\"\n");
        let errs = errors(&policy);
        assert!(
            errs.iter().any(|e| e.message().contains(expected)),
            "{condition}: {:?}",
            errs.iter().map(|e| e.message()).collect::<Vec<_>>()
        );
        assert!(errs.iter().all(|e| e.location().is_some()), "{condition}");
    }
}

#[test]
fn literal_formats_are_validated() {
    let cases = [
        ("set s = 70498..70450", "is empty"),
        ("set s = 70450..G0288", "mixes kinds of codes"),
        ("modifiers m = 2", "invalid modifier"),
        ("places p = 1", "invalid place of service"),
        ("diagnoses d = 32", "invalid diagnosis"),
    ];
    for (decl, expected) in cases {
        let policy = format!("{HEADER}{decl}\nrule r\n  cite \"x\"\n  when line.units > 1\n  deny carc 97 rarc X15 \"m\"\n");
        let errs = errors(&policy);
        let messages: Vec<String> = errs.iter().map(|e| e.message()).collect();
        assert!(
            messages.iter().any(|m| m.contains(expected)),
            "{decl}: {messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("invalid RARC `X15`")),
            "{messages:?}"
        );
    }
}

#[test]
fn warnings_do_not_block_loading() {
    let engine = engine(&format!(
        "{HEADER}set unused = 76377\nrule r\n  when line.units > 1\n  deny carc 97 \"m\"\n"
    ));
    let warnings: Vec<String> = engine.warnings().iter().map(|w| w.message()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("set `unused` is never used")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("has no citation")),
        "{warnings:?}"
    );
}

#[test]
fn duplicate_rules_and_sets_are_errors() {
    let policy = format!("{HEADER}set a = 76377\nset a = 76376\nrule r\n  cite \"x\"\n  when line.code in a\n  deny carc 97 \"m\"\nrule r\n  cite \"x\"\n  when line.units > 1\n  deny carc 97 \"m\"\n");
    let messages: Vec<String> = errors(&policy).into_iter().map(|e| e.message()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`a` is already declared")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("rule `r` is declared twice")),
        "{messages:?}"
    );
}

#[test]
fn manifest_errors_point_into_pack_toml() {
    let bad = payerlex::PackSources::new("bad", "id = \"bad\"\nname = \"b\"\nversion = \"one\"\neffective = \"2026-01-01\"\npolicies = [\"missing.policy\"]\n");
    let err = payerlex::Engine::from_sources(&[bad]).unwrap_err();
    let messages: Vec<String> = err
        .errors()
        .map(|e| format!("{} {}", e.location().unwrap_or_default(), e.message()))
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("bad/pack.toml:3:11 invalid version `one`")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("policy file `missing.policy` not found")),
        "{messages:?}"
    );
}
