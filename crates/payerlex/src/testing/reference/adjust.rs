//! The reference's `adjust_prior`: every earlier claim rebuilt from its history lines and
//! decided again with and without the new claim, with no look-back bound and no trigger
//! index, so the engine's bounded search (`eval/adjust.rs`) has something naive to agree with.

use std::sync::Arc;

use super::finding;
use crate::eval::{fired, FindingOutcome, PriorAdjustment};
use crate::facts::{Claim, Diagnosis, Outcome, PriorLine};
use crate::ir::{CheckedRule, OutcomeKind, Scope};
use crate::pack::Pack;

/// Whether a rule looks at lines of other claims.
pub(super) fn reads_other_claims(rule: &CheckedRule) -> bool {
    let mut reads = false;
    rule.condition.walk(&mut |visit| {
        if let crate::ir::Visit::Source(source) = visit {
            reads |= source.scope != Scope::Claim;
        }
    });
    reads
}

/// `adjust_prior`, naively: rebuild every earlier claim of the patient from its history
/// lines, and decide each of its non-denied lines with every deny rule that reads other
/// claims, once with the new claim in its history and once without.
pub(super) fn adjustments(
    pack: &Pack,
    claim: &Claim,
    decided: &[PriorLine],
    history: &[PriorLine],
) -> Vec<PriorAdjustment> {
    let replaced = claim.replaces.as_deref();
    let mut ids: Vec<Arc<str>> = Vec::new();
    for prior in history {
        if !ids.contains(&prior.claim) {
            ids.push(prior.claim.clone());
        }
    }
    let mut out = Vec::new();
    for id in ids {
        if &*id == claim.id.as_str() || Some(&*id) == replaced {
            continue;
        }
        let own: Vec<&PriorLine> = history.iter().filter(|p| p.claim == id).collect();
        let without: Vec<PriorLine> = history
            .iter()
            .filter(|p| p.claim != id && Some(&*p.claim) != replaced)
            .cloned()
            .collect();
        let mut with = without.clone();
        with.extend(decided.iter().cloned());
        let earlier = rebuilt(claim, &id, &own);
        for (index, prior) in own.iter().enumerate() {
            if prior.outcome == Outcome::Deny {
                continue;
            }
            for rule in &pack.rules {
                if rule.outcome.kind != OutcomeKind::Deny || !reads_other_claims(rule) {
                    continue;
                }
                let fires = |history: &[PriorLine]| {
                    finding(pack, rule, &earlier, index, history).is_some_and(|f| {
                        f.outcome == FindingOutcome::Deny
                            && f.carc == rule.outcome.carc
                            && *f.message == *rule.outcome.message
                    })
                };
                if fires(&with) && !fires(&without) {
                    let mut finding = fired(&rule.id, &rule.outcome, &rule.citation);
                    finding.outcome = FindingOutcome::AdjustPrior;
                    out.push(PriorAdjustment {
                        claim: id.to_string(),
                        line: prior.number,
                        code: prior.code,
                        finding,
                    });
                }
            }
        }
    }
    PriorAdjustment::canonical_order(&mut out);
    out
}

/// An earlier claim rebuilt from its history lines (see the engine's `adjust` module).
fn rebuilt(new: &Claim, id: &str, lines: &[&PriorLine]) -> Claim {
    let mut diagnoses: Vec<Diagnosis> = Vec::new();
    let mut claim_lines = Vec::new();
    for prior in lines {
        let base = diagnoses.len() as u8;
        let mut line = crate::facts::Line::new(prior.number, prior.code, prior.units, prior.date);
        line.modifiers = prior.modifiers;
        line.place_of_service = Some(prior.place_of_service);
        line.rendering = Some(crate::facts::Rendering {
            npi: prior.rendering_npi,
            taxonomy: prior.rendering_taxonomy,
        });
        for (i, d) in prior.diagnoses.iter().enumerate() {
            diagnoses.push(*d);
            line.diagnosis_pointers.push(base + i as u8 + 1);
        }
        claim_lines.push(line);
    }
    let first = lines.first();
    let mut claim = Claim::new(
        id,
        new.payer.clone(),
        new.patient.clone(),
        crate::facts::Provider::new(
            first.map_or(new.provider.npi, |p| p.npi),
            first.map_or(new.provider.role, |p| p.role),
        ),
        first.map_or(new.place_of_service, |p| p.place_of_service),
        claim_lines,
    );
    claim.diagnoses = diagnoses;
    claim.patient_birth_date = new.patient_birth_date;
    claim.patient_sex = new.patient_sex;
    claim
}
