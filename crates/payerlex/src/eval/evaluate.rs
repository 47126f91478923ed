//! Evaluates compiled conditions for one line of one claim.
//!
//! One evaluator serves both the fast path and explanations: it is generic over a
//! [`Tracer`], and the no-op tracer compiles away. Quantifiers and aggregates walk the
//! claim's lines and the patient's history once each; nothing here allocates except a
//! distinct-code count over more than 32 codes.

use super::fact_cache::{FactCache, FactSource};
use super::tri::Tri;
use crate::compile::{Node, NodeKind, NumNode, SourceNode};
use crate::eval::Outcome;
use crate::facts::{Claim, Date, Line, Modifiers, PriorLine, ProcedureCode};
use crate::ir::Lookup;
use crate::ir::{
    AggregateKind, ArithOp, CodeOperand, CompareOp, DateOperand, DiagnosisRef, LineRef, PlaceRef,
    Scope, Selector,
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

/// The parts of a line a quantifier's filter can read.
#[derive(Clone, Copy)]
struct LineView {
    code: ProcedureCode,
    modifiers: Modifiers,
    units: u32,
    date: Date,
}

impl LineView {
    fn of_line(line: &Line) -> Self {
        Self {
            code: line.code,
            modifiers: line.modifiers,
            units: line.units,
            date: line.date,
        }
    }

    fn of_prior(line: &PriorLine) -> Self {
        Self {
            code: line.code,
            modifiers: line.modifiers,
            units: line.units,
            date: line.date,
        }
    }
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

/// What identifies a table lookup on one line (the date is the line's).
#[derive(Clone, Copy, PartialEq, Eq)]
struct MemoKey {
    table: usize,
    field: u8,
    codes: [u32; 2],
}

/// A small round-robin memo of table lookups for one line, kept on the stack. Only the
/// first `len` entries are meaningful, so creating one costs two words, not a cleared array.
pub struct LookupMemo {
    entries: [std::cell::Cell<(MemoKey, Option<i64>)>; MEMO_SIZE],
    len: std::cell::Cell<usize>,
    next: std::cell::Cell<usize>,
}

const MEMO_SIZE: usize = 8;
const NO_KEY: (MemoKey, Option<i64>) = (
    MemoKey {
        table: 0,
        field: 0,
        codes: [0; 2],
    },
    None,
);

impl Default for LookupMemo {
    #[inline]
    fn default() -> Self {
        Self {
            entries: [const { std::cell::Cell::new(NO_KEY) }; MEMO_SIZE],
            len: std::cell::Cell::new(0),
            next: std::cell::Cell::new(0),
        }
    }
}

impl LookupMemo {
    #[inline]
    fn get(&self, key: &MemoKey) -> Option<Option<i64>> {
        self.entries
            .iter()
            .take(self.len.get())
            .map(std::cell::Cell::get)
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    #[inline]
    fn put(&self, key: MemoKey, value: Option<i64>) {
        let i = self.next.get();
        if let Some(slot) = self.entries.get(i) {
            slot.set((key, value));
        }
        self.next.set((i + 1) % MEMO_SIZE);
        self.len.set((self.len.get() + 1).min(MEMO_SIZE));
    }
}

impl LineEnv<'_> {
    /// Evaluates a rule condition.
    pub fn eval<T: Tracer>(&self, node: &Node, tracer: &mut T) -> Tri {
        self.node(node, None, tracer)
    }

    fn node<T: Tracer>(&self, node: &Node, quantified: Option<&LineView>, tracer: &mut T) -> Tri {
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
                Tri::from_bool(set.contains(self.view(*line, quantified).code))
            }
            NodeKind::CodeEq(lhs, rhs) => {
                Tri::from_bool(self.code(*lhs, quantified) == self.code(*rhs, quantified))
            }
            NodeKind::ModifierIn(line, set) => {
                Tri::from_bool(set.contains_any(&self.view(*line, quantified).modifiers))
            }
            NodeKind::PlaceIn(place, set) => Tri::from_bool(set.contains(match place {
                PlaceRef::Line => self.claim.line_place(self.line),
                PlaceRef::Claim => self.claim.place_of_service,
            })),
            NodeKind::DiagnosisIn(whose, set) => Tri::from_bool(match whose {
                DiagnosisRef::Line => self
                    .claim
                    .line_diagnoses(self.line)
                    .any(|d| set.contains(d)),
                DiagnosisRef::Claim => self.claim.diagnoses.iter().any(|d| set.contains(d)),
            }),
            NodeKind::RoleIs(role) => Tri::from_bool(self.claim.provider.role == *role),
            NodeKind::PriorAuthorization => Tri::from_bool(
                self.claim
                    .prior_authorization
                    .as_deref()
                    .is_some_and(|p| !p.trim().is_empty()),
            ),
            NodeKind::Fact(index) => {
                if T::ENABLED {
                    let (value, source) = self.facts.resolve(*index);
                    tracer.fact(*index, value, source);
                    value
                } else {
                    self.facts.get(*index)
                }
            }
            NodeKind::Compare(lhs, op, rhs) => {
                match (
                    self.num(lhs, quantified, tracer),
                    self.num(rhs, quantified, tracer),
                ) {
                    (Some(a), Some(b)) => Tri::from_bool(compare(a, *op, b)),
                    _ => Tri::Unknown,
                }
            }
            NodeKind::DateCompare(lhs, op, rhs) => Tri::from_bool(compare(
                self.date(*lhs, quantified),
                *op,
                self.date(*rhs, quantified),
            )),
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
            NodeKind::Exists(source) => {
                let mut result = Tri::False;
                self.walk(
                    source,
                    tracer,
                    |v| match v {
                        Tri::True => {
                            result = Tri::True;
                            false
                        }
                        Tri::Unknown => {
                            result = Tri::Unknown;
                            true
                        }
                        Tri::False => true,
                    },
                    |_| {},
                );
                result
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

    #[inline]
    fn view(&self, line: LineRef, quantified: Option<&LineView>) -> LineView {
        match (line, quantified) {
            (LineRef::Quantified, Some(view)) => *view,
            _ => LineView::of_line(self.line),
        }
    }

    /// A table lookup on the current line's date: the field's value, or `Some(1)` for a
    /// row-exists test; `None` when there is no row. Rules of one line often repeat a lookup
    /// (`mue[line.code]` in several MUE rules, the same PTP pairs in two PTP rules), so
    /// results are memoised for the line.
    #[inline]
    fn table(&self, lookup: &Lookup, quantified: Option<&LineView>) -> Option<i64> {
        let mut keys = [self.line.code; 2];
        for (slot, operand) in keys.iter_mut().zip(&lookup.keys) {
            *slot = self.code(*operand, quantified);
        }
        let n = lookup.keys.len().min(2);
        let key = MemoKey {
            table: std::sync::Arc::as_ptr(&lookup.table) as usize,
            field: lookup.field.map_or(u8::MAX, |f| f as u8),
            codes: [
                keys[0].packed(),
                if n > 1 { keys[1].packed() } else { u32::MAX },
            ],
        };
        if let Some(hit) = self.memo.get(&key) {
            return hit;
        }
        let value = match lookup.field {
            Some(field) => lookup.value(field, &keys[..n], self.line.date),
            None => lookup.row_exists(&keys[..n], self.line.date).then_some(1),
        };
        self.memo.put(key, value);
        value
    }

    #[inline]
    fn code(&self, operand: CodeOperand, quantified: Option<&LineView>) -> ProcedureCode {
        match operand {
            CodeOperand::Literal(code) => code,
            CodeOperand::Line(line) => self.view(line, quantified).code,
        }
    }

    #[inline]
    fn date(&self, operand: DateOperand, quantified: Option<&LineView>) -> Date {
        match operand {
            DateOperand::Literal(date) => date,
            DateOperand::Line(line) => self.view(line, quantified).date,
        }
    }

    /// A number; `None` when it depends on an unknown fact.
    fn num<T: Tracer>(
        &self,
        num: &NumNode,
        quantified: Option<&LineView>,
        tracer: &mut T,
    ) -> Option<i64> {
        match num {
            NumNode::Const(n) => Some(*n),
            NumNode::Units(line) => Some(i64::from(self.view(*line, quantified).units)),
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
            NumNode::Aggregate(kind, source) => {
                let mut total = 0i64;
                let mut unknown = false;
                let mut codes = DistinctCodes::default();
                self.walk(
                    source,
                    tracer,
                    |v| {
                        unknown |= v == Tri::Unknown;
                        true
                    },
                    |view| match kind {
                        AggregateKind::CountLines => total += 1,
                        AggregateKind::SumUnits => {
                            total = total.saturating_add(i64::from(view.units))
                        }
                        AggregateKind::CountDistinctCodes => {
                            if codes.insert(view.code) {
                                total += 1;
                            }
                        }
                    },
                );
                if unknown {
                    None
                } else {
                    Some(total)
                }
            }
        }
    }

    /// Visits the lines of a source. `on_filter` sees each candidate's filter value and
    /// returns whether to continue; `on_match` sees each line whose filter is true.
    fn walk<T: Tracer>(
        &self,
        source: &SourceNode,
        tracer: &mut T,
        mut on_filter: impl FnMut(Tri) -> bool,
        mut on_match: impl FnMut(&LineView),
    ) {
        let current_date = self.line.date;
        let mut visit = |view: &LineView, tracer: &mut T| -> bool {
            if source.same_date && view.date != current_date {
                return true;
            }
            let value = match &source.filter {
                Some(filter) => self.node(filter, Some(view), tracer),
                None => Tri::True,
            };
            if value == Tri::True {
                on_match(view);
            }
            on_filter(value)
        };
        if source.scope != Scope::History {
            for (i, line) in self.claim.lines.iter().enumerate() {
                let skip = match source.selector {
                    Selector::All => false,
                    Selector::Other => i == self.index,
                    Selector::Earlier => i >= self.index,
                };
                if !skip && !visit(&LineView::of_line(line), tracer) {
                    return;
                }
            }
        }
        if source.scope != Scope::Claim {
            let npi = self.claim.provider.npi;
            for prior in self.history {
                if prior.outcome == Outcome::Deny || (source.same_provider && prior.npi != npi) {
                    continue;
                }
                if !visit(&LineView::of_prior(prior), tracer) {
                    return;
                }
            }
        }
    }
}

#[inline]
fn compare<T: PartialOrd>(a: T, op: CompareOp, b: T) -> bool {
    match op {
        CompareOp::Eq => a == b,
        CompareOp::Ne => a != b,
        CompareOp::Lt => a < b,
        CompareOp::Le => a <= b,
        CompareOp::Gt => a > b,
        CompareOp::Ge => a >= b,
    }
}

/// A set of codes that stays on the stack for up to 32 codes.
#[derive(Default)]
struct DistinctCodes {
    inline: [Option<ProcedureCode>; 32],
    len: usize,
    spill: Vec<ProcedureCode>,
}

impl DistinctCodes {
    /// Adds a code; true when it was new.
    fn insert(&mut self, code: ProcedureCode) -> bool {
        if self.inline[..self.len.min(32)].contains(&Some(code)) || self.spill.contains(&code) {
            return false;
        }
        match self.inline.get_mut(self.len) {
            Some(slot) => {
                *slot = Some(code);
                self.len += 1;
            }
            None => self.spill.push(code),
        }
        true
    }
}
