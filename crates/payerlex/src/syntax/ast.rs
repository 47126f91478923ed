//! The abstract syntax tree: what the author wrote, with a source span on every node.
//!
//! Nothing here is resolved or validated beyond the grammar: names are strings, literals are
//! the text as written. The check stage turns this into a typed, resolved policy and points
//! its diagnostics at these spans.

pub use crate::ir::ops::{
    AggregateKind, ArithOp, CompareOp, Direction, DurationUnit, OutcomeKind, Scope, Selector,
};
pub use crate::source::{Span, Spanned};

/// One parsed policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyAst {
    /// `policy NAME`.
    pub name: Spanned<String>,
    /// `version X.Y.Z`.
    pub version: Spanned<String>,
    /// `effective DATE [until DATE]`.
    pub effective: Option<EffectiveAst>,
    /// Sets, imports, fact declarations and rules, in source order.
    pub items: Vec<Item>,
}

/// `effective DATE [until DATE]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EffectiveAst {
    /// First day in force.
    pub from: Spanned<String>,
    /// Last day in force, when the rule or policy expires.
    pub until: Option<Spanned<String>>,
    /// The whole clause.
    pub span: Span,
}

/// A top-level declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A named set of codes, modifiers, places, diagnoses or phrases.
    Set(SetDecl),
    /// `import a, b from other.policy`.
    Import(ImportDecl),
    /// `facts a, b`: report facts the caller states (no phrase list).
    Facts(Vec<Spanned<String>>),
    /// `table NAME = KIND "file" [from DATE], ...`.
    Table(TableDecl),
    /// A rule.
    Rule(Box<RuleDecl>),
}

/// What a named set holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetKind {
    /// `set`: procedure codes.
    Codes,
    /// `modifiers`.
    Modifiers,
    /// `places`: place-of-service codes.
    Places,
    /// `diagnoses`: ICD-10-CM prefixes.
    Diagnoses,
    /// `phrases`: report phrases, which also declare a report fact of the same name.
    Phrases,
    /// `taxonomies`: NUCC provider taxonomy codes (specialties).
    Taxonomies,
    /// `npis`: National Provider Identifiers.
    Npis,
}

impl SetKind {
    /// The keyword that declares this kind.
    pub fn keyword(self) -> &'static str {
        match self {
            Self::Codes => "set",
            Self::Modifiers => "modifiers",
            Self::Places => "places",
            Self::Diagnoses => "diagnoses",
            Self::Phrases => "phrases",
            Self::Taxonomies => "taxonomies",
            Self::Npis => "npis",
        }
    }
}

/// `KIND NAME = element, element...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetDecl {
    /// What the set holds.
    pub kind: SetKind,
    /// Its name.
    pub name: Spanned<String>,
    /// Elements as written.
    pub elements: Vec<Element>,
    /// The whole declaration.
    pub span: Span,
}

/// A set element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Element {
    /// A single value (`76377`, `26`, `S42.2`).
    Single(Spanned<String>),
    /// An inclusive range (`70450..70498`).
    Range(Spanned<String>, Spanned<String>),
    /// A quoted phrase.
    Phrase(Spanned<String>),
}

/// A data table loaded from files in a CMS layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDecl {
    /// The table's name in this policy.
    pub name: Spanned<String>,
    /// The layout (`ncci_ptp`, `mue`, `add_on_codes`, `fee_schedule`, `gpci`).
    pub kind: Spanned<String>,
    /// Files, relative to the pack folder, each optionally in force from a date.
    pub files: Vec<TableFileAst>,
    /// The whole declaration.
    pub span: Span,
}

/// One file of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableFileAst {
    /// Path relative to the pack folder.
    pub path: Spanned<String>,
    /// First date the file is in force (fee schedules by year).
    pub from: Option<Spanned<String>>,
}

/// `TABLE[key, ...]` with an optional `.field`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableLookupAst {
    /// The table.
    pub table: Spanned<String>,
    /// Key values (procedure codes).
    pub keys: Vec<Value>,
    /// The field read; none when the lookup is a condition (the row exists).
    pub field: Option<Spanned<String>>,
    /// The whole lookup.
    pub span: Span,
}

/// `import a, b from policy`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportDecl {
    /// Imported set names.
    pub names: Vec<Spanned<String>>,
    /// The policy they come from.
    pub from: Spanned<String>,
}

/// A rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDecl {
    /// Rule name, unique in its policy.
    pub name: Spanned<String>,
    /// `replaces policy/rule`: this rule takes the place of a rule of an extended pack.
    pub replaces: Option<Spanned<String>>,
    /// `cite "..."` clauses (exactly one expected).
    pub cites: Vec<Spanned<String>>,
    /// `effective` clauses (at most one expected).
    pub effective: Vec<EffectiveAst>,
    /// `when` clauses (exactly one expected).
    pub when: Vec<Expr>,
    /// `when unknown ACTION` clauses (at most one expected).
    pub on_unknown: Vec<Spanned<UnknownAction>>,
    /// What happens when the condition holds.
    pub outcome: OutcomeAst,
    /// The whole rule.
    pub span: Span,
}

/// `deny`, `review` or `advice`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeAst {
    /// Which outcome.
    pub kind: Spanned<OutcomeKind>,
    /// `group CO|PR|OA|PI`.
    pub group: Option<Spanned<String>>,
    /// `carc X`.
    pub carc: Option<Spanned<String>>,
    /// `rarc X, Y`.
    pub rarcs: Vec<Spanned<String>>,
    /// `suggest CODE` (review only).
    pub suggest: Option<Spanned<String>>,
    /// The message shown to the biller.
    pub message: Spanned<String>,
}

/// A condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExprKind {
    /// Any of.
    Or(Vec<Expr>),
    /// All of.
    And(Vec<Expr>),
    /// Negation.
    Not(Box<Expr>),
    /// `value OP value`.
    Compare {
        /// Left side.
        lhs: Value,
        /// Operator.
        op: CompareOp,
        /// Right side.
        rhs: Value,
    },
    /// `value [not] in set`.
    In {
        /// The tested value.
        value: Value,
        /// `not in`.
        negated: bool,
        /// The set.
        set: SetRef,
    },
    /// `[line] has [no] modifier X` / `... modifier in SET`.
    HasModifier {
        /// `line`, or none inside a `where` (the quantified line).
        subject: Option<Spanned<String>>,
        /// `has no modifier`.
        negated: bool,
        /// The modifier or set.
        modifier: SetRef,
    },
    /// `any ...` / `no ...`.
    Quantified {
        /// `no` rather than `any`.
        none: bool,
        /// The lines ranged over.
        source: LineSource,
    },
    /// A boolean attribute used as a condition (`report.independent_workstation`).
    Flag(Path),
    /// A table row exists (`aoc[line.code, code]`).
    TableRow(TableLookupAst),
    /// `known(patient.age)`: whether a value is stated (never unknown itself).
    Known(KnownTarget),
}

/// What `known(...)` asks about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KnownTarget {
    /// A field (`patient.age`, `report.independent_workstation`).
    Path(Path),
    /// A table field (`fees[line.code].global_days`).
    Table(TableLookupAst),
}

/// A condition with its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr {
    /// The condition.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// A set named or written inline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetRef {
    /// A declared or imported set.
    Named(Spanned<String>),
    /// `[a, b..c]`, typed by the tested value.
    Inline(Vec<Element>, Span),
}

/// Which lines a quantifier or aggregate ranges over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineSource {
    /// `other` / `earlier` / every line.
    pub selector: Selector,
    /// `in claim` (default), `in history`, `in claim or history`.
    pub scope: Scope,
    /// Date and provider filters (`on same date`, `within 90 days before`, `by same provider`),
    /// as written; the checker allows one of each kind.
    pub filters: Vec<Spanned<SourceFilter>>,
    /// `where ...`.
    pub filter: Option<Box<Expr>>,
    /// The whole source.
    pub span: Span,
}

/// A date or provider filter of a line source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFilter {
    /// `on same date`.
    SameDate,
    /// `in same calendar year`.
    SameYear,
    /// `within N days|months [before|after]`.
    Window {
        /// N.
        amount: u32,
        /// Days or months.
        unit: WindowUnit,
        /// Before, after, or either side when absent.
        direction: Option<Direction>,
    },
    /// `by same provider` (billing NPI).
    SameProvider,
    /// `by other provider`.
    OtherProvider,
    /// `by same rendering provider`.
    SameRendering,
}

/// `days` or `months` in a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WindowUnit {
    /// Days.
    Days,
    /// Calendar months.
    Months,
}

/// `when unknown ACTION`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnknownAction {
    /// Hold for review.
    Review,
    /// Deny (CARC 16, information missing, unless the rule denies with its own CARC).
    Deny,
    /// Advice: "not evaluated" (the default).
    Advice,
}

/// A numeric or scalar value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueKind {
    /// A bare word: a number, a code, a modifier, a place, a role, or an attribute of the
    /// quantified line (`code`, `units`); the checker decides from context.
    Word(String),
    /// `YYYY-MM-DD`.
    Date(String),
    /// `subject.field`.
    Path(Path),
    /// A table field (`mue[line.code].value`).
    TableField(TableLookupAst),
    /// `count ...`, `count distinct codes of ...`, `sum units of ...`.
    Aggregate {
        /// Which aggregate.
        kind: AggregateKind,
        /// The lines.
        source: LineSource,
    },
    /// Arithmetic.
    Binary {
        /// Operator.
        op: ArithOp,
        /// Left.
        lhs: Box<Value>,
        /// Right.
        rhs: Box<Value>,
    },
    /// `N days`, `(expr) months`, `TABLE[..].field days`.
    Duration {
        /// How many.
        amount: Box<Value>,
        /// Of what.
        unit: DurationUnit,
    },
}

/// A value with its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    /// The value.
    pub kind: ValueKind,
    /// Where it was written.
    pub span: Span,
}

/// `subject.field.field`, or a bare field of the quantified line (`code`, `rendering.taxonomy`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    /// `line`, `claim`, `report`, `provider`, `patient`; none for a bare field.
    pub subject: Option<Spanned<String>>,
    /// The fields after the subject (or the bare field and its sub-fields).
    pub fields: Vec<Spanned<String>>,
    /// The whole path.
    pub span: Span,
}
