//! What a claim says about the patient beyond an identifier: sex and date of birth.
//!
//! Age and sex edits ("under 18 on the date of service", "a prostate code on a female
//! patient") read these. Both are optional on a claim: a rule that needs one and does not get it
//! is *unknown*, never a silent pass, exactly like a missing report fact.

/// Why a text is not a sex code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("expected F, M or U")]
pub struct SexError;

/// Administrative sex as billed (X12 DMG03; FHIR `Patient.gender` mapped to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    /// Female.
    F,
    /// Male.
    M,
    /// Unknown (stated as unknown on the claim, which is not the same as absent).
    U,
}

impl Sex {
    /// Parses `F`, `M` or `U`.
    pub fn parse(text: &str) -> Result<Self, SexError> {
        match text {
            "F" => Ok(Self::F),
            "M" => Ok(Self::M),
            "U" => Ok(Self::U),
            _ => Err(SexError),
        }
    }

    /// The letter.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::F => "F",
            Self::M => "M",
            Self::U => "U",
        }
    }
}

impl std::fmt::Display for Sex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

super::text_newtype::text_newtype!(Sex, SexError);

/// Why a claim frequency code is not one payerlex knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("invalid claim frequency: expected 1 (original), 7 (replacement) or 8 (void), or 2-6 (institutional interim and late-charge bills)")]
pub struct FrequencyError;

/// The claim frequency type code (X12 CLM05-3, UB-04 type of bill third digit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Frequency {
    /// 1: an original claim (also 2-6: institutional interim bills and late charges, which add
    /// to the record rather than replace it).
    Original(u8),
    /// 7: replaces an earlier claim, which is then treated as never sent.
    Replacement,
    /// 8: voids an earlier claim.
    Void,
}

impl Frequency {
    /// Parses the one-digit code.
    pub fn parse(text: &str) -> Result<Self, FrequencyError> {
        match text.as_bytes() {
            [b'7'] => Ok(Self::Replacement),
            [b'8'] => Ok(Self::Void),
            [d @ b'1'..=b'6'] => Ok(Self::Original(d - b'0')),
            _ => Err(FrequencyError),
        }
    }

    /// The code as billed.
    pub fn code(self) -> u8 {
        match self {
            Self::Original(d) => d,
            Self::Replacement => 7,
            Self::Void => 8,
        }
    }

    /// Whether the claim takes the place of (or removes) another one.
    pub fn replaces_another(self) -> bool {
        matches!(self, Self::Replacement | Self::Void)
    }
}

impl std::fmt::Display for Frequency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.code())
    }
}

super::text_newtype::text_newtype!(Frequency, FrequencyError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequency_codes() {
        assert_eq!(Frequency::parse("7"), Ok(Frequency::Replacement));
        assert_eq!(Frequency::parse("8"), Ok(Frequency::Void));
        assert_eq!(Frequency::parse("1"), Ok(Frequency::Original(1)));
        assert!(Frequency::parse("9").is_err());
        assert!(Frequency::parse("17").is_err());
        assert_eq!(Sex::parse("f"), Err(SexError));
        assert_eq!(Sex::parse("F"), Ok(Sex::F));
    }
}
