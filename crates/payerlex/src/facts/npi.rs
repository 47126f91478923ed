//! National Provider Identifier: ten digits with a Luhn check digit over the `80840` prefix.

use std::fmt;

/// Why a text is not an NPI.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid NPI: {reason}")]
pub struct NpiError {
    text: String,
    reason: &'static str,
}

impl NpiError {
    /// The rejected text. Not part of the message, which may describe patient data; a
    /// policy diagnostic (policy text is not patient data) quotes it.
    pub fn rejected_text(&self) -> &str {
        &self.text
    }
}

/// A validated NPI.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Npi([u8; 10]);

impl Npi {
    /// The ten digits, as held (for the decision id).
    pub(crate) fn digits(self) -> [u8; 10] {
        self.0
    }

    /// Parses ten digits and verifies the check digit.
    pub fn parse(text: &str) -> Result<Self, NpiError> {
        let error = |reason| NpiError {
            text: text.to_owned(),
            reason,
        };
        let bytes: [u8; 10] = text
            .as_bytes()
            .try_into()
            .map_err(|_| error("expected 10 digits"))?;
        if !bytes.iter().all(u8::is_ascii_digit) {
            return Err(error("expected 10 digits"));
        }
        // Luhn over "80840" + first nine digits; the tenth digit is the check digit.
        let mut sum = 24u32; // the constant contribution of the 80840 prefix
        for (i, byte) in bytes[..9].iter().rev().enumerate() {
            let mut d = u32::from(byte - b'0');
            if i % 2 == 0 {
                d *= 2;
                if d > 9 {
                    d -= 9;
                }
            }
            sum += d;
        }
        let check = (10 - sum % 10) % 10;
        if check != u32::from(bytes[9] - b'0') {
            return Err(error("check digit does not match"));
        }
        Ok(Self(bytes))
    }
}

impl fmt::Display for Npi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The ten ASCII digits in one `write_str` (printed for every claim whose decision id
        // is computed).
        f.write_str(std::str::from_utf8(&self.0).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Npi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Npi({self})")
    }
}

super::text_newtype::text_newtype!(Npi, NpiError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_the_luhn_digit() {
        assert_eq!(
            Npi::parse("1234567893")
                .ok()
                .map(|n| n.to_string())
                .as_deref(),
            Some("1234567893")
        );
        assert!(Npi::parse("1234567890").is_err());
        assert!(Npi::parse("123456789").is_err());
        assert!(Npi::parse("12345678a3").is_err());
    }
}
