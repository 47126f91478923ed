//! Evaluates compiled conditions for one line of one claim.
//!
//! One evaluator serves both the fast path and explanations: it is generic over a
//! [`Tracer`], and the no-op tracer compiles away. Quantifiers and aggregates walk the
//! claim's lines and the patient's history once each (see `walk`); nothing here allocates
//! except a distinct-code count over more than 32 codes.
//!
//! Missing data is three-valued: a fact, an age, a sex or a taxonomy the claim does not state
//! makes the clause *unknown*, never false (Kleene logic through `and`/`or`/`not`).

use super::fact_cache::{FactCache, FactSource};
use super::line_view::LineView;
use super::memo::{LookupMemo, MemoKey};
use super::tri::Tri;
use crate::compile::{DateNode, KnownNode, Node, NodeKind, NumNode};
use crate::facts::{add_months, Claim, Date, Line, PriorLine, ProcedureCode};
use crate::ir::{
    ArithOp, CodeOperand, CompareOp, DiagnosisRef, DurationUnit, LineRef, Lookup, NpiRef, PlaceRef,
    Probe, TaxonomyRef,
};

/// Observes evaluation, for explanations.
pub trait Tracer {
    /// Whether this tracer records anything (lets the fast path skip work).
    const ENABLED: bool;
    /// A top-level clause (not inside a quantifier's filter) was evaluated.
    fn clause(&mut self, node: &Node, value: Tri);
    /// A report fact was read.
    fn fact(&mut self, index: usize, value: Tri, source: FactSource<'_>);
}

/// Records nothing.
pub struct NoTrace;

impl Tracer for NoTrace {
    const ENABLED: bool = false;
    #[inline(always)]
    fn clause(&mut self, _node: &Node, _value: Tri) {}
    #[inline(always)]
    fn fact(&mut self, _index: usize, _value: Tri, _source: FactSource<'_>) {}
}

/// Everything a condition may read while deciding one line.
pub struct LineEnv<'a> {
    /// The claim.
    pub claim: &'a Claim,
    /// The line being decided.
    pub line: &'a Line,
    /// Its index in `claim.lines`.
    pub index: usize,
    /// The patient's earlier lines.
    pub history: &'a [PriorLine],
    /// Report facts.
    pub facts: &'a FactCache<'a>,
    /// Table lookups already made for this line.
    pub memo: LookupMemo,
}

impl<'a> LineEnv<'a> {
    /// Evaluates a rule condition.
    pub fn eval<T: Tracer>(&self, node: &Node, tracer: &mut T) -> Tri {
        self.node(node, None, tracer)
    }

    pub(super) fn node<T: Tracer>(
        &self,
        node: &Node,
        quantified: Option<LineView<'a>>,
        tracer: &mut T,
    ) -> Tri {
        let value = match &node.kind {
            NodeKind::Const(b) => Tri::from_bool(*b),
            NodeKind::All(parts) => {
                let mut result = Tri::True;
                for part in parts.iter() {
                    match self.node(part, quantified, tracer) {
                        Tri::False => {
                            result = Tri::False;
                            break;
                        }
                        Tri::Unknown => result = Tri::Unknown,
                        Tri::True => {}
                    }
                }
                result
            }
            NodeKind::Any(parts) => {
                let mut result = Tri::False;
                for part in parts.iter() {
                    match self.node(part, quantified, tracer) {
                        Tri::True => {
                            result = Tri::True;
                            break;
                        }
                        Tri::Unknown => result = Tri::Unknown,
                        Tri::False => {}
                    }
                }
                result
            }
            NodeKind::Not(inner) => !self.node(inner, quantified, tracer),
            NodeKind::CodeIn(line, set) => {
                Tri::from_bool(set.contains(self.view(*line, quantified).code()))
            }
            NodeKind::CodeEq(lhs, rhs) => {
                Tri::from_bool(self.code(*lhs, quantified) == self.code(*rhs, quantified))
            }
            NodeKind::ModifierIn(line, set) => {
                Tri::from_bool(set.contains_any(self.view(*line, quantified).modifiers()))
            }
            NodeKind::PlaceIn(place, set) => Tri::from_bool(set.contains(match place {
                PlaceRef::Line(line) => self.view(*line, quantified).place(),
                PlaceRef::Claim => self.claim.place_of_service,
            })),
            NodeKind::DiagnosisIn(whose, set) => match whose {
                DiagnosisRef::Line(line) => Tri::from_bool(
                    self.view(*line, quantified)
                        .any_diagnosis(|d| set.contains(d)),
                ),
                DiagnosisRef::Claim => {
                    Tri::from_bool(self.claim.diagnoses.iter().any(|d| set.contains(d)))
                }
                DiagnosisRef::Principal => {
                    known_then(self.claim.principal_diagnosis(), |d| set.contains(&d))
                }
                DiagnosisRef::Primary(line) => {
                    known_then(self.view(*line, quantified).primary_diagnosis(), |d| {
                        set.contains(&d)
                    })
                }
            },
            NodeKind::RoleIs(line, role) => {
                Tri::from_bool(self.view(*line, quantified).role() == *role)
            }
            NodeKind::TaxonomyIn(whose, set) => {
                known_then(self.taxonomy(*whose, quantified), |t| set.contains(t))
            }
            NodeKind::NpiIn(whose, set) => Tri::from_bool(set.contains(match whose {
                NpiRef::Billing(line) => self.view(*line, quantified).billing_npi(),
                NpiRef::Rendering(line) => self.view(*line, quantified).rendering_npi(),
            })),
            NodeKind::SexIs(sex) => known_then(self.claim.patient_sex, |s| s == *sex),
            NodeKind::Authorized => Tri::from_bool(self.claim.line_authorized(self.line)),
            NodeKind::Known(probe) => Tri::from_bool(self.known(probe, quantified)),
            NodeKind::PriorAuthorization => Tri::from_bool(
                self.claim
                    .prior_authorization
                    .as_deref()
                    .is_some_and(|p| !p.trim().is_empty()),
            ),
            NodeKind::Fact(index) => self.fact(*index, tracer),
            NodeKind::Compare(lhs, op, rhs) => {
                match (
                    self.num(lhs, quantified, tracer),
                    self.num(rhs, quantified, tracer),
                ) {
                    (Some(a), Some(b)) => Tri::from_bool(compare(a, *op, b)),
                    _ => Tri::Unknown,
                }
            }
            NodeKind::DateCompare(lhs, op, rhs) => match (
                self.date(lhs, quantified, tracer),
                self.date(rhs, quantified, tracer),
            ) {
                (Some(a), Some(b)) => Tri::from_bool(compare(a, *op, b)),
                _ => Tri::Unknown,
            },
            NodeKind::TableRow(lookup) => Tri::from_bool(self.table(lookup, quantified).is_some()),
            NodeKind::TableCompare(lookup, op, rhs) => match self.table(lookup, quantified) {
                None => Tri::False,
                Some(value) => match self.num(rhs, quantified, tracer) {
                    Some(b) => Tri::from_bool(compare(value, *op, b)),
                    None => Tri::Unknown,
                },
            },
            NodeKind::TableIn(lookup, values) => Tri::from_bool(
                self.table(lookup, quantified)
                    .is_some_and(|v| values.contains(&v)),
            ),
            NodeKind::Exists(source) => self.exists(source, tracer),
            NodeKind::ScanExists(scan) => Tri::from_bool(self.scan_any(scan)),
            NodeKind::ScanNone(scan) => Tri::from_bool(!self.scan_any(scan)),
            NodeKind::NotFact(index) => !self.fact(*index, tracer),
            NodeKind::ScanCompare(test) => Tri::from_bool(compare(
                self.scan_total(test.total, &test.scan),
                test.op,
                test.limit,
            )),
            NodeKind::ModifiersAll(line, sets) => {
                let modifiers = self.view(*line, quantified).modifiers();
                Tri::from_bool(sets.iter().all(|set| set.contains_any(modifiers)))
            }
        };
        if T::ENABLED
            && quantified.is_none()
            && !matches!(node.kind, NodeKind::All(_) | NodeKind::Any(_))
        {
            tracer.clause(node, value);
        }
        value
    }

    /// A report fact's value (recorded for explanations).
    #[inline]
    fn fact<T: Tracer>(&self, index: usize, tracer: &mut T) -> Tri {
        if T::ENABLED {
            let (value, source) = self.facts.resolve(index);
            tracer.fact(index, value, source);
            value
        } else {
            self.facts.get(index)
        }
    }

    /// The line a reference names: the decided line, or the one a quantifier is at.
    #[inline]
    pub(super) fn view(&self, line: LineRef, quantified: Option<LineView<'a>>) -> LineView<'a> {
        match (line, quantified) {
            (LineRef::Quantified, Some(view)) => view,
            _ => LineView::Claim(self.claim, self.line),
        }
    }

    fn taxonomy(
        &self,
        whose: TaxonomyRef,
        quantified: Option<LineView<'a>>,
    ) -> Option<crate::facts::Taxonomy> {
        match whose {
            TaxonomyRef::Billing => self.claim.provider.taxonomy,
            TaxonomyRef::Rendering(line) => self.view(line, quantified).rendering_taxonomy(),
        }
    }

    fn known(&self, probe: &KnownNode, quantified: Option<LineView<'a>>) -> bool {
        match probe {
            KnownNode::Fact(index) => self.facts.get(*index) != Tri::Unknown,
            KnownNode::Other(probe) => match probe {
                Probe::Fact(_) => false,
                Probe::BirthDate => self.claim.patient_birth_date.is_some(),
                Probe::Sex => self.claim.patient_sex.is_some(),
                Probe::Taxonomy(whose) => self.taxonomy(*whose, quantified).is_some(),
                Probe::PrincipalDiagnosis => self.claim.principal_diagnosis().is_some(),
                Probe::PrimaryDiagnosis(line) => {
                    self.view(*line, quantified).primary_diagnosis().is_some()
                }
                Probe::Table(lookup) => self.table(lookup, quantified).is_some(),
            },
        }
    }

    /// A table lookup: the field's value, or `Some(1)` for a row-exists test; `None` when
    /// there is no row. Dated by the quantified line when a key is its code, else by the
    /// decided line; memoised for the line.
    #[inline]
    fn table(&self, lookup: &Lookup, quantified: Option<LineView<'a>>) -> Option<i64> {
        let mut keys = [self.line.code; 2];
        for (slot, operand) in keys.iter_mut().zip(&lookup.keys) {
            *slot = self.code(*operand, quantified);
        }
        let n = lookup.keys.len().min(2);
        let reads_quantified = lookup
            .keys
            .contains(&CodeOperand::Line(LineRef::Quantified));
        let date = match quantified {
            Some(view) if reads_quantified => view.date(),
            _ => self.line.date,
        };
        let key = MemoKey {
            table: std::sync::Arc::as_ptr(&lookup.table) as usize,
            field: lookup.field.map_or(u8::MAX, |f| f as u8),
            codes: [
                keys[0].packed(),
                if n > 1 { keys[1].packed() } else { u32::MAX },
            ],
            day: date.days_since_epoch(),
        };
        if let Some(hit) = self.memo.get(&key) {
            return hit;
        }
        let value = match lookup.field {
            Some(field) => lookup.value(field, &keys[..n], date),
            None => lookup.row_exists(&keys[..n], date).then_some(1),
        };
        self.memo.put(key, value);
        value
    }

    #[inline]
    pub(super) fn code(
        &self,
        operand: CodeOperand,
        quantified: Option<LineView<'a>>,
    ) -> ProcedureCode {
        match operand {
            CodeOperand::Literal(code) => code,
            CodeOperand::Line(line) => self.view(line, quantified).code(),
        }
    }

    /// A date; `None` when it is moved by an unknown amount.
    fn date<T: Tracer>(
        &self,
        date: &DateNode,
        quantified: Option<LineView<'a>>,
        tracer: &mut T,
    ) -> Option<Date> {
        match date {
            DateNode::Literal(date) => Some(*date),
            DateNode::Line(line) => Some(self.view(*line, quantified).date()),
            DateNode::Shift {
                base,
                later,
                amount,
                unit,
            } => {
                let base = self.date(base, quantified, tracer)?;
                let amount = self.num(amount, quantified, tracer)?;
                let amount = i32::try_from(if *later { amount } else { -amount }).ok()?;
                Some(match unit {
                    DurationUnit::Days => base.add_days(amount),
                    DurationUnit::Months => add_months(base, amount),
                    DurationUnit::Years => add_months(base, amount.saturating_mul(12)),
                })
            }
        }
    }

    /// A number; `None` when it depends on a missing fact or birth date.
    pub(super) fn num<T: Tracer>(
        &self,
        num: &NumNode,
        quantified: Option<LineView<'a>>,
        tracer: &mut T,
    ) -> Option<i64> {
        match num {
            NumNode::Const(n) => Some(*n),
            NumNode::Units(line) => Some(i64::from(self.view(*line, quantified).units())),
            NumNode::Age(months) => {
                let age = self.claim.patient_age(self.line)?;
                Some(i64::from(if *months { age.months } else { age.years }))
            }
            NumNode::Binary(op, lhs, rhs) => {
                let (a, b) = (
                    self.num(lhs, quantified, tracer)?,
                    self.num(rhs, quantified, tracer)?,
                );
                Some(match op {
                    ArithOp::Add => a.saturating_add(b),
                    ArithOp::Sub => a.saturating_sub(b),
                    ArithOp::Mul => a.saturating_mul(b),
                })
            }
            NumNode::Aggregate(kind, source) => self.aggregate(*kind, source, tracer),
            NumNode::ScanAggregate(kind, scan) => Some(self.scan_total(*kind, scan)),
        }
    }
}

/// True or false from a value when it is stated; unknown when it is not.
#[inline]
fn known_then<V>(value: Option<V>, test: impl FnOnce(V) -> bool) -> Tri {
    match value {
        Some(v) => Tri::from_bool(test(v)),
        None => Tri::Unknown,
    }
}

#[inline]
pub(super) fn compare<T: PartialOrd>(a: T, op: CompareOp, b: T) -> bool {
    match op {
        CompareOp::Eq => a == b,
        CompareOp::Ne => a != b,
        CompareOp::Lt => a < b,
        CompareOp::Le => a <= b,
        CompareOp::Gt => a > b,
        CompareOp::Ge => a >= b,
    }
}
