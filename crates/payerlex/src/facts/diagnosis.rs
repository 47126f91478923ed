//! ICD-10-CM diagnosis codes.
//!
//! Claims carry them with or without the dot (`S32.401A`, `S32401A`); policies match them by
//! category prefix (`S32`, `S42.2`). Both are normalised to upper case without the dot, held
//! inline (at most 7 characters), so prefix tests are byte comparisons.

use std::fmt;

/// Why a text is not an ICD-10-CM code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid diagnosis: expected an ICD-10-CM code such as `S32.401A`")]
pub struct DiagnosisError {
    text: String,
}

impl DiagnosisError {
    /// The rejected text. Not part of the message, which may describe patient data; a
    /// policy diagnostic (policy text is not patient data) quotes it.
    pub fn rejected_text(&self) -> &str {
        &self.text
    }
}

/// A validated ICD-10-CM code, normalised (upper case, no dot).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnosis {
    bytes: [u8; 7],
    len: u8,
}

impl Diagnosis {
    /// The normalised code's bytes (zero-padded) and its length, as held (for the decision
    /// id).
    pub(crate) fn packed_bytes(self) -> [u8; 8] {
        let [a, b, c, d, e, f, g] = self.bytes;
        [a, b, c, d, e, f, g, self.len]
    }

    /// Parses a full code (3 to 7 characters, a letter first, a dot allowed after the third).
    pub fn parse(text: &str) -> Result<Self, DiagnosisError> {
        Self::parse_with_min(text, 3)
    }

    /// Parses a category prefix for a policy set (at least 1 character).
    pub fn parse_prefix(text: &str) -> Result<Self, DiagnosisError> {
        Self::parse_with_min(text, 1)
    }

    fn parse_with_min(text: &str, min: usize) -> Result<Self, DiagnosisError> {
        let error = || DiagnosisError {
            text: text.to_owned(),
        };
        let mut bytes = [0u8; 7];
        let mut len = 0usize;
        for (i, byte) in text.bytes().enumerate() {
            if byte == b'.' {
                if i != 3 {
                    return Err(error());
                }
                continue;
            }
            if !byte.is_ascii_alphanumeric() || len == 7 {
                return Err(error());
            }
            bytes[len] = byte.to_ascii_uppercase();
            len += 1;
        }
        if len < min || !bytes[0].is_ascii_alphabetic() || text.ends_with('.') {
            return Err(error());
        }
        if len >= 2 && !bytes[1].is_ascii_digit() {
            return Err(error());
        }
        Ok(Self {
            bytes,
            len: len as u8,
        })
    }

    /// The normalised characters (no dot).
    pub fn normalized(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// Whether this code starts with `prefix` (both normalised).
    pub fn starts_with(&self, prefix: &Diagnosis) -> bool {
        self.normalized().starts_with(prefix.normalized())
    }
}

impl fmt::Display for Diagnosis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // With the dot after the third character, in one `write_str`.
        let normalized = self.normalized();
        let mut text = [0u8; 16];
        let mut len = 0;
        for (i, byte) in normalized.iter().enumerate() {
            for b in (i == 3).then_some(b'.').into_iter().chain([*byte]) {
                if let Some(slot) = text.get_mut(len) {
                    *slot = b;
                    len += 1;
                }
            }
        }
        let shown = text.get(..len).ok_or(fmt::Error)?;
        f.write_str(std::str::from_utf8(shown).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Diagnosis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Diagnosis({self})")
    }
}

super::text_newtype::text_newtype!(Diagnosis, DiagnosisError);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn normalises_and_matches_prefixes() {
        let d = Diagnosis::parse("s32.401a").unwrap();
        assert_eq!(d.to_string(), "S32.401A");
        assert_eq!(Diagnosis::parse("S32401A").unwrap(), d);
        assert!(d.starts_with(&Diagnosis::parse_prefix("S32").unwrap()));
        assert!(!d.starts_with(&Diagnosis::parse_prefix("S42.2").unwrap()));
        assert!(Diagnosis::parse_prefix("S42.2").unwrap().to_string() == "S42.2");
        for bad in ["", "32.4", "S3", "S32.401AB", "S3.2", "S32.", "SS2"] {
            assert!(Diagnosis::parse(bad).is_err(), "{bad}");
        }
    }
}
