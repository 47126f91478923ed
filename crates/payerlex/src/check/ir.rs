//! The checked policy: names resolved, literals validated, every condition typed.
//!
//! This is the semantic model of a policy. The compiler lowers it into an indexed program;
//! the reference interpreter (change testing) evaluates it directly. Spans stay on every
//! condition so explanations can quote what the author wrote.

use std::sync::Arc;

pub use crate::syntax::ast::{
    AggregateKind, ArithOp, CompareOp, OutcomeKind, Scope, Selector, Span,
};

use super::sets::{CodeSet, DiagnosisSet, ModifierSet, PlaceSet};
use crate::facts::{Carc, Date, DateRange, ProcedureCode, ProviderRole, Rarc};
pub use crate::tables::{Lookup, TableSlot};

/// A policy source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Display path (relative to the policies folder where possible).
    pub name: String,
    /// The full text.
    pub text: Arc<str>,
}

impl SourceFile {
    /// The text a span covers.
    pub fn snippet(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let before = self.text.get(..offset).unwrap_or(&self.text);
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    }
}

/// A named set as declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetValue {
    /// Procedure codes.
    Codes(Arc<CodeSet>),
    /// Modifiers.
    Modifiers(Arc<ModifierSet>),
    /// Places of service.
    Places(Arc<PlaceSet>),
    /// Diagnosis categories.
    Diagnoses(Arc<DiagnosisSet>),
    /// Report phrases (declares the report fact of the same name).
    Phrases(Arc<[String]>),
}

impl SetValue {
    /// What the set holds, for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Self::Codes(_) => "a set of procedure codes",
            Self::Modifiers(_) => "a set of modifiers",
            Self::Places(_) => "a set of places of service",
            Self::Diagnoses(_) => "a set of diagnoses",
            Self::Phrases(_) => "a phrase list",
        }
    }
}

/// A named set of a checked policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedSet {
    /// Its name.
    pub name: String,
    /// Its value.
    pub value: SetValue,
    /// Where it was declared.
    pub span: Span,
}

/// A checked policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedPolicy {
    /// `policy NAME`.
    pub name: String,
    /// `version`.
    pub version: semver::Version,
    /// `effective` range (open when absent).
    pub effective: DateRange,
    /// Declared sets (not imported ones), in source order.
    pub sets: Vec<NamedSet>,
    /// Report facts this policy reads, with their phrase lists (empty: caller-stated only).
    pub facts: Vec<FactDecl>,
    /// Rules in source order.
    pub rules: Vec<CheckedRule>,
    /// Tables declared by this policy (data attached when the pack loads).
    pub tables: Vec<Arc<TableSlot>>,
    /// The source file.
    pub source: Arc<SourceFile>,
}

/// A report fact known to a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactDecl {
    /// The fact's name (`independent_workstation`).
    pub name: Arc<str>,
    /// Phrases that make it true when found in the report text (case-insensitive).
    pub phrases: Arc<[String]>,
}

/// A checked rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedRule {
    /// `policy/rule`.
    pub id: Arc<str>,
    /// The rule's own name.
    pub name: String,
    /// `replaces policy/rule`, with where it was written.
    pub replaces: Option<(String, Span)>,
    /// The citation.
    pub citation: Option<Arc<str>>,
    /// Dates in force: the rule's own range within the policy's.
    pub effective: DateRange,
    /// The condition.
    pub condition: Cond,
    /// The outcome.
    pub outcome: RuleOutcome,
    /// The whole rule.
    pub span: Span,
    /// Its file.
    pub source: Arc<SourceFile>,
}

/// What a rule does when its condition holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleOutcome {
    /// Deny, review or advice.
    pub kind: OutcomeKind,
    /// Claim adjustment reason code.
    pub carc: Option<Carc>,
    /// Remark codes.
    pub rarcs: Arc<[Rarc]>,
    /// Suggested replacement code (review).
    pub suggest: Option<ProcedureCode>,
    /// Message to the biller.
    pub message: Arc<str>,
}

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
