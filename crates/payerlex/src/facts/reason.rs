//! Claim adjustment reason codes (CARC) and remittance advice remark codes (RARC).
//!
//! Only the code is stored; the official wording belongs to X12. The formats checked here
//! catch typos in policies (`carc 9T`), not whether X12 still lists the code.

use std::fmt;

/// Why a text is not a CARC or RARC.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind}: {expected}")]
pub struct ReasonCodeError {
    kind: &'static str,
    text: String,
    expected: &'static str,
}

impl ReasonCodeError {
    /// The rejected text. Not part of the message, which may describe patient data; a
    /// policy diagnostic (policy text is not patient data) quotes it.
    pub fn rejected_text(&self) -> &str {
        &self.text
    }
}

/// A CARC: 1-3 digits (`97`, `151`) or a letter and 1-2 digits (`B15`, `P1`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Carc(ShortCode);

/// A RARC: `M`, `N` or `MA` and digits (`M15`, `N362`, `MA130`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rarc(ShortCode);

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct ShortCode {
    bytes: [u8; 5],
    len: u8,
}

impl ShortCode {
    fn new(text: &str) -> Option<Self> {
        if text.is_empty() || text.len() > 5 {
            return None;
        }
        let mut bytes = [0u8; 5];
        for (slot, byte) in bytes.iter_mut().zip(text.bytes()) {
            *slot = byte.to_ascii_uppercase();
        }
        Some(Self {
            bytes,
            len: text.len() as u8,
        })
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }
}

fn split_alpha(text: &str) -> (&str, &str) {
    let cut = text
        .bytes()
        .position(|b| b.is_ascii_digit())
        .unwrap_or(text.len());
    text.split_at(cut)
}

impl Carc {
    /// Parses a CARC.
    pub fn parse(text: &str) -> Result<Self, ReasonCodeError> {
        let upper = text.to_ascii_uppercase();
        let (alpha, digits) = split_alpha(&upper);
        let digits_ok = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
        let ok = match alpha.len() {
            0 => digits_ok && digits.len() <= 3,
            1 => digits_ok && digits.len() <= 2,
            _ => false,
        };
        match ShortCode::new(&upper) {
            Some(code) if ok => Ok(Self(code)),
            _ => Err(ReasonCodeError {
                kind: "CARC",
                text: text.to_owned(),
                expected: "expected 1-3 digits (`97`) or a letter and 1-2 digits (`B15`)",
            }),
        }
    }

    /// The code text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl Rarc {
    /// Parses a RARC.
    pub fn parse(text: &str) -> Result<Self, ReasonCodeError> {
        let upper = text.to_ascii_uppercase();
        let (alpha, digits) = split_alpha(&upper);
        let ok = matches!(alpha, "M" | "N" | "MA")
            && !digits.is_empty()
            && digits.len() <= 3
            && digits.bytes().all(|b| b.is_ascii_digit());
        match ShortCode::new(&upper) {
            Some(code) if ok => Ok(Self(code)),
            _ => Err(ReasonCodeError {
                kind: "RARC",
                text: text.to_owned(),
                expected: "expected `M`, `N` or `MA` and up to 3 digits (`M15`, `N362`)",
            }),
        }
    }

    /// The code text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

macro_rules! reason_display {
    ($type:ty) => {
        impl fmt::Display for $type {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl fmt::Debug for $type {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($type), self.as_str())
            }
        }
        super::text_newtype::text_newtype!($type, ReasonCodeError);
    };
}

reason_display!(Carc);
reason_display!(Rarc);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_formats() {
        for ok in ["97", "4", "151", "B15", "b20", "P1"] {
            assert!(Carc::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "1514", "BB1", "9T", "B"] {
            assert!(Carc::parse(bad).is_err(), "{bad}");
        }
        for ok in ["M15", "N362", "MA130", "n20"] {
            assert!(Rarc::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["15", "X15", "N", "N3622"] {
            assert!(Rarc::parse(bad).is_err(), "{bad}");
        }
    }
}

/// The claim adjustment group code of an adjustment (X12 CAS01): who bears the amount.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum GroupCode {
    /// Contractual obligation: the provider writes it off (the default for edits).
    #[default]
    CO,
    /// Patient responsibility.
    PR,
    /// Other adjustment.
    OA,
    /// Payer-initiated reduction.
    PI,
}

/// Why a text is not a group code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid group code: expected CO, PR, OA or PI")]
pub struct GroupCodeError;

impl GroupCode {
    /// Parses `CO`, `PR`, `OA` or `PI`.
    pub fn parse(text: &str) -> Result<Self, GroupCodeError> {
        match text {
            "CO" => Ok(Self::CO),
            "PR" => Ok(Self::PR),
            "OA" => Ok(Self::OA),
            "PI" => Ok(Self::PI),
            _ => Err(GroupCodeError),
        }
    }

    /// The two letters.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CO => "CO",
            Self::PR => "PR",
            Self::OA => "OA",
            Self::PI => "PI",
        }
    }
}
