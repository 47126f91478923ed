//! Which policy pack decides a claim, from the payer the claim names.
//!
//! FHIR names the payer in `Claim.insurer` (an Organization's identifier, or a display), X12
//! in the payer loop (NM1*PR); neither is a payerlex pack id. The host maps one to the other
//! with a small TOML file, the same shape for both formats: one `"payer id" = "pack id"` pair
//! per line at top level, e.g.
//!
//! ```toml
//! "00882" = "medicare"
//! ACME01 = "acme-health"
//! ```

use std::collections::BTreeMap;
use std::path::Path;

/// Most entries a payer map holds (a payer map is configuration, not a data set).
pub const MAX_PAYERS: usize = 10_000;

/// Why a payer map could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PayerMapError {
    /// The file could not be read.
    #[error("cannot read payer map {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Not TOML, or not a table of strings.
    #[error("payer map: {0}")]
    Parse(String),
    /// A value that is not a string (a pack id).
    #[error("payer map: the value of `{payer}` must be a pack id (a string)")]
    NotAPackId {
        /// The payer id.
        payer: String,
    },
    /// Too many entries.
    #[error("payer map: at most {MAX_PAYERS} entries")]
    TooLarge,
}

/// Payer ids to pack ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PayerMap {
    packs: BTreeMap<String, String>,
}

impl PayerMap {
    /// An empty map: every claim's payer is its own pack id.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses the TOML text of a payer map.
    pub fn from_toml_str(text: &str) -> Result<Self, PayerMapError> {
        let table: toml::Table = toml::from_str(text)
            .map_err(|e: toml::de::Error| PayerMapError::Parse(e.message().to_owned()))?;
        if table.len() > MAX_PAYERS {
            return Err(PayerMapError::TooLarge);
        }
        let mut map = Self::new();
        for (payer, pack) in table {
            match pack {
                toml::Value::String(pack) => map.insert(payer, pack),
                _ => return Err(PayerMapError::NotAPackId { payer }),
            }
        }
        Ok(map)
    }

    /// Reads a payer map file.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, PayerMapError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| PayerMapError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_toml_str(&text)
    }

    /// Maps `payer` to `pack`.
    pub fn insert(&mut self, payer: impl Into<String>, pack: impl Into<String>) {
        self.packs.insert(payer.into(), pack.into());
    }

    /// The pack id for a payer id, when mapped.
    pub fn pack_for(&self, payer: &str) -> Option<&str> {
        self.packs.get(payer).map(String::as_str)
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.packs.is_empty()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_flat_table() {
        let map = PayerMap::from_toml_str("\"00882\" = \"medicare\"\nACME01 = \"acme-health\"\n")
            .unwrap();
        assert_eq!(map.pack_for("00882"), Some("medicare"));
        assert_eq!(map.pack_for("ACME01"), Some("acme-health"));
        assert_eq!(map.pack_for("other"), None);
    }

    #[test]
    fn rejects_non_string_values() {
        assert!(matches!(
            PayerMap::from_toml_str("x = 1"),
            Err(PayerMapError::NotAPackId { .. })
        ));
        assert!(matches!(
            PayerMap::from_toml_str("[payers]\nx = \"y\""),
            Err(PayerMapError::NotAPackId { .. })
        ));
        assert!(matches!(
            PayerMap::from_toml_str("x = "),
            Err(PayerMapError::Parse(_))
        ));
    }
}
