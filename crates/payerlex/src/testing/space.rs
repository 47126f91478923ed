//! What a pack's rules can tell apart: the codes, modifiers, places, diagnoses, dates, numbers
//! and report facts its checked conditions mention.
//!
//! Generators and the exhaustive diff scope both start here. Random claims over all of
//! `ProcedureCode`'s 60 million values would almost never hit a rule; claims built from the
//! values the rules test (and their neighbours just outside every range) hit every branch.
//! The same walk of the checked IR gives the equivalence classes for the exhaustive scope: two
//! codes that every set of both pack versions treats alike are interchangeable.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::code_space::{
    full_diagnosis, preferred_code_in, same_shape_step, step_prefix, CODE_SPACE,
};
use super::space_context::{ConstantShift, ContextVocabulary};
use crate::facts::{Date, DateRange, Diagnosis, Modifier, PlaceOfService, ProcedureCode};
use crate::ir::{
    CheckedRule, CodeOperand, Cond, CondKind, DateValue, DiagnosisRef, FactDecl, LineRef, NpiRef,
    Num, PlaceRef, Probe, Source, TaxonomyRef,
};
use crate::ir::{CodeSet, DiagnosisSet};
use crate::pack::Pack;

/// Which claim attributes some rule reads (an attribute nobody reads needs no variation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reads {
    /// `line.units`, `units` in a filter, or `sum units of`.
    pub units: bool,
    /// `claim.role` / `provider.role`.
    pub role: bool,
    /// `claim.prior_authorization`.
    pub prior_authorization: bool,
    /// `line.pos`.
    pub line_place: bool,
    /// `claim.pos`.
    pub claim_place: bool,
    /// `line.diagnoses`.
    pub line_diagnoses: bool,
    /// `claim.diagnoses`.
    pub claim_diagnoses: bool,
    /// A quantifier or aggregate over `history`.
    pub history: bool,
    /// `by same provider`.
    pub same_provider: bool,
    /// Any report fact.
    pub facts: bool,
}

impl Reads {
    fn union(self, o: Reads) -> Reads {
        Reads {
            units: self.units || o.units,
            role: self.role || o.role,
            prior_authorization: self.prior_authorization || o.prior_authorization,
            line_place: self.line_place || o.line_place,
            claim_place: self.claim_place || o.claim_place,
            line_diagnoses: self.line_diagnoses || o.line_diagnoses,
            claim_diagnoses: self.claim_diagnoses || o.claim_diagnoses,
            history: self.history || o.history,
            same_provider: self.same_provider || o.same_provider,
            facts: self.facts || o.facts,
        }
    }
}

/// Everything a set of rules mentions.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Code sets tested (literal codes become one-code sets).
    pub code_sets: Vec<CodeSet>,
    /// Modifier sets tested.
    pub modifier_sets: Vec<Vec<Modifier>>,
    /// Place-of-service sets tested (`claim.pos = 22` is a one-place set).
    pub place_sets: Vec<Vec<PlaceOfService>>,
    /// Diagnosis sets tested.
    pub diagnosis_sets: Vec<Arc<DiagnosisSet>>,
    /// Dates where something may change: effective and expiry dates, date literals.
    pub date_boundaries: BTreeSet<Date>,
    /// First days in force (effective dates).
    pub date_starts: BTreeSet<Date>,
    /// Last days in force (expiry dates).
    pub date_ends: BTreeSet<Date>,
    /// Date literals of comparisons.
    pub date_literals: BTreeSet<Date>,
    /// Report facts read, with every phrase any pack declares for them (lower case).
    pub facts: BTreeMap<Arc<str>, BTreeSet<String>>,
    /// Constants of numeric comparisons and arithmetic.
    pub numbers: BTreeSet<i64>,
    /// Which attributes are read.
    pub reads: Reads,
    /// Codes rules pin the decided line to (their trigger sets' range ends): claims need
    /// such a line to reach any rule, so generators favour them.
    pub trigger_codes: BTreeSet<ProcedureCode>,
    /// Windows, date shifts, ages, sex, taxonomies, NPIs, authorisations.
    pub context: ContextVocabulary,
}

impl Vocabulary {
    /// What `rules` mention; `pack_ranges` are the effective ranges of the packs they belong
    /// to and `facts` the packs' fact declarations (for phrases).
    pub fn of_rules<'a>(
        rules: impl IntoIterator<Item = &'a CheckedRule>,
        pack_ranges: &[DateRange],
        facts: &[FactDecl],
    ) -> Self {
        let mut v = Vocabulary::default();
        for range in pack_ranges {
            v.range(*range);
        }
        for rule in rules {
            v.range(rule.effective);
            v.cond(&rule.condition);
            if let Some(trigger) = crate::compile::trigger(&rule.condition) {
                for &(lo, hi) in trigger.packed_ranges() {
                    v.trigger_codes.extend(ProcedureCode::from_packed(lo));
                    v.trigger_codes.extend(ProcedureCode::from_packed(hi));
                }
            }
        }
        let names: Vec<Arc<str>> = v.facts.keys().cloned().collect();
        for name in names {
            let phrases: BTreeSet<String> = facts
                .iter()
                .filter(|d| d.name == name)
                .flat_map(|d| d.phrases.iter().map(|p| p.to_ascii_lowercase()))
                .collect();
            v.facts.insert(name, phrases);
        }
        v
    }

    /// What every rule of a pack mentions.
    pub fn of_pack(pack: &Pack) -> Self {
        Self::of_rules(&pack.rules, &[pack.effective], &pack.facts)
    }

    /// What either vocabulary mentions.
    pub fn union(mut self, other: Vocabulary) -> Vocabulary {
        for set in other.code_sets {
            if !self.code_sets.contains(&set) {
                self.code_sets.push(set);
            }
        }
        for set in other.modifier_sets {
            if !self.modifier_sets.contains(&set) {
                self.modifier_sets.push(set);
            }
        }
        for set in other.place_sets {
            if !self.place_sets.contains(&set) {
                self.place_sets.push(set);
            }
        }
        for set in other.diagnosis_sets {
            if !self.diagnosis_sets.contains(&set) {
                self.diagnosis_sets.push(set);
            }
        }
        self.date_boundaries.extend(other.date_boundaries);
        self.date_starts.extend(other.date_starts);
        self.date_ends.extend(other.date_ends);
        self.date_literals.extend(other.date_literals);
        for (name, phrases) in other.facts {
            self.facts.entry(name).or_default().extend(phrases);
        }
        self.numbers.extend(other.numbers);
        self.reads = self.reads.union(other.reads);
        self.trigger_codes.extend(other.trigger_codes);
        self.context = self.context.union(other.context);
        self
    }

    fn range(&mut self, range: DateRange) {
        if range.from != Date::MIN && range.from != Date::MAX {
            self.date_boundaries.insert(range.from);
            self.date_starts.insert(range.from);
        }
        if range.until != Date::MIN && range.until != Date::MAX {
            self.date_boundaries.insert(range.until);
            self.date_ends.insert(range.until);
        }
    }

    fn code_set(&mut self, set: CodeSet) {
        if !self.code_sets.contains(&set) {
            self.code_sets.push(set);
        }
    }

    fn code_operand(&mut self, operand: CodeOperand) {
        if let CodeOperand::Literal(c) = operand {
            self.code_set(CodeSet::from_ranges(vec![(c, c)]));
        }
    }

    fn cond(&mut self, cond: &Cond) {
        match &cond.kind {
            CondKind::Const(_) => {}
            CondKind::PriorAuthorization => self.reads.prior_authorization = true,
            CondKind::All(parts) | CondKind::Any(parts) => parts.iter().for_each(|p| self.cond(p)),
            CondKind::Not(inner) => self.cond(inner),
            CondKind::CodeIn { set, .. } => self.code_set((**set).clone()),
            CondKind::CodeEq { lhs, rhs } => {
                self.code_operand(*lhs);
                self.code_operand(*rhs);
            }
            CondKind::ModifierIn { set, .. } => {
                let members = set.members();
                if !self.modifier_sets.contains(&members) {
                    self.modifier_sets.push(members);
                }
            }
            CondKind::PlaceIn { place, set } => {
                match place {
                    PlaceRef::Line(_) => self.reads.line_place = true,
                    PlaceRef::Claim => self.reads.claim_place = true,
                }
                let members = set.members();
                if !self.place_sets.contains(&members) {
                    self.place_sets.push(members);
                }
            }
            CondKind::DiagnosisIn { diagnoses, set } => {
                match diagnoses {
                    DiagnosisRef::Line(_) | DiagnosisRef::Primary(_) => {
                        self.reads.line_diagnoses = true
                    }
                    DiagnosisRef::Claim | DiagnosisRef::Principal => {
                        self.reads.claim_diagnoses = true
                    }
                }
                if !self.diagnosis_sets.contains(set) {
                    self.diagnosis_sets.push(set.clone());
                }
            }
            CondKind::RoleIs { .. } => self.reads.role = true,
            CondKind::TaxonomyIn { whose, set } => {
                self.taxonomy_ref(*whose);
                let members = set.members().to_vec();
                if !self.context.taxonomy_sets.contains(&members) {
                    self.context.taxonomy_sets.push(members);
                }
            }
            CondKind::NpiIn { whose, set } => {
                self.context.reads.npi = true;
                if let NpiRef::Rendering(line) = whose {
                    self.context.rendering_ref(*line);
                }
                self.context.reads.billing_npi |=
                    matches!(whose, NpiRef::Billing(LineRef::Current));
                let members = set.members().to_vec();
                if !self.context.npi_sets.contains(&members) {
                    self.context.npi_sets.push(members);
                }
            }
            CondKind::SexIs(_) | CondKind::Known(Probe::Sex) => self.context.reads.sex = true,
            CondKind::Authorized => self.context.reads.authorized = true,
            CondKind::Known(Probe::BirthDate) => self.context.reads.age = true,
            CondKind::Known(Probe::Taxonomy(whose)) => self.taxonomy_ref(*whose),
            CondKind::Known(Probe::PrincipalDiagnosis) => self.reads.claim_diagnoses = true,
            CondKind::Known(Probe::PrimaryDiagnosis(_)) => self.reads.line_diagnoses = true,
            CondKind::Known(Probe::Table(lookup)) => self.lookup(lookup),
            CondKind::Known(Probe::Fact(name)) => {
                self.reads.facts = true;
                self.facts.entry(name.clone()).or_default();
            }
            CondKind::Fact(name) => {
                self.reads.facts = true;
                self.facts.entry(name.clone()).or_default();
            }
            CondKind::Compare { lhs, rhs, .. } => {
                self.num(lhs);
                self.num(rhs);
                self.context.age_comparison(lhs, rhs);
            }
            CondKind::DateCompare { lhs, rhs, .. } => {
                for operand in [lhs, rhs] {
                    self.date_value(operand);
                }
                self.context.date_comparison(lhs, rhs);
                // `line.date - 30 days >= 2026-01-01` changes where the line's date crosses
                // 2026-01-31: that date is a boundary too.
                for (shifted, other) in [(lhs, rhs), (rhs, lhs)] {
                    if let (Some(step), DateValue::Literal(d)) = (ConstantShift::of(shifted), other)
                    {
                        let crossing = step.back_from(*d);
                        self.date_boundaries.insert(crossing);
                        self.date_literals.insert(crossing);
                    }
                }
            }
            CondKind::Exists(source) => self.source(source),
            CondKind::TableRow(lookup) => self.lookup(lookup),
            CondKind::TableCompare { lookup, rhs, .. } => {
                self.lookup(lookup);
                self.num(rhs);
                // Table values (MUE limits, indicators) are thresholds the rule compares
                // with: let units run over them.
                self.numbers.extend(0..=4);
            }
            CondKind::TableIn { lookup, values } => {
                self.lookup(lookup);
                self.numbers.extend(values.iter().copied());
            }
        }
    }

    /// Adds codes that must each be a class of their own (the rows a table change touched).
    pub fn add_codes(&mut self, codes: impl IntoIterator<Item = ProcedureCode>) {
        for code in codes {
            self.code_set(CodeSet::from_ranges(vec![(code, code)]));
        }
    }

    /// A table lookup distinguishes its literal keys and the codes the table lists: a sample
    /// of them (tables run to millions of rows), each its own class.
    fn lookup(&mut self, lookup: &crate::ir::Lookup) {
        for key in &lookup.keys {
            self.code_operand(*key);
        }
        for code in lookup.table.sample_codes(TABLE_CODE_SAMPLE) {
            self.code_set(CodeSet::from_ranges(vec![(code, code)]));
        }
    }

    fn num(&mut self, num: &Num) {
        match num {
            Num::Const(n) => {
                self.numbers.insert(*n);
            }
            Num::Units(_) => self.reads.units = true,
            Num::Age { .. } => {}
            Num::Aggregate { kind, source, .. } => {
                if *kind == crate::ir::AggregateKind::SumUnits {
                    self.reads.units = true;
                }
                self.source(source);
            }
            Num::Binary { lhs, rhs, .. } => {
                self.num(lhs);
                self.num(rhs);
            }
        }
    }

    fn date_value(&mut self, value: &DateValue) {
        match value {
            DateValue::Literal(d) => {
                self.date_boundaries.insert(*d);
                self.date_literals.insert(*d);
            }
            DateValue::Line(_) => {}
            DateValue::Shift { base, amount, .. } => {
                self.date_value(base);
                self.num(amount);
            }
        }
    }

    fn taxonomy_ref(&mut self, whose: TaxonomyRef) {
        self.context.reads.taxonomy = true;
        match whose {
            TaxonomyRef::Rendering(line) => self.context.rendering_ref(line),
            TaxonomyRef::Billing => self.context.reads.billing_taxonomy = true,
        }
    }

    fn source(&mut self, source: &Source) {
        let claim_lines = source.scope != crate::ir::Scope::History;
        self.context.window(source.window, claim_lines);
        self.context.reads.claim_filters |= claim_lines && source.filter.is_some();
        self.context.provider_filter(source.provider);
        if source.scope != crate::ir::Scope::Claim {
            self.context.history_target(source);
            self.reads.history = true;
            if source.provider != crate::ir::ProviderFilter::Any {
                self.reads.same_provider = true;
            }
        }
        if let Some(filter) = &source.filter {
            self.cond(filter);
        }
    }

    /// Codes worth generating: every range's ends, the codes just outside them (same shape),
    /// and one code no set contains.
    pub fn generator_codes(&self) -> Vec<ProcedureCode> {
        let mut codes = BTreeSet::new();
        for set in &self.code_sets {
            for &(lo, hi) in set.packed_ranges() {
                let (Some(lo), Some(hi)) = (
                    ProcedureCode::from_packed(lo),
                    ProcedureCode::from_packed(hi),
                ) else {
                    continue;
                };
                codes.insert(lo);
                codes.insert(hi);
                codes.extend(same_shape_step(lo, -1));
                codes.extend(same_shape_step(hi, 1));
            }
        }
        let mut codes: Vec<ProcedureCode> = codes.into_iter().collect();
        if let Some(other) = self.other_code() {
            if !codes.contains(&other) {
                codes.push(other);
            }
        }
        codes
    }

    /// A code that no tested set contains (a representative of "any other code").
    pub fn other_code(&self) -> Option<ProcedureCode> {
        let outside = |c: &ProcedureCode| !self.code_sets.iter().any(|s| s.contains(*c));
        ["99213", "71045", "G0009", "00100"]
            .iter()
            .filter_map(|t| ProcedureCode::parse(t).ok())
            .find(outside)
            .or_else(|| self.code_classes().into_iter().find(outside))
    }

    /// One code per class of codes that every tested set treats alike: the code space is cut
    /// at every range start and one past every range end, and each piece that holds a valid
    /// code contributes its first one.
    pub fn code_classes(&self) -> Vec<ProcedureCode> {
        let mut cuts: BTreeSet<u32> = BTreeSet::new();
        cuts.insert(0);
        for set in &self.code_sets {
            for &(lo, hi) in set.packed_ranges() {
                cuts.insert(lo);
                cuts.insert(hi.saturating_add(1));
            }
        }
        let cuts: Vec<u32> = cuts.into_iter().collect();
        let mut reps = Vec::new();
        for (i, &start) in cuts.iter().enumerate() {
            let end = cuts.get(i + 1).copied().unwrap_or(CODE_SPACE);
            let best = preferred_code_in(start, end);
            reps.extend(best);
        }
        reps
    }

    /// One modifier per class of modifiers every tested set treats alike (modifiers in no set
    /// behave as no modifier, so they have no class).
    pub fn modifier_classes(&self) -> Vec<Modifier> {
        let universe: BTreeSet<Modifier> = self.modifier_sets.iter().flatten().copied().collect();
        let mut seen: BTreeMap<Vec<bool>, Modifier> = BTreeMap::new();
        for m in universe {
            let signature: Vec<bool> = self.modifier_sets.iter().map(|s| s.contains(&m)).collect();
            seen.entry(signature).or_insert(m);
        }
        let mut reps: Vec<Modifier> = seen.into_values().collect();
        reps.sort();
        reps
    }

    /// Every modifier some rule tests.
    pub fn tested_modifiers(&self) -> Vec<Modifier> {
        let all: BTreeSet<Modifier> = self.modifier_sets.iter().flatten().copied().collect();
        all.into_iter().collect()
    }

    /// One place per class of places every tested set treats alike (`11` preferred).
    pub fn place_classes(&self) -> Vec<PlaceOfService> {
        let office = PlaceOfService::parse("11").ok();
        let mut seen: BTreeMap<Vec<bool>, PlaceOfService> = BTreeMap::new();
        let all = (0u8..100).filter_map(|n| PlaceOfService::parse(&format!("{n:02}")).ok());
        for p in office.into_iter().chain(all) {
            let signature: Vec<bool> = self.place_sets.iter().map(|s| s.contains(&p)).collect();
            seen.entry(signature).or_insert(p);
        }
        let mut reps: Vec<PlaceOfService> = seen.into_values().collect();
        reps.sort();
        reps
    }

    /// Places worth generating: every tested place and one other (`11` when untested).
    pub fn generator_places(&self) -> Vec<PlaceOfService> {
        let mut all: BTreeSet<PlaceOfService> = self.place_sets.iter().flatten().copied().collect();
        all.extend(self.place_classes());
        all.into_iter().collect()
    }

    /// Diagnoses worth generating: a code under every prefix, both ends of every range and
    /// their neighbours, and one diagnosis in no set.
    pub fn generator_diagnoses(&self) -> Vec<Diagnosis> {
        let mut out = BTreeSet::new();
        for set in &self.diagnosis_sets {
            for p in set.prefixes() {
                out.extend(full_diagnosis(p.normalized()));
            }
            for (lo, hi) in set.ranges() {
                out.extend(full_diagnosis(lo.normalized()));
                out.extend(full_diagnosis(hi.normalized()));
                out.extend(step_prefix(lo.normalized(), -1).and_then(|p| full_diagnosis(&p)));
                out.extend(step_prefix(hi.normalized(), 1).and_then(|p| full_diagnosis(&p)));
            }
        }
        for other in ["Z00.00", "R69", "A00.0"] {
            if let Ok(d) = Diagnosis::parse(other) {
                if !self.diagnosis_sets.iter().any(|s| s.contains(&d)) {
                    out.insert(d);
                    break;
                }
            }
        }
        out.into_iter().collect()
    }

    /// One diagnosis per class of the generated diagnoses that every set treats alike.
    pub fn diagnosis_classes(&self) -> Vec<Diagnosis> {
        let mut seen: BTreeMap<Vec<bool>, Diagnosis> = BTreeMap::new();
        for d in self.generator_diagnoses() {
            let signature: Vec<bool> = self.diagnosis_sets.iter().map(|s| s.contains(&d)).collect();
            seen.entry(signature).or_insert(d);
        }
        let mut reps: Vec<Diagnosis> = seen.into_values().collect();
        reps.sort();
        reps
    }

    /// Dates around every boundary (one day before, on, one day after), or two ordinary dates
    /// when nothing is dated.
    pub fn dates(&self) -> Vec<Date> {
        let mut out = BTreeSet::new();
        for &d in &self.date_boundaries {
            out.extend([d.add_days(-1), d, d.add_days(1)]);
        }
        at_least_two_dates(out)
    }

    /// One date per side of every boundary, for the exhaustive scope: the day before and the
    /// first day of each effective date, the last day and the day after each expiry, and the
    /// days around each date literal (at least two dates, so lines can differ in date).
    pub fn class_dates(&self) -> Vec<Date> {
        let mut out = BTreeSet::new();
        for &d in &self.date_starts {
            out.extend([d.add_days(-1), d]);
        }
        for &d in &self.date_ends {
            out.extend([d, d.add_days(1)]);
        }
        for &d in &self.date_literals {
            out.extend([d.add_days(-1), d, d.add_days(1)]);
        }
        at_least_two_dates(out)
    }

    /// Every phrase of every fact read, lower case, deduplicated.
    pub fn phrases(&self) -> Vec<String> {
        let all: BTreeSet<&String> = self.facts.values().flatten().collect();
        all.into_iter().cloned().collect()
    }
}

/// The dates, plus an anchor date and the next day when fewer than two, so lines can differ
/// in date.
fn at_least_two_dates(mut out: BTreeSet<Date>) -> Vec<Date> {
    if out.len() < 2 {
        let anchor = out
            .iter()
            .next()
            .copied()
            .or_else(|| Date::from_ymd(2026, 3, 2))
            .unwrap_or(Date::MIN);
        out.insert(anchor);
        out.insert(anchor.add_days(1));
    }
    out.into_iter().collect()
}

/// How many of a table's codes become classes of their own.
const TABLE_CODE_SAMPLE: usize = 64;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn code(s: &str) -> ProcedureCode {
        ProcedureCode::parse(s).unwrap()
    }

    #[test]
    fn code_classes_cut_at_every_boundary() {
        let v = Vocabulary {
            code_sets: vec![CodeSet::from_ranges(vec![
                (code("70450"), code("70498")),
                (code("76377"), code("76377")),
            ])],
            ..Vocabulary::default()
        };
        let classes: Vec<String> = v.code_classes().iter().map(|c| c.to_string()).collect();
        assert_eq!(classes, ["00000", "70450", "70499", "76377", "76378"]);
        assert!(v.other_code().is_some_and(|c| !v.code_sets[0].contains(c)));
    }
}
