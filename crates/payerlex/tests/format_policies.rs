//! `payerlex fmt` is idempotent and meaning-preserving on every policy we have: the shipped
//! packs, the construct test packs and the synthetic packs of `payerlex::testing`.
//!
//! For each set of packs: every policy file is formatted twice (the second pass must change
//! nothing); the formatted packs load; each pack's program is the same as before
//! (`payerlex::authoring::program_difference`: same rules in the same order, conditions equal
//! by `Cond::same_meaning`, same outcomes, messages, citations, dates, facts, tables); and the
//! packs decide generated claims (`payerlex::testing::cases`) identically before and after.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use payerlex::authoring::{format_policy, program_difference};
use payerlex::testing::{cases, synthetic_packs};
use payerlex::{Engine, PackSources};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

const CASES: usize = 200;

/// Every pack folder under `dir` (each with its `pack.toml` and `.policy` files).
fn read_packs(dir: &Path) -> Vec<PackSources> {
    let mut folders: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("pack.toml").is_file())
        .collect();
    folders.sort();
    assert!(!folders.is_empty(), "no packs under {}", dir.display());
    folders
        .into_iter()
        .map(|folder| {
            let name = folder.file_name().unwrap().to_string_lossy().into_owned();
            let manifest = std::fs::read_to_string(folder.join("pack.toml")).unwrap();
            let mut pack = PackSources::new(name, manifest);
            let mut files: Vec<_> = std::fs::read_dir(&folder)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "policy"))
                .collect();
            files.sort();
            for file in files {
                let rel = file.file_name().unwrap().to_string_lossy().into_owned();
                pack = pack.with_file(rel, std::fs::read_to_string(&file).unwrap());
            }
            pack.dir = Some(folder);
            pack
        })
        .collect()
}

/// The packs with every policy file formatted, after checking that formatting is idempotent.
fn formatted(packs: &[PackSources]) -> Vec<PackSources> {
    packs
        .iter()
        .map(|pack| {
            let mut out = pack.clone();
            for (name, text) in &mut out.files {
                let once = format_policy(name, text)
                    .unwrap_or_else(|e| panic!("{}/{name}: {e}", pack.folder));
                let twice = format_policy(name, &once).unwrap();
                assert_eq!(
                    twice, once,
                    "{}/{name}: formatting twice changed it",
                    pack.folder
                );
                assert!(
                    once.lines().all(|l| l == l.trim_end()),
                    "{}/{name}: trailing whitespace",
                    pack.folder
                );
                *text = once;
            }
            out
        })
        .collect()
}

fn without_digest(decision: &payerlex::Decision) -> serde_json::Value {
    let mut value = serde_json::to_value(decision).unwrap();
    value["policy"]["digest"] = serde_json::Value::Null;
    // The decision id hashes the pack digest too.
    value["id"] = serde_json::Value::Null;
    value
}

fn check_preserved(what: &str, packs: &[PackSources]) {
    let before = Engine::from_sources(packs)
        .unwrap_or_else(|e| panic!("{what} does not load:\n{}", e.render()));
    let after = Engine::from_sources(&formatted(packs))
        .unwrap_or_else(|e| panic!("formatted {what} does not load:\n{}", e.render()));
    assert_eq!(
        before.warnings().len(),
        after.warnings().len(),
        "{what}: warnings"
    );
    let mut decided = 0usize;
    for old in before.packs() {
        let new = after.pack(old.id()).unwrap();
        if let Some(difference) = program_difference(old, new) {
            panic!("{what}, pack `{}`: {difference}", old.id());
        }
        let mut runner = TestRunner::new_with_rng(
            Config::default(),
            TestRng::deterministic_rng(RngAlgorithm::ChaCha),
        );
        let strategy = cases(old);
        for _ in 0..CASES {
            let case = strategy.new_tree(&mut runner).unwrap().current();
            let history = case.in_memory_history();
            let a = before.check(&case.claim, &history).unwrap();
            let b = after.check(&case.claim, &history).unwrap();
            assert_eq!(
                without_digest(&a),
                without_digest(&b),
                "{what}, pack `{}`: decisions differ",
                old.id()
            );
            decided += a.lines.iter().map(|l| l.findings.len()).sum::<usize>();
        }
    }
    assert!(
        decided > 0,
        "{what}: the generated claims never reached a rule"
    );
}

#[test]
fn shipped_policies_keep_their_meaning() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies");
    check_preserved("policies/", &read_packs(&dir));
}

#[test]
fn test_packs_keep_their_meaning() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/packs");
    check_preserved("tests/packs/", &read_packs(&dir));
}

#[test]
fn synthetic_packs_keep_their_meaning() {
    check_preserved("synthetic packs", &synthetic_packs());
}

#[test]
fn shipped_policies_are_formatted() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies");
    for pack in read_packs(&dir) {
        for (name, text) in &pack.files {
            let formatted = format_policy(name, text).unwrap();
            assert!(
                formatted == *text,
                "policies/{}/{name} is not formatted: run `payerlex fmt policies`",
                pack.folder
            );
        }
    }
}

#[test]
fn a_real_difference_is_caught() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies");
    let packs = read_packs(&dir);
    let mut changed = packs.clone();
    let medicare = changed.iter_mut().find(|p| p.folder == "medicare").unwrap();
    let (_, text) = medicare
        .files
        .iter_mut()
        .find(|(n, _)| n == "3d-rendering.policy")
        .unwrap();
    *text = text.replacen("> 2\n", "> 3\n", 1);
    let a = Engine::from_sources(&packs).unwrap();
    let b = Engine::from_sources(&changed).unwrap();
    let difference = program_difference(a.pack("medicare").unwrap(), b.pack("medicare").unwrap());
    assert_eq!(
        difference.as_deref(),
        Some("rule `medicare.3d-rendering/units-over-mue`: its condition differs")
    );
}
