//! The exhaustive bounded scope: every claim of up to K lines built from one representative
//! of each class of values the compared rules tell apart.
//!
//! Conditions only test codes against sets, modifiers against sets, places and diagnoses
//! against sets, dates against boundaries, numbers against constants and report facts. Cut
//! each domain at every boundary either version mentions and any two values of one piece are
//! interchangeable for every rule; enumerating one value per piece, in every combination, over
//! claims of up to K lines (and a bounded history) checks *every* claim of that shape, not a
//! sample. "No change" within the scope is therefore a proof for the scope. What the scope
//! does not cover is stated with it: longer claims, more history, units beyond the
//! representatives, and two different codes of one class on one claim.
//!
//! Claims are numbered; [`ExhaustiveScope::case`] builds claim number `i` directly, so the
//! enumeration is split across threads without materialising the scope.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::space::Vocabulary;
use super::strategies::{Case, OTHER_NPI, PATIENT, PROVIDER_NPI};
use crate::eval::Outcome;
use crate::facts::{
    Claim, Date, Diagnosis, Line, Modifier, Modifiers, Npi, PlaceOfService, PriorLine,
    ProcedureCode, Provider, ProviderRole, Report,
};

/// How large a scope to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopeLimits {
    /// Most lines per claim.
    pub max_lines: usize,
    /// Most history lines (only when a compared rule reads history).
    pub max_history: usize,
    /// Most modifiers per line (drawn from the modifier classes).
    pub max_modifiers: usize,
}

impl Default for ScopeLimits {
    fn default() -> Self {
        Self {
            max_lines: 2,
            max_history: 1,
            max_modifiers: 2,
        }
    }
}

/// A report fact's possible states in the scope.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FactState {
    Stated(bool),
    Unstated,
    /// Not stated; the report text holds this phrase (or only neutral text when `None`).
    Text(Option<String>),
}

/// The scope: the classes of every attribute, and how many claims they make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExhaustiveScope {
    payer: String,
    codes: Vec<ProcedureCode>,
    modifier_lists: Vec<Modifiers>,
    units: Vec<u32>,
    dates: Vec<Date>,
    line_places: Vec<Option<PlaceOfService>>,
    pointer_masks: Vec<u8>,
    roles: Vec<ProviderRole>,
    claim_places: Vec<PlaceOfService>,
    diagnosis_lists: Vec<Vec<Diagnosis>>,
    prior_auth: Vec<bool>,
    facts: Vec<(String, Vec<FactState>)>,
    history_npis: Vec<bool>,
    max_lines: usize,
    max_history: usize,
    own_npi: Npi,
    other_npi: Npi,
}

/// The scope's dimensions, for reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScopeShape {
    /// Claims in the scope (saturates at `u64::MAX`).
    pub claims: u64,
    /// Most lines per claim.
    pub max_lines: usize,
    /// Most history lines.
    pub max_history: usize,
    /// Code classes (one representative each).
    pub codes: Vec<String>,
    /// Modifier lists per line.
    pub modifier_lists: usize,
    /// Units values.
    pub units: Vec<u32>,
    /// Dates of service.
    pub dates: Vec<String>,
    /// Place-of-service choices (claim x line).
    pub places: usize,
    /// Diagnosis lists (x pointer choices).
    pub diagnoses: usize,
    /// Report states (no report, and every combination of fact states).
    pub reports: usize,
    /// Claim-level contexts (role, place, diagnoses, prior authorisation, report).
    pub contexts: u64,
    /// Variants of one line.
    pub line_variants: u64,
    /// History variants.
    pub histories: u64,
}

fn subsets<T: Clone>(items: &[T], max: usize) -> Vec<Vec<T>> {
    let mut out: Vec<Vec<T>> = vec![Vec::new()];
    for size in 1..=max.min(items.len()) {
        let mut idx: Vec<usize> = (0..size).collect();
        loop {
            out.push(idx.iter().filter_map(|&i| items.get(i).cloned()).collect());
            // Next combination in lexicographic order.
            let mut i = size;
            let mut advanced = false;
            while i > 0 {
                i -= 1;
                if idx[i] < items.len() - size + i {
                    idx[i] += 1;
                    for j in i + 1..size {
                        idx[j] = idx[j - 1] + 1;
                    }
                    advanced = true;
                    break;
                }
            }
            if !advanced {
                break;
            }
        }
    }
    out
}

fn mul(a: u64, b: u64) -> u64 {
    a.saturating_mul(b)
}

impl ExhaustiveScope {
    /// Builds the scope for `vocabulary` (the union of what both versions' compared rules
    /// mention). `phrases_old` / `phrases_new` give each fact's phrases in each version: a
    /// fact whose phrases differ also varies the report text.
    pub fn new(
        payer: &str,
        vocabulary: &Vocabulary,
        phrases_old: &BTreeMap<String, BTreeSet<String>>,
        phrases_new: &BTreeMap<String, BTreeSet<String>>,
        limits: ScopeLimits,
    ) -> Option<Self> {
        let own_npi = Npi::parse(PROVIDER_NPI).ok()?;
        let other_npi = Npi::parse(OTHER_NPI).ok()?;
        let reads = vocabulary.reads;
        let codes = vocabulary.code_classes();
        let modifier_lists = subsets(&vocabulary.modifier_classes(), limits.max_modifiers)
            .into_iter()
            .filter_map(|list: Vec<Modifier>| Modifiers::from_slice(&list).ok())
            .collect();
        let units = if reads.units {
            let top = vocabulary
                .numbers
                .iter()
                .copied()
                .filter(|n| *n > 0)
                .max()
                .unwrap_or(1);
            (1..=top.saturating_add(1).clamp(1, 4) as u32).collect()
        } else {
            vec![1]
        };
        let place_classes = vocabulary.place_classes();
        let office = PlaceOfService::parse("11").ok()?;
        let claim_places = if reads.claim_place || reads.line_place {
            place_classes.clone()
        } else {
            vec![office]
        };
        // A line's own place matters only for `line.pos`, and only relative to `claim.pos`.
        let line_places = if reads.line_place && reads.claim_place {
            std::iter::once(None)
                .chain(place_classes.iter().copied().map(Some))
                .collect()
        } else {
            vec![None]
        };
        let diagnosis_lists = if reads.claim_diagnoses || reads.line_diagnoses {
            let relevant: Vec<Diagnosis> = vocabulary
                .diagnosis_classes()
                .into_iter()
                .filter(|d| vocabulary.diagnosis_sets.iter().any(|s| s.contains(d)))
                .collect();
            subsets(&relevant, 2)
        } else {
            vec![Vec::new()]
        };
        let pointer_masks = if reads.line_diagnoses {
            vec![0, 1, 3]
        } else {
            vec![3]
        };
        let roles = if reads.role {
            vec![ProviderRole::Professional, ProviderRole::Facility]
        } else {
            vec![ProviderRole::Professional]
        };
        let prior_auth = if reads.prior_authorization {
            vec![false, true]
        } else {
            vec![false]
        };
        let facts = vocabulary
            .facts
            .keys()
            .map(|name| {
                let name = name.to_string();
                let mut states = vec![
                    FactState::Unstated,
                    FactState::Stated(true),
                    FactState::Stated(false),
                ];
                let old = phrases_old.get(&name).cloned().unwrap_or_default();
                let new = phrases_new.get(&name).cloned().unwrap_or_default();
                if old != new {
                    states.push(FactState::Text(None));
                    let both = old.intersection(&new).next();
                    let only_old = old.difference(&new).next();
                    let only_new = new.difference(&old).next();
                    for phrase in [both, only_old, only_new].into_iter().flatten() {
                        states.push(FactState::Text(Some(phrase.clone())));
                    }
                }
                (name, states)
            })
            .collect();
        let history_npis = if reads.same_provider {
            vec![false, true]
        } else {
            vec![false]
        };
        Some(Self {
            payer: payer.to_owned(),
            codes,
            modifier_lists,
            units,
            dates: vocabulary.class_dates(),
            line_places,
            pointer_masks,
            roles,
            claim_places,
            diagnosis_lists,
            prior_auth,
            facts,
            history_npis,
            max_lines: limits.max_lines.max(1),
            max_history: if reads.history { limits.max_history } else { 0 },
            own_npi,
            other_npi,
        })
    }

    fn report_count(&self) -> u64 {
        if self.facts.is_empty() {
            return 1;
        }
        let combos = self
            .facts
            .iter()
            .fold(1u64, |acc, (_, s)| mul(acc, s.len() as u64));
        combos.saturating_add(1)
    }

    fn context_count(&self) -> u64 {
        [
            self.roles.len() as u64,
            self.claim_places.len() as u64,
            self.diagnosis_lists.len() as u64,
            self.prior_auth.len() as u64,
            self.report_count(),
        ]
        .into_iter()
        .fold(1, mul)
    }

    fn line_count(&self) -> u64 {
        [
            self.codes.len() as u64,
            self.modifier_lists.len() as u64,
            self.units.len() as u64,
            self.dates.len() as u64,
            self.line_places.len() as u64,
            self.pointer_masks.len() as u64,
        ]
        .into_iter()
        .fold(1, mul)
    }

    fn history_line_count(&self) -> u64 {
        [
            self.codes.len() as u64,
            self.modifier_lists.len() as u64,
            self.units.len() as u64,
            self.dates.len() as u64,
            self.history_npis.len() as u64,
        ]
        .into_iter()
        .fold(1, mul)
    }

    /// Number of line tuples of 1..=k lines.
    fn tuples(per: u64, from: usize, to: usize) -> u64 {
        (from..=to).fold(0u64, |acc, k| {
            acc.saturating_add(per.saturating_pow(k as u32))
        })
    }

    fn history_count(&self) -> u64 {
        Self::tuples(self.history_line_count(), 0, self.max_history)
    }

    /// Number of claims in the scope (saturating).
    pub fn len(&self) -> u64 {
        mul(
            mul(
                Self::tuples(self.line_count(), 1, self.max_lines),
                self.context_count(),
            ),
            self.history_count(),
        )
    }

    /// The scope's dimensions.
    pub fn shape(&self) -> ScopeShape {
        ScopeShape {
            claims: self.len(),
            max_lines: self.max_lines,
            max_history: self.max_history,
            codes: self.codes.iter().map(ToString::to_string).collect(),
            modifier_lists: self.modifier_lists.len(),
            units: self.units.clone(),
            dates: self.dates.iter().map(ToString::to_string).collect(),
            places: self.claim_places.len() * self.line_places.len(),
            diagnoses: self.diagnosis_lists.len() * self.pointer_masks.len(),
            reports: self.report_count() as usize,
            contexts: self.context_count(),
            line_variants: self.line_count(),
            histories: self.history_count(),
        }
    }

    /// Claim number `index` (`0..len()`): one-line claims first.
    pub fn case(&self, index: u64) -> Option<Case> {
        let histories = self.history_count();
        let contexts = self.context_count();
        if histories == 0 || contexts == 0 {
            return None;
        }
        let history_index = index % histories;
        let rest = index / histories;
        let context_index = rest % contexts;
        let mut tuple = rest / contexts;
        let per_line = self.line_count();
        let mut lines_len = 0;
        for k in 1..=self.max_lines {
            let block = per_line.saturating_pow(k as u32);
            if tuple < block {
                lines_len = k;
                break;
            }
            tuple -= block;
        }
        if lines_len == 0 {
            return None;
        }
        let mut claim = self.context(context_index)?;
        let mut digits = tuple;
        for number in 1..=lines_len {
            let line = self.line(digits % per_line, number as u32, claim.diagnoses.len())?;
            digits /= per_line;
            claim.lines.push(line);
        }
        let history = self.history(history_index)?;
        Some(Case { claim, history })
    }

    fn context(&self, index: u64) -> Option<Claim> {
        let mut rest = index;
        let mut take = |n: usize| {
            let i = (rest % n as u64) as usize;
            rest /= n as u64;
            i
        };
        let role = *self.roles.get(take(self.roles.len()))?;
        let place = *self.claim_places.get(take(self.claim_places.len()))?;
        let diagnoses = self
            .diagnosis_lists
            .get(take(self.diagnosis_lists.len()))?
            .clone();
        let prior = *self.prior_auth.get(take(self.prior_auth.len()))?;
        let report_index = take(self.report_count() as usize);
        let mut claim = Claim::new(
            "C1",
            self.payer.clone(),
            PATIENT,
            Provider::new(self.own_npi, role),
            place,
            Vec::new(),
        );
        claim.diagnoses = diagnoses;
        claim.prior_authorization = prior.then(|| "PA-0001".to_owned());
        claim.report = self.report(report_index);
        Some(claim)
    }

    fn report(&self, index: usize) -> Option<Report> {
        if self.facts.is_empty() || index == 0 {
            return None;
        }
        let mut rest = index - 1;
        let mut report = Report::default();
        let mut texts: Vec<&str> = Vec::new();
        let mut has_text = false;
        for (name, states) in &self.facts {
            let state = states.get(rest % states.len())?;
            rest /= states.len();
            match state {
                FactState::Stated(value) => {
                    report.facts.insert(name.clone(), *value);
                }
                FactState::Unstated => {}
                FactState::Text(phrase) => {
                    has_text = true;
                    texts.extend(phrase.as_deref());
                }
            }
        }
        if has_text {
            report.text = Some(if texts.is_empty() {
                "Images reviewed.".to_owned()
            } else {
                format!("Images reviewed; {}.", texts.join("; "))
            });
        }
        Some(report)
    }

    fn line(&self, index: u64, number: u32, diagnoses: usize) -> Option<Line> {
        let mut rest = index;
        let mut take = |n: usize| {
            let i = (rest % n as u64) as usize;
            rest /= n as u64;
            i
        };
        let code = *self.codes.get(take(self.codes.len()))?;
        let modifiers = *self.modifier_lists.get(take(self.modifier_lists.len()))?;
        let units = *self.units.get(take(self.units.len()))?;
        let date = *self.dates.get(take(self.dates.len()))?;
        let place_of_service = *self.line_places.get(take(self.line_places.len()))?;
        let mask = *self.pointer_masks.get(take(self.pointer_masks.len()))?;
        let diagnosis_pointers = (0u8..4)
            .filter(|i| mask & (1 << i) != 0 && usize::from(*i) < diagnoses)
            .map(|i| i + 1)
            .collect();
        let mut line = Line::new(number, code, units, date);
        line.modifiers = modifiers;
        line.diagnosis_pointers = diagnosis_pointers;
        line.place_of_service = place_of_service;
        Some(line)
    }

    fn history(&self, index: u64) -> Option<Vec<PriorLine>> {
        let per = self.history_line_count();
        let mut tuple = index;
        let mut len = None;
        for k in 0..=self.max_history {
            let block = per.saturating_pow(k as u32);
            if tuple < block {
                len = Some(k);
                break;
            }
            tuple -= block;
        }
        let len = len?;
        let mut out = Vec::with_capacity(len);
        for n in 0..len {
            let mut rest = tuple % per;
            tuple /= per;
            let mut take = |count: usize| {
                let i = (rest % count as u64) as usize;
                rest /= count as u64;
                i
            };
            let code = *self.codes.get(take(self.codes.len()))?;
            let modifiers = *self.modifier_lists.get(take(self.modifier_lists.len()))?;
            let units = *self.units.get(take(self.units.len()))?;
            let date = *self.dates.get(take(self.dates.len()))?;
            let other = *self.history_npis.get(take(self.history_npis.len()))?;
            let npi = if other { self.other_npi } else { self.own_npi };
            let mut line = PriorLine::new(
                format!("H{}", n + 1),
                1,
                code,
                units,
                date,
                npi,
                Outcome::Allow,
            );
            line.modifiers = modifiers;
            out.push(line);
        }
        Some(out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn subsets_up_to_size() {
        let s = subsets(&[1, 2, 3], 2);
        assert_eq!(
            s,
            vec![
                vec![],
                vec![1],
                vec![2],
                vec![3],
                vec![1, 2],
                vec![1, 3],
                vec![2, 3]
            ]
        );
    }

    #[test]
    fn every_index_builds_a_valid_distinct_claim() {
        let vocabulary = Vocabulary {
            code_sets: vec![crate::ir::CodeSet::from_ranges(vec![(
                ProcedureCode::parse("76376").unwrap(),
                ProcedureCode::parse("76377").unwrap(),
            )])],
            date_starts: [Date::parse("2026-01-01").unwrap()].into_iter().collect(),
            ..Vocabulary::default()
        };
        let scope = ExhaustiveScope::new(
            "test",
            &vocabulary,
            &BTreeMap::new(),
            &BTreeMap::new(),
            ScopeLimits::default(),
        )
        .unwrap();
        // 3 code classes x 2 dates = 6 line variants; 6 + 36 claims of one or two lines.
        assert_eq!(scope.len(), 42);
        let mut seen = std::collections::HashSet::new();
        for i in 0..scope.len() {
            let case = scope.case(i).unwrap();
            assert!(case.claim.validate().is_ok());
            assert!(seen.insert(serde_json::to_string(&case.claim).unwrap()));
        }
        assert!(scope.case(scope.len()).is_none());
    }
}
