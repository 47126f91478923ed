//! `adjust_prior`: lines of the patient's earlier claims that a new claim makes wrong.
//!
//! Editors that see claims out of order meet this constantly: an E/M is paid on Monday, and on
//! Friday the surgery arrives whose global period covers it. The E/M's own rules, re-run with
//! the new claim in its history, now deny it; the new claim's decision says so, naming the
//! earlier claim, line, rule and CARC, so the payer can recoup.
//!
//! Only deny rules that read other claims can change their mind, and only on lines within the
//! packs' look-back of the new claim's dates, so most claims check nothing here. An earlier
//! claim is rebuilt from its history lines (code, modifiers, units, date, place, providers,
//! diagnoses); what history does not keep (its report, its authorisations) is unknown, so a
//! rule that needs it never adjusts. A rule counts only if it fires with the new claim and did
//! not fire without it: a line already wrong is some earlier claim's adjustment.

use std::sync::Arc;

use super::decide::triggered;
use super::decision::{FindingOutcome, PriorAdjustment};
use super::evaluate::{LineEnv, NoTrace};
use super::fact_cache::FactCache;
use super::findings::fired;
use super::tri::Tri;
use crate::compile::Program;
use crate::facts::{Claim, Diagnosis, Line, Outcome, PriorLine, Provider, Rendering};
use crate::ir::OutcomeKind;

/// The adjustments `claim` (with its lines decided as `decided`) causes on `history`.
pub fn adjustments(
    program: &Program,
    claim: &Claim,
    decided: &[PriorLine],
    history: &[PriorLine],
) -> Vec<PriorAdjustment> {
    let (Some(first), Some(last)) = (
        claim.lines.iter().map(|l| l.date).min(),
        claim.lines.iter().map(|l| l.date).max(),
    ) else {
        return Vec::new();
    };
    let reach = program
        .horizon_days
        .map_or(i32::MAX / 4, |d| i32::try_from(d).unwrap_or(i32::MAX / 4));
    let (from, until) = (first.add_days(-reach), last.add_days(reach));
    let replaced = claim.replaces.as_deref();
    // A rule can change its mind about an earlier line only when the new claim's dates are
    // within the rule's own reach of that line's date (a same-date edit never looks 90 days
    // away, even when another rule of the pack does).
    let reaches = |rule: &crate::compile::CompiledRule, date: crate::facts::Date| {
        rule.horizon_days.map_or(true, |days| {
            let days = i32::try_from(days).unwrap_or(i32::MAX / 4);
            date >= first.add_days(-days) && date <= last.add_days(days)
        })
    };
    let candidate = |prior: &PriorLine| {
        prior.outcome != Outcome::Deny
            && &*prior.claim != claim.id.as_str()
            && Some(&*prior.claim) != replaced
            && prior.date >= from
            && prior.date <= until
            && triggered(program, prior.code, prior.date)
                .any(|rule| can_adjust(rule) && reaches(rule, prior.date))
    };
    let mut claims: Vec<Arc<str>> = Vec::new();
    for prior in history.iter().filter(|p| candidate(p)) {
        if !claims.contains(&prior.claim) {
            claims.push(prior.claim.clone());
        }
    }
    let mut out = Vec::new();
    for id in claims {
        let (own, others): (Vec<&PriorLine>, Vec<&PriorLine>) = history
            .iter()
            .filter(|p| Some(&*p.claim) != replaced)
            .partition(|p| p.claim == id);
        let without: Vec<PriorLine> = others.iter().map(|p| (*p).clone()).collect();
        let mut with = without.clone();
        with.extend(decided.iter().cloned());
        let earlier = rebuild(claim, &id, &own);
        let facts = FactCache::new(&program.facts, None);
        for (index, (line, prior)) in earlier.lines.iter().zip(&own).enumerate() {
            if !candidate(prior) {
                continue;
            }
            let env = |history| LineEnv {
                claim: &earlier,
                line,
                index,
                history,
                facts: &facts,
                memo: Default::default(),
            };
            let (now, before) = (env(&with), env(&without));
            let rules = triggered(program, line.code, line.date)
                .filter(|r| can_adjust(r) && reaches(r, line.date));
            for rule in rules {
                let fires = |env: &LineEnv<'_>| {
                    env.eval(&rule.triggered_condition, &mut NoTrace) == Tri::True
                };
                if fires(&now) && !fires(&before) {
                    let mut finding = fired(&rule.info.id, &rule.info.outcome, &rule.info.citation);
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

/// A rule that can turn an earlier, paid line into a denial because of a later claim.
fn can_adjust(rule: &crate::compile::CompiledRule) -> bool {
    rule.reads_history && rule.info.outcome.kind == OutcomeKind::Deny
}

/// A claim line with a history line's own fields.
fn line_of(prior: &PriorLine, pointer_base: u8) -> Line {
    let mut line = Line::new(prior.number, prior.code, prior.units, prior.date);
    line.modifiers = prior.modifiers;
    line.place_of_service = Some(prior.place_of_service);
    line.rendering = Some(Rendering {
        npi: prior.rendering_npi,
        taxonomy: prior.rendering_taxonomy,
    });
    line.diagnosis_pointers = (0..prior.diagnoses.iter().count() as u8)
        .map(|i| pointer_base + i + 1)
        .collect();
    line
}

/// The earlier claim `id` as far as its history lines tell: its lines, providers, places and
/// diagnoses; the patient's details from the new claim; no report, no authorisations.
fn rebuild(new: &Claim, id: &str, lines: &[&PriorLine]) -> Claim {
    let (npi, role, place) = lines.first().map_or(
        (new.provider.npi, new.provider.role, new.place_of_service),
        |p| (p.npi, p.role, p.place_of_service),
    );
    let mut diagnoses: Vec<Diagnosis> = Vec::new();
    let mut claim_lines = Vec::with_capacity(lines.len());
    for prior in lines {
        let base = u8::try_from(diagnoses.len()).unwrap_or(u8::MAX);
        diagnoses.extend(prior.diagnoses.iter().copied());
        claim_lines.push(line_of(prior, base));
    }
    let mut claim = Claim::new(
        id,
        new.payer.clone(),
        new.patient.clone(),
        Provider::new(npi, role),
        place,
        claim_lines,
    );
    claim.diagnoses = diagnoses;
    claim.patient_birth_date = new.patient_birth_date;
    claim.patient_sex = new.patient_sex;
    claim
}
