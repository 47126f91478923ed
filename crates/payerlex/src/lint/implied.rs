//! Which rules always fire when another does: rule B's top-level conjuncts are a subset of
//! rule A's (compared by meaning, see `Cond::same_meaning`) and B is in force whenever A is.
//!
//! Shadowing and conflicts are both read off this relation. Comparing every pair of rules is
//! quadratic; rules are first bucketed by a span-free fingerprint of each conjunct, so a rule
//! is only compared with rules whose every conjunct it shares.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use super::{conjuncts, PackView};
use crate::ir::{CheckedRule, Cond, Visit};

/// For each rule index `a`, the indices `b != a` of rules that fire whenever `a` does.
pub(super) fn implied_rules(pack: &PackView<'_>) -> Vec<Vec<usize>> {
    let rules = pack.rules;
    let parts: Vec<Vec<&Cond>> = rules.iter().map(|r| conjuncts(&r.condition)).collect();
    let prints: Vec<Vec<u64>> = parts
        .iter()
        .map(|ps| ps.iter().map(|c| fingerprint(c)).collect())
        .collect();
    let mut by_print: HashMap<u64, Vec<usize>> = HashMap::new();
    for (b, ps) in prints.iter().enumerate() {
        for p in ps {
            let holders = by_print.entry(*p).or_default();
            if holders.last() != Some(&b) {
                holders.push(b);
            }
        }
    }
    let mut implied = vec![Vec::new(); rules.len()];
    for (a, rule) in rules.iter().enumerate() {
        if !pack.is_own(rule) {
            continue;
        }
        // Candidates: rules every conjunct of which has a fingerprint among a's.
        let mut hits: HashMap<usize, usize> = HashMap::new();
        let mut own_prints = prints[a].clone();
        own_prints.sort_unstable();
        own_prints.dedup();
        for p in &own_prints {
            for &b in by_print.get(p).map_or(&[][..], Vec::as_slice) {
                *hits.entry(b).or_default() += 1;
            }
        }
        let mut candidates: Vec<usize> = hits
            .into_iter()
            .filter(|&(b, n)| b != a && n >= distinct(&prints[b]))
            .map(|(b, _)| b)
            .collect();
        candidates.sort_unstable();
        for b in candidates {
            if fires_with(rule, &parts[a], &rules[b], &parts[b]) {
                implied[a].push(b);
            }
        }
    }
    implied
}

fn distinct(prints: &[u64]) -> usize {
    let mut sorted = prints.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    sorted.len()
}

/// Whether `other` fires whenever `rule` does: its conjuncts are among `rule`'s, and it is in
/// force on every date `rule` is.
fn fires_with(rule: &CheckedRule, mine: &[&Cond], other: &CheckedRule, theirs: &[&Cond]) -> bool {
    !theirs.is_empty()
        && other.effective.contains_range(&rule.effective)
        && theirs
            .iter()
            .all(|t| mine.iter().any(|m| m.same_meaning(t)))
}

/// A hash of what a condition tests, ignoring spans; equal meanings hash equal.
fn fingerprint(cond: &Cond) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    cond.walk(&mut |visit| match visit {
        Visit::Cond(c) => {
            std::mem::discriminant(&c.kind).hash(&mut hasher);
            match &c.kind {
                crate::ir::CondKind::CodeIn { line, set } => {
                    line.hash(&mut hasher);
                    set.hash(&mut hasher);
                }
                crate::ir::CondKind::Fact(name) => name.hash(&mut hasher),
                crate::ir::CondKind::RoleIs { role, .. } => role.hash(&mut hasher),
                _ => {}
            }
        }
        Visit::Num(n) => std::mem::discriminant(n).hash(&mut hasher),
        Visit::Source(s) => {
            (s.selector, s.scope, s.window, s.provider).hash(&mut hasher);
        }
    });
    hasher.finish()
}
