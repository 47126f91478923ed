//! The policy language's constructs, tested as data: the packs under `tests/packs/` (see its
//! README) hold rules and pack tests in the format integrators use.
//!
//! Each pack test runs twice: through the engine, as `payerlex test` runs it
//! (`payerlex::pack_tests::run`), and through the reference interpreter
//! (`payerlex::testing::reference_check`), which shares no evaluation code, table lookup or
//! payment arithmetic with the engine. Both must meet every expectation, return the very same
//! decision for every claim of every test (history claims included), and every rule of every
//! pack must fire in some test, so no construct goes untested.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::packs_dir;
use payerlex::pack_tests::{self, PackSuite};
use payerlex::testing::reference_check;
use payerlex::{Engine, InMemoryHistory};

fn load() -> (Engine, Vec<PackSuite>) {
    let dir = packs_dir();
    let engine = common::load(&dir);
    let suites = pack_tests::load_suites(&dir, &engine, &[]).unwrap_or_else(|errors| {
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        panic!("{}", errors.join("\n"))
    });
    (engine, suites)
}

#[test]
fn the_test_packs_load_without_warnings() {
    let (engine, suites) = load();
    let warnings: Vec<String> = engine.warnings().iter().map(|w| w.render()).collect();
    assert!(warnings.is_empty(), "{}", warnings.join("\n"));
    let ids: Vec<&str> = suites.iter().map(|s| s.pack.as_str()).collect();
    assert_eq!(
        ids,
        [
            "claim-context",
            "effective-dates",
            "extends-base",
            "extends-child",
            "history",
            "line-fields",
            "ncci-tables",
            "other-lines",
            "outcomes",
            "report-facts",
        ]
    );
    for suite in &suites {
        assert!(!suite.files.is_empty(), "{} has no tests", suite.pack);
    }
}

#[test]
fn the_engine_meets_every_expectation_and_fires_every_rule() {
    let (engine, suites) = load();
    let run = pack_tests::run(&engine, &suites);
    let failures: Vec<String> = run
        .results
        .iter()
        .filter(|r| !r.passed())
        .flat_map(|r| {
            r.failures.iter().flat_map(move |step| {
                let error = step
                    .error
                    .iter()
                    .map(move |e| format!("{}: {e}", r.location));
                let lines = step.lines.iter().flat_map(move |line| {
                    line.mismatches.iter().map(move |m| {
                        format!(
                            "{} {} (claim {}, line {}): {m}",
                            line.expected.location, r.name, step.claim, line.expected.line
                        )
                    })
                });
                error.chain(lines)
            })
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(run.passed() >= 50, "{} tests", run.passed());
    for coverage in &run.coverage {
        let never: Vec<&str> = coverage.never_fired().map(|r| &*r.rule).collect();
        assert!(
            never.is_empty(),
            "{}: no test fires {never:?}",
            coverage.pack
        );
    }
}

#[test]
fn the_reference_interpreter_meets_every_expectation_and_agrees_with_the_engine() {
    let (engine, suites) = load();
    let mut claims = 0;
    let mut problems = Vec::new();
    for suite in &suites {
        let pack = engine.pack(&suite.pack).unwrap();
        for case in suite.files.iter().flat_map(|f| &f.tests) {
            let mut history = InMemoryHistory::new();
            for step in &case.steps {
                let reference = reference_check(pack, &step.claim, &history).unwrap();
                let engine_decision = engine.check(&step.claim, &history).unwrap();
                claims += 1;
                // Equal as values and as JSON (decimal amounts keep their scale in JSON).
                let as_json = |d: &payerlex::Decision| serde_json::to_string(d).unwrap();
                if reference != engine_decision || as_json(&reference) != as_json(&engine_decision)
                {
                    problems.push(format!(
                        "{} {} (claim {}): engine and reference disagree\nengine:    {}\nreference: {}",
                        step.location,
                        case.name,
                        step.claim.id,
                        serde_json::to_string(&engine_decision).unwrap(),
                        serde_json::to_string(&reference).unwrap()
                    ));
                }
                for expected in step.expect.iter().flatten() {
                    let line = reference
                        .lines
                        .iter()
                        .find(|l| l.number == expected.line)
                        .unwrap();
                    for mismatch in expected.mismatches(line) {
                        problems.push(format!(
                            "{} {} (claim {}, line {}): reference: {mismatch}",
                            expected.location, case.name, step.claim.id, expected.line
                        ));
                    }
                }
                history.record(&step.claim, &reference);
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(claims >= 60, "{claims} claims");
}
