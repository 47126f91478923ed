//! One read-only traversal of a typed condition, and span-free structural equality.
//!
//! Several passes only *read* a condition: which report facts it needs, whether it looks at
//! the patient's history, which codes and dates it mentions. Each used to be its own
//! recursion over `Cond`, `Num` and `Source`; a new construct had to be added to all of them,
//! and forgetting one was silent. [`Cond::walk`] visits every node once, in source order, so a
//! pass is a `match` on [`Visit`].
//!
//! [`Cond::same_meaning`] compares two conditions ignoring where they were written: the
//! static checks compare rules by what they test (sets by their contents), and `payerlex
//! diff` treats a reformatted rule as unchanged.

use super::cond::{Cond, CondKind, DateValue, Num, Source};

/// A node met while walking a condition.
#[derive(Debug, Clone, Copy)]
pub enum Visit<'a> {
    /// A condition (including every sub-condition and every `where` filter).
    Cond(&'a Cond),
    /// A number (including aggregates and arithmetic operands).
    Num(&'a Num),
    /// The lines a quantifier or aggregate ranges over.
    Source(&'a Source),
}

impl Cond {
    /// Visits this condition and everything inside it, parents before children, in the order
    /// written. Depth is bounded by the parser's nesting limit.
    pub fn walk<'a>(&'a self, visit: &mut impl FnMut(Visit<'a>)) {
        visit(Visit::Cond(self));
        match &self.kind {
            CondKind::All(parts) | CondKind::Any(parts) => {
                parts.iter().for_each(|part| part.walk(visit))
            }
            CondKind::Not(inner) => inner.walk(visit),
            CondKind::Compare { lhs, rhs, .. } => {
                lhs.walk(visit);
                rhs.walk(visit);
            }
            CondKind::TableCompare { rhs, .. } => rhs.walk(visit),
            CondKind::Exists(source) => source.walk(visit),
            CondKind::DateCompare { lhs, rhs, .. } => {
                lhs.walk(visit);
                rhs.walk(visit);
            }
            CondKind::Const(_)
            | CondKind::CodeIn { .. }
            | CondKind::CodeEq { .. }
            | CondKind::ModifierIn { .. }
            | CondKind::PlaceIn { .. }
            | CondKind::DiagnosisIn { .. }
            | CondKind::RoleIs { .. }
            | CondKind::TaxonomyIn { .. }
            | CondKind::NpiIn { .. }
            | CondKind::SexIs(_)
            | CondKind::Authorized
            | CondKind::Known(_)
            | CondKind::PriorAuthorization
            | CondKind::Fact(_)
            | CondKind::TableRow(_)
            | CondKind::TableIn { .. } => {}
        }
    }

    /// Whether `self` and `other` test the same thing, wherever and however they were written
    /// (spans ignored; sets and tables compared by content).
    pub fn same_meaning(&self, other: &Cond) -> bool {
        use CondKind::*;
        match (&self.kind, &other.kind) {
            (All(a), All(b)) | (Any(a), Any(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_meaning(y))
            }
            (Not(a), Not(b)) => a.same_meaning(b),
            (
                Compare {
                    lhs: l1,
                    op: o1,
                    rhs: r1,
                },
                Compare {
                    lhs: l2,
                    op: o2,
                    rhs: r2,
                },
            ) => o1 == o2 && l1.same_meaning(l2) && r1.same_meaning(r2),
            (
                TableCompare {
                    lookup: k1,
                    op: o1,
                    rhs: r1,
                },
                TableCompare {
                    lookup: k2,
                    op: o2,
                    rhs: r2,
                },
            ) => k1 == k2 && o1 == o2 && r1.same_meaning(r2),
            (Exists(a), Exists(b)) => a.same_meaning(b),
            (
                DateCompare {
                    lhs: l1,
                    op: o1,
                    rhs: r1,
                },
                DateCompare {
                    lhs: l2,
                    op: o2,
                    rhs: r2,
                },
            ) => o1 == o2 && l1.same_meaning(l2) && r1.same_meaning(r2),
            // Every other kind holds no span below it: plain equality is span-free.
            (a, b) => a == b,
        }
    }
}

impl Num {
    /// Visits this number and everything inside it (see [`Cond::walk`]).
    pub fn walk<'a>(&'a self, visit: &mut impl FnMut(Visit<'a>)) {
        visit(Visit::Num(self));
        match self {
            Num::Aggregate { source, .. } => source.walk(visit),
            Num::Binary { lhs, rhs, .. } => {
                lhs.walk(visit);
                rhs.walk(visit);
            }
            Num::Const(_) | Num::Units(_) | Num::Age { .. } => {}
        }
    }

    /// Structural equality ignoring spans (see [`Cond::same_meaning`]).
    pub fn same_meaning(&self, other: &Num) -> bool {
        match (self, other) {
            (
                Num::Aggregate {
                    kind: k1,
                    source: s1,
                    ..
                },
                Num::Aggregate {
                    kind: k2,
                    source: s2,
                    ..
                },
            ) => k1 == k2 && s1.same_meaning(s2),
            (
                Num::Binary {
                    op: o1,
                    lhs: l1,
                    rhs: r1,
                },
                Num::Binary {
                    op: o2,
                    lhs: l2,
                    rhs: r2,
                },
            ) => o1 == o2 && l1.same_meaning(l2) && r1.same_meaning(r2),
            (a, b) => a == b,
        }
    }
}

impl DateValue {
    /// Visits the numbers a shifted date adds (see [`Cond::walk`]).
    pub fn walk<'a>(&'a self, visit: &mut impl FnMut(Visit<'a>)) {
        if let DateValue::Shift { base, amount, .. } = self {
            base.walk(visit);
            amount.walk(visit);
        }
    }

    /// Structural equality ignoring spans (see [`Cond::same_meaning`]).
    pub fn same_meaning(&self, other: &DateValue) -> bool {
        match (self, other) {
            (
                DateValue::Shift {
                    base: b1,
                    later: l1,
                    amount: a1,
                    unit: u1,
                },
                DateValue::Shift {
                    base: b2,
                    later: l2,
                    amount: a2,
                    unit: u2,
                },
            ) => l1 == l2 && u1 == u2 && b1.same_meaning(b2) && a1.same_meaning(a2),
            (a, b) => a == b,
        }
    }
}

impl Source {
    /// Visits the source and its `where` filter (see [`Cond::walk`]).
    pub fn walk<'a>(&'a self, visit: &mut impl FnMut(Visit<'a>)) {
        visit(Visit::Source(self));
        if let Some(filter) = &self.filter {
            filter.walk(visit);
        }
    }

    /// Structural equality ignoring spans (see [`Cond::same_meaning`]).
    pub fn same_meaning(&self, other: &Source) -> bool {
        self.selector == other.selector
            && self.scope == other.scope
            && self.window == other.window
            && self.provider == other.provider
            && match (&self.filter, &other.filter) {
                (Some(a), Some(b)) => a.same_meaning(b),
                (None, None) => true,
                _ => false,
            }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::facts::ProcedureCode;
    use crate::ir::{AggregateKind, CodeSet, CompareOp, LineRef, Scope, Selector};
    use crate::source::Span;

    fn at(start: usize) -> Span {
        Span {
            start,
            end: start + 1,
        }
    }

    fn code_in(codes: &[&str], span: Span) -> Cond {
        let ranges = codes
            .iter()
            .map(|c| {
                let c = ProcedureCode::parse(c).unwrap();
                (c, c)
            })
            .collect();
        Cond {
            kind: CondKind::CodeIn {
                line: LineRef::Current,
                set: Arc::new(CodeSet::from_ranges(ranges)),
            },
            span,
        }
    }

    fn counting(filter: Cond, span: Span) -> Cond {
        let source = Source {
            selector: Selector::Other,
            scope: Scope::History,
            window: crate::ir::Window::SameDate,
            provider: crate::ir::ProviderFilter::Any,
            filter: Some(Box::new(filter)),
        };
        Cond {
            kind: CondKind::Compare {
                lhs: Num::Aggregate {
                    kind: AggregateKind::CountLines,
                    source: Box::new(source),
                    span,
                },
                op: CompareOp::Gt,
                rhs: Num::Const(1),
            },
            span,
        }
    }

    #[test]
    fn walk_visits_every_node_in_order() {
        let cond = Cond {
            kind: CondKind::All(vec![
                code_in(&["76377"], at(0)),
                counting(code_in(&["70450"], at(20)), at(10)),
            ]),
            span: at(0),
        };
        let mut seen = Vec::new();
        cond.walk(&mut |v| {
            seen.push(match v {
                Visit::Cond(c) => format!("cond@{}", c.span.start),
                Visit::Num(Num::Const(n)) => format!("const {n}"),
                Visit::Num(_) => "num".to_owned(),
                Visit::Source(s) => format!("source {:?}", s.scope),
            })
        });
        assert_eq!(
            seen,
            [
                "cond@0",
                "cond@0",
                "cond@10",
                "num",
                "source History",
                "cond@20",
                "const 1"
            ]
        );
    }

    #[test]
    fn same_meaning_ignores_spans_and_compares_sets_by_content() {
        let a = counting(code_in(&["70450"], at(20)), at(10));
        let moved = counting(code_in(&["70450"], at(99)), at(50));
        let other_set = counting(code_in(&["70460"], at(20)), at(10));
        assert!(a.same_meaning(&moved));
        assert!(!a.same_meaning(&other_set));
        assert_ne!(a, moved, "derived equality still sees spans");
    }
}
