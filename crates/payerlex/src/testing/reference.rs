//! A deliberately naive reference interpreter of the checked policy IR.
//!
//! The engine earns its speed with a trigger index, constant folding, interned facts, an
//! Aho-Corasick phrase scan, binary-searched code ranges and bitsets. Each of those is a place
//! for a bug to hide. This interpreter has none of them: it evaluates every rule of the pack
//! on every line, straight from [`CheckedRule::condition`], with linear scans over set
//! members, `Option<bool>` for three-valued logic and a plain substring search for phrases.
//! It is meant to be obviously right rather than fast, so that the differential tests
//! (`tests/differential.rs`, `fuzz/`) can assert `Engine::check == reference::check` on
//! generated claims, the way Cedar tests its authorizer against its Lean model.
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

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::eval::{Decision, Finding, FindingOutcome, LineDecision, Outcome};
use crate::facts::{
    Claim, ClaimError, Date, Diagnosis, History, Modifiers, PriorLine, ProcedureCode,
};
use crate::ir::Lookup;
use crate::ir::{
    AggregateKind, ArithOp, CheckedRule, CodeOperand, CompareOp, Cond, CondKind, DateOperand,
    DiagnosisRef, LineRef, Num, OutcomeKind, PlaceRef, Scope, Selector, Source,
};
use crate::ir::{CodeSet, DiagnosisSet};
use crate::pack::Pack;

/// Decides `claim` against `pack` with the patient's history read from `history`, as
/// [`crate::Engine::check`] does for a claim of `pack`'s payer.
pub fn check(pack: &Pack, claim: &Claim, history: &dyn History) -> Result<Decision, ClaimError> {
    claim.validate()?;
    let prior = history.prior_lines(&claim.patient);
    Ok(decide(pack, claim, &prior))
}

/// Decides every line of `claim` (assumed valid) given the patient's earlier lines.
pub fn decide(pack: &Pack, claim: &Claim, history: &[PriorLine]) -> Decision {
    let mut lines = Vec::new();
    for index in 0..claim.lines.len() {
        let line = &claim.lines[index];
        let mut findings = Vec::new();
        for rule in &pack.rules {
            let in_force = rule.effective.contains(line.date) && pack.effective.contains(line.date);
            if !in_force {
                continue;
            }
            let env = Env {
                pack,
                claim,
                index,
                history,
            };
            match env.cond(&rule.condition, None) {
                Some(false) => {}
                Some(true) => findings.push(fired(rule)),
                None => findings.push(not_evaluated(rule, claim)),
            }
        }
        let mut outcome = Outcome::Allow;
        for finding in &findings {
            let severity = match finding.outcome {
                FindingOutcome::Deny => Outcome::Deny,
                FindingOutcome::Review => Outcome::Review,
                FindingOutcome::Advice => Outcome::Allow,
            };
            if severity > outcome {
                outcome = severity;
            }
        }
        // Pricing is not what this interpreter checks: it reuses the engine's estimate.
        let estimate = match &pack.program.pricing {
            Some(pricing) if outcome != Outcome::Deny => {
                crate::eval::estimate_line(pricing, claim, line)
            }
            _ => None,
        };
        lines.push(LineDecision {
            number: line.number,
            code: line.code,
            outcome,
            findings,
            estimate,
        });
    }
    let outcome = lines
        .iter()
        .map(|l| l.outcome)
        .max()
        .unwrap_or(Outcome::Allow);
    Decision {
        claim: claim.id.clone(),
        payer: claim.payer.clone(),
        policy: pack.policy.clone(),
        outcome,
        lines,
    }
}

fn fired(rule: &CheckedRule) -> Finding {
    Finding {
        rule: rule.id.clone(),
        outcome: match rule.outcome.kind {
            OutcomeKind::Deny => FindingOutcome::Deny,
            OutcomeKind::Review => FindingOutcome::Review,
            OutcomeKind::Advice => FindingOutcome::Advice,
        },
        carc: rule.outcome.carc,
        rarc: rule.outcome.rarcs.clone(),
        message: rule.outcome.message.clone(),
        citation: rule.citation.clone(),
        suggested_code: rule.outcome.suggest,
        explanation: None,
    }
}

fn not_evaluated(rule: &CheckedRule, claim: &Claim) -> Finding {
    let why = match claim.report {
        None => "report required",
        Some(_) => "the report does not state a fact this rule needs",
    };
    Finding {
        rule: rule.id.clone(),
        outcome: FindingOutcome::Advice,
        carc: None,
        rarc: Arc::from([]),
        message: Arc::from(format!(
            "not evaluated: {why} (rule: {})",
            rule.outcome.message
        )),
        citation: rule.citation.clone(),
        suggested_code: None,
        explanation: None,
    }
}

/// The fields of a line a `where` filter can read.
#[derive(Clone, Copy)]
struct Row {
    code: ProcedureCode,
    modifiers: Modifiers,
    units: u32,
    date: Date,
}

struct Env<'a> {
    pack: &'a Pack,
    claim: &'a Claim,
    index: usize,
    history: &'a [PriorLine],
}

/// Whether a lower-cased report states a lower-cased phrase: an occurrence that is a whole
/// word sequence and is not negated by one of the four words before it in its sentence.
fn phrase_stated(text: &str, phrase: &str) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '\'' || !c.is_ascii();
    text.match_indices(phrase).any(|(start, _)| {
        let before = &text[..start];
        let after = &text[start + phrase.len()..];
        let bounded = !before.chars().last().is_some_and(|c| c.is_alphanumeric())
            && !after.chars().next().is_some_and(|c| c.is_alphanumeric());
        let sentence = before
            .rsplit(['.', ';', '\n', '!', '?'])
            .next()
            .unwrap_or("");
        let words: Vec<&str> = sentence
            .split(|c: char| !is_word(c))
            .filter(|w| !w.is_empty())
            .collect();
        let negated = words.iter().rev().take(4).any(|w| {
            [
                "no", "not", "without", "never", "denies", "denied", "absent", "neither", "nor",
                "cannot",
            ]
            .contains(w)
                || (w.len() > 3 && w.ends_with("n't"))
        });
        bounded && !negated
    })
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
    fn current(&self) -> Row {
        let line = &self.claim.lines[self.index];
        Row {
            code: line.code,
            modifiers: line.modifiers,
            units: line.units,
            date: line.date,
        }
    }

    fn row(&self, which: LineRef, quantified: Option<Row>) -> Row {
        match (which, quantified) {
            (LineRef::Quantified, Some(row)) => row,
            _ => self.current(),
        }
    }

    fn code(&self, operand: CodeOperand, quantified: Option<Row>) -> ProcedureCode {
        match operand {
            CodeOperand::Literal(c) => c,
            CodeOperand::Line(which) => self.row(which, quantified).code,
        }
    }

    fn date(&self, operand: DateOperand, quantified: Option<Row>) -> Date {
        match operand {
            DateOperand::Literal(d) => d,
            DateOperand::Line(which) => self.row(which, quantified).date,
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
        let text = report.text.as_ref()?.to_ascii_lowercase();
        Some(phrases.iter().any(|p| phrase_stated(&text, p)))
    }

    /// Keys of a table lookup, read from the current or quantified line.
    fn lookup_keys(&self, lookup: &Lookup, quantified: Option<Row>) -> Vec<ProcedureCode> {
        lookup
            .keys
            .iter()
            .map(|k| self.code(*k, quantified))
            .collect()
    }

    /// A table field on the current line's date; `None` without a row.
    fn table_value(&self, lookup: &Lookup, quantified: Option<Row>) -> Option<i64> {
        let keys = self.lookup_keys(lookup, quantified);
        let date = self.claim.lines[self.index].date;
        lookup.field.and_then(|f| lookup.value(f, &keys, date))
    }

    fn cond(&self, cond: &Cond, quantified: Option<Row>) -> Option<bool> {
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
                let line = &self.claim.lines[self.index];
                let pos = match place {
                    PlaceRef::Line => line.place_of_service.unwrap_or(self.claim.place_of_service),
                    PlaceRef::Claim => self.claim.place_of_service,
                };
                Some(set.members().contains(&pos))
            }
            CondKind::DiagnosisIn { diagnoses, set } => {
                let line = &self.claim.lines[self.index];
                let list: Vec<&Diagnosis> = match diagnoses {
                    DiagnosisRef::Claim => self.claim.diagnoses.iter().collect(),
                    DiagnosisRef::Line => line
                        .diagnosis_pointers
                        .iter()
                        .filter_map(|&p| self.claim.diagnoses.get(usize::from(p).checked_sub(1)?))
                        .collect(),
                };
                Some(list.iter().any(|d| diagnosis_in(set, d)))
            }
            CondKind::RoleIs(role) => Some(self.claim.provider.role == *role),
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
            CondKind::DateCompare { lhs, op, rhs } => Some(compare(
                self.date(*lhs, quantified),
                *op,
                self.date(*rhs, quantified),
            )),
            CondKind::TableRow(lookup) => {
                let keys = self.lookup_keys(lookup, quantified);
                Some(lookup.row_exists(&keys, self.claim.lines[self.index].date))
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
                    .map(|row| self.filter(source, *row))
                    .collect();
                values.into_iter().fold(Some(false), or3)
            }
        }
    }

    fn num(&self, num: &Num, quantified: Option<Row>) -> Option<i64> {
        match num {
            Num::Const(n) => Some(*n),
            Num::Units(which) => Some(i64::from(self.row(*which, quantified).units)),
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
                    match self.filter(source, row) {
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

    fn filter(&self, source: &Source, row: Row) -> Option<bool> {
        match &source.filter {
            Some(filter) => self.cond(filter, Some(row)),
            None => Some(true),
        }
    }

    /// The candidate lines of a source: selector, scope, deny-skipping, provider and date.
    fn rows(&self, source: &Source) -> Vec<Row> {
        let current = self.current();
        let mut rows = Vec::new();
        if matches!(source.scope, Scope::Claim | Scope::ClaimOrHistory) {
            for (i, line) in self.claim.lines.iter().enumerate() {
                let selected = match source.selector {
                    Selector::All => true,
                    Selector::Other => i != self.index,
                    Selector::Earlier => i < self.index,
                };
                if selected {
                    rows.push(Row {
                        code: line.code,
                        modifiers: line.modifiers,
                        units: line.units,
                        date: line.date,
                    });
                }
            }
        }
        if matches!(source.scope, Scope::History | Scope::ClaimOrHistory) {
            for prior in self.history {
                if prior.outcome == Outcome::Deny {
                    continue;
                }
                if source.same_provider && prior.npi != self.claim.provider.npi {
                    continue;
                }
                rows.push(Row {
                    code: prior.code,
                    modifiers: prior.modifiers,
                    units: prior.units,
                    date: prior.date,
                });
            }
        }
        if source.same_date {
            rows.retain(|r| r.date == current.date);
        }
        rows
    }
}
