//! Procedure codes (CPT / HCPCS) as validated, packed integers.
//!
//! Every code the engine sees is 5 characters of `[0-9A-Z]`. Packing them base-36 into a
//! `u32` keeps the order of same-shaped codes (so `70450..70498` is an integer range), makes
//! set membership a binary search over ranges, and makes a line's code `Copy`.

use std::fmt;

/// Why a text is not a procedure code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid procedure code `{text}`: {reason}")]
pub struct CodeError {
    text: String,
    reason: &'static str,
}

/// The shape of a code, used to reject ranges whose ends differ in kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeShape {
    /// CPT Category I: five digits (`76377`).
    CptCategoryI,
    /// CPT Category II/III or PLA: four digits and `F`, `T`, `U` or `M` (`0159T`).
    CptSuffixed,
    /// HCPCS Level II: a letter and four digits (`G0288`).
    Hcpcs,
}

/// A validated procedure code (CPT or HCPCS Level II).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProcedureCode(u32);

fn digit36(byte: u8) -> Option<u32> {
    match byte {
        b'0'..=b'9' => Some(u32::from(byte - b'0')),
        b'A'..=b'Z' => Some(u32::from(byte - b'A') + 10),
        _ => None,
    }
}

fn char36(value: u32) -> char {
    let v = (value % 36) as u8;
    if v < 10 {
        char::from(b'0' + v)
    } else {
        char::from(b'A' + v - 10)
    }
}

impl ProcedureCode {
    /// Parses a code, accepting lower-case letters.
    pub fn parse(text: &str) -> Result<Self, CodeError> {
        let error = |reason| CodeError {
            text: text.to_owned(),
            reason,
        };
        let bytes = text.as_bytes();
        if bytes.len() != 5 {
            return Err(error(
                "expected 5 characters (e.g. `76377`, `0159T`, `G0288`)",
            ));
        }
        let upper: Vec<u8> = bytes.iter().map(u8::to_ascii_uppercase).collect();
        shape_of(&upper).ok_or_else(|| {
            error("expected 5 digits, 4 digits and F/T/U/M, or a letter and 4 digits")
        })?;
        let mut packed = 0u32;
        for &byte in &upper {
            let digit = digit36(byte).ok_or_else(|| error("unexpected character"))?;
            packed = packed * 36 + digit;
        }
        Ok(Self(packed))
    }

    /// The packed integer, order-preserving among codes of one shape.
    pub fn packed(self) -> u32 {
        self.0
    }

    /// Rebuilds a code from [`ProcedureCode::packed`]; `None` for integers no code packs to.
    pub fn from_packed(packed: u32) -> Option<Self> {
        let code = Self(packed);
        Self::parse(&code.to_string()).ok().filter(|c| *c == code)
    }

    /// The code's shape.
    pub fn shape(self) -> CodeShape {
        let bytes = self.bytes();
        shape_of(&bytes).unwrap_or(CodeShape::CptCategoryI)
    }

    /// The five ASCII bytes of the code.
    pub fn bytes(self) -> [u8; 5] {
        let mut out = [0u8; 5];
        let mut rest = self.0;
        for slot in out.iter_mut().rev() {
            *slot = char36(rest) as u8;
            rest /= 36;
        }
        out
    }
}

fn shape_of(upper: &[u8]) -> Option<CodeShape> {
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    match upper {
        [a, rest @ ..] if a.is_ascii_uppercase() && digits(rest) => Some(CodeShape::Hcpcs),
        [head @ .., last] if digits(head) && last.is_ascii_digit() => Some(CodeShape::CptCategoryI),
        [head @ .., b'F' | b'T' | b'U' | b'M'] if digits(head) => Some(CodeShape::CptSuffixed),
        _ => None,
    }
}

impl fmt::Display for ProcedureCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.bytes() {
            write!(f, "{}", char::from(byte))?;
        }
        Ok(())
    }
}

impl fmt::Debug for ProcedureCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProcedureCode({self})")
    }
}

super::text_newtype::text_newtype!(ProcedureCode, CodeError);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn packs_and_round_trips() {
        for text in ["76377", "0159T", "G0288", "99213", "C8900"] {
            let code = ProcedureCode::parse(text).unwrap();
            assert_eq!(code.to_string(), text);
            assert_eq!(ProcedureCode::from_packed(code.packed()), Some(code));
        }
        assert_eq!(ProcedureCode::parse("g0288").unwrap().to_string(), "G0288");
    }

    #[test]
    fn order_is_preserved_within_a_shape() {
        let a = ProcedureCode::parse("70450").unwrap();
        let b = ProcedureCode::parse("70498").unwrap();
        assert!(a < b);
        assert_eq!(a.shape(), CodeShape::CptCategoryI);
        assert_eq!(
            ProcedureCode::parse("0159T").unwrap().shape(),
            CodeShape::CptSuffixed
        );
    }

    #[test]
    fn rejects_malformed_codes() {
        for text in ["7637", "763777", "76 77", "GG288", "0159X", ""] {
            assert!(ProcedureCode::parse(text).is_err(), "{text}");
        }
    }
}
