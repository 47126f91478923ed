//! Shrinks an example case while a property still holds: fewest lines, no history, fewest
//! modifiers, one unit, no diagnoses, no report, no prior authorisation.
//!
//! The diff finds changes in generated, enumerated and replayed claims alike; a corpus claim
//! has no proptest value tree to shrink, so shrinking works on the [`Case`] itself: try each
//! simplification, keep it when the property still holds, repeat until none applies.

use super::strategies::Case;
use crate::facts::{Modifiers, PlaceOfService, ProviderRole};

/// How big an example is, compared lexicographically (smaller is simpler).
pub fn size(case: &Case) -> (usize, usize, usize, u64, usize, usize, usize, usize) {
    let claim = &case.claim;
    let modifiers = claim.lines.iter().map(|l| l.modifiers.iter().count()).sum();
    let units = claim
        .lines
        .iter()
        .map(|l| u64::from(l.units.abs_diff(1)))
        .sum();
    let pointers: usize = claim.lines.iter().map(|l| l.diagnosis_pointers.len()).sum();
    let report = claim
        .report
        .as_ref()
        .map_or(0, |r| 1 + r.facts.len() + usize::from(r.text.is_some()));
    let extras = usize::from(claim.prior_authorization.is_some())
        + claim
            .lines
            .iter()
            .filter(|l| l.place_of_service.is_some())
            .count()
        + usize::from(claim.provider.role != ProviderRole::Professional)
        + usize::from(claim.place_of_service.to_string() != "11");
    (
        claim.lines.len(),
        case.history.len(),
        modifiers,
        units,
        claim.diagnoses.len() + pointers,
        report,
        extras,
        claim
            .lines
            .iter()
            .map(|l| l.date)
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
    )
}

/// Every one-step simplification of `case`.
fn candidates(case: &Case) -> Vec<Case> {
    let mut out = Vec::new();
    let claim = &case.claim;
    let mut push = |f: &dyn Fn(&mut Case)| {
        let mut c = case.clone();
        f(&mut c);
        if c != *case && c.claim.validate().is_ok() {
            out.push(c);
        }
    };
    if !case.history.is_empty() {
        push(&|c| c.history.clear());
        for i in 0..case.history.len() {
            push(&|c| {
                c.history.remove(i);
            });
        }
    }
    if claim.lines.len() > 1 {
        for i in 0..claim.lines.len() {
            push(&|c| {
                c.claim.lines.remove(i);
                for (n, line) in c.claim.lines.iter_mut().enumerate() {
                    line.number = n as u32 + 1;
                }
            });
        }
    }
    if claim.report.is_some() {
        push(&|c| c.claim.report = None);
        push(&|c| {
            if let Some(r) = &mut c.claim.report {
                r.text = None;
            }
        });
        let names: Vec<String> = claim
            .report
            .iter()
            .flat_map(|r| r.facts.keys().cloned())
            .collect();
        for name in names {
            push(&|c| {
                if let Some(r) = &mut c.claim.report {
                    r.facts.remove(&name);
                }
            });
        }
    }
    push(&|c| c.claim.prior_authorization = None);
    push(&|c| c.claim.provider.role = ProviderRole::Professional);
    if let Ok(office) = PlaceOfService::parse("11") {
        push(&|c| c.claim.place_of_service = office);
    }
    for d in 0..claim.diagnoses.len() {
        push(&|c| {
            c.claim.diagnoses.remove(d);
            let removed = d as u8 + 1;
            for line in &mut c.claim.lines {
                line.diagnosis_pointers.retain(|p| *p != removed);
                for p in &mut line.diagnosis_pointers {
                    if *p > removed {
                        *p -= 1;
                    }
                }
            }
        });
    }
    for (i, line) in claim.lines.iter().enumerate() {
        if !line.diagnosis_pointers.is_empty() {
            push(&|c| c.claim.lines[i].diagnosis_pointers.clear());
        }
        if line.place_of_service.is_some() {
            push(&|c| c.claim.lines[i].place_of_service = None);
        }
        let mods: Vec<_> = line.modifiers.iter().collect();
        for m in 0..mods.len() {
            let kept: Vec<_> = mods
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != m)
                .map(|(_, x)| *x)
                .collect();
            if let Ok(list) = Modifiers::from_slice(&kept) {
                push(&|c| c.claim.lines[i].modifiers = list);
            }
        }
        if line.units != 1 {
            push(&|c| c.claim.lines[i].units = 1);
        }
        if let Some(first) = claim.lines.first() {
            if line.date != first.date {
                push(&|c| c.claim.lines[i].date = first.date);
            }
        }
    }
    for (i, line) in case.history.iter().enumerate() {
        if line.units != 1 {
            push(&|c| c.history[i].units = 1);
        }
        if !line.modifiers.is_empty() {
            push(&|c| c.history[i].modifiers = Modifiers::none());
        }
    }
    out
}

/// The smallest case reachable from `case` by simplifications that keep `holds` true.
/// `holds(case)` should be true on entry; at most `budget` candidates are tried.
pub fn shrink(case: &Case, mut holds: impl FnMut(&Case) -> bool, budget: usize) -> Case {
    let mut best = case.clone();
    let mut tried = 0;
    'outer: loop {
        let mut options = candidates(&best);
        options.sort_by_key(size);
        for candidate in options {
            if tried >= budget {
                break 'outer;
            }
            tried += 1;
            if size(&candidate) <= size(&best) && holds(&candidate) {
                best = candidate;
                continue 'outer;
            }
        }
        break;
    }
    best
}
