//! Differential fuzzing: the fuzzer's bytes pick a pack and seed the claim strategies (see
//! `payerlex::testing::case_from_bytes`), so every input is a well-formed (pack, claim, history)
//! aimed at the pack's rules; the compiled engine and the reference interpreter must decide
//! it alike.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use payerlex::Pack;
use payerlex::testing::{case_from_bytes, cases, reference_check, synthetic_packs, Case};
use payerlex::Engine;
use proptest::strategy::BoxedStrategy;

fn engines() -> &'static Vec<Engine> {
    static ENGINES: OnceLock<Vec<Engine>> = OnceLock::new();
    ENGINES.get_or_init(|| {
        let mut engines =
            vec![Engine::from_sources(&synthetic_packs()).expect("synthetic packs load")];
        // The shipped packs, when they load (they are edited independently of this target).
        if let Ok(shipped) = Engine::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../policies")) {
            engines.push(shipped);
        }
        engines
    })
}

thread_local! {
    /// Each pack with its engine and claim strategy (building a strategy walks the pack).
    static TARGETS: Vec<(&'static Engine, &'static Pack, BoxedStrategy<Case>)> = engines()
        .iter()
        .flat_map(|e| e.packs().map(move |p| (e, p, cases(p))))
        .collect();
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Some((engine, pack, case)) = TARGETS.with(|targets| {
        let (engine, pack, strategy) = &targets[usize::from(selector) % targets.len()];
        case_from_bytes(strategy, rest).map(|case| (*engine, *pack, case))
    }) else {
        return;
    };
    let history = case.in_memory_history();
    let fast = engine
        .check(&case.claim, &history)
        .expect("generated claims are valid");
    let slow = reference_check(pack, &case.claim, &history).expect("generated claims are valid");
    assert_eq!(fast, slow, "engine and reference disagree on {case:?}");
});
