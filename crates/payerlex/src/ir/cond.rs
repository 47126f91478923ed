//! Typed conditions and numbers: the checked form of a rule's `when`.
//!
//! Every name is resolved (sets are values, tables are slots), every literal validated and
//! every comparison typed, so the compiler and the reference interpreter never see text.
//! Spans stay on every condition so explanations can quote what the author wrote.

use std::sync::Arc;

use super::ops::{AggregateKind, ArithOp, CompareOp, Scope, Selector};
use super::sets::{CodeSet, DiagnosisSet, ModifierSet, PlaceSet};
use crate::facts::{Date, ProcedureCode, ProviderRole};
use crate::source::Span;
use crate::tables::{TableField, TableSlot};

/// Which line an attribute is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineRef {
    /// The line being decided (`line.code`).
    Current,
    /// The line a quantifier ranges over (bare `code` inside `where`).
    Quantified,
}

/// A procedure-code operand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodeOperand {
    /// A line's code.
    Line(LineRef),
    /// A literal.
    Literal(ProcedureCode),
}

/// Whose place of service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceRef {
    /// The current line's (its own, else the claim's).
    Line,
    /// The claim's.
    Claim,
}

/// Whose diagnoses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiagnosisRef {
    /// Those the current line points to.
    Line,
    /// All of the claim's.
    Claim,
}

/// A date operand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateOperand {
    /// A line's date of service.
    Line(LineRef),
    /// A literal.
    Literal(Date),
}

/// A number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Num {
    /// A literal.
    Const(i64),
    /// A line's units.
    Units(LineRef),
    /// An aggregate over lines.
    Aggregate {
        /// Count, distinct codes or units.
        kind: AggregateKind,
        /// The lines.
        source: Box<Source>,
        /// Where it was written.
        span: Span,
    },
    /// Arithmetic (saturating).
    Binary {
        /// Operator.
        op: ArithOp,
        /// Left.
        lhs: Box<Num>,
        /// Right.
        rhs: Box<Num>,
    },
}

/// The lines a quantifier or aggregate ranges over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// All, other, or earlier lines.
    pub selector: Selector,
    /// Claim, history or both.
    pub scope: Scope,
    /// Same date of service as the current line.
    pub same_date: bool,
    /// Same billing provider as the claim.
    pub same_provider: bool,
    /// Extra condition on each line.
    pub filter: Option<Box<Cond>>,
}

/// A typed condition with its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cond {
    /// The condition.
    pub kind: CondKind,
    /// Where it was written.
    pub span: Span,
}

/// Typed conditions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CondKind {
    /// Constant (an empty `and` is true).
    Const(bool),
    /// All of.
    All(Vec<Cond>),
    /// Any of.
    Any(Vec<Cond>),
    /// Negation.
    Not(Box<Cond>),
    /// A line's code is in a set.
    CodeIn {
        /// Which line.
        line: LineRef,
        /// The set.
        set: Arc<CodeSet>,
    },
    /// Two codes are equal.
    CodeEq {
        /// Left.
        lhs: CodeOperand,
        /// Right.
        rhs: CodeOperand,
    },
    /// Some modifier of a line is in a set.
    ModifierIn {
        /// Which line.
        line: LineRef,
        /// The set.
        set: Arc<ModifierSet>,
    },
    /// A place of service is in a set.
    PlaceIn {
        /// Whose.
        place: PlaceRef,
        /// The set.
        set: PlaceSet,
    },
    /// Some diagnosis is in a set.
    DiagnosisIn {
        /// Whose.
        diagnoses: DiagnosisRef,
        /// The set.
        set: Arc<DiagnosisSet>,
    },
    /// The provider's role.
    RoleIs(ProviderRole),
    /// The claim carries a prior authorisation.
    PriorAuthorization,
    /// A report fact (three-valued: unknown without a report).
    Fact(Arc<str>),
    /// Numeric comparison.
    Compare {
        /// Left.
        lhs: Num,
        /// Operator.
        op: CompareOp,
        /// Right.
        rhs: Num,
    },
    /// Date comparison.
    DateCompare {
        /// Left.
        lhs: DateOperand,
        /// Operator.
        op: CompareOp,
        /// Right.
        rhs: DateOperand,
    },
    /// Some line of the source exists.
    Exists(Box<Source>),
    /// A table row exists for the keys on the current line's date of service.
    TableRow(Lookup),
    /// A table field compared with a number; false when there is no row.
    TableCompare {
        /// The lookup (with a field).
        lookup: Lookup,
        /// Operator.
        op: CompareOp,
        /// Right side.
        rhs: Num,
    },
    /// A table field is one of the numbers; false when there is no row.
    TableIn {
        /// The lookup (with a field).
        lookup: Lookup,
        /// Accepted values.
        values: Arc<[i64]>,
    },
}

/// A lookup in a rule: the table, the key operands and the field read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// The table.
    pub table: Arc<TableSlot>,
    /// Key operands (codes of the current or quantified line, or literals).
    pub keys: Vec<CodeOperand>,
    /// The field; `None` when the lookup tests that the row exists.
    pub field: Option<TableField>,
}

impl Lookup {
    /// Whether a row exists for resolved `keys` on `date`.
    pub fn row_exists(&self, keys: &[ProcedureCode], date: Date) -> bool {
        self.table.row_exists(self.field, keys, date)
    }

    /// The field's value for resolved `keys` on `date`; `None` when there is no row.
    pub fn value(&self, field: TableField, keys: &[ProcedureCode], date: Date) -> Option<i64> {
        self.table.value(field, keys, date)
    }
}
