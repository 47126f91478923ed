//! Compares two versions of a pack: which kinds of claims change outcome, with the smallest
//! example of each.
//!
//! Three sources of claims, each with its own strength: claims generated from both versions'
//! vocabularies (broad, seeded and reproducible), the exhaustive bounded scope (complete for
//! claims of its shape, see [`super::scope`]), and a replay corpus such as last month's real
//! claims (what will actually happen). Changed lines are grouped by kind (old verdict -> new
//! verdict); each kind keeps its count per source and its smallest example, shrunk further
//! and explained by both versions. Declared expectations ([`Expectations`]) mark the changes an
//! author intends; the rest are undeclared and fail a CI gate.
//!
//! The work is split by job: [`load`] reads the two versions, [`phases`] runs the three
//! sources of claims into a [`tally`], [`report`] holds the result as data (the JSON
//! contract) and [`render`] writes it as text.

mod load;
mod phases;
mod phi;
mod render;
mod report;
mod tally;

pub use load::{DiffError, PackVersion};
pub use report::{
    ChangeReport, DiffReport, Example, ExhaustiveSummary, ExpectationReport, PackSummary,
    PhaseSummary,
};

use super::change::{ChangeKind, RuleDelta};
use super::expect::Expectations;
use super::scope::ScopeLimits;
use super::shrink;
use super::strategies::Case;
use crate::facts::Claim;
use crate::pack::Pack;
use phases::{run_corpus, run_exhaustive, run_generated};
use tally::{Phase, Tally, Versions};

/// How thoroughly to compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiffOptions {
    /// Generated claims (0 skips generation).
    pub cases: u32,
    /// Seed of the generator: one seed, one set of claims.
    pub seed: u64,
    /// Run the exhaustive bounded scope.
    pub exhaustive: bool,
    /// Its bounds.
    pub limits: ScopeLimits,
    /// Build the scope from every rule of both versions, not only the rules that differ.
    pub all_rules: bool,
    /// Most claims the exhaustive scope may check; a larger scope is checked up to this many
    /// (one-line claims first) and reported incomplete.
    pub max_scope: u64,
    /// Worker threads for the scope (0: one per core).
    pub threads: usize,
    /// Most candidates tried when shrinking one example.
    pub shrink_budget: usize,
}

impl Default for DiffOptions {
    fn default() -> Self {
        Self {
            cases: 1000,
            seed: 0,
            exhaustive: true,
            limits: ScopeLimits::default(),
            all_rules: false,
            max_scope: 10_000_000,
            threads: 0,
            shrink_budget: 2_000,
        }
    }
}

fn summary(pack: &Pack, origin: &str) -> PackSummary {
    PackSummary {
        id: pack.id.clone(),
        version: pack.version.to_string(),
        digest: pack.policy.digest.to_string(),
        origin: origin.to_owned(),
        rules: pack.rules.len(),
    }
}

/// Compares `old` and `new` on generated claims, the exhaustive scope and `corpus` (claims
/// of either version's payer, replayed in order with the history the old version built).
pub fn diff(
    old: &PackVersion,
    new: &PackVersion,
    corpus: Option<&[Claim]>,
    expect: &Expectations,
    options: &DiffOptions,
) -> DiffReport {
    let versions = Versions {
        old: &old.pack,
        new: &new.pack,
        expect,
    };
    let rules = RuleDelta::between(&old.pack, &new.pack);
    let mut tally = Tally::new(expect.changes.len());
    let generated = (options.cases > 0).then(|| run_generated(&versions, options, &mut tally));
    let exhaustive = options
        .exhaustive
        .then(|| run_exhaustive(&versions, &rules, options, &mut tally));
    let corpus = corpus.map(|claims| run_corpus(&versions, claims, &mut tally));
    let mut changes: Vec<ChangeReport> = tally
        .kinds
        .into_iter()
        .map(|(kind, acc)| {
            let example = acc.example.map(|((declared, _, _), case)| {
                let undeclared = !declared;
                let small = shrink::shrink(
                    &case,
                    |c| versions.shows(c, &kind, undeclared).is_some(),
                    options.shrink_budget,
                );
                explain(&versions, small, &kind, undeclared)
            });
            ChangeReport {
                kind: kind.to_string(),
                lines: acc.counts.iter().sum(),
                generated: acc.counts[Phase::Generated as usize],
                exhaustive: acc.counts[Phase::Exhaustive as usize],
                corpus: acc.counts[Phase::Corpus as usize],
                undeclared: acc.undeclared,
                codes: acc.codes.iter().map(ToString::to_string).collect(),
                example: example.flatten(),
                from: kind.from,
                to: kind.to,
            }
        })
        .collect();
    changes.sort_by(|a, b| {
        (b.undeclared > 0)
            .cmp(&(a.undeclared > 0))
            .then(b.lines.cmp(&a.lines))
            .then(a.kind.cmp(&b.kind))
    });
    let expectations = expect
        .changes
        .iter()
        .zip(&tally.expectations)
        .map(|(e, &matched)| ExpectationReport {
            change: e.label.clone(),
            note: e.note.clone(),
            matched,
        })
        .collect();
    DiffReport {
        old: summary(&old.pack, &old.origin),
        new: summary(&new.pack, &new.origin),
        rules,
        generated,
        seed: options.seed,
        exhaustive,
        corpus,
        changes,
        expectations,
    }
}

fn explain(
    versions: &Versions<'_>,
    case: Case,
    kind: &ChangeKind,
    undeclared: bool,
) -> Option<Example> {
    let index = versions.shows(&case, kind, undeclared)?;
    let (old, new) = versions.decide(&case, true);
    Some(Example {
        line: case.claim.lines.get(index)?.number,
        old: old.lines.get(index)?.clone(),
        new: new.lines.get(index)?.clone(),
        claim: case.claim,
        history: case.history,
        withheld: Vec::new(),
    })
}
