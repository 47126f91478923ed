//! NUCC health care provider taxonomy codes (`2085R0202X` diagnostic radiology).
//!
//! Payers pay some services only to some specialties ("3D rendering by a radiologist"), and the
//! specialty travels on claims as a taxonomy code (X12 PRV03, FHIR `careTeam.qualification`).
//! The code set changes twice a year, so only the shape is checked: ten characters, nine
//! letters or digits and a final `X`, which catches a truncated or mistyped code.

use std::fmt;

/// Why a text is not a taxonomy code. The text itself is not kept (it is an identifier of the
/// provider's specialty, harmless, but error messages name fields, never values).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid taxonomy code: expected 10 characters, 9 letters or digits and a final X (NUCC code, e.g. 2085R0202X)")]
pub struct TaxonomyError;

/// A NUCC taxonomy code, upper case.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Taxonomy([u8; 10]);

impl Taxonomy {
    /// The ten characters, as held (for the decision id).
    pub(crate) fn bytes(self) -> [u8; 10] {
        self.0
    }

    /// Parses a code, accepting lower-case letters.
    pub fn parse(text: &str) -> Result<Self, TaxonomyError> {
        let bytes: [u8; 10] = text.as_bytes().try_into().map_err(|_| TaxonomyError)?;
        let upper = bytes.map(|b| b.to_ascii_uppercase());
        let shaped = upper[..9].iter().all(u8::is_ascii_alphanumeric) && upper[9] == b'X';
        if shaped {
            Ok(Self(upper))
        } else {
            Err(TaxonomyError)
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

impl fmt::Display for Taxonomy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Taxonomy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Taxonomy({self})")
    }
}

super::text_newtype::text_newtype!(Taxonomy, TaxonomyError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_the_nucc_shape() {
        assert!(Taxonomy::parse("2085R0202X").is_ok());
        assert_eq!(
            Taxonomy::parse("2085r0202x").map(|t| t.to_string()),
            Ok("2085R0202X".to_owned())
        );
        for bad in ["2085R0202", "2085R0202Y", "2085R0202XX", "2085-0202X", ""] {
            assert!(Taxonomy::parse(bad).is_err(), "{bad}");
        }
    }
}
