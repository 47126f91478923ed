//! Procedure-code modifiers (`26`, `TC`, `59`, `XS`, `LT`...) and a line's modifier list.
//!
//! A modifier is two characters of `[0-9A-Z]`, so it packs into an index below 1296; modifier
//! sets in compiled policies are bitsets over that index. A line carries at most four, held
//! inline so a line never allocates for them.

use std::fmt;

use payerlex_types::base36;
use serde::{Deserialize, Serialize};

/// Why a text is not a modifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid modifier: expected 2 letters or digits (e.g. `26`, `TC`, `XS`)")]
pub struct ModifierError {
    text: String,
}

impl ModifierError {
    /// The rejected text. Not part of the message, which may describe patient data; a
    /// policy diagnostic (policy text is not patient data) quotes it.
    pub fn rejected_text(&self) -> &str {
        &self.text
    }
}

/// Number of distinct modifiers (36 x 36).
pub const MODIFIER_SPACE: usize = 36 * 36;

/// A validated two-character modifier.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Modifier(u16);

impl Modifier {
    /// Parses a modifier, accepting lower case.
    pub fn parse(text: &str) -> Result<Self, ModifierError> {
        let error = || ModifierError {
            text: text.to_owned(),
        };
        let digit = |byte: u8| base36::digit(byte).map(u16::from).ok_or_else(error);
        match text.as_bytes() {
            [a, b] => Ok(Self(digit(*a)? * 36 + digit(*b)?)),
            _ => Err(error()),
        }
    }

    /// Index in `0..MODIFIER_SPACE`, for bitsets.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

impl fmt::Display for Modifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (high, low) = (u32::from(self.0 / 36), u32::from(self.0));
        let text = [base36::symbol(high), base36::symbol(low)];
        f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Modifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Modifier({self})")
    }
}

super::text_newtype::text_newtype!(Modifier, ModifierError);

/// Why a modifier list was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a line carries at most {MAX_MODIFIERS} modifiers, found {count}")]
pub struct TooManyModifiers {
    count: usize,
}

/// Most modifiers a claim line may carry (837P SV101-3..6, CMS-1500 24D).
pub const MAX_MODIFIERS: usize = 4;

/// Up to four modifiers, in billed order, stored inline.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Modifiers {
    items: [Option<Modifier>; MAX_MODIFIERS],
}

impl Modifiers {
    /// An empty list.
    pub fn none() -> Self {
        Self::default()
    }

    /// Builds a list from at most four modifiers.
    pub fn from_slice(modifiers: &[Modifier]) -> Result<Self, TooManyModifiers> {
        if modifiers.len() > MAX_MODIFIERS {
            return Err(TooManyModifiers {
                count: modifiers.len(),
            });
        }
        let mut items = [None; MAX_MODIFIERS];
        for (slot, modifier) in items.iter_mut().zip(modifiers) {
            *slot = Some(*modifier);
        }
        Ok(Self { items })
    }

    /// Parses texts such as `["26", "XS"]` (into the inline slots: no allocation).
    pub fn parse<S: AsRef<str>>(texts: &[S]) -> Result<Self, String> {
        if texts.len() > MAX_MODIFIERS {
            return Err(TooManyModifiers { count: texts.len() }.to_string());
        }
        let mut items = [None; MAX_MODIFIERS];
        for (slot, text) in items.iter_mut().zip(texts) {
            *slot = Some(Modifier::parse(text.as_ref()).map_err(|e| e.to_string())?);
        }
        Ok(Self { items })
    }

    /// The modifiers in billed order.
    pub fn iter(&self) -> impl Iterator<Item = Modifier> + '_ {
        self.items.iter().map_while(|m| *m)
    }

    /// Whether the list holds `modifier`.
    pub fn contains(&self, modifier: Modifier) -> bool {
        self.iter().any(|m| m == modifier)
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.items[0].is_none()
    }
}

impl fmt::Debug for Modifiers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Modifiers {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Modifiers {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let list = Vec::<Modifier>::deserialize(deserializer)?;
        Self::from_slice(&list).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        for text in ["26", "TC", "XS", "59", "LT"] {
            assert_eq!(Modifier::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(Modifier::parse("tc").unwrap().to_string(), "TC");
        assert!(Modifier::parse("T").is_err());
        assert!(Modifier::parse("T-").is_err());
    }

    #[test]
    fn lists_hold_at_most_four() {
        let list = Modifiers::parse(&["26", "XS"]).unwrap();
        assert!(list.contains(Modifier::parse("XS").unwrap()));
        assert!(Modifiers::parse(&["26", "TC", "59", "XS", "LT"]).is_err());
    }
}
