//! The pack manifest (`pack.toml`): who the payer is, which version, when it is in force,
//! which policy files it holds and which pack it extends.

use serde::Deserialize;
use toml::Spanned;

/// `pack.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Payer id; claims name it in `payer`.
    pub id: Spanned<String>,
    /// Human name of the payer or plan.
    pub name: String,
    /// Pack version (semver).
    pub version: Spanned<String>,
    /// First date of service the pack applies to (YYYY-MM-DD).
    pub effective: Spanned<String>,
    /// Last date of service the pack applies to.
    #[serde(default)]
    pub expires: Option<Spanned<String>>,
    /// Policy files, relative to the pack folder, in load order (imports look backwards).
    pub policies: Vec<Spanned<String>>,
    /// The pack this one builds on.
    #[serde(default)]
    pub extends: Option<Extends>,
    /// Rule ids of the extended pack to switch off.
    #[serde(default)]
    pub disable: Vec<Spanned<String>>,
}

/// `extends = { pack = "medicare", version = "^2026.1" }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extends {
    /// The base pack's id.
    pub pack: Spanned<String>,
    /// Semver requirement on the base pack's version.
    pub version: Spanned<String>,
}
