//! Which policy pack decides the claims of which payer.
//!
//! An 837 names its payer by the id the payer registered with clearinghouses (2010BB NM109,
//! e.g. `11122333`), while payerlex picks a pack by pack id (`medicare`). The map is a TOML
//! file of `"payer id" = "pack id"` lines; the serde + `toml` crates read it, so its errors
//! carry line and column.

use std::collections::BTreeMap;
use std::path::Path;

/// Largest payer map file read (a map with thousands of payers is a few hundred KiB).
pub const MAX_PAYER_MAP_BYTES: u64 = 4 * 1024 * 1024;

/// Why a payer map cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PayerMapError {
    /// The file cannot be read.
    #[error("cannot read payer map `{path}`: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is larger than [`MAX_PAYER_MAP_BYTES`].
    #[error("payer map `{path}` is larger than {MAX_PAYER_MAP_BYTES} bytes")]
    TooLarge {
        /// The file.
        path: String,
    },
    /// Not TOML of string keys and string values.
    #[error("payer map is not a TOML table of \"payer id\" = \"pack id\": {0}")]
    Syntax(String),
    /// An empty payer id or pack id.
    #[error("payer map: payer ids and pack ids must not be empty")]
    Empty,
}

/// Payer id (2010BB NM109) -> pack id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PayerMap {
    packs: BTreeMap<String, String>,
}

impl PayerMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads a map from TOML text: `"11122333" = "acme-health"`, one per line.
    pub fn from_toml(text: &str) -> Result<Self, PayerMapError> {
        let packs: BTreeMap<String, String> =
            toml::from_str(text).map_err(|e| PayerMapError::Syntax(e.to_string()))?;
        if packs
            .iter()
            .any(|(payer, pack)| payer.is_empty() || pack.is_empty())
        {
            return Err(PayerMapError::Empty);
        }
        Ok(Self { packs })
    }

    /// Reads a map from a file.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, PayerMapError> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let io = |source| PayerMapError::Io {
            path: shown.clone(),
            source,
        };
        let size = std::fs::metadata(path).map_err(io)?.len();
        if size > MAX_PAYER_MAP_BYTES {
            return Err(PayerMapError::TooLarge { path: shown });
        }
        let text = std::fs::read_to_string(path).map_err(io)?;
        Self::from_toml(&text)
    }

    /// Adds or replaces one entry.
    pub fn insert(&mut self, payer: impl Into<String>, pack: impl Into<String>) {
        self.packs.insert(payer.into(), pack.into());
    }

    /// The pack for a payer id.
    pub fn pack(&self, payer: &str) -> Option<&str> {
        self.packs.get(payer).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_payer_to_pack_lines() {
        let map = PayerMap::from_toml("\"11122333\" = \"acme-health\"\nSUMMIT = \"summit-care\"\n");
        let map = map.unwrap_or_default();
        assert_eq!(map.pack("11122333"), Some("acme-health"));
        assert_eq!(map.pack("SUMMIT"), Some("summit-care"));
        assert_eq!(map.pack("other"), None);
        assert!(matches!(
            PayerMap::from_toml("x = 1"),
            Err(PayerMapError::Syntax(_))
        ));
        assert!(matches!(
            PayerMap::from_toml("x = \"\""),
            Err(PayerMapError::Empty)
        ));
    }
}
