//! Counting changed lines as claims are compared, and keeping the best example of each kind.
//!
//! Every source of claims (generated, exhaustive, corpus) feeds the same [`Tally`], so counts
//! and examples are comparable across sources; the exhaustive scope runs on several threads,
//! each with its own tally, merged at the end ([`Tally::merge`]) rather than shared behind a
//! lock. An example's key orders undeclared changes first, then smaller claims, then the
//! earliest found, so the result does not depend on thread scheduling.

use std::collections::{BTreeMap, BTreeSet};

use super::super::change::{changed_lines, same_verdict, ChangeKind};
use super::super::expect::Expectations;
use super::super::shrink::size;
use super::super::strategies::Case;
use crate::eval::{decide, CheckOptions, Decision};
use crate::facts::ProcedureCode;
use crate::pack::Pack;

/// Where a changed line was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Phase {
    Generated = 0,
    Exhaustive = 1,
    Corpus = 2,
}

/// A candidate example: undeclared ones first, then smaller, then found earlier.
pub(super) type ExampleKey = (
    bool,
    (usize, usize, usize, u64, usize, usize, usize, usize),
    (Phase, u64),
);

#[derive(Debug, Clone, Default)]
pub(super) struct Acc {
    pub(super) counts: [u64; 3],
    pub(super) undeclared: u64,
    pub(super) codes: BTreeSet<ProcedureCode>,
    pub(super) example: Option<(ExampleKey, Case)>,
}

#[derive(Debug, Default)]
pub(super) struct Tally {
    pub(super) kinds: BTreeMap<ChangeKind, Acc>,
    pub(super) expectations: Vec<u64>,
    pub(super) changed: [u64; 3],
}

pub(super) struct Versions<'a> {
    pub(super) old: &'a Pack,
    pub(super) new: &'a Pack,
    pub(super) expect: &'a Expectations,
}

impl Versions<'_> {
    pub(super) fn decide(&self, case: &Case, explain: bool) -> (Decision, Decision) {
        let options = CheckOptions { explain };
        let old = decide(
            &self.old.program,
            &self.old.policy,
            &case.claim,
            &case.history,
            options,
        );
        let new = decide(
            &self.new.program,
            &self.new.policy,
            &case.claim,
            &case.history,
            options,
        );
        (old, new)
    }

    /// Whether some line of `case` changes as `kind` (and, when `undeclared`, undeclared).
    pub(super) fn shows(&self, case: &Case, kind: &ChangeKind, undeclared: bool) -> Option<usize> {
        let (old, new) = self.decide(case, false);
        changed_lines(&old, &new)
            .into_iter()
            .find(|(i, k)| {
                k == kind && (!undeclared || self.expect.matching(case, *i, k).is_none())
            })
            .map(|(i, _)| i)
    }
}

impl Tally {
    pub(super) fn new(expectations: usize) -> Self {
        Self {
            expectations: vec![0; expectations],
            ..Self::default()
        }
    }

    pub(super) fn observe(&mut self, versions: &Versions<'_>, case: &Case, phase: Phase, seq: u64) {
        let (old, new) = versions.decide(case, false);
        for (i, (a, b)) in old.lines.iter().zip(&new.lines).enumerate() {
            if same_verdict(a, b) {
                continue;
            }
            let kind = ChangeKind::between(a, b);
            let declared = versions.expect.matching(case, i, &kind);
            if let Some(entry) = declared.and_then(|e| self.expectations.get_mut(e)) {
                *entry += 1;
            }
            self.changed[phase as usize] += 1;
            let acc = self.kinds.entry(kind).or_default();
            acc.counts[phase as usize] += 1;
            if declared.is_none() {
                acc.undeclared += 1;
            }
            if acc.codes.len() < 20 {
                acc.codes.insert(a.code);
            }
            let key = (declared.is_some(), size(case), (phase, seq));
            if acc.example.as_ref().map_or(true, |(best, _)| key < *best) {
                acc.example = Some((key, case.clone()));
            }
        }
    }

    pub(super) fn merge(&mut self, other: Tally) {
        for (kind, acc) in other.kinds {
            let mine = self.kinds.entry(kind).or_default();
            for (m, o) in mine.counts.iter_mut().zip(acc.counts) {
                *m += o;
            }
            mine.undeclared += acc.undeclared;
            mine.codes.extend(acc.codes);
            if let Some((key, case)) = acc.example {
                if mine.example.as_ref().map_or(true, |(best, _)| key < *best) {
                    mine.example = Some((key, case));
                }
            }
        }
        for (m, o) in self.expectations.iter_mut().zip(other.expectations) {
            *m += o;
        }
        for (m, o) in self.changed.iter_mut().zip(other.changed) {
            *m += o;
        }
    }
}
