//! Calendar dates as `yyyymmdd` integers.
//!
//! CMS tables write dates as `YYYYMMDD` (PTP), `YYYYDDD` (some add-on code releases) or
//! `YYYY-MM-DD` (claims). Rules only ever compare dates and test "in force on a date of
//! service", so a validated `u32` in `yyyymmdd` form is all that is needed: ordering the
//! integers orders the dates, and no date library is pulled in.

use std::fmt;

/// A validated calendar date stored as `yyyymmdd` (e.g. `Ymd(20240701)`); ordering the values
/// orders the dates. Constructors check month 1-12 and the real length of the month (leap years
/// included). The field is public so that tables can store dates compactly; a hand-built value
/// is not re-validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ymd(pub u32);

fn is_leap(year: u32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 {
        return None;
    }
    b.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

impl Ymd {
    /// The date `year-month-day`, if it exists (years 1..=9999).
    pub fn new(year: u32, month: u32, day: u32) -> Option<Ymd> {
        if !(1..=9999).contains(&year) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Ymd(year * 10_000 + month * 100 + day))
    }

    /// Parses `YYYYMMDD` (exactly eight digits), e.g. `"20240701"`.
    pub fn parse_compact(s: &str) -> Option<Ymd> {
        Self::parse_compact_bytes(s.as_bytes())
    }

    /// [`Ymd::parse_compact`] over raw bytes.
    pub fn parse_compact_bytes(b: &[u8]) -> Option<Ymd> {
        if b.len() != 8 {
            return None;
        }
        let (y, rest) = b.split_at(4);
        let (m, d) = rest.split_at(2);
        Ymd::new(digits(y)?, digits(m)?, digits(d)?)
    }

    /// Parses `YYYY-MM-DD` (ISO 8601 calendar date, zero-padded), e.g. `"2024-07-01"`.
    pub fn parse_iso(s: &str) -> Option<Ymd> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        Ymd::new(digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?)
    }

    /// Parses `YYYYDDD` (year and 1-based day of the year, as some CMS add-on code releases
    /// write dates), e.g. `"2026091"` = 2026-04-01.
    pub fn parse_ordinal(s: &str) -> Option<Ymd> {
        let b = s.as_bytes();
        if b.len() != 7 {
            return None;
        }
        let year = digits(&b[0..4])?;
        let mut day = digits(&b[4..7])?;
        if year == 0 || day == 0 {
            return None;
        }
        for month in 1..=12 {
            let len = days_in_month(year, month);
            if day <= len {
                return Ymd::new(year, month, day);
            }
            day -= len;
        }
        None
    }

    /// The year.
    pub fn year(self) -> u32 {
        self.0 / 10_000
    }

    /// The month, 1-12.
    pub fn month(self) -> u32 {
        self.0 / 100 % 100
    }

    /// The day of the month.
    pub fn day(self) -> u32 {
        self.0 % 100
    }
}

/// Shows the date as `YYYY-MM-DD`.
impl fmt::Display for Ymd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.year(),
            self.month(),
            self.day()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_spellings() {
        assert_eq!(Ymd::parse_compact("20240701"), Some(Ymd(20240701)));
        assert_eq!(Ymd::parse_iso("2024-07-01"), Some(Ymd(20240701)));
        assert_eq!(Ymd(20240701).to_string(), "2024-07-01");
        let d = Ymd(20240701);
        assert_eq!((d.year(), d.month(), d.day()), (2024, 7, 1));
    }

    #[test]
    fn validates_month_and_day() {
        for bad in [
            "20241301",
            "20240001",
            "20240100",
            "20240431",
            "20230229",
            "19000229",
            "2024070",
            "202407011",
            "2024O701",
            "-2024070",
            "00000101",
        ] {
            assert_eq!(Ymd::parse_compact(bad), None, "{bad}");
        }
        assert_eq!(Ymd::parse_compact("20240229"), Some(Ymd(20240229)));
        assert_eq!(Ymd::parse_compact("20000229"), Some(Ymd(20000229)));
        for bad in [
            "2024-7-01",
            "2024/07/01",
            "2024-02-30",
            "20240701",
            "2024-07-0a",
        ] {
            assert_eq!(Ymd::parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn ordinal_dates() {
        assert_eq!(Ymd::parse_ordinal("2026001"), Some(Ymd(20260101)));
        assert_eq!(Ymd::parse_ordinal("2026091"), Some(Ymd(20260401)));
        assert_eq!(Ymd::parse_ordinal("2026365"), Some(Ymd(20261231)));
        assert_eq!(Ymd::parse_ordinal("2024060"), Some(Ymd(20240229)));
        assert_eq!(Ymd::parse_ordinal("2026366"), None);
        assert_eq!(Ymd::parse_ordinal("2026000"), None);
        assert_eq!(Ymd::parse_ordinal("9999999"), None);
    }

    #[test]
    fn ordering_follows_the_calendar() {
        assert!(Ymd(20231231) < Ymd(20240101));
        assert!(Ymd(20240131) < Ymd(20240201));
    }
}
