//! Policy errors: positions, every error of a file, hints, rendering. The rendered text is what
//! an author reads, so it is compared whole, as `insta` snapshots (`tests/snapshots/`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use insta::assert_snapshot;

fn errors(policy: &str) -> Vec<payerlex::Diagnostic> {
    match try_engine(policy) {
        Ok(_) => panic!("expected the policy to fail"),
        Err(e) => e.errors().cloned().collect(),
    }
}

/// Every diagnostic rendered (header line, source excerpt, hint), separated by blank lines.
fn rendered(diagnostics: &[payerlex::Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| d.render())
        .collect::<Vec<_>>()
        .join("\n")
}

/// One line per diagnostic: `location message (help)`.
fn summary(diagnostics: &[payerlex::Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            let help = d.help().map(|h| format!(" ({h})")).unwrap_or_default();
            format!("{} {}{help}", d.location().unwrap_or_default(), d.message())
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn parse_error_names_file_line_and_column_with_the_source_line() {
    let policy =
        format!("{HEADER}rule r\n  cite \"x\"\n  when line.units > \n  deny carc 97 \"m\"\n");
    let errs = errors(&policy);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].location().as_deref(), Some("test/p.policy:6:3"));
    assert_snapshot!(rendered(&errs));
}

#[test]
fn collects_every_error_of_a_file() {
    let policy = format!(
        "{HEADER}set a = 7637\nrule one\n  cite \"x\"\n  when line.code in thre_d\n  deny carc 9999 \"m\"\nrule two\n  cite \"x\"\n  when line.units >\n  deny carc 97 \"m\"\nrule three\n  cite \"x\"\n  when report.nothing\n  deny carc 97 \"m\"\n"
    );
    // The checker only runs on files that parse, so the syntax error of rule two comes first,
    // with its place.
    assert_snapshot!("syntax_first", summary(&errors(&policy)));
    let fixed = policy.replace("when line.units >\n", "when line.units > 1\n");
    let errs = errors(&fixed);
    assert_eq!(errs.len(), 4);
    assert_snapshot!("then_every_checker_error", rendered(&errs));
}

#[test]
fn unknown_names_get_a_did_you_mean_hint() {
    let policy = format!("{HEADER}set three_d = 76376, 76377\nrule r\n  cite \"x\"\n  when line.code in three_D\n  deny carc 97 \"m\"\n");
    assert_snapshot!("unknown_set", rendered(&errors(&policy)));
    let field =
        format!("{HEADER}rule r\n  cite \"x\"\n  when line.unit > 1\n  deny carc 97 \"m\"\n");
    assert_snapshot!("unknown_field", summary(&errors(&field)));
}

#[test]
fn type_errors_explain_what_fits() {
    let cases = [
        "line.code > 76377",
        "line.code in comps",
        "claim.role = doctor",
        "code = 76377",
        "any line where any line where code = 1",
        "line.code",
        "line.units + line.code > 1",
    ];
    let mut report = String::new();
    for condition in cases {
        let policy = format!("{HEADER}modifiers comps = 26, TC\nrule r\n  cite \"x\"\n  when {condition}\n  deny carc 97 \"m\"\n");
        let errs = errors(&policy);
        assert!(errs.iter().all(|e| e.location().is_some()), "{condition}");
        report.push_str(&format!("when {condition}\n{}\n\n", summary(&errs)));
    }
    assert_snapshot!(report);
}

#[test]
fn literal_formats_are_validated() {
    let cases = [
        "set s = 70498..70450",
        "set s = 70450..G0288",
        "modifiers m = 2",
        "places p = 1",
        "diagnoses d = 32",
    ];
    let mut report = String::new();
    for decl in cases {
        let policy = format!("{HEADER}{decl}\nrule r\n  cite \"x\"\n  when line.units > 1\n  deny carc 97 rarc X15 \"m\"\n");
        report.push_str(&format!("{decl}\n{}\n\n", summary(&errors(&policy))));
    }
    assert_snapshot!(report);
}

#[test]
fn warnings_do_not_block_loading() {
    let engine = engine(&format!(
        "{HEADER}set unused = 76377\nrule r\n  when line.units > 1\n  deny carc 97 \"m\"\n"
    ));
    assert_snapshot!(rendered(engine.warnings()));
}

#[test]
fn duplicate_rules_and_sets_are_errors() {
    let policy = format!("{HEADER}set a = 76377\nset a = 76376\nrule r\n  cite \"x\"\n  when line.code in a\n  deny carc 97 \"m\"\nrule r\n  cite \"x\"\n  when line.units > 1\n  deny carc 97 \"m\"\n");
    assert_snapshot!(rendered(&errors(&policy)));
}

#[test]
fn manifest_errors_point_into_pack_toml() {
    let bad = manifest("bad")
        .version("one")
        .policies(&["missing.policy"])
        .pack("bad");
    let err = payerlex::Engine::from_sources(&[bad]).unwrap_err();
    let errs: Vec<payerlex::Diagnostic> = err.errors().cloned().collect();
    assert_snapshot!(rendered(&errs));
}
