//! Reading typed values out of elements, with 999 coordinates on every failure.
//!
//! Each reader names the element it reads (`SV104`, `CLM05-3`) through the error's
//! coordinates, and decides whether the value may be shown (codes) or must be withheld
//! (identifiers, dates): the one place that policy is applied.

use std::fmt::Display;

use crate::assemble::Located;
use crate::error::{ErrorKind, Shown, X12Error};
use crate::model::{Date, Npi, Taxonomy};

/// The first structural and the first value problem of a claim, by position.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    structural: Option<X12Error>,
    value: Option<X12Error>,
}

impl Problems {
    /// Records a problem, keeping the earliest of its class.
    pub(crate) fn push(&mut self, error: X12Error) {
        let slot = if error.kind.is_structural() {
            &mut self.structural
        } else {
            &mut self.value
        };
        let earlier = match slot {
            Some(current) => error.at.segment < current.at.segment,
            None => true,
        };
        if earlier {
            *slot = Some(error);
        }
    }

    /// Keeps `Ok` values, records errors.
    pub(crate) fn take<T>(&mut self, result: Result<T, X12Error>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.push(error);
                None
            }
        }
    }

    /// Structure problems first (a 999 would reject them), then value problems.
    pub(crate) fn into_error(self) -> Option<X12Error> {
        self.structural.or(self.value)
    }
}

impl<'a> Located<'a> {
    /// An error about this segment as a whole.
    pub(crate) fn error(&self, kind: ErrorKind, problem: impl Into<String>) -> X12Error {
        let mut error = X12Error::new(kind, problem);
        error.at.segment = Some(self.position);
        error.at.segment_id = Some(self.segment.id_str().to_owned());
        error.at.loop_id = (!self.loop_id.is_empty()).then_some(self.loop_id);
        error.at.offset = self.segment.offset();
        error
    }

    /// An error about element `element` (component `component`), showing the value or not.
    pub(crate) fn element_error(
        &self,
        kind: ErrorKind,
        problem: impl Into<String>,
        element: u8,
        component: Option<u8>,
        shown: Shown<'_>,
    ) -> X12Error {
        self.error(kind, problem)
            .element(element, component)
            .shown(shown)
    }

    /// Element `element`, required: missing or empty is an error naming `what`.
    pub(crate) fn required(&self, element: u8, what: impl Display) -> Result<&'a [u8], X12Error> {
        self.segment.value(usize::from(element)).ok_or_else(|| {
            self.element_error(
                ErrorKind::MissingElement,
                format!("{what} is missing"),
                element,
                None,
                Shown::Withheld,
            )
        })
    }

    /// Component `component` of element `element`, required.
    pub(crate) fn required_component(
        &self,
        element: u8,
        component: u8,
        what: impl Display,
    ) -> Result<&'a [u8], X12Error> {
        self.segment
            .component(usize::from(element), usize::from(component))
            .ok_or_else(|| {
                self.element_error(
                    ErrorKind::MissingElement,
                    format!("{what} is missing{}", self.separator_hint(element)),
                    element,
                    Some(component),
                    Shown::Withheld,
                )
            })
    }

    /// When a composite element holds no declared component separator but another
    /// punctuation character, the sender probably used a different one than ISA16 declares.
    fn separator_hint(&self, element: u8) -> String {
        let declared = self.segment.delimiters().component;
        let Some(value) = self.segment.value(usize::from(element)) else {
            return String::new();
        };
        if value.contains(&declared) {
            return String::new();
        }
        match value
            .iter()
            .find(|b| matches!(b, b'>' | b':' | b'^' | b'|' | b'\\' | b'!'))
        {
            Some(&other) => format!(
                " (the element holds {}, but ISA16 declares {} as the component separator)",
                Shown::Code(&[other]).render(),
                Shown::Code(&[declared]).render()
            ),
            None => String::new(),
        }
    }

    /// Element text that must be printable ASCII (X12's character sets), not shown.
    pub(crate) fn text(
        &self,
        bytes: &'a [u8],
        element: u8,
        component: Option<u8>,
        what: impl Display,
    ) -> Result<&'a str, X12Error> {
        match std::str::from_utf8(bytes) {
            Ok(text) if text.bytes().all(|b| (b' '..=b'~').contains(&b)) => Ok(text),
            _ => Err(self.element_error(
                ErrorKind::InvalidValue,
                format!("{what} has characters outside the X12 character set (value withheld)"),
                element,
                component,
                Shown::Withheld,
            )),
        }
    }

    /// A code-like element as text (shown in errors).
    pub(crate) fn code(
        &self,
        bytes: &'a [u8],
        element: u8,
        component: Option<u8>,
        what: impl Display,
    ) -> Result<&'a str, X12Error> {
        match std::str::from_utf8(bytes) {
            Ok(text) if text.bytes().all(|b| b.is_ascii_graphic()) => Ok(text),
            _ => Err(self.element_error(
                ErrorKind::InvalidValue,
                format!("{what} {} is not a code", Shown::Code(bytes).render()),
                element,
                component,
                Shown::Code(bytes),
            )),
        }
    }

    /// An NPI from NM108 = XX and NM109 (`who` names the provider in messages).
    pub(crate) fn npi(&self, who: &str) -> Result<Npi, X12Error> {
        let qualifier = self.required(8, format_args!("{who} identification code qualifier"))?;
        if qualifier != b"XX" {
            return Err(self.element_error(
                ErrorKind::Unsupported,
                format!(
                    "{who} is identified by qualifier {}, not by an NPI (XX)",
                    Shown::Code(qualifier).render()
                ),
                8,
                None,
                Shown::Code(qualifier),
            ));
        }
        let id = self.required(9, format_args!("{who} NPI"))?;
        std::str::from_utf8(id)
            .ok()
            .and_then(|text| Npi::parse(text).ok())
            .ok_or_else(|| {
                self.element_error(
                    ErrorKind::InvalidValue,
                    format!("{who} NPI (value withheld) is not valid: 10 digits with a Luhn check digit"),
                    9,
                    None,
                    Shown::Withheld,
                )
            })
    }

    /// A taxonomy code from PRV03 (PRV02 = PXC, or ZZ in 4010).
    pub(crate) fn taxonomy(&self, who: &str) -> Result<Option<Taxonomy>, X12Error> {
        let qualifier = self.segment.value(2);
        if !matches!(qualifier, Some(b"PXC" | b"ZZ")) {
            return Ok(None);
        }
        let code = self.required(3, format_args!("{who} taxonomy code"))?;
        std::str::from_utf8(code)
            .ok()
            .and_then(|text| Taxonomy::parse(text).ok())
            .map(Some)
            .ok_or_else(|| {
                self.element_error(
                    ErrorKind::InvalidValue,
                    format!(
                        "{who} taxonomy code {} is not a NUCC code (10 characters ending in X)",
                        Shown::Code(code).render()
                    ),
                    3,
                    None,
                    Shown::Code(code),
                )
            })
    }

    /// A D8 date (CCYYMMDD) in element `element`; dates are withheld in messages.
    pub(crate) fn d8(
        &self,
        bytes: &[u8],
        element: u8,
        what: impl Display,
    ) -> Result<Date, X12Error> {
        ccyymmdd(bytes).ok_or_else(|| {
            self.element_error(
                ErrorKind::InvalidValue,
                format!("{what} (value withheld) is not a date as CCYYMMDD"),
                element,
                None,
                Shown::Withheld,
            )
        })
    }

    /// A date of a DTP segment: D8, or the first date of an RD8 range (the range checked).
    pub(crate) fn dtp_date(&self, what: &str) -> Result<Date, X12Error> {
        let format = self.required(2, format_args!("{what} format qualifier"))?;
        let value = self.required(3, what)?;
        match format {
            b"D8" => self.d8(value, 3, what),
            b"RD8" => {
                let (from, to) = value
                    .iter()
                    .position(|&b| b == b'-')
                    .map(|dash| (&value[..dash], &value[dash + 1..]))
                    .unwrap_or((value, b""));
                let from = self.d8(from, 3, what)?;
                let to = self.d8(to, 3, what)?;
                if to < from {
                    return Err(self.element_error(
                        ErrorKind::InvalidValue,
                        format!("{what} range (value withheld) ends before it starts"),
                        3,
                        None,
                        Shown::Withheld,
                    ));
                }
                Ok(from)
            }
            other => Err(self.element_error(
                ErrorKind::InvalidValue,
                format!(
                    "{what} format {} is neither D8 nor RD8",
                    Shown::Code(other).render()
                ),
                2,
                None,
                Shown::Code(other),
            )),
        }
    }
}

/// Parses CCYYMMDD.
pub(crate) fn ccyymmdd(bytes: &[u8]) -> Option<Date> {
    if bytes.len() != 8 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| {
        bytes[range]
            .iter()
            .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'))
    };
    let year = i32::try_from(number(0..4)).ok()?;
    Date::from_ymd(year, number(4..6), number(6..8))
}

/// Parses a quantity that must be a whole number: `1`, `2.0`, `3.000` (X12 type R).
pub(crate) fn whole_units(bytes: &[u8]) -> Option<u32> {
    let (whole, fraction) = match bytes.iter().position(|&b| b == b'.') {
        Some(dot) => (&bytes[..dot], &bytes[dot + 1..]),
        None => (bytes, &b""[..]),
    };
    if whole.is_empty() || whole.len() > 9 || !whole.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if !fraction.iter().all(|&b| b == b'0') {
        return None;
    }
    Some(whole.iter().fold(0u32, |n, b| n * 10 + u32::from(b - b'0')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_and_dates() {
        assert_eq!(whole_units(b"1"), Some(1));
        assert_eq!(whole_units(b"2.000"), Some(2));
        assert_eq!(whole_units(b"14."), Some(14));
        assert_eq!(whole_units(b"1.5"), None);
        assert_eq!(whole_units(b"-1"), None);
        assert_eq!(whole_units(b".0"), None);
        assert_eq!(whole_units(b"9999999999"), None);
        assert_eq!(ccyymmdd(b"20260302"), Date::from_ymd(2026, 3, 2));
        assert_eq!(ccyymmdd(b"20260230"), None);
        assert_eq!(ccyymmdd(b"2026030"), None);
    }
}
