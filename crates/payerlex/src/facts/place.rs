//! Place of service (CMS POS code set: two digits, `11` office, `22` on-campus outpatient...).
//!
//! A POS is a number below 100, so sets of them compile to a 128-bit mask.

use std::fmt;

/// Why a text is not a place-of-service code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid place of service: expected two digits such as `11` or `22`")]
pub struct PlaceError {
    text: String,
}

impl PlaceError {
    /// The rejected text. Not part of the message, which may describe patient data; a
    /// policy diagnostic (policy text is not patient data) quotes it.
    pub fn rejected_text(&self) -> &str {
        &self.text
    }
}

/// A two-digit place-of-service code.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PlaceOfService(u8);

impl PlaceOfService {
    /// 11, office.
    pub const OFFICE: PlaceOfService = PlaceOfService(11);

    /// Parses exactly two digits.
    pub fn parse(text: &str) -> Result<Self, PlaceError> {
        match text.as_bytes() {
            [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
                Ok(Self((a - b'0') * 10 + (b - b'0')))
            }
            _ => Err(PlaceError {
                text: text.to_owned(),
            }),
        }
    }

    /// The code as a number below 100.
    pub fn number(self) -> u8 {
        self.0
    }
}

impl fmt::Display for PlaceOfService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            n @ 0..=99 => {
                let text = [b'0' + n / 10, b'0' + n % 10];
                f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
            }
            n => write!(f, "{n:02}"),
        }
    }
}

impl fmt::Debug for PlaceOfService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PlaceOfService({self})")
    }
}

super::text_newtype::text_newtype!(PlaceOfService, PlaceError);
