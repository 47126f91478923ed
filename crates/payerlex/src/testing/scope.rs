//! The exhaustive bounded scope: every claim of up to K lines built from one representative
//! of each class of values the compared rules tell apart.
//!
//! Conditions only test codes against sets, modifiers against sets, places and diagnoses
//! against sets, dates against boundaries, numbers against constants and report facts. Cut
//! each domain at every boundary either version mentions and any two values of one piece are
//! interchangeable for every rule; enumerating one value per piece, in every combination, over
//! claims of up to K lines (and a bounded history) checks *every* claim of that shape, not a
//! sample. "No change" within the scope is therefore a proof for the scope.
//!
//! The constructs of general payer policies add dimensions, each only when a compared rule
//! reads it (so a pack without them enumerates exactly what it did before; see
//! [`super::scope_context`]):
//! - windows and date arithmetic as date classes: later lines and history lines are also
//!   dated relative to the first line, at each window's first and last day and the days
//!   just outside it (N+1, N, 1 day before; the same date; 1, N, N+1 after; calendar-year
//!   edges; each date shift and its neighbours);
//! - ages as age classes: no birth date, or one making the patient one day short of, or
//!   exactly, each age threshold (and the next age) on the first line's date;
//! - sex (none, F, M, U); taxonomies and NPIs by which sets hold them (none stated, each
//!   class, and "another NPI" for provider filters); a rendering provider per line (none, or
//!   NPI class x taxonomy class);
//! - authorisations around the first line: none, covering, ending the day before, starting
//!   the day after, listing another code, one unit short, exactly its units;
//! - original, replacement or void of the first history claim (when history is read);
//! - history lines by the claim's billing NPI or another NPI class, with one *profile*:
//!   plain, or one of place, facility role, rendering NPI, rendering taxonomy, diagnosis
//!   varied.
//!
//! What the scope does not cover is stated with it: longer claims, more history, units beyond
//! the representatives, two different codes of one class on one claim; and for the new
//! dimensions: a claim-level rendering provider (equivalent to the same one on every line),
//! history lines varying two profile attributes at once, month-length effects beyond the
//! anchors the class dates give, ages relative to any line but the first, more than one
//! authorisation, and replacements of claims other than the first history claim. A scope
//! larger than `max_scope` is checked at evenly spread claims and reported incomplete.
//!
//! Claims are numbered; [`ExhaustiveScope::case`] builds claim number `i` directly, so the
//! enumeration is split across threads without materialising the scope.

use std::collections::{BTreeMap, BTreeSet};

use super::drafts::DraftDate;
use super::scope_context::ContextClasses;
use super::space::Vocabulary;
use super::strategies::{Case, OTHER_NPI, PATIENT, PROVIDER_NPI};
use crate::eval::Outcome;
use crate::facts::{
    Claim, Date, Diagnosis, Line, LineDiagnoses, Modifier, Modifiers, Npi, PlaceOfService,
    PriorLine, ProcedureCode, Provider, ProviderRole, Report,
};

#[cfg(test)]
mod general_tests;
mod shape;
#[cfg(test)]
mod tests;

pub use shape::ScopeShape;

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
    /// Dates of the first line (absolute), of later lines and of history lines (absolute,
    /// then relative to the first line's date when rules relate dates).
    first_line_dates: Vec<DraftDate>,
    later_line_dates: Vec<DraftDate>,
    history_dates: Vec<DraftDate>,
    line_places: Vec<Option<PlaceOfService>>,
    pointer_masks: Vec<u8>,
    roles: Vec<ProviderRole>,
    claim_places: Vec<PlaceOfService>,
    diagnosis_lists: Vec<Vec<Diagnosis>>,
    prior_auth: Vec<bool>,
    facts: Vec<(String, Vec<FactState>)>,
    max_lines: usize,
    max_history: usize,
    /// Patient, providers, authorisations, replacements, rendering providers, history
    /// NPIs and profiles.
    extras: ContextClasses,
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
        let max_history = if reads.history { limits.max_history } else { 0 };
        let extras = ContextClasses::new(vocabulary, own_npi, other_npi, max_history > 0);
        let dates = vocabulary.class_dates();
        let first_line_dates = extras.date_choices(&dates, &[]);
        let later_line_dates = extras.date_choices(&dates, &extras.line_shifts);
        let history_dates = extras.date_choices(&dates, &extras.history_shifts);
        Some(Self {
            payer: payer.to_owned(),
            codes,
            modifier_lists,
            units,
            dates,
            first_line_dates,
            later_line_dates,
            history_dates,
            line_places,
            pointer_masks,
            roles,
            claim_places,
            diagnosis_lists,
            prior_auth,
            facts,
            max_lines: limits.max_lines.max(1),
            max_history,
            extras,
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

    /// Claim-level variants of the original dimensions (role, place, diagnoses, prior
    /// authorisation, report).
    fn base_context_count(&self) -> u64 {
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

    fn context_count(&self) -> u64 {
        mul(self.base_context_count(), self.extras.claim_count())
    }

    /// Variants of the line at `position` (0-based): later lines may also be dated relative
    /// to the first.
    fn line_count(&self, position: usize) -> u64 {
        [
            self.codes.len() as u64,
            self.modifier_lists.len() as u64,
            self.units.len() as u64,
            self.line_dates(position).len() as u64,
            self.line_places.len() as u64,
            self.pointer_masks.len() as u64,
            self.extras.renderings.len() as u64,
        ]
        .into_iter()
        .fold(1, mul)
    }

    fn line_dates(&self, position: usize) -> &[DraftDate] {
        if position == 0 {
            &self.first_line_dates
        } else {
            &self.later_line_dates
        }
    }

    fn history_line_count(&self) -> u64 {
        [
            self.codes.len() as u64,
            self.modifier_lists.len() as u64,
            self.units.len() as u64,
            self.history_dates.len() as u64,
            self.extras.history_npis.len() as u64,
            self.extras.history_profiles.len() as u64,
        ]
        .into_iter()
        .fold(1, mul)
    }

    /// Number of claims of exactly `k` lines' line tuples.
    fn line_tuples(&self, k: usize) -> u64 {
        (0..k).fold(1, |acc, position| mul(acc, self.line_count(position)))
    }

    fn history_count(&self) -> u64 {
        let per = self.history_line_count();
        (0..=self.max_history).fold(0u64, |acc, k| {
            acc.saturating_add(per.saturating_pow(k as u32))
        })
    }

    /// Number of claims in the scope (saturating).
    pub fn len(&self) -> u64 {
        let tuples =
            (1..=self.max_lines).fold(0u64, |acc, k| acc.saturating_add(self.line_tuples(k)));
        mul(mul(tuples, self.context_count()), self.history_count())
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
        let mut lines_len = 0;
        for k in 1..=self.max_lines {
            let block = self.line_tuples(k);
            if tuple < block {
                lines_len = k;
                break;
            }
            tuple -= block;
        }
        if lines_len == 0 {
            return None;
        }
        let base = self.base_context_count();
        let extras_index = context_index / base;
        let billing = self.extras.billing_npi(extras_index)?;
        let mut claim = self.context(context_index % base, billing)?;
        let mut digits = tuple;
        let mut first_date = None;
        for position in 0..lines_len {
            let per_line = self.line_count(position);
            let line = self.line(
                digits % per_line,
                position,
                claim.diagnoses.len(),
                first_date,
            )?;
            digits /= per_line;
            first_date.get_or_insert(line.date);
            claim.lines.push(line);
        }
        self.extras.apply(extras_index, &mut claim)?;
        let history = self.history(history_index, &claim)?;
        Some(Case { claim, history })
    }

    fn context(&self, index: u64, billing: Npi) -> Option<Claim> {
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
            Provider::new(billing, role),
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

    /// Line variant `index` at `position`; `first` is the first line's date (relative dates
    /// are resolved against it).
    fn line(
        &self,
        index: u64,
        position: usize,
        diagnoses: usize,
        first: Option<Date>,
    ) -> Option<Line> {
        let mut rest = index;
        let mut take = |n: usize| {
            let i = (rest % n as u64) as usize;
            rest /= n as u64;
            i
        };
        let code = *self.codes.get(take(self.codes.len()))?;
        let modifiers = *self.modifier_lists.get(take(self.modifier_lists.len()))?;
        let units = *self.units.get(take(self.units.len()))?;
        let dates = self.line_dates(position);
        let date = *dates.get(take(dates.len()))?;
        let place_of_service = *self.line_places.get(take(self.line_places.len()))?;
        let mask = *self.pointer_masks.get(take(self.pointer_masks.len()))?;
        let rendering = *self
            .extras
            .renderings
            .get(take(self.extras.renderings.len()))?;
        let diagnosis_pointers = (0u8..4)
            .filter(|i| mask & (1 << i) != 0 && usize::from(*i) < diagnoses)
            .map(|i| i + 1)
            .collect();
        let anchor = first.or_else(|| self.dates.first().copied())?;
        let mut line = Line::new(position as u32 + 1, code, units, date.resolve(anchor));
        line.modifiers = modifiers;
        line.diagnosis_pointers = diagnosis_pointers;
        line.place_of_service = place_of_service;
        line.rendering = rendering;
        Some(line)
    }

    fn history(&self, index: u64, claim: &Claim) -> Option<Vec<PriorLine>> {
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
        let anchor = claim.lines.first()?.date;
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
            let date = *self.history_dates.get(take(self.history_dates.len()))?;
            let npi = *self
                .extras
                .history_npis
                .get(take(self.extras.history_npis.len()))?;
            let profile = self
                .extras
                .history_profiles
                .get(take(self.extras.history_profiles.len()))?;
            let npi = npi.unwrap_or(claim.provider.npi);
            let mut line = PriorLine::new(
                format!("H{}", n + 1),
                1,
                code,
                units,
                date.resolve(anchor),
                npi,
                Outcome::Allow,
            );
            line.modifiers = modifiers;
            line.place_of_service = profile.place;
            line.role = profile.role;
            if let Some((rendering, taxonomy)) = profile.rendering {
                line.rendering_npi = rendering;
                line.rendering_taxonomy = taxonomy;
            }
            line.diagnoses = LineDiagnoses::from_diagnoses(&profile.diagnoses);
            out.push(line);
        }
        Some(out)
    }
}
