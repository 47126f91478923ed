//! A date relative to a claim's main date of service: how generators and the exhaustive
//! scope name "90 days before", "a month later" or "December 31 of the same year".
//!
//! Windows and ages are relative, so the values worth trying are relative too; naming them
//! as shifts (rather than dates) keeps a generated claim valid and meaningful wherever its
//! main date falls, and lets one list serve every anchor.

use crate::facts::{add_months, Date};

/// A date relative to a claim's main date of service (its *anchor*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DateShift {
    /// The anchor moved by whole calendar months (day clamped), then by days.
    By {
        /// Calendar months (negative: earlier).
        months: i32,
        /// Days after the month shift (negative: earlier).
        days: i32,
    },
    /// January 1 of the anchor's year, moved by days (-1: December 31 of the year before).
    YearStart {
        /// Days (negative: earlier).
        days: i32,
    },
    /// December 31 of the anchor's year, moved by days (1: January 1 of the next year).
    YearEnd {
        /// Days (negative: earlier).
        days: i32,
    },
}

impl DateShift {
    /// The anchor itself.
    pub const NONE: DateShift = DateShift::By { months: 0, days: 0 };

    /// Days from the anchor.
    pub fn days(days: i32) -> Self {
        DateShift::By { months: 0, days }
    }

    /// The date this shift names for `anchor`.
    pub fn apply(self, anchor: Date) -> Date {
        match self {
            DateShift::By { months, days } => add_months(anchor, months).add_days(days),
            DateShift::YearStart { days } => Date::from_ymd(anchor.ymd().0, 1, 1)
                .unwrap_or(anchor)
                .add_days(days),
            DateShift::YearEnd { days } => Date::from_ymd(anchor.ymd().0, 12, 31)
                .unwrap_or(anchor)
                .add_days(days),
        }
    }
}
