//! The date spellings CMS tables use, read into [`Date`].
//!
//! PTP rows write `YYYYMMDD`; add-on code releases write `YYYYMMDD`, the `YYYYDDD` day-of-year
//! form or ISO `YYYY-MM-DD`. Tables store the same [`Date`] a claim line carries, so a lookup
//! compares day numbers and converts nothing; these readers only build it from the cell text.
//! They return `Option`: the loader knows the file, line and column, and builds the error.

use payerlex_types::Date;

/// The value of a run of ASCII digits (1 to 9 of them).
fn number(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 9 {
        return None;
    }
    digits.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

/// Reads `YYYYMMDD` (exactly eight digits), e.g. `20240701`.
pub(crate) fn parse_compact(text: &[u8]) -> Option<Date> {
    let [y0, y1, y2, y3, m0, m1, d0, d1] = *text else {
        return None;
    };
    let year = i32::try_from(number(&[y0, y1, y2, y3])?).ok()?;
    Date::from_ymd(year, number(&[m0, m1])?, number(&[d0, d1])?)
}

/// Reads `YYYYDDD`: the year and the 1-based day of the year, e.g. `2026091` = 2026-04-01.
pub(crate) fn parse_ordinal(text: &[u8]) -> Option<Date> {
    let [y0, y1, y2, y3, d0, d1, d2] = *text else {
        return None;
    };
    let year = i32::try_from(number(&[y0, y1, y2, y3])?).ok()?;
    let day = i32::try_from(number(&[d0, d1, d2])?).ok()?;
    let date = Date::from_ymd(year, 1, 1)?.add_days(day.checked_sub(1)?);
    (day >= 1 && date.ymd().0 == year).then_some(date)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn iso(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn compact_dates() {
        assert_eq!(parse_compact(b"20240701"), Some(iso("2024-07-01")));
        assert_eq!(parse_compact(b"20240229"), Some(iso("2024-02-29")));
        assert_eq!(parse_compact(b"20000229"), Some(iso("2000-02-29")));
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
            "2024-07-01",
        ] {
            assert_eq!(parse_compact(bad.as_bytes()), None, "{bad}");
        }
    }

    #[test]
    fn ordinal_dates() {
        assert_eq!(parse_ordinal(b"2026001"), Some(iso("2026-01-01")));
        assert_eq!(parse_ordinal(b"2026091"), Some(iso("2026-04-01")));
        assert_eq!(parse_ordinal(b"2026365"), Some(iso("2026-12-31")));
        assert_eq!(parse_ordinal(b"2024060"), Some(iso("2024-02-29")));
        assert_eq!(parse_ordinal(b"2024366"), Some(iso("2024-12-31")));
        for bad in [
            "2026366", "2026000", "9999999", "0000001", "202600", "2026-01",
        ] {
            assert_eq!(parse_ordinal(bad.as_bytes()), None, "{bad}");
        }
    }
}
