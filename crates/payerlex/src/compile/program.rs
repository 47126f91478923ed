//! The compiled program: what the evaluator runs.
//!
//! Conditions are lowered to [`Node`]s with facts interned to small integers and constants
//! folded; rules carry their outcome in an `Arc` that findings share, so a finding costs one
//! reference-count increment, not a string copy.

use std::sync::Arc;

use super::facts::FactTable;
use super::index::TriggerIndex;
use crate::facts::{Date, DateRange, ProviderRole, Sex};
use crate::ir::{
    AggregateKind, ArithOp, CodeOperand, CodeSet, CompareOp, DiagnosisRef, DiagnosisSet,
    DurationUnit, LineRef, Lookup, ModifierSet, Needs, NpiRef, NpiSet, OnUnknown, PlaceRef,
    PlaceSet, Probe, ProviderFilter, RuleOutcome, Scope, Selector, TaxonomyRef, TaxonomySet,
    Window,
};
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
    /// The condition less the trigger conjunct the index already checked (see
    /// `lower::without_trigger`): what a rule picked by [`TriggerIndex::rules_for`] for a
    /// line's code still has to meet. Explanations evaluate [`CompiledRule::condition`], so
    /// their traces still show every clause as written.
    pub triggered_condition: Node,
    /// What an unknown condition yields.
    pub on_unknown: OnUnknown,
    /// What the condition reads that a claim may leave out (for "not evaluated" messages).
    pub needs: Needs,
    /// Whether the condition reads other claims (history): such rules are re-run on earlier
    /// lines when a new claim arrives, to find `adjust_prior` findings.
    pub reads_history: bool,
    /// How far (days either side of the line's date) the condition reads other claims;
    /// `None` when some source has no window. An earlier line farther than this from a new
    /// claim's dates cannot change its mind about it, so `adjust_prior` skips it.
    pub horizon_days: Option<u32>,
    /// Each traced clause's text and `file:line:col`, rendered the first time the rule is
    /// explained and reused after (explanations would otherwise scan the policy file for line
    /// numbers and re-normalise whitespace on every clause of every finding).
    pub clause_texts: std::sync::OnceLock<Arc<[crate::eval::ClauseText]>>,
    /// The message of this rule's unknown finding for each claim shape (report, birth date,
    /// sex stated or not), rendered on first use: the finding then shares it instead of
    /// formatting a new string per line.
    pub unknown_messages: [std::sync::OnceLock<Arc<str>>; crate::eval::ClaimShape::COUNT],
}

impl CompiledRule {
    /// The message of this rule's unknown finding on `claim` (shared, rendered once per claim
    /// shape).
    pub fn unknown_message(&self, claim: &crate::facts::Claim) -> Arc<str> {
        let shape = crate::eval::ClaimShape::of(claim);
        let render = || {
            Arc::from(crate::eval::unknown_message(
                &self.info.outcome,
                self.on_unknown,
                self.needs,
                shape,
            ))
        };
        match self.unknown_messages.get(shape.index()) {
            Some(slot) => slot.get_or_init(render).clone(),
            None => render(),
        }
    }

    /// The rendered texts of the clauses an explanation of this rule can name.
    pub fn clause_texts(&self) -> &[crate::eval::ClauseText] {
        self.clause_texts
            .get_or_init(|| crate::eval::clause_texts(&self.info.source, &self.condition))
    }
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
    /// A line's claim's provider role.
    RoleIs(LineRef, ProviderRole),
    /// A taxonomy in a set (unknown when not stated).
    TaxonomyIn(TaxonomyRef, Arc<TaxonomySet>),
    /// An NPI in a set.
    NpiIn(NpiRef, Arc<NpiSet>),
    /// The patient's sex (unknown when not stated).
    SexIs(Sex),
    /// An authorisation covers the current line.
    Authorized,
    /// Whether a value is stated.
    Known(KnownNode),
    /// Prior authorisation present.
    PriorAuthorization,
    /// Report fact by index in the pack's [`FactTable`].
    Fact(usize),
    /// Numeric comparison.
    Compare(Box<NumNode>, CompareOp, Box<NumNode>),
    /// Date comparison.
    DateCompare(Box<DateNode>, CompareOp, Box<DateNode>),
    /// Some line of a source exists.
    Exists(Box<SourceNode>),
    /// Some line of the claim passes a fused date-and-code scan (fast path only: see
    /// `specialize`).
    ScanExists(Box<super::specialize::CodeScan>),
    /// No line of the claim passes a fused scan: `not` of [`NodeKind::ScanExists`] (fast path
    /// only).
    ScanNone(Box<super::specialize::CodeScan>),
    /// `not` of [`NodeKind::Fact`]: unknown when the fact is (fast path only).
    NotFact(usize),
    /// Every set has a modifier of the line: an `and` of [`NodeKind::ModifierIn`] (fast path
    /// only).
    ModifiersAll(LineRef, Box<[Arc<ModifierSet>]>),
    /// A fused scan's count or units compared with a constant (fast path only).
    ScanCompare(Box<super::specialize::ScanCompare>),
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
    /// The patient's age on the current line's date (months when `true`).
    Age(bool),
    /// Aggregate over lines.
    Aggregate(AggregateKind, Box<SourceNode>),
    /// Line count or units of the claim's lines passing a fused scan (fast path only: see
    /// `specialize`).
    ScanAggregate(
        super::specialize::ScanTotal,
        Box<super::specialize::CodeScan>,
    ),
    /// Saturating arithmetic.
    Binary(ArithOp, Box<NumNode>, Box<NumNode>),
}

/// A compiled date.
#[derive(Debug, Clone)]
pub enum DateNode {
    /// A line's date.
    Line(LineRef),
    /// A literal.
    Literal(Date),
    /// A date moved by a duration.
    Shift {
        /// The date moved.
        base: Box<DateNode>,
        /// Later or earlier.
        later: bool,
        /// How many units.
        amount: NumNode,
        /// Days, months or years.
        unit: DurationUnit,
    },
}

/// A compiled `known(...)` probe: facts are interned like [`NodeKind::Fact`].
#[derive(Debug, Clone)]
pub enum KnownNode {
    /// A report fact by index.
    Fact(usize),
    /// Anything else, as checked.
    Other(Probe),
}

/// Compiled line source.
#[derive(Debug, Clone)]
pub struct SourceNode {
    /// All / other / earlier.
    pub selector: Selector,
    /// Claim / history / both.
    pub scope: Scope,
    /// Which dates count.
    pub window: Window,
    /// Which providers count.
    pub provider: ProviderFilter,
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
    /// How far from a line's date any rule looks into the patient's other claims, in days;
    /// `None` when some rule reads history without a date window (unbounded).
    pub horizon_days: Option<u32>,
    /// Fee schedule (and GPCIs) for payment estimates, when the pack declares one.
    pub pricing: Option<Pricing>,
    /// The dates some rule is in force on, as sorted, disjoint ranges (usually one).
    pub coverage: Vec<DateRange>,
}

impl Program {
    /// Whether some rule of the pack is in force on `date`.
    pub fn covers(&self, date: Date) -> bool {
        let at = self.coverage.partition_point(|r| r.until < date);
        self.coverage.get(at).is_some_and(|r| r.contains(date))
    }
}

/// Sorted, disjoint ranges covering the same dates as `ranges` (adjacent ones merged).
pub fn merge_ranges(mut ranges: Vec<DateRange>) -> Vec<DateRange> {
    ranges.retain(|r| !r.is_empty());
    ranges.sort_by_key(|r| r.from);
    let mut merged: Vec<DateRange> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.from <= last.until.add_days(1) => {
                last.until = last.until.max(range.until);
            }
            _ => merged.push(range),
        }
    }
    merged
}

/// The tables payment estimates read.
#[derive(Debug, Clone)]
pub struct Pricing {
    /// A `fee_schedule` table.
    pub fees: Arc<TableSlot>,
    /// A `gpci` table, for claims that name a locality.
    pub gpci: Option<Arc<TableSlot>>,
}
