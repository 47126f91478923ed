//! Policy packs: one per payer, a `pack.toml` manifest plus `.policy` files, optionally
//! extending a baseline pack. This module reads, links and compiles them.

mod link;
mod manifest;
mod sources;

pub use link::{link, LoadOptions};
pub use manifest::{Extends, Manifest};
pub use sources::{read_pack_folder, read_packs, PackSources};

use crate::check::{CheckedRule, FactDecl};
use crate::compile::Program;
use crate::eval::PolicyRef;
use crate::facts::DateRange;

/// A linked, compiled pack.
#[derive(Debug, Clone)]
pub struct CompiledPack {
    /// Payer id.
    pub id: String,
    /// Human name.
    pub name: String,
    /// Pack version.
    pub version: semver::Version,
    /// Dates of service it applies to.
    pub effective: DateRange,
    /// The pack it extends.
    pub extends: Option<String>,
    /// Folder name it was loaded from.
    pub folder: String,
    /// Pack id, version and digest, as reported in decisions.
    pub policy: PolicyRef,
    /// The linked rules (inherited, replaced, own), checked but not compiled: the reference
    /// interpreter and coverage reports read these.
    pub rules: Vec<CheckedRule>,
    /// Report facts the rules read.
    pub facts: Vec<FactDecl>,
    /// Data tables of the pack's policies and its bases'.
    pub tables: Vec<std::sync::Arc<crate::tables::TableSlot>>,
    /// The compiled program.
    pub program: Program,
}
