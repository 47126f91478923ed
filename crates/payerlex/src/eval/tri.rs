//! Three-valued logic (Kleene): a condition over a missing report is *unknown*, not false.
//!
//! Missing data must surface as "not evaluated", never as a silent pass; propagating
//! `Unknown` through `and`/`or`/`not` is what lets a rule say so.

/// True, false or unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tri {
    /// Holds.
    True,
    /// Does not hold.
    False,
    /// Depends on a fact that is not available.
    Unknown,
}

impl Tri {
    /// From a boolean.
    #[inline]
    pub fn from_bool(b: bool) -> Self {
        if b {
            Tri::True
        } else {
            Tri::False
        }
    }

    /// As JSON: `Some(bool)` or `None` for unknown.
    pub fn as_option(self) -> Option<bool> {
        match self {
            Tri::True => Some(true),
            Tri::False => Some(false),
            Tri::Unknown => None,
        }
    }
}

impl std::ops::Not for Tri {
    type Output = Tri;

    /// Negation (unknown stays unknown).
    #[inline]
    fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }
}
