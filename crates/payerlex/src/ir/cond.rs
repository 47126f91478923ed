//! Typed conditions and numbers: the checked form of a rule's `when`.
//!
//! Every name is resolved (sets are values, tables are slots), every literal validated and
//! every comparison typed, so the compiler and the reference interpreter never see text.
//! Spans stay on every condition so explanations can quote what the author wrote.

use std::sync::Arc;

use super::ops::{AggregateKind, ArithOp, CompareOp, Direction, DurationUnit, Scope, Selector};
use super::sets::{CodeSet, DiagnosisSet, ModifierSet, NpiSet, PlaceSet, TaxonomySet};
use crate::facts::{Date, ProcedureCode, ProviderRole, Sex};
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
    /// A line's (its own, else its claim's).
    Line(LineRef),
    /// The claim's.
    Claim,
}

/// Whose diagnoses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiagnosisRef {
    /// Those a line points to (any of them).
    Line(LineRef),
    /// All of the claim's (any of them).
    Claim,
    /// The claim's principal (first) diagnosis; unknown when the claim lists none.
    Principal,
    /// A line's primary (first pointed) diagnosis; unknown when it points to none.
    Primary(LineRef),
}

/// Whose NPI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NpiRef {
    /// The billing provider of a line's claim.
    Billing(LineRef),
    /// Whoever rendered a line (line, else claim rendering provider, else billing).
    Rendering(LineRef),
}

/// Whose taxonomy (specialty).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaxonomyRef {
    /// The billing provider's (`claim.provider.taxonomy`).
    Billing,
    /// Whoever rendered a line (`line.rendering.taxonomy`).
    Rendering(LineRef),
}

/// A date: a line's, a literal, or one shifted by a duration (`line.date - 90 days`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateValue {
    /// A line's date of service.
    Line(LineRef),
    /// A literal.
    Literal(Date),
    /// A date plus or minus a number of days, months or years.
    Shift {
        /// The date shifted.
        base: Box<DateValue>,
        /// Later (`+`) or earlier (`-`).
        later: bool,
        /// How many units.
        amount: Box<Num>,
        /// Days, months or years.
        unit: DurationUnit,
    },
}

/// Which dates of the quantified lines count, relative to the current line's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Window {
    /// Every date.
    Anytime,
    /// The same date of service (`on same date`).
    SameDate,
    /// The same calendar year (`in same calendar year`).
    CalendarYear,
    /// `within N days [before|after]`: before = the N days before the line's date (not the day
    /// itself), after = the N days after, neither = both sides and the day itself.
    Days {
        /// N.
        days: u32,
        /// Which side; `None` for both.
        direction: Option<Direction>,
    },
    /// `within N months [before|after]`, in calendar months (the day of month kept, clamped to
    /// the month's length), with the same sides as [`Window::Days`].
    Months {
        /// N.
        months: u32,
        /// Which side; `None` for both.
        direction: Option<Direction>,
    },
}

impl Window {
    /// The inclusive range of dates the window covers around `date`. The windows that need
    /// no arithmetic are answered inline (every quantifier walk asks, and same-date windows
    /// are the common case); the others are computed out of line.
    #[inline]
    pub fn range(self, date: Date) -> (Date, Date) {
        match self {
            Window::Anytime => (Date::MIN, Date::MAX),
            Window::SameDate => (date, date),
            window => window.computed_range(date),
        }
    }

    /// [`Window::range`] of the windows that need date arithmetic.
    #[inline(never)]
    fn computed_range(self, date: Date) -> (Date, Date) {
        let days = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
        match self {
            Window::Anytime => (Date::MIN, Date::MAX),
            Window::SameDate => (date, date),
            Window::CalendarYear => {
                let (year, _, _) = date.ymd();
                (
                    Date::from_ymd(year, 1, 1).unwrap_or(Date::MIN),
                    Date::from_ymd(year, 12, 31).unwrap_or(Date::MAX),
                )
            }
            Window::Days { days: n, direction } => match direction {
                Some(Direction::Before) => (date.add_days(-days(n)), date.add_days(-1)),
                Some(Direction::After) => (date.add_days(1), date.add_days(days(n))),
                None => (date.add_days(-days(n)), date.add_days(days(n))),
            },
            Window::Months {
                months: n,
                direction,
            } => {
                let n = i32::try_from(n).unwrap_or(i32::MAX);
                match direction {
                    Some(Direction::Before) => {
                        (crate::facts::add_months(date, -n), date.add_days(-1))
                    }
                    Some(Direction::After) => (date.add_days(1), crate::facts::add_months(date, n)),
                    None => (
                        crate::facts::add_months(date, -n),
                        crate::facts::add_months(date, n),
                    ),
                }
            }
        }
    }

    /// The farthest the window reaches from the line's date, in days (either side); `None`
    /// for [`Window::Anytime`].
    pub fn reach_days(self) -> Option<u32> {
        match self {
            Window::Anytime => None,
            Window::SameDate => Some(0),
            Window::CalendarYear => Some(366),
            Window::Days { days, .. } => Some(days),
            Window::Months { months, .. } => Some(months.saturating_mul(31)),
        }
    }
}

/// Whose lines a source keeps, by provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderFilter {
    /// Any provider.
    Any,
    /// The current claim's billing provider (`by same provider`).
    SameBilling,
    /// Another billing provider (`by other provider`).
    OtherBilling,
    /// The current line's rendering provider (`by same rendering provider`).
    SameRendering,
}

/// A value whose presence `known(...)` tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// A report fact (stated, or derivable from report text).
    Fact(Arc<str>),
    /// The patient's birth date (`patient.age`).
    BirthDate,
    /// The patient's sex.
    Sex,
    /// A taxonomy.
    Taxonomy(TaxonomyRef),
    /// The claim's principal diagnosis.
    PrincipalDiagnosis,
    /// A line's primary diagnosis.
    PrimaryDiagnosis(LineRef),
    /// A table row with a value for the field.
    Table(Lookup),
}

/// A number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Num {
    /// A literal.
    Const(i64),
    /// A line's units.
    Units(LineRef),
    /// The patient's age on the current line's date (years, or months when `months`);
    /// unknown without a birth date.
    Age {
        /// In months rather than years.
        months: bool,
    },
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
    /// Which dates count.
    pub window: Window,
    /// Which providers' lines count.
    pub provider: ProviderFilter,
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
    /// A line's claim's provider role.
    RoleIs {
        /// Which line.
        line: LineRef,
        /// The role.
        role: ProviderRole,
    },
    /// A taxonomy is in a set; unknown when not stated.
    TaxonomyIn {
        /// Whose.
        whose: TaxonomyRef,
        /// The set.
        set: Arc<TaxonomySet>,
    },
    /// An NPI is in a set.
    NpiIn {
        /// Whose.
        whose: NpiRef,
        /// The set.
        set: Arc<NpiSet>,
    },
    /// The patient's sex; unknown when not stated.
    SexIs(Sex),
    /// An authorisation record covers the current line (`line.authorized`).
    Authorized,
    /// Whether a value is stated (`known(...)`); never unknown.
    Known(Probe),
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
        lhs: DateValue,
        /// Operator.
        op: CompareOp,
        /// Right.
        rhs: DateValue,
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
