//! Differential testing: the compiled engine against the naive reference interpreter.
//!
//! The engine decides through a trigger index, folded constants, interned facts and a phrase
//! automaton; `payerlex::testing::reference_check` evaluates the checked IR directly. On every
//! generated (pack, claim, history) both must return the same `Decision`, and the explaining
//! evaluator must agree with the fast one. Packs: the shipped ones under `policies/` and
//! synthetic packs (`payerlex::testing::synthetic_packs`) that exercise every construct of
//! the DSL, general payer policies included. The generator is seeded, so a run is
//! reproducible; the case count is 256 per pack by default (fast enough for every
//! `cargo test`), and `PAYERLEX_DIFFERENTIAL_CASES` raises it: `.ci/run` uses 5,000, and a
//! release check 20,000 (`PAYERLEX_DIFFERENTIAL_CASES=20000 cargo test -p payerlex --test
//! differential`, about two minutes in a debug build).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cell::RefCell;

use payerlex::testing::{cases, reference_check, synthetic_packs, Case};
use payerlex::Pack;
use payerlex::{CheckOptions, Decision, Engine};
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

/// Cases per pack; `PAYERLEX_DIFFERENTIAL_CASES` sets another count (CI: 5,000; release:
/// 20,000).
const CASES: u32 = 256;

fn case_count() -> u32 {
    std::env::var("PAYERLEX_DIFFERENTIAL_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CASES)
}

fn new_runner() -> TestRunner {
    let config = Config {
        cases: case_count(),
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
}

/// Engine and reference agree on `case`, explanations do not change the decision, and
/// `check_into` a decision reused from the previous cases (other line counts, findings,
/// warnings) gives exactly what `check` and `check_with` return.
fn agree(
    engine: &Engine,
    pack: &Pack,
    case: &Case,
    reused: &RefCell<Option<Decision>>,
) -> Result<(), TestCaseError> {
    let history = case.in_memory_history();
    let fast = engine
        .check(&case.claim, &history)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let expected = reference_check(pack, &case.claim, &history)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let as_json = |d: &payerlex::Decision| serde_json::to_string(d).unwrap();
    if fast != expected || as_json(&fast) != as_json(&expected) {
        return Err(TestCaseError::fail(format!(
            "engine and reference disagree\nclaim: {}\nhistory: {}\nengine: {}\nreference: {}",
            serde_json::to_string(&case.claim).unwrap(),
            serde_json::to_string(&case.history).unwrap(),
            serde_json::to_string(&fast).unwrap(),
            serde_json::to_string(&expected).unwrap()
        )));
    }
    let mut explained = engine
        .check_with(&case.claim, &history, CheckOptions { explain: true })
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let mut slot = reused.borrow_mut();
    let decision = slot.get_or_insert_with(|| explained.clone());
    for (options, wanted) in [
        (CheckOptions { explain: true }, &explained),
        (CheckOptions::default(), &fast),
    ] {
        engine
            .check_into(&case.claim, &history, options, decision)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        if decision != wanted || as_json(decision) != as_json(wanted) {
            return Err(TestCaseError::fail(format!(
                "check_into a reused decision differs from a fresh one ({options:?})"
            )));
        }
    }
    for line in &mut explained.lines {
        for finding in &mut line.findings {
            if finding.explanation.take().is_none() {
                return Err(TestCaseError::fail("a finding has no explanation"));
            }
        }
    }
    if explained != fast {
        return Err(TestCaseError::fail(
            "the explaining evaluator decides differently",
        ));
    }
    Ok(())
}

fn check_pack(engine: &Engine, id: &str) -> usize {
    let pack = engine.pack(id).unwrap_or_else(|| panic!("no pack {id}"));
    let mut fired = 0usize;
    let mut runner = new_runner();
    let reused = RefCell::new(None);
    let result = runner.run(&cases(pack), |case| {
        agree(engine, pack, &case, &reused)?;
        Ok(())
    });
    if let Err(e) = result {
        panic!("pack `{id}`: {e}");
    }
    // The generated claims must reach the rules, or the agreement is vacuous.
    let mut runner = new_runner();
    for _ in 0..CASES {
        use proptest::strategy::{Strategy, ValueTree};
        let case = cases(pack).new_tree(&mut runner).unwrap().current();
        let decision = engine
            .check(&case.claim, &case.in_memory_history())
            .unwrap();
        fired += decision
            .lines
            .iter()
            .map(|l| l.findings.len())
            .sum::<usize>();
    }
    fired
}

#[test]
fn shipped_packs_agree_with_the_reference() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../policies");
    let engine = Engine::load(dir)
        .unwrap_or_else(|e| panic!("shipped policies do not load:\n{}", e.render()));
    let ids: Vec<String> = engine.packs().map(|p| p.id().to_owned()).collect();
    assert!(!ids.is_empty());
    for id in ids {
        assert!(
            check_pack(&engine, &id) > 0,
            "generated claims never reached a rule of `{id}`"
        );
    }
}

fn synthetic() -> Engine {
    Engine::from_sources(&synthetic_packs())
        .unwrap_or_else(|e| panic!("synthetic packs do not load:\n{}", e.render()))
}

#[test]
fn synthetic_packs_exercise_every_construct_and_agree() {
    let engine = synthetic();
    for id in ["syn", "syn-ext", "syn-general"] {
        assert!(
            check_pack(&engine, id) > 0,
            "generated claims never reached a rule of `{id}`"
        );
    }
}

/// Every rule of the synthetic packs fires (or is not evaluated) on some generated claim:
/// the generators reach every construct, so the agreement above means something.
#[test]
fn generators_reach_every_synthetic_rule() {
    use proptest::strategy::{Strategy, ValueTree};
    let engine = synthetic();
    for id in ["syn", "syn-ext", "syn-general"] {
        let pack = engine.pack(id).unwrap();
        let mut reached = std::collections::BTreeSet::new();
        let mut runner = new_runner();
        let strategy = cases(pack);
        for _ in 0..2000 {
            let case = strategy.new_tree(&mut runner).unwrap().current();
            let decision = engine
                .check(&case.claim, &case.in_memory_history())
                .unwrap();
            for line in &decision.lines {
                reached.extend(line.findings.iter().map(|f| f.rule.to_string()));
            }
        }
        let missing: Vec<&str> = pack
            .rules()
            .map(|r| r.id())
            .filter(|id| !reached.contains(*id))
            .collect();
        assert!(
            missing.is_empty(),
            "pack `{id}`: no generated claim reached {missing:?}"
        );
    }
}
