//! Fused forms of the commonest quantifier, for the fast path: `any line on same date where
//! code in base_study`, `no other line ... where code = 76377`, `sum units of lines on same date
//! where code = line.code`. These read only the claim's own lines, count every provider, and
//! filter on the quantified line's code alone.
//!
//! The general walk (`eval::walk`) pays for its generality on every line it visits: a call to
//! the node evaluator for the filter, the provider test, the rendering NPI, the history loop.
//! A [`CodeScan`] is one loop over the claim's lines that compares a date range and a code, so
//! the 3D rules' clauses cost a few instructions per line instead of a recursive evaluation.
//! A code test is never unknown, so the fused form has no third value to carry.
//!
//! Only a rule's `triggered_condition` (what `decide` and `adjust_prior` evaluate) is fused.
//! Explanations evaluate the condition as lowered, so their traces are those of the clauses as
//! written; the reference interpreter and the differential test check the two forms agree.

use std::sync::Arc;

use super::program::{Node, NodeKind, NumNode, SourceNode};
use crate::facts::ProcedureCode;
use crate::ir::{
    AggregateKind, CodeOperand, CodeSet, LineRef, ProviderFilter, Scope, Selector, Window,
};

/// A quantifier over the claim's own lines, by date window and code only.
#[derive(Debug, Clone)]
pub struct CodeScan {
    /// All / other / earlier lines.
    pub selector: Selector,
    /// Which dates count, around the current line's.
    pub window: Window,
    /// Which codes count.
    pub codes: ScanCodes,
}

/// The code test of a [`CodeScan`].
#[derive(Debug, Clone)]
pub enum ScanCodes {
    /// No filter, or one always true (`code = code`).
    Every,
    /// `code in SET`.
    In(Arc<CodeSet>),
    /// `code = C`.
    Is(ProcedureCode),
    /// `code = line.code`: the current line's code.
    SameAsCurrent,
}

impl ScanCodes {
    /// Whether a line with `code` passes, when the current line's code is `current`.
    #[inline]
    pub fn admit(&self, code: ProcedureCode, current: ProcedureCode) -> bool {
        match self {
            ScanCodes::Every => true,
            ScanCodes::In(set) => set.contains(code),
            ScanCodes::Is(wanted) => code == *wanted,
            ScanCodes::SameAsCurrent => code == current,
        }
    }
}

/// `node` with every quantifier that can be fused replaced by its fused form (through
/// `and`, `or`, `not` and comparisons; filters are left as they are).
pub fn specialize(node: Node) -> Node {
    let Node { kind, span } = node;
    let kind = match kind {
        NodeKind::All(parts) => {
            NodeKind::All(parts.into_vec().into_iter().map(specialize).collect())
        }
        NodeKind::Any(parts) => {
            NodeKind::Any(parts.into_vec().into_iter().map(specialize).collect())
        }
        NodeKind::Not(inner) => NodeKind::Not(Box::new(specialize(*inner))),
        NodeKind::Exists(source) => match scan_of(&source) {
            Some(scan) => NodeKind::ScanExists(Box::new(scan)),
            None => NodeKind::Exists(source),
        },
        NodeKind::Compare(lhs, op, rhs) => NodeKind::Compare(
            Box::new(specialize_num(*lhs)),
            op,
            Box::new(specialize_num(*rhs)),
        ),
        other => other,
    };
    Node { kind, span }
}

fn specialize_num(num: NumNode) -> NumNode {
    match num {
        NumNode::Aggregate(
            kind @ (AggregateKind::CountLines | AggregateKind::SumUnits),
            source,
        ) => match scan_of(&source) {
            Some(scan) => NumNode::ScanAggregate(kind, Box::new(scan)),
            None => NumNode::Aggregate(kind, source),
        },
        NumNode::Binary(op, lhs, rhs) => NumNode::Binary(
            op,
            Box::new(specialize_num(*lhs)),
            Box::new(specialize_num(*rhs)),
        ),
        other => other,
    }
}

/// The fused form of `source`, when it reads only the claim's lines, counts every provider
/// and filters on the quantified line's code alone.
fn scan_of(source: &SourceNode) -> Option<CodeScan> {
    if source.scope != Scope::Claim || source.provider != ProviderFilter::Any {
        return None;
    }
    let codes = match source.filter.as_ref().map(|f| &f.kind) {
        None => ScanCodes::Every,
        Some(NodeKind::Const(true)) => ScanCodes::Every,
        Some(NodeKind::CodeIn(LineRef::Quantified, set)) => ScanCodes::In(set.clone()),
        Some(NodeKind::CodeEq(lhs, rhs)) => code_test(*lhs, *rhs)?,
        Some(_) => return None,
    };
    Some(CodeScan {
        selector: source.selector,
        window: source.window,
        codes,
    })
}

/// `lhs = rhs` as a test of the quantified line's code, when it is one.
fn code_test(lhs: CodeOperand, rhs: CodeOperand) -> Option<ScanCodes> {
    use CodeOperand::{Line, Literal};
    let quantified = Line(LineRef::Quantified);
    match (lhs, rhs) {
        (a, b) if a == quantified && b == quantified => Some(ScanCodes::Every),
        (a, Literal(code)) | (Literal(code), a) if a == quantified => Some(ScanCodes::Is(code)),
        (a, Line(LineRef::Current)) | (Line(LineRef::Current), a) if a == quantified => {
            Some(ScanCodes::SameAsCurrent)
        }
        _ => None,
    }
}
