//! Lowers checked conditions to compiled nodes: interns facts, folds constants and extracts
//! each rule's trigger set for the index.

use crate::ir::CodeSet;
use crate::ir::{
    CodeOperand, Cond, CondKind, DateValue, LineRef, Num, Probe, Scope, Source, Visit,
};

use super::facts::FactTable;
use super::program::{DateNode, KnownNode, Node, NodeKind, NumNode, SourceNode};

/// Lowers a condition.
pub fn lower(cond: &Cond, facts: &FactTable) -> Node {
    let kind = match &cond.kind {
        CondKind::Const(b) => NodeKind::Const(*b),
        CondKind::All(parts) => {
            let parts: Vec<Node> = parts
                .iter()
                .map(|p| lower(p, facts))
                .filter(|n| !matches!(n.kind, NodeKind::Const(true)))
                .collect();
            if parts
                .iter()
                .any(|n| matches!(n.kind, NodeKind::Const(false)))
            {
                NodeKind::Const(false)
            } else if parts.is_empty() {
                NodeKind::Const(true)
            } else {
                NodeKind::All(parts.into())
            }
        }
        CondKind::Any(parts) => {
            let parts: Vec<Node> = parts
                .iter()
                .map(|p| lower(p, facts))
                .filter(|n| !matches!(n.kind, NodeKind::Const(false)))
                .collect();
            if parts
                .iter()
                .any(|n| matches!(n.kind, NodeKind::Const(true)))
            {
                NodeKind::Const(true)
            } else if parts.is_empty() {
                NodeKind::Const(false)
            } else {
                NodeKind::Any(parts.into())
            }
        }
        CondKind::Not(inner) => match lower(inner, facts) {
            Node {
                kind: NodeKind::Const(b),
                ..
            } => NodeKind::Const(!b),
            node => NodeKind::Not(Box::new(node)),
        },
        CondKind::CodeIn { line, set } => NodeKind::CodeIn(*line, set.clone()),
        CondKind::CodeEq { lhs, rhs } => match (lhs, rhs) {
            (CodeOperand::Literal(a), CodeOperand::Literal(b)) => NodeKind::Const(a == b),
            _ => NodeKind::CodeEq(*lhs, *rhs),
        },
        CondKind::ModifierIn { line, set } => NodeKind::ModifierIn(*line, set.clone()),
        CondKind::PlaceIn { place, set } => NodeKind::PlaceIn(*place, *set),
        CondKind::DiagnosisIn { diagnoses, set } => NodeKind::DiagnosisIn(*diagnoses, set.clone()),
        CondKind::RoleIs { line, role } => NodeKind::RoleIs(*line, *role),
        CondKind::TaxonomyIn { whose, set } => NodeKind::TaxonomyIn(*whose, set.clone()),
        CondKind::NpiIn { whose, set } => NodeKind::NpiIn(*whose, set.clone()),
        CondKind::SexIs(sex) => NodeKind::SexIs(*sex),
        CondKind::Authorized => NodeKind::Authorized,
        CondKind::Known(Probe::Fact(name)) => match facts.index_of(name) {
            Some(i) => NodeKind::Known(KnownNode::Fact(i)),
            None => NodeKind::Const(false),
        },
        CondKind::Known(probe) => NodeKind::Known(KnownNode::Other(probe.clone())),
        CondKind::PriorAuthorization => NodeKind::PriorAuthorization,
        CondKind::Fact(name) => match facts.index_of(name) {
            Some(i) => NodeKind::Fact(i),
            None => NodeKind::Const(false),
        },
        CondKind::Compare { lhs, op, rhs } => NodeKind::Compare(
            Box::new(lower_num(lhs, facts)),
            *op,
            Box::new(lower_num(rhs, facts)),
        ),
        CondKind::DateCompare { lhs, op, rhs } => NodeKind::DateCompare(
            Box::new(lower_date(lhs, facts)),
            *op,
            Box::new(lower_date(rhs, facts)),
        ),
        CondKind::Exists(source) => NodeKind::Exists(Box::new(lower_source(source, facts))),
        CondKind::TableRow(lookup) => NodeKind::TableRow(lookup.clone()),
        CondKind::TableCompare { lookup, op, rhs } => {
            NodeKind::TableCompare(lookup.clone(), *op, Box::new(lower_num(rhs, facts)))
        }
        CondKind::TableIn { lookup, values } => NodeKind::TableIn(lookup.clone(), values.clone()),
    };
    Node {
        kind,
        span: cond.span,
    }
}

fn lower_num(num: &Num, facts: &FactTable) -> NumNode {
    match num {
        Num::Const(n) => NumNode::Const(*n),
        Num::Units(line) => NumNode::Units(*line),
        Num::Age { months } => NumNode::Age(*months),
        Num::Aggregate { kind, source, .. } => {
            NumNode::Aggregate(*kind, Box::new(lower_source(source, facts)))
        }
        Num::Binary { op, lhs, rhs } => NumNode::Binary(
            *op,
            Box::new(lower_num(lhs, facts)),
            Box::new(lower_num(rhs, facts)),
        ),
    }
}

fn lower_date(date: &DateValue, facts: &FactTable) -> DateNode {
    match date {
        DateValue::Line(line) => DateNode::Line(*line),
        DateValue::Literal(d) => DateNode::Literal(*d),
        DateValue::Shift {
            base,
            later,
            amount,
            unit,
        } => DateNode::Shift {
            base: Box::new(lower_date(base, facts)),
            later: *later,
            amount: lower_num(amount, facts),
            unit: *unit,
        },
    }
}

fn lower_source(source: &Source, facts: &FactTable) -> SourceNode {
    SourceNode {
        selector: source.selector,
        scope: source.scope,
        window: source.window,
        provider: source.provider,
        filter: source.filter.as_ref().map(|f| lower(f, facts)),
    }
}

/// The codes a rule can fire on, when its condition pins the current line's code.
pub fn trigger(cond: &Cond) -> Option<CodeSet> {
    match &cond.kind {
        CondKind::CodeIn {
            line: LineRef::Current,
            set,
        } => Some((**set).clone()),
        CondKind::CodeEq {
            lhs: CodeOperand::Line(LineRef::Current),
            rhs: CodeOperand::Literal(c),
        }
        | CondKind::CodeEq {
            lhs: CodeOperand::Literal(c),
            rhs: CodeOperand::Line(LineRef::Current),
        } => Some(CodeSet::from_ranges(vec![(*c, *c)])),
        CondKind::All(parts) => parts.iter().find_map(trigger),
        CondKind::Any(parts) => parts
            .iter()
            .map(trigger)
            .try_fold(CodeSet::default(), |acc, t| t.map(|t| acc.union(&t))),
        _ => None,
    }
}

/// `cond` less the conjunct [`trigger`] took its codes from, when that conjunct is the whole
/// condition or a direct part of its top-level `and`. On a line the trigger index picked the
/// rule for, the line's code is in the trigger set, so that conjunct is true and evaluating it
/// again is wasted work (`true and x` is `x` in three-valued logic too). A trigger found deeper
/// (inside an `or`, or a nested `and`) is left in place.
pub fn without_trigger(cond: &Cond) -> Cond {
    if is_trigger_test(cond) {
        return Cond {
            kind: CondKind::Const(true),
            span: cond.span,
        };
    }
    if let CondKind::All(parts) = &cond.kind {
        // The part `trigger` reads: the first one that has a trigger.
        if let Some(at) = parts.iter().position(|p| trigger(p).is_some()) {
            if parts.get(at).is_some_and(is_trigger_test) {
                let mut rest = parts.clone();
                rest.remove(at);
                return Cond {
                    kind: CondKind::All(rest),
                    span: cond.span,
                };
            }
        }
    }
    cond.clone()
}

/// A test of the current line's code against a set or one code: what [`trigger`] indexes.
fn is_trigger_test(cond: &Cond) -> bool {
    matches!(
        &cond.kind,
        CondKind::CodeIn {
            line: LineRef::Current,
            ..
        } | CondKind::CodeEq {
            lhs: CodeOperand::Line(LineRef::Current),
            rhs: CodeOperand::Literal(_),
        } | CondKind::CodeEq {
            lhs: CodeOperand::Literal(_),
            rhs: CodeOperand::Line(LineRef::Current),
        }
    )
}

/// Whether a condition reads the patient's history.
pub fn reads_history(cond: &Cond) -> bool {
    let mut reads = false;
    cond.walk(&mut |visit| {
        if let Visit::Source(source) = visit {
            reads |= source.scope != Scope::Claim;
        }
    });
    reads
}

/// How far (in days either side of a line's date) a condition reads the patient's other
/// claims: `Some(0)` when it reads none, `None` when some source of history has no window.
pub fn history_horizon(cond: &Cond) -> Option<u32> {
    let mut horizon = Some(0u32);
    cond.walk(&mut |visit| {
        if let Visit::Source(source) = visit {
            if source.scope != Scope::Claim {
                horizon = match (horizon, source.window.reach_days()) {
                    (Some(h), Some(reach)) => Some(h.max(reach)),
                    _ => None,
                };
            }
        }
    });
    horizon
}
