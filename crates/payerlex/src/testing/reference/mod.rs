//! A deliberately naive reference interpreter of the checked policy IR.
//!
//! The engine earns its speed with a trigger index, constant folding, interned facts, an
//! Aho-Corasick phrase scan, binary-searched code ranges, bitsets, indexed tables and a
//! pricing path through `payerlex-cms`. Each of those is a place for a bug to hide. This
//! interpreter has none of them: it evaluates every rule of the pack on every line, straight
//! from [`CheckedRule::condition`], with linear scans over set members, `Option<bool>` for
//! three-valued logic, a plain substring search for phrases, table lookups that scan every
//! row with their own date logic ([`tables`]) and its own payment arithmetic ([`estimate`]).
//! It is meant to be obviously right rather than fast, so that the differential tests
//! (`tests/differential.rs`, `tests/construct_packs.rs`, `fuzz/`) can assert that
//! `Engine::check` and `reference_check` agree, the way Cedar tests its authorizer against its
//! Lean model.
//!
//! Semantics it pins down (and the engine must match):
//! - a rule applies to a line when the line's date is within the rule's effective range and
//!   the pack's; findings come in rule order; a condition that is unknown (a report fact is
//!   missing) gives an advice finding "not evaluated";
//! - a line's outcome is its most severe deny/review finding (advice never counts), the
//!   claim's the most severe line outcome;
//! - `other` lines are the claim's other lines, `earlier` lines those at a lower index plus
//!   every history line; history lines whose outcome was deny are never seen; `by same
//!   provider` keeps history lines billed under the claim's NPI; `on same date` compares dates
//!   of service with the line being decided;
//! - an aggregate is unknown when any candidate line's filter is unknown; arithmetic
//!   saturates.

mod adjust;
mod estimate;
mod tables;
mod windows;

use adjust::{adjustments, reads_other_claims};
use windows::{in_window, naive_add_months};

use std::collections::BTreeSet;

use crate::compile::negation;
use crate::eval::{fired, unknown, Decision, Finding, FindingOutcome, LineDecision, Outcome};
use crate::facts::{
    Claim, ClaimError, Date, Diagnosis, History, LineOutcomes, Modifiers, Npi, PlaceOfService,
    PriorLine, ProcedureCode, ProviderRole, Taxonomy,
};
use crate::ir::{
    AggregateKind, ArithOp, CheckedRule, CodeOperand, CodeSet, CompareOp, Cond, CondKind,
    DateValue, DiagnosisRef, DiagnosisSet, DurationUnit, LineRef, Lookup, Needs, NpiRef, Num,
    PlaceRef, Probe, ProviderFilter, Scope, Selector, Source, TaxonomyRef,
};
use crate::pack::Pack;

/// Decides `claim` against `pack` with the patient's history read from `history`, as
/// [`crate::Engine::check`] does for a claim of `pack`'s payer (explanations aside).
pub fn check(pack: &Pack, claim: &Claim, history: &dyn History) -> Result<Decision, ClaimError> {
    claim.validate()?;
    let everything = history.prior_lines(&claim.payer, &claim.patient);
    let replaced_unknown = claim
        .replaces
        .as_deref()
        .is_some_and(|id| !everything.iter().any(|l| &*l.claim == id));
    let unknown_warning = "replaces: the claim it names is not in this patient's history with this payer (already replaced or voided, or never decided here); decided as an original";
    if claim.frequency == Some(crate::facts::Frequency::Void) {
        let mut decision = decide(pack, claim, &[]);
        for line in &mut decision.lines {
            line.findings.clear();
            line.estimate = None;
            line.outcome = Outcome::Allow;
        }
        decision.outcome = Outcome::Allow;
        decision.warnings.push("frequency 8 (void): the lines are not decided as services; the claim named by `replaces` is removed from the patient's history".to_owned());
        if replaced_unknown {
            decision.warnings.push(unknown_warning.to_owned());
        }
        return Ok(decision);
    }
    let reads_history = pack.rules.iter().any(reads_other_claims);
    let mut decision = if reads_history {
        let mut decision = decide(pack, claim, &everything);
        if !everything.is_empty() {
            let decided: Vec<PriorLine> =
                PriorLine::of_claim(claim, decision.line_outcomes()).collect();
            decision.adjustments = adjustments(pack, claim, &decided, &everything);
        }
        decision
    } else {
        decide(pack, claim, &[])
    };
    if replaced_unknown {
        decision.warnings.push(unknown_warning.to_owned());
    }
    Ok(decision)
}

/// Decides every line of `claim` (assumed valid) given the patient's earlier lines.
pub fn decide(pack: &Pack, claim: &Claim, history: &[PriorLine]) -> Decision {
    let mut lines = Vec::new();
    for index in 0..claim.lines.len() {
        let line = &claim.lines[index];
        let mut findings: Vec<Finding> = pack
            .rules
            .iter()
            .filter_map(|rule| finding(pack, rule, claim, index, history))
            .collect();
        let in_force = |rule: &CheckedRule| {
            rule.effective.contains(line.date) && pack.effective.contains(line.date)
        };
        if !pack.rules.iter().any(in_force) {
            findings.push(crate::eval::no_policy_in_force(&pack.policy.pack));
        }
        let mut outcome = Outcome::Allow;
        for finding in &findings {
            let severity = match finding.outcome {
                FindingOutcome::Deny => Outcome::Deny,
                FindingOutcome::Review => Outcome::Review,
                FindingOutcome::Advice | FindingOutcome::AdjustPrior => Outcome::Allow,
            };
            if severity > outcome {
                outcome = severity;
            }
        }
        let estimate = if outcome == Outcome::Deny {
            None
        } else {
            estimate::estimate(pack, claim, line)
        };
        lines.push(LineDecision {
            number: line.number,
            code: line.code,
            outcome,
            findings,
            estimate,
        });
    }
    estimate::adjust_surgical(pack, claim, &mut lines);
    let outcome = lines
        .iter()
        .map(|l| l.outcome)
        .max()
        .unwrap_or(Outcome::Allow);
    let warnings = claim.report.as_ref().map_or_else(Vec::new, |report| {
        report
            .facts
            .keys()
            .filter(|name| !pack.facts.iter().any(|f| &*f.name == name.as_str()))
            .map(|name| crate::eval::unread_fact_warning(name))
            .collect()
    });
    Decision {
        id: crate::eval::DecisionId::of(claim, &pack.policy.digest),
        decided_at: None,
        claim: claim.id.as_str().into(),
        payer: claim.payer.as_str().into(),
        policy: pack.policy.clone(),
        outcome,
        lines,
        adjustments: Vec::new(),
        warnings,
    }
}

/// The finding of `rule` on line `index`, when it applies and fires or cannot be decided.
fn finding(
    pack: &Pack,
    rule: &CheckedRule,
    claim: &Claim,
    index: usize,
    history: &[PriorLine],
) -> Option<Finding> {
    let line = &claim.lines[index];
    let in_force = rule.effective.contains(line.date) && pack.effective.contains(line.date);
    if !in_force {
        return None;
    }
    let env = Env {
        pack,
        claim,
        index,
        history,
    };
    match env.cond(&rule.condition, None) {
        Some(false) => None,
        Some(true) => Some(fired(&rule.id, &rule.outcome, &rule.citation)),
        None => Some(unknown(
            &rule.id,
            &rule.outcome,
            &rule.citation,
            rule.on_unknown,
            Needs::of(&rule.condition),
            claim,
        )),
    }
}

/// The fields of a line a `where` filter can read, resolved the naive way.
#[derive(Clone)]
struct Row {
    code: ProcedureCode,
    modifiers: Modifiers,
    units: u32,
    date: Date,
    place: PlaceOfService,
    role: ProviderRole,
    npi: Npi,
    rendering_npi: Npi,
    rendering_taxonomy: Option<Taxonomy>,
    diagnoses: Vec<Diagnosis>,
}

struct Env<'a> {
    pack: &'a Pack,
    claim: &'a Claim,
    index: usize,
    history: &'a [PriorLine],
}

/// Whether a report (folded and lower-cased) states a phrase: an occurrence found by a plain
/// substring search that the shared negation rules accept (whole words, not negated before
/// or after; `crate::compile::negation`, the one place negation is defined).
fn phrase_stated(text: &str, phrase: &str) -> bool {
    let phrase = negation::fold(phrase).to_lowercase();
    !phrase.is_empty()
        && text
            .match_indices(phrase.as_str())
            .any(|(start, m)| negation::occurrence_states(text, start, start + m.len()))
}

fn and3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

fn or3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

fn code_in(set: &CodeSet, code: ProcedureCode) -> bool {
    set.packed_ranges()
        .iter()
        .any(|&(lo, hi)| lo <= code.packed() && code.packed() <= hi)
}

fn diagnosis_in(set: &DiagnosisSet, d: &Diagnosis) -> bool {
    let text = String::from_utf8_lossy(d.normalized()).into_owned();
    let by_prefix = set
        .prefixes()
        .iter()
        .any(|p| text.starts_with(&*String::from_utf8_lossy(p.normalized())));
    let by_range = set.ranges().iter().any(|(lo, hi)| {
        let lo = String::from_utf8_lossy(lo.normalized()).into_owned();
        let hi = String::from_utf8_lossy(hi.normalized()).into_owned();
        let head: String = text.chars().take(lo.len()).collect();
        lo <= head && head <= hi
    });
    by_prefix || by_range
}

fn compare<T: Ord>(a: T, op: CompareOp, b: T) -> bool {
    match op {
        CompareOp::Eq => a == b,
        CompareOp::Ne => a != b,
        CompareOp::Lt => a < b,
        CompareOp::Le => a <= b,
        CompareOp::Gt => a > b,
        CompareOp::Ge => a >= b,
    }
}

fn saturate(value: i128) -> i64 {
    value.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

impl Env<'_> {
    /// The decided line as a row: everything resolved here, not through the claim's helpers.
    fn current(&self) -> Row {
        let line = &self.claim.lines[self.index];
        let rendering = line.rendering.or(self.claim.rendering);
        Row {
            code: line.code,
            modifiers: line.modifiers,
            units: line.units,
            date: line.date,
            place: line.place_of_service.unwrap_or(self.claim.place_of_service),
            role: self.claim.provider.role,
            npi: self.claim.provider.npi,
            rendering_npi: rendering.map_or(self.claim.provider.npi, |r| r.npi),
            rendering_taxonomy: match rendering {
                Some(r) => r.taxonomy,
                None => self.claim.provider.taxonomy,
            },
            diagnoses: line
                .diagnosis_pointers
                .iter()
                .filter_map(|&p| self.claim.diagnoses.get(usize::from(p).checked_sub(1)?))
                .copied()
                .collect(),
        }
    }

    fn prior_row(prior: &PriorLine) -> Row {
        Row {
            code: prior.code,
            modifiers: prior.modifiers,
            units: prior.units,
            date: prior.date,
            place: prior.place_of_service,
            role: prior.role,
            npi: prior.npi,
            rendering_npi: prior.rendering_npi,
            rendering_taxonomy: prior.rendering_taxonomy,
            diagnoses: prior.diagnoses.iter().copied().collect(),
        }
    }

    fn row(&self, which: LineRef, quantified: Option<&Row>) -> Row {
        match (which, quantified) {
            (LineRef::Quantified, Some(row)) => row.clone(),
            _ => self.current(),
        }
    }

    fn code(&self, operand: CodeOperand, quantified: Option<&Row>) -> ProcedureCode {
        match operand {
            CodeOperand::Literal(c) => c,
            CodeOperand::Line(which) => self.row(which, quantified).code,
        }
    }

    /// A date; `None` when shifted by an unknown amount. Months are added on the calendar:
    /// the day is kept, or the month's last day when it has no such day.
    fn date(&self, value: &DateValue, quantified: Option<&Row>) -> Option<Date> {
        match value {
            DateValue::Literal(d) => Some(*d),
            DateValue::Line(which) => Some(self.row(*which, quantified).date),
            DateValue::Shift {
                base,
                later,
                amount,
                unit,
            } => {
                let base = self.date(base, quantified)?;
                let n = self.num(amount, quantified)?;
                let n = if *later { n } else { -n };
                match unit {
                    DurationUnit::Days => Some(base.add_days(i32::try_from(n).ok()?)),
                    DurationUnit::Months => naive_add_months(base, n),
                    DurationUnit::Years => naive_add_months(base, n.checked_mul(12)?),
                }
            }
        }
    }

    fn fact(&self, name: &str) -> Option<bool> {
        let report = self.claim.report.as_ref()?;
        if let Some(value) = report.facts.get(name) {
            return Some(*value);
        }
        let phrases: Vec<String> = self
            .pack
            .facts
            .iter()
            .filter(|f| &*f.name == name)
            .flat_map(|f| f.phrases.iter().map(|p| p.to_ascii_lowercase()))
            .collect();
        if phrases.is_empty() {
            return None;
        }
        let text = negation::fold(report.text.as_ref()?).to_lowercase();
        Some(phrases.iter().any(|p| phrase_stated(&text, p)))
    }

    /// Keys of a table lookup, read from the current or quantified line.
    fn lookup_keys(&self, lookup: &Lookup, quantified: Option<&Row>) -> Vec<ProcedureCode> {
        lookup
            .keys
            .iter()
            .map(|k| self.code(*k, quantified))
            .collect()
    }

    /// The date a lookup is made for: the quantified line's when a key is its code.
    fn lookup_date(&self, lookup: &Lookup, quantified: Option<&Row>) -> Date {
        let quantified_key = lookup
            .keys
            .iter()
            .any(|k| matches!(k, CodeOperand::Line(LineRef::Quantified)));
        match quantified {
            Some(row) if quantified_key => row.date,
            _ => self.claim.lines[self.index].date,
        }
    }

    /// A table field; `None` without a row.
    fn table_value(&self, lookup: &Lookup, quantified: Option<&Row>) -> Option<i64> {
        let keys = self.lookup_keys(lookup, quantified);
        let date = self.lookup_date(lookup, quantified);
        lookup
            .field
            .and_then(|f| tables::value(lookup, f, &keys, date))
    }

    fn taxonomy(&self, whose: TaxonomyRef, quantified: Option<&Row>) -> Option<Taxonomy> {
        match whose {
            TaxonomyRef::Billing => self.claim.provider.taxonomy,
            TaxonomyRef::Rendering(which) => self.row(which, quantified).rendering_taxonomy,
        }
    }

    /// The patient's completed years (or months) on the decided line's date.
    fn age(&self, months: bool) -> Option<i64> {
        let born = self.claim.patient_birth_date?;
        let on = self.claim.lines[self.index].date;
        let (by, bm, bd) = born.ymd();
        let (y, m, d) = on.ymd();
        if (y, m, d) < (by, bm, bd) {
            return None;
        }
        let mut total = i64::from(y - by) * 12 + i64::from(m) - i64::from(bm);
        if d < bd {
            total -= 1;
        }
        Some(if months { total } else { total / 12 })
    }

    fn cond(&self, cond: &Cond, quantified: Option<&Row>) -> Option<bool> {
        match &cond.kind {
            CondKind::Const(b) => Some(*b),
            CondKind::All(parts) => {
                let mut value = Some(true);
                for part in parts {
                    value = and3(value, self.cond(part, quantified));
                }
                value
            }
            CondKind::Any(parts) => {
                let mut value = Some(false);
                for part in parts {
                    value = or3(value, self.cond(part, quantified));
                }
                value
            }
            CondKind::Not(inner) => self.cond(inner, quantified).map(|b| !b),
            CondKind::CodeIn { line, set } => Some(code_in(set, self.row(*line, quantified).code)),
            CondKind::CodeEq { lhs, rhs } => {
                Some(self.code(*lhs, quantified) == self.code(*rhs, quantified))
            }
            CondKind::ModifierIn { line, set } => {
                let members = set.members();
                Some(
                    self.row(*line, quantified)
                        .modifiers
                        .iter()
                        .any(|m| members.contains(&m)),
                )
            }
            CondKind::PlaceIn { place, set } => {
                let pos = match place {
                    PlaceRef::Line(which) => self.row(*which, quantified).place,
                    PlaceRef::Claim => self.claim.place_of_service,
                };
                Some(set.members().contains(&pos))
            }
            CondKind::DiagnosisIn { diagnoses, set } => match diagnoses {
                DiagnosisRef::Claim => {
                    Some(self.claim.diagnoses.iter().any(|d| diagnosis_in(set, d)))
                }
                DiagnosisRef::Line(which) => Some(
                    self.row(*which, quantified)
                        .diagnoses
                        .iter()
                        .any(|d| diagnosis_in(set, d)),
                ),
                DiagnosisRef::Principal => {
                    self.claim.diagnoses.first().map(|d| diagnosis_in(set, d))
                }
                DiagnosisRef::Primary(which) => self
                    .row(*which, quantified)
                    .diagnoses
                    .first()
                    .map(|d| diagnosis_in(set, d)),
            },
            CondKind::RoleIs { line, role } => Some(self.row(*line, quantified).role == *role),
            CondKind::TaxonomyIn { whose, set } => self
                .taxonomy(*whose, quantified)
                .map(|t| set.members().contains(&t)),
            CondKind::NpiIn { whose, set } => {
                let npi = match whose {
                    NpiRef::Billing(which) => self.row(*which, quantified).npi,
                    NpiRef::Rendering(which) => self.row(*which, quantified).rendering_npi,
                };
                Some(set.members().contains(&npi))
            }
            CondKind::SexIs(sex) => self.claim.patient_sex.map(|s| s == *sex),
            CondKind::Authorized => Some(self.authorized()),
            CondKind::Known(probe) => Some(match probe {
                Probe::Fact(name) => self.fact(name).is_some(),
                Probe::BirthDate => self.claim.patient_birth_date.is_some(),
                Probe::Sex => self.claim.patient_sex.is_some(),
                Probe::Taxonomy(whose) => self.taxonomy(*whose, quantified).is_some(),
                Probe::PrincipalDiagnosis => !self.claim.diagnoses.is_empty(),
                Probe::PrimaryDiagnosis(which) => {
                    !self.row(*which, quantified).diagnoses.is_empty()
                }
                Probe::Table(lookup) => self.table_value(lookup, quantified).is_some(),
            }),
            CondKind::PriorAuthorization => Some(match &self.claim.prior_authorization {
                Some(number) => !number.trim().is_empty(),
                None => false,
            }),
            CondKind::Fact(name) => self.fact(name),
            CondKind::Compare { lhs, op, rhs } => {
                let a = self.num(lhs, quantified)?;
                let b = self.num(rhs, quantified)?;
                Some(compare(a, *op, b))
            }
            CondKind::DateCompare { lhs, op, rhs } => {
                let a = self.date(lhs, quantified)?;
                let b = self.date(rhs, quantified)?;
                Some(compare(a, *op, b))
            }
            CondKind::TableRow(lookup) => {
                let keys = self.lookup_keys(lookup, quantified);
                Some(tables::row_exists(
                    lookup,
                    &keys,
                    self.lookup_date(lookup, quantified),
                ))
            }
            CondKind::TableCompare { lookup, op, rhs } => {
                match self.table_value(lookup, quantified) {
                    None => Some(false),
                    Some(value) => Some(compare(value, *op, self.num(rhs, quantified)?)),
                }
            }
            CondKind::TableIn { lookup, values } => Some(
                self.table_value(lookup, quantified)
                    .is_some_and(|v| values.contains(&v)),
            ),
            CondKind::Exists(source) => {
                let values: Vec<Option<bool>> = self
                    .rows(source)
                    .iter()
                    .map(|row| self.filter(source, row))
                    .collect();
                values.into_iter().fold(Some(false), or3)
            }
        }
    }

    /// Whether some authorisation lists the line's code, spans its date, and has units for
    /// every line of the claim it covers.
    fn authorized(&self) -> bool {
        let line = &self.claim.lines[self.index];
        self.claim.authorizations.iter().any(|auth| {
            let covers = |code: ProcedureCode, date: Date| {
                auth.codes.contains(&code) && auth.from <= date && date <= auth.to
            };
            if !covers(line.code, line.date) {
                return false;
            }
            let used: u64 = self
                .claim
                .lines
                .iter()
                .filter(|l| covers(l.code, l.date))
                .map(|l| u64::from(l.units))
                .sum();
            auth.units.map_or(true, |limit| used <= u64::from(limit))
        })
    }

    fn num(&self, num: &Num, quantified: Option<&Row>) -> Option<i64> {
        match num {
            Num::Const(n) => Some(*n),
            Num::Units(which) => Some(i64::from(self.row(*which, quantified).units)),
            Num::Age { months } => self.age(*months),
            Num::Binary { op, lhs, rhs } => {
                let a = i128::from(self.num(lhs, quantified)?);
                let b = i128::from(self.num(rhs, quantified)?);
                Some(saturate(match op {
                    ArithOp::Add => a + b,
                    ArithOp::Sub => a - b,
                    ArithOp::Mul => a * b,
                }))
            }
            Num::Aggregate { kind, source, .. } => {
                let mut matching = Vec::new();
                for row in self.rows(source) {
                    match self.filter(source, &row) {
                        None => return None,
                        Some(true) => matching.push(row),
                        Some(false) => {}
                    }
                }
                Some(match kind {
                    AggregateKind::CountLines => matching.len() as i64,
                    AggregateKind::SumUnits => {
                        saturate(matching.iter().map(|r| i128::from(r.units)).sum())
                    }
                    AggregateKind::CountDistinctCodes => matching
                        .iter()
                        .map(|r| r.code)
                        .collect::<BTreeSet<_>>()
                        .len() as i64,
                })
            }
        }
    }

    fn filter(&self, source: &Source, row: &Row) -> Option<bool> {
        match &source.filter {
            Some(filter) => self.cond(filter, Some(row)),
            None => Some(true),
        }
    }

    /// The candidate lines of a source: selector, scope, deny-skipping, the replaced claim,
    /// provider and date window.
    fn rows(&self, source: &Source) -> Vec<Row> {
        let current = self.current();
        let mut rows = Vec::new();
        if matches!(source.scope, Scope::Claim | Scope::ClaimOrHistory) {
            let keep = self.index;
            for i in 0..self.claim.lines.len() {
                let selected = match source.selector {
                    Selector::All => true,
                    Selector::Other => i != keep,
                    Selector::Earlier => i < keep,
                };
                if selected {
                    let env = Env { index: i, ..*self };
                    rows.push(env.current());
                }
            }
        }
        if matches!(source.scope, Scope::History | Scope::ClaimOrHistory) {
            for prior in self.history {
                let replaced = self.claim.replaces.as_deref() == Some(&*prior.claim);
                if prior.outcome == Outcome::Deny || replaced {
                    continue;
                }
                rows.push(Self::prior_row(prior));
            }
        }
        rows.retain(|r| match source.provider {
            ProviderFilter::Any => true,
            ProviderFilter::SameBilling => r.npi == current.npi,
            ProviderFilter::OtherBilling => r.npi != current.npi,
            ProviderFilter::SameRendering => r.rendering_npi == current.rendering_npi,
        });
        rows.retain(|r| in_window(source.window, current.date, r.date));
        rows
    }
}
