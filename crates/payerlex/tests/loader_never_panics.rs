//! The loader on stable, in CI: arbitrary bytes as a policy file or a manifest, and arbitrary
//! nesting of parentheses, brackets, `not`s and operators in a rule, go through loading
//! (parse, check, link, compile), `fmt` and, when the pack loads, a decision. Each case ends
//! with a result or diagnostics, never a panic or a stack overflow (the test thread has the
//! default 2 MiB stack). The cargo-fuzz targets in `fuzz/` explore the same inputs longer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use payerlex::{Engine, PackSources};
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("PAYERLEX_LOADER_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300)
}

fn exercise(pack: PackSources, policy: Option<&str>) {
    if let Some(text) = policy {
        let _ = payerlex::authoring::format_policy("p.policy", text);
    }
    match Engine::from_sources(&[pack]) {
        Ok(engine) => {
            for warning in engine.warnings() {
                let _ = warning.render();
            }
            let claim = claim("test").line(line("76377").units(2)).build();
            let _ = engine.check(&claim, &payerlex::InMemoryHistory::new());
        }
        Err(error) => {
            assert!(error.errors().next().is_some(), "a failed load says why");
            let _ = error.render();
        }
    }
}

/// Pieces of conditions that nest or chain.
fn token() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("("),
        Just(")"),
        Just("["),
        Just("]"),
        Just("not "),
        Just(" + 1"),
        Just(" * 2"),
        Just(" - 1"),
        Just(" and "),
        Just(" or "),
        Just("line.units"),
        Just(" > 1"),
        Just("76377"),
        Just(", "),
        Just(" in s"),
        Just("any line on same date where "),
        Just("sum units of lines in claim or history where code in s"),
    ]
}

proptest! {
    // 300 cases each by default (a few seconds); `.ci/run` goes deeper with
    // PAYERLEX_LOADER_CASES.
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn arbitrary_policy_bytes_never_panic(
        header in any::<bool>(),
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        let body = String::from_utf8_lossy(&bytes);
        let text = if header { format!("{HEADER}{body}") } else { body.into_owned() };
        exercise(one_policy_pack(&text), Some(&text));
    }

    #[test]
    fn arbitrary_nesting_never_panics(
        prefix in proptest::collection::vec(token(), 0..64),
        repeated in token(),
        times in 0usize..3000,
        suffix in proptest::collection::vec(token(), 0..64),
    ) {
        let condition = format!(
            "{}{}{}",
            prefix.concat(),
            repeated.repeat(times),
            suffix.concat()
        );
        let text = format!(
            "{HEADER}set s = 76377\nrule r\n  cite \"x\"\n  when line.code in s and {condition}\n  deny carc 97 \"m\"\n"
        );
        exercise(one_policy_pack(&text), Some(&text));
    }

    #[test]
    fn arbitrary_manifest_bytes_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        let manifest = String::from_utf8_lossy(&bytes).into_owned();
        let pack = PackSources::new("test", manifest).with_file("p.policy", HEADER);
        exercise(pack, None);
    }
}

/// Found by `arbitrary_nesting_never_panics`: a syntax error past column 65,535 made miette
/// panic ("Formatting argument out of range") while rendering. Such a diagnostic now renders
/// its `file:line:col`, message and hint without the line.
#[test]
fn a_diagnostic_past_column_65535_renders_without_its_line() {
    let condition = format!("{} ]", "line.units > 1 and ".repeat(4000));
    let text = format!("{HEADER}rule r\n  cite \"x\"\n  when {condition}\n  deny carc 97 \"m\"\n");
    let error = match Engine::from_sources(&[one_policy_pack(&text)]) {
        Ok(_) => panic!("a stray `]` loaded"),
        Err(error) => error,
    };
    let rendered = error.render();
    assert!(
        rendered.contains("test/p.policy:5:76009: error[PLX-S001]"),
        "{rendered}"
    );
    assert!(
        !rendered.contains("line.units > 1 and line.units"),
        "{rendered}"
    );
}

/// The balanced worst case the strategies above reach only by luck: every construct past
/// its limit (32 brackets, 256 `not`s or operators), and far past it.
#[test]
fn every_construct_past_its_limit_is_a_diagnostic() {
    for depth in [257, 5000, 60_000] {
        for (open, close) in [
            ("(", ")"),
            ("[", "]"),
            ("(not ", ")"),
            ("not ", ""),
            ("line.units + ", ""),
        ] {
            let condition = format!(
                "{}line.units > 1{}",
                open.repeat(depth),
                close.repeat(depth)
            );
            let text =
                format!("{HEADER}rule r\n  cite \"x\"\n  when {condition}\n  deny carc 97 \"m\"\n");
            let error = match Engine::from_sources(&[one_policy_pack(&text)]) {
                Ok(_) => panic!("depth {depth} of `{open}` loaded"),
                Err(error) => error,
            };
            let codes: Vec<String> = error.errors().map(payerlex::Diagnostic::code).collect();
            assert!(
                codes.contains(&"PLX-S002".to_owned()),
                "{open} x {depth}: {codes:?}"
            );
            assert!(payerlex::authoring::format_policy("p.policy", &text).is_err());
        }
    }
}
