//! The compiled program: what the evaluator runs.
//!
//! Conditions are lowered to [`Node`]s with facts interned to small integers and constants
//! folded; rules carry their outcome in an `Arc` that findings share, so a finding costs one
//! reference-count increment, not a string copy.

use std::sync::Arc;

use super::facts::FactTable;
use super::index::TriggerIndex;
use crate::facts::{DateRange, ProviderRole};
use crate::ir::Lookup;
use crate::ir::{
    AggregateKind, ArithOp, CodeOperand, CompareOp, DateOperand, DiagnosisRef, LineRef, PlaceRef,
    RuleOutcome, Scope, Selector,
};
use crate::ir::{CodeSet, DiagnosisSet, ModifierSet, PlaceSet};
use crate::source::{SourceFile, Span};
use crate::tables::TableSlot;

/// What a finding reports about the rule that produced it, and what a pack lists about each of
/// its rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    /// `policy/rule`.
    pub(crate) id: Arc<str>,
    /// The citation.
    pub(crate) citation: Option<Arc<str>>,
    /// The outcome.
    pub(crate) outcome: RuleOutcome,
    /// The rule's file, for explanations.
    pub(crate) source: Arc<SourceFile>,
    /// The rule's span.
    pub(crate) span: Span,
}

impl RuleInfo {
    /// `policy/rule`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Where the rule comes from (`cite "..."`).
    pub fn citation(&self) -> Option<&str> {
        self.citation.as_deref()
    }

    /// What the rule asks for when it fires.
    pub fn outcome(&self) -> crate::eval::FindingOutcome {
        crate::eval::FindingOutcome::of(self.outcome.kind)
    }

    /// Its claim adjustment reason code.
    pub fn carc(&self) -> Option<crate::facts::Carc> {
        self.outcome.carc
    }

    /// Its remark codes.
    pub fn rarcs(&self) -> &[crate::facts::Rarc] {
        &self.outcome.rarcs
    }

    /// The message shown to the biller.
    pub fn message(&self) -> &str {
        &self.outcome.message
    }

    /// `file:line:col` of the rule.
    pub fn location(&self) -> String {
        let (line, col) = self.source.line_col(self.span.start);
        format!("{}:{line}:{col}", self.source.name)
    }
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct CompiledRule {
    /// Shared description.
    pub info: Arc<RuleInfo>,
    /// Dates in force: the rule's, the policy's and the pack's ranges intersected.
    pub effective: DateRange,
    /// The condition.
    pub condition: Node,
}

/// A compiled condition node with its source span (for explanations).
#[derive(Debug, Clone)]
pub struct Node {
    /// What to evaluate.
    pub kind: NodeKind,
    /// Where the author wrote it.
    pub span: Span,
}

/// Compiled conditions.
#[derive(Debug, Clone)]
pub enum NodeKind {
    /// Constant.
    Const(bool),
    /// All of (short-circuits on false).
    All(Box<[Node]>),
    /// Any of (short-circuits on true).
    Any(Box<[Node]>),
    /// Negation.
    Not(Box<Node>),
    /// A line's code in a set.
    CodeIn(LineRef, Arc<CodeSet>),
    /// Two codes equal.
    CodeEq(CodeOperand, CodeOperand),
    /// Some modifier of a line in a set.
    ModifierIn(LineRef, Arc<ModifierSet>),
    /// A place in a set.
    PlaceIn(PlaceRef, PlaceSet),
    /// Some diagnosis in a set.
    DiagnosisIn(DiagnosisRef, Arc<DiagnosisSet>),
    /// Provider role.
    RoleIs(ProviderRole),
    /// Prior authorisation present.
    PriorAuthorization,
    /// Report fact by index in the pack's [`FactTable`].
    Fact(usize),
    /// Numeric comparison.
    Compare(Box<NumNode>, CompareOp, Box<NumNode>),
    /// Date comparison.
    DateCompare(DateOperand, CompareOp, DateOperand),
    /// Some line of a source exists.
    Exists(Box<SourceNode>),
    /// A table row exists.
    TableRow(Lookup),
    /// A table field compared with a number (false without a row).
    TableCompare(Lookup, CompareOp, Box<NumNode>),
    /// A table field among numbers (false without a row).
    TableIn(Lookup, Arc<[i64]>),
}

/// Compiled numbers.
#[derive(Debug, Clone)]
pub enum NumNode {
    /// Literal.
    Const(i64),
    /// A line's units.
    Units(LineRef),
    /// Aggregate over lines.
    Aggregate(AggregateKind, Box<SourceNode>),
    /// Saturating arithmetic.
    Binary(ArithOp, Box<NumNode>, Box<NumNode>),
}

/// Compiled line source.
#[derive(Debug, Clone)]
pub struct SourceNode {
    /// All / other / earlier.
    pub selector: Selector,
    /// Claim / history / both.
    pub scope: Scope,
    /// Same date of service.
    pub same_date: bool,
    /// Same provider.
    pub same_provider: bool,
    /// Filter on each line.
    pub filter: Option<Node>,
}

/// A compiled pack: rules in order, the trigger index and the fact table.
#[derive(Debug, Clone)]
pub struct Program {
    /// Rules in evaluation order (base pack rules first).
    pub rules: Vec<CompiledRule>,
    /// Code -> rules that can fire on a line with that code.
    pub index: TriggerIndex,
    /// Report facts.
    pub facts: FactTable,
    /// Whether any rule reads the patient's history.
    pub reads_history: bool,
    /// Fee schedule (and GPCIs) for payment estimates, when the pack declares one.
    pub pricing: Option<Pricing>,
}

/// The tables payment estimates read.
#[derive(Debug, Clone)]
pub struct Pricing {
    /// A `fee_schedule` table.
    pub fees: Arc<TableSlot>,
    /// A `gpci` table, for claims that name a locality.
    pub gpci: Option<Arc<TableSlot>>,
}
