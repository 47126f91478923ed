//! Policy packs: one per payer, a `pack.toml` manifest plus `.policy` files, optionally
//! extending a baseline pack. This module reads, links and compiles them.

mod files;
mod link;
mod manifest;
mod order;
mod sources;
mod table_files;
mod validate_manifest;

pub use link::{link, LoadOptions};
pub use manifest::Manifest;
#[cfg(feature = "testing")]
pub use sources::read_pack_folder_with;
pub use sources::{read_packs_with, PackSources};

use crate::compile::Program;
use crate::eval::PolicyRef;
use crate::facts::DateRange;
use crate::ir::{CheckedRule, FactDecl};

/// A linked, compiled pack: what [`crate::Engine::pack`] returns. Read it through its
/// methods; its compiled form is private.
#[derive(Debug, Clone)]
pub struct Pack {
    /// Payer id.
    pub(crate) id: String,
    /// Human name.
    pub(crate) name: String,
    /// Pack version.
    pub(crate) version: semver::Version,
    /// Dates of service it applies to.
    pub(crate) effective: DateRange,
    /// The pack it extends.
    pub(crate) extends: Option<String>,
    /// Folder name it was loaded from.
    pub(crate) folder: String,
    /// Pack id, version and digest, as reported in decisions.
    pub(crate) policy: PolicyRef,
    /// The linked rules (inherited, replaced, own), checked but not compiled: the reference
    /// interpreter and coverage reports read these.
    pub(crate) rules: Vec<CheckedRule>,
    /// Ids of rules of its bases that the pack disabled or replaced: pack tests may assert
    /// they do not fire.
    pub(crate) removed_rules: Vec<std::sync::Arc<str>>,
    /// Report facts the rules read.
    pub(crate) facts: Vec<FactDecl>,
    /// Data tables of the pack's policies and its bases'.
    pub(crate) tables: Vec<std::sync::Arc<crate::tables::TableSlot>>,
    /// The compiled program.
    pub(crate) program: Program,
    /// The pack's digest as decision ids read it.
    pub(crate) decision_key: crate::eval::DecisionKey,
}

/// A data table of a pack, as loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct TableSummary<'a> {
    /// The table's name in its policy (`mue`).
    pub name: &'a str,
    /// Its layout (`ncci_ptp`, `mue`, `add_on_codes`, `fee_schedule`, `gpci`).
    pub layout: &'static str,
    /// Rows loaded.
    pub rows: usize,
}

impl Pack {
    /// Payer id (the `id` of `pack.toml`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Human name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Pack version.
    pub fn version(&self) -> &semver::Version {
        &self.version
    }

    /// Dates of service the pack applies to.
    pub fn effective(&self) -> DateRange {
        self.effective
    }

    /// The id of the pack this one extends.
    pub fn extends(&self) -> Option<&str> {
        self.extends.as_deref()
    }

    /// The folder the pack was loaded from.
    pub fn folder(&self) -> &str {
        &self.folder
    }

    /// Id, version and digest, as decisions report them.
    pub fn policy(&self) -> &PolicyRef {
        &self.policy
    }

    /// The data tables the pack's policies (and its bases') declare, as loaded.
    pub fn tables(&self) -> impl Iterator<Item = TableSummary<'_>> + '_ {
        self.tables.iter().map(|table| TableSummary {
            name: &table.name,
            layout: table.kind.name(),
            rows: table.rows(),
        })
    }

    /// The pack's rules (inherited, replaced and its own), in evaluation order.
    pub fn rules(&self) -> impl ExactSizeIterator<Item = &crate::compile::RuleInfo> + '_ {
        self.program.rules.iter().map(|rule| &*rule.info)
    }
}
