//! Whether a rule can fire on a line with a given code and date of service, from what the
//! code alone decides.
//!
//! The trigger index already narrows a pack's rules to those whose `line.code in SET` admits
//! the code, but a rule without such a trigger (`line.code not in three_d and ...`, or a
//! table-driven edit) is indexed for every code. Here the condition is evaluated with only
//! the line's code and date known: code sets, code equalities and table lookups keyed by the
//! line's code (or literals) are decided, everything else is unknown, and Kleene logic
//! combines them. A rule is dropped only when its condition is *false* whatever else the
//! claim says, so the lookup never hides a rule that could fire.

use crate::facts::{Date, ProcedureCode};
use crate::ir::{CodeOperand, CompareOp, Cond, CondKind, LineRef, Lookup, Num};

/// `Some(value)` when the code and date alone decide `cond`, `None` when the rest of the
/// claim matters. Recursion follows the condition, whose depth the parser bounds.
pub(super) fn decided(cond: &Cond, code: ProcedureCode, date: Date) -> Option<bool> {
    match &cond.kind {
        CondKind::Const(value) => Some(*value),
        CondKind::All(parts) => {
            let values: Vec<Option<bool>> = parts.iter().map(|p| decided(p, code, date)).collect();
            if values.contains(&Some(false)) {
                Some(false)
            } else if values.iter().all(|v| *v == Some(true)) {
                Some(true)
            } else {
                None
            }
        }
        CondKind::Any(parts) => {
            let values: Vec<Option<bool>> = parts.iter().map(|p| decided(p, code, date)).collect();
            if values.contains(&Some(true)) {
                Some(true)
            } else if values.iter().all(|v| *v == Some(false)) {
                Some(false)
            } else {
                None
            }
        }
        CondKind::Not(inner) => decided(inner, code, date).map(|v| !v),
        CondKind::CodeIn {
            line: LineRef::Current,
            set,
        } => Some(set.contains(code)),
        CondKind::CodeEq { lhs, rhs } => Some(operand(*lhs, code)? == operand(*rhs, code)?),
        CondKind::TableRow(lookup) => Some(lookup.row_exists(&keys(lookup, code)?, date)),
        CondKind::TableCompare {
            lookup,
            op,
            rhs: Num::Const(limit),
        } => {
            let field = lookup.field?;
            // "A lookup with no row makes a comparison false."
            Some(
                lookup
                    .value(field, &keys(lookup, code)?, date)
                    .is_some_and(|value| holds(*op, value, *limit)),
            )
        }
        CondKind::TableIn { lookup, values } => {
            let field = lookup.field?;
            Some(
                lookup
                    .value(field, &keys(lookup, code)?, date)
                    .is_some_and(|value| values.contains(&value)),
            )
        }
        _ => None,
    }
}

fn operand(operand: CodeOperand, code: ProcedureCode) -> Option<ProcedureCode> {
    match operand {
        CodeOperand::Line(LineRef::Current) => Some(code),
        CodeOperand::Literal(literal) => Some(literal),
        CodeOperand::Line(LineRef::Quantified) => None,
    }
}

fn keys(lookup: &Lookup, code: ProcedureCode) -> Option<Vec<ProcedureCode>> {
    lookup.keys.iter().map(|k| operand(*k, code)).collect()
}

fn holds(op: CompareOp, a: i64, b: i64) -> bool {
    match op {
        CompareOp::Eq => a == b,
        CompareOp::Ne => a != b,
        CompareOp::Lt => a < b,
        CompareOp::Le => a <= b,
        CompareOp::Gt => a > b,
        CompareOp::Ge => a >= b,
    }
}
