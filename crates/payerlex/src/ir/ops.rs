//! The operators and keywords shared by the syntax, the checked IR and the compiled program.
//!
//! They mean the same thing at every stage, so every stage uses these types rather than
//! each defining its own and converting.

/// Outcome keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeKind {
    /// Deny the line.
    Deny,
    /// Hold the line for a coder.
    Review,
    /// Inform without changing the outcome.
    Advice,
}

/// Comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompareOp {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CompareOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Eq => "=",
            Self::Ne => "!=",
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
        }
    }
}

/// Line selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Selector {
    /// Every line, the current one included.
    All,
    /// Every line but the current one.
    Other,
    /// Lines before the current one (lower line number), and all history lines.
    Earlier,
}

/// Where quantified lines come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// The claim being decided.
    Claim,
    /// Earlier claims of the patient.
    History,
    /// Both.
    ClaimOrHistory,
}

/// Aggregates over lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AggregateKind {
    /// Number of lines.
    CountLines,
    /// Number of distinct procedure codes.
    CountDistinctCodes,
    /// Sum of units.
    SumUnits,
}

/// Arithmetic operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
}

/// Which side of the current line's date a window extends to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Earlier dates only (not the day itself).
    Before,
    /// Later dates only (not the day itself).
    After,
}

/// A length of time added to or subtracted from a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DurationUnit {
    /// Days.
    Days,
    /// Calendar months (the day of month kept, clamped to the month's length).
    Months,
    /// Calendar years.
    Years,
}
