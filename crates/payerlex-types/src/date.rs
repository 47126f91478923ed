//! Calendar dates, as days since 1970-01-01.
//!
//! Dates are compared (effective ranges, same-session tests, a table row in force on a date
//! of service) far more often than printed, so they are a plain day number. Day arithmetic
//! (one day before an effective date) is what the change-testing generators need. The text
//! form is ISO `YYYY-MM-DD`; the other spellings CMS tables use are read in `payerlex-cms`.

use std::fmt;

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date: expected a real calendar date as YYYY-MM-DD")]
pub struct DateError {
    text: String,
}

impl DateError {
    /// The rejected text. Not part of the message, which may describe patient data; a
    /// policy diagnostic (policy text is not patient data) quotes it.
    pub fn rejected_text(&self) -> &str {
        &self.text
    }
}

/// A calendar date (proleptic Gregorian).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl Date {
    /// The earliest representable date, used as an open lower bound.
    pub const MIN: Date = Date(i32::MIN / 2);
    /// The latest representable date, used as an open upper bound.
    pub const MAX: Date = Date(i32::MAX / 2);

    /// Builds a date from its parts, checking the day exists.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Self> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = month as i32;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Self(era * 146_097 + doe - 719_468))
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let error = || DateError {
            text: text.to_owned(),
        };
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(error());
        }
        let number = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = text.get(range)?;
            if part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let (year, month, day) = (number(0..4), number(5..7), number(8..10));
        match (year, month, day) {
            (Some(y), Some(m), Some(d)) => Self::from_ymd(y as i32, m, d).ok_or_else(error),
            _ => Err(error()),
        }
    }

    /// Year, month, day.
    pub fn ymd(self) -> (i32, u32, u32) {
        // Howard Hinnant's civil_from_days.
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i32::from(month <= 2);
        (year, month, day)
    }

    /// The date `days` later (earlier when negative).
    #[inline]
    pub fn add_days(self, days: i32) -> Self {
        Self(self.0.saturating_add(days).clamp(Self::MIN.0, Self::MAX.0))
    }

    /// Days since 1970-01-01.
    #[inline]
    pub fn days_since_epoch(self) -> i32 {
        self.0
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Self::MIN {
            return f.write_str("(open)");
        }
        if *self == Self::MAX {
            return f.write_str("(open)");
        }
        let (y, m, d) = self.ymd();
        match u32::try_from(y) {
            // One `write_str` of ten ASCII bytes (dates are printed for every line of every
            // claim whose decision id is computed); years outside 0..=9999 take `write!`.
            Ok(y) if y <= 9999 => {
                let digit = |n: u32| b'0' + (n % 10) as u8;
                let text = [
                    digit(y / 1000),
                    digit(y / 100),
                    digit(y / 10),
                    digit(y),
                    b'-',
                    digit(m / 10),
                    digit(m),
                    b'-',
                    digit(d / 10),
                    digit(d),
                ];
                f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
            }
            _ => write!(f, "{y:04}-{m:02}-{d:02}"),
        }
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Date({self})")
    }
}

crate::text_newtype!(Date, DateError);

/// An inclusive range of dates; either end may be open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DateRange {
    /// First day in force.
    pub from: Date,
    /// Last day in force.
    pub until: Date,
}

impl DateRange {
    /// The range that contains every date.
    pub const ALWAYS: DateRange = DateRange {
        from: Date::MIN,
        until: Date::MAX,
    };

    /// Whether `date` falls inside the range.
    #[inline]
    pub fn contains(&self, date: Date) -> bool {
        self.from <= date && date <= self.until
    }

    /// The overlap of two ranges (may be empty: `from > until`).
    #[inline]
    pub fn intersect(&self, other: &DateRange) -> DateRange {
        DateRange {
            from: self.from.max(other.from),
            until: self.until.min(other.until),
        }
    }

    /// Whether every date of `other` falls inside this range.
    #[inline]
    pub fn contains_range(&self, other: &DateRange) -> bool {
        other.is_empty() || (self.from <= other.from && other.until <= self.until)
    }

    /// Whether no date falls inside.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.from > self.until
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_validates() {
        for text in [
            "2026-03-02",
            "2024-02-29",
            "1970-01-01",
            "2000-12-31",
            "0999-01-09",
            "9999-12-31",
        ] {
            assert_eq!(Date::parse(text).unwrap().to_string(), text);
        }
        for text in [
            "2025-02-29",
            "2026-13-01",
            "2026-3-2",
            "20260302",
            "2026-00-10",
        ] {
            assert!(Date::parse(text).is_err(), "{text}");
        }
        let d = Date::parse("2026-01-01").unwrap();
        assert_eq!(d.add_days(-1).to_string(), "2025-12-31");
        assert_eq!(Date::parse("1970-01-02").unwrap().days_since_epoch(), 1);
    }

    #[test]
    fn ordering_follows_the_calendar_and_ranges_are_inclusive() {
        let day = |t| Date::parse(t).unwrap();
        assert!(day("2023-12-31") < day("2024-01-01"));
        assert!(day("2024-01-31") < day("2024-02-01"));
        let q3 = DateRange {
            from: day("2024-07-01"),
            until: day("2024-09-30"),
        };
        assert!(q3.contains(day("2024-07-01")) && q3.contains(day("2024-09-30")));
        assert!(!q3.contains(day("2024-10-01")));
        assert!(DateRange::ALWAYS.contains_range(&q3));
    }

    #[test]
    fn text_glue_round_trips() {
        let d: Date = serde_json::from_str("\"2026-03-02\"").unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2026-03-02\"");
        assert_eq!("2026-03-02".parse::<Date>(), Ok(d));
        let e = serde_json::from_str::<Date>("\"2026-02-30\"").unwrap_err();
        assert!(e.to_string().contains("invalid date"), "{e}");
    }
}
