//! Procedure codes (CPT / HCPCS) as validated, packed integers.
//!
//! Every code the engine sees is 5 characters of `[0-9A-Z]`. Packing them base-36 into a
//! `u32` keeps their text order (so `70450..70498` is an integer range), makes set membership
//! a binary search over ranges, makes a line's code `Copy`, and makes it the key of every CMS
//! table as it is (a PTP pair is two packed codes in one `u64`). Claims and policies take only
//! the three shapes of [`CodeShape`]; tables may also hold other five-character codes CMS
//! lists (see [`ProcedureCode::parse_table_key`]).

use std::fmt;

use crate::base36;

/// Why a text is not a procedure code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid procedure code: {reason}")]
pub struct CodeError {
    text: String,
    reason: &'static str,
}

impl CodeError {
    /// The rejected text. Not part of the message, which may describe patient data; a
    /// policy diagnostic (policy text is not patient data) quotes it.
    pub fn rejected_text(&self) -> &str {
        &self.text
    }
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

/// Packs five characters base 36, most significant first; `None` if one is not `[0-9A-Za-z]`.
fn pack(bytes: &[u8; 5]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |packed, &byte| {
        Some(packed * base36::RADIX + u32::from(base36::digit(byte)?))
    })
}

impl ProcedureCode {
    /// Parses a code, accepting lower-case letters.
    pub fn parse(text: &str) -> Result<Self, CodeError> {
        let error = |reason| CodeError {
            text: text.to_owned(),
            reason,
        };
        let Ok(bytes) = <[u8; 5]>::try_from(text.as_bytes()) else {
            return Err(error(
                "expected 5 characters (e.g. `76377`, `0159T`, `G0288`)",
            ));
        };
        let upper = bytes.map(|b| b.to_ascii_uppercase());
        shape_of(&upper).ok_or_else(|| {
            error("expected 5 digits, 4 digits and F/T/U/M, or a letter and 4 digits")
        })?;
        pack(&upper)
            .map(Self)
            .ok_or_else(|| error("unexpected character"))
    }

    /// Reads a code as a CMS table cell holds it: any five characters `[0-9A-Z]` (lower case
    /// accepted, no trimming), whatever the shape. CMS tables list real codes that
    /// [`ProcedureCode::parse`] refuses on a claim, such as the vaccine-administration codes
    /// `0001A`, and keep rows for them long after; a loader keeps such a row (it can never
    /// match a claim line) rather than refusing the file CMS published.
    /// [`ProcedureCode::has_known_shape`] tells the two apart.
    #[inline]
    pub fn parse_table_key(bytes: &[u8]) -> Option<Self> {
        pack(<&[u8; 5]>::try_from(bytes).ok()?).map(Self)
    }

    /// Whether [`ProcedureCode::parse`] accepts the code (false only for a shape that
    /// [`ProcedureCode::parse_table_key`] let through).
    pub fn has_known_shape(self) -> bool {
        shape_of(&self.bytes()).is_some()
    }

    /// The packed integer, order-preserving among codes of one shape.
    #[inline]
    pub fn packed(self) -> u32 {
        self.0
    }

    /// Rebuilds a code from [`ProcedureCode::packed`]; `None` for integers no code packs to.
    pub fn from_packed(packed: u32) -> Option<Self> {
        let code = Self(packed);
        Self::parse(&code.to_string()).ok().filter(|c| *c == code)
    }

    /// The code's shape ([`CodeShape::CptCategoryI`] for a table key of no known shape).
    pub fn shape(self) -> CodeShape {
        let bytes = self.bytes();
        shape_of(&bytes).unwrap_or(CodeShape::CptCategoryI)
    }

    /// The five ASCII bytes of the code.
    pub fn bytes(self) -> [u8; 5] {
        let mut out = [0u8; 5];
        let mut rest = self.0;
        for slot in out.iter_mut().rev() {
            *slot = base36::symbol(rest);
            rest /= base36::RADIX;
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
        // One `write_str` of the five ASCII bytes: serialising a claim (its decision id hashes
        // its JSON) prints every code, so this is on the hot path.
        let bytes = self.bytes();
        f.write_str(std::str::from_utf8(&bytes).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for ProcedureCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProcedureCode({self})")
    }
}

crate::text_newtype!(ProcedureCode, CodeError);

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
        for text in [
            "7637",
            "763777",
            "76 77",
            "GG288",
            "0159X",
            "",
            "7637\u{e9}",
        ] {
            assert!(ProcedureCode::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn packed_order_is_text_order() {
        let mut codes = [
            "G0288", "0159T", "99213", "76377", "C8900", "0001U", "70450",
        ];
        let mut parsed: Vec<ProcedureCode> = codes
            .iter()
            .map(|c| ProcedureCode::parse(c).unwrap())
            .collect();
        codes.sort_unstable();
        parsed.sort_unstable();
        let printed: Vec<String> = parsed.iter().map(ToString::to_string).collect();
        assert_eq!(printed, codes);
        assert_eq!(ProcedureCode::parse("00000").unwrap().packed(), 0);
    }

    #[test]
    fn table_keys_accept_any_alphanumeric_code() {
        let strict = ProcedureCode::parse("76377").unwrap();
        assert_eq!(ProcedureCode::parse_table_key(b"76377"), Some(strict));
        assert_eq!(
            ProcedureCode::parse_table_key(b"g0463"),
            ProcedureCode::parse("G0463").ok()
        );
        let vaccine = ProcedureCode::parse_table_key(b"0001A").unwrap();
        assert_eq!(vaccine.to_string(), "0001A");
        assert!(!vaccine.has_known_shape() && strict.has_known_shape());
        assert_eq!(ProcedureCode::from_packed(vaccine.packed()), None);
        for bad in [
            &b"7637"[..],
            b"763777",
            b" 7637",
            b"76-77",
            b"7637\xe9",
            b"",
        ] {
            assert_eq!(ProcedureCode::parse_table_key(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn text_glue_round_trips() {
        let c: ProcedureCode = serde_json::from_str("\"0159t\"").unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"0159T\"");
        assert!(serde_json::from_str::<ProcedureCode>("\"0159X\"").is_err());
    }
}
