//! The three sources of claims a diff compares the versions on: seeded generated claims,
//! the exhaustive bounded scope (split over threads) and a replay corpus.
//!
//! Each runs the same [`Tally::observe`] on its claims and returns a summary with its own
//! counts and wall time. The scope is cut into contiguous chunks, one per thread; a scope too
//! large to finish is sampled at indices spread evenly over it (a stride coprime with its
//! size) rather than at its first, one-line claims.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use super::super::change::{phrases_of, RuleDelta};
use super::super::scope::ExhaustiveScope;
use super::super::space::Vocabulary;
use super::super::strategies::{Case, ClaimSpace};
use super::report::{ExhaustiveSummary, PhaseSummary};
use super::tally::{Phase, Tally, Versions};
use super::DiffOptions;
use crate::eval::{decide, CheckOptions};
use crate::facts::{Claim, InMemoryHistory};
use crate::pack::Pack;

/// Seeds proptest's ChaCha generator from a number.
fn seeded_runner(seed: u64) -> TestRunner {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    )
}

pub(super) fn run_generated(
    versions: &Versions<'_>,
    options: &DiffOptions,
    tally: &mut Tally,
) -> PhaseSummary {
    let start = Instant::now();
    let space = ClaimSpace::for_packs(&[versions.old, versions.new]);
    let strategy = space.case();
    let mut runner = seeded_runner(options.seed);
    let before = tally.changed[Phase::Generated as usize];
    let mut claims = 0;
    for seq in 0..u64::from(options.cases) {
        let Ok(tree) = strategy.new_tree(&mut runner) else {
            continue;
        };
        tally.observe(versions, &tree.current(), Phase::Generated, seq);
        claims += 1;
    }
    PhaseSummary {
        claims,
        changed_lines: tally.changed[Phase::Generated as usize] - before,
        skipped: 0,
        elapsed_ms: elapsed_ms(start),
    }
}

pub(super) fn run_exhaustive(
    versions: &Versions<'_>,
    rules: &RuleDelta,
    options: &DiffOptions,
    tally: &mut Tally,
) -> ExhaustiveSummary {
    let start = Instant::now();
    let label = if options.all_rules { "all" } else { "changed" }.to_owned();
    let relevant = |pack: &Pack| {
        let chosen: Vec<_> = pack
            .rules
            .iter()
            .filter(|r| options.all_rules || rules.differs(&r.id))
            .collect();
        let vocabulary =
            Vocabulary::of_rules(chosen.iter().copied(), &[pack.effective], &pack.facts);
        (chosen.len(), vocabulary)
    };
    let (old_count, old_vocabulary) = relevant(versions.old);
    let (new_count, new_vocabulary) = relevant(versions.new);
    if old_count + new_count == 0 {
        // No rule differs: every claim is decided alike, and there is nothing to enumerate.
        return ExhaustiveSummary {
            shape: None,
            rules: label,
            checked: 0,
            complete: true,
            changed_lines: 0,
            elapsed_ms: elapsed_ms(start),
        };
    }
    let mut vocabulary = old_vocabulary.union(new_vocabulary);
    // A table whose file changed: every code whose rows changed becomes its own class, so
    // the scope checks exactly what the new quarterly file changed.
    let mut table_codes_dropped = false;
    for new_table in &versions.new.tables {
        let Some(old_table) = versions
            .old
            .tables
            .iter()
            .find(|t| t.name == new_table.name && t.kind == new_table.kind)
        else {
            continue;
        };
        if old_table.digest() == new_table.digest() {
            continue;
        }
        let changed = crate::tables::changed_codes(old_table, new_table);
        table_codes_dropped |= changed.len() > MAX_CHANGED_TABLE_CODES;
        vocabulary.add_codes(changed.into_iter().take(MAX_CHANGED_TABLE_CODES));
    }
    let phrases = |pack: &Pack| -> BTreeMap<String, BTreeSet<String>> {
        vocabulary
            .facts
            .keys()
            .map(|f| (f.to_string(), phrases_of(&pack.facts, f)))
            .collect()
    };
    let Some(scope) = ExhaustiveScope::new(
        &versions.old.id,
        &vocabulary,
        &phrases(versions.old),
        &phrases(versions.new),
        options.limits,
    ) else {
        return ExhaustiveSummary {
            shape: None,
            rules: label,
            checked: 0,
            complete: false,
            changed_lines: 0,
            elapsed_ms: elapsed_ms(start),
        };
    };
    let total = scope.len();
    let checked = total.min(options.max_scope);
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .max(1) as u64;
    let chunk = checked.div_ceil(threads).max(1);
    // A scope too large to finish is checked at claims spread evenly over it (a stride
    // coprime with its size), not only at its first, one-line claims.
    let stride = coprime_stride(total);
    let expectations = versions.expect.changes.len();
    let partials: Vec<Tally> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let scope = &scope;
                s.spawn(move || {
                    let mut local = Tally::new(expectations);
                    let from = (t * chunk).min(checked);
                    let to = ((t + 1) * chunk).min(checked);
                    for k in from..to {
                        let index = if checked == total {
                            k
                        } else {
                            spread(k, stride, total)
                        };
                        if let Some(case) = scope.case(index) {
                            local.observe(versions, &case, Phase::Exhaustive, index);
                        }
                    }
                    local
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let joined = partials.len() as u64 == threads;
    let before = tally.changed[Phase::Exhaustive as usize];
    for partial in partials {
        tally.merge(partial);
    }
    ExhaustiveSummary {
        shape: Some(scope.shape()),
        rules: label,
        checked,
        complete: joined && checked == total && !table_codes_dropped,
        changed_lines: tally.changed[Phase::Exhaustive as usize] - before,
        elapsed_ms: elapsed_ms(start),
    }
}

/// Most codes of changed table rows put in the exhaustive scope; beyond it the scope is
/// reported incomplete.
pub(super) const MAX_CHANGED_TABLE_CODES: usize = 256;

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// A stride near `total / golden ratio` that is coprime with `total`, so `k * stride mod
/// total` visits every index once.
fn coprime_stride(total: u64) -> u64 {
    if total < 2 {
        return 1;
    }
    let mut stride = ((total as f64) * 0.618_033_988_75) as u64 | 1;
    while gcd(stride, total) != 1 {
        stride += 1;
    }
    stride
}

fn spread(k: u64, stride: u64, total: u64) -> u64 {
    ((u128::from(k) * u128::from(stride)) % u128::from(total.max(1))) as u64
}

pub(super) fn run_corpus(
    versions: &Versions<'_>,
    claims: &[Claim],
    tally: &mut Tally,
) -> PhaseSummary {
    let start = Instant::now();
    let before = tally.changed[Phase::Corpus as usize];
    let mut history = InMemoryHistory::new();
    let (mut compared, mut skipped) = (0, 0);
    for (seq, claim) in claims.iter().enumerate() {
        let ours = claim.payer == versions.old.id || claim.payer == versions.new.id;
        if !ours || claim.validate().is_err() {
            skipped += 1;
            continue;
        }
        let prior =
            crate::facts::History::prior_lines(&history, &claim.payer, &claim.patient).into_owned();
        let case = Case {
            claim: claim.clone(),
            history: prior,
        };
        tally.observe(versions, &case, Phase::Corpus, seq as u64);
        let old = decide(
            &versions.old.program,
            &versions.old.policy,
            claim,
            &case.history,
            CheckOptions::default(),
        );
        history.record(claim, &old);
        compared += 1;
    }
    PhaseSummary {
        claims: compared,
        changed_lines: tally.changed[Phase::Corpus as usize] - before,
        skipped,
        elapsed_ms: elapsed_ms(start),
    }
}

pub(super) fn elapsed_ms(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
}
