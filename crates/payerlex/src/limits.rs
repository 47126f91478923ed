//! Limits on everything a user controls: policy text, packs, tables, records and history.
//!
//! payerlex sits in the payment path and reads input from semi-trusted policy authors and
//! untrusted claim senders. Every size or count that input decides has a limit here, with a
//! default generous enough for real packs and claims and small enough that one bad file or
//! record cannot exhaust memory, stack or time. Exceeding a limit is a clear error for that
//! file (a load diagnostic) or that record (an error record), never an abort. One struct
//! holds them all so a host sets them in one place (`LoadOptions::limits`, CLI `--limit`).

use serde::{Deserialize, Serialize};

/// Limits on input sizes and counts, with defaults for production use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Limits {
    /// Largest policy file, in bytes.
    pub policy_file_bytes: usize,
    /// Deepest bracket nesting in a policy expression.
    pub nesting_depth: usize,
    /// Longest chain of operators or `not`s in one expression.
    pub operator_chain: usize,
    /// Most items (sets, tables, rules, ...) in one policy file.
    pub items_per_file: usize,
    /// Most rules in one pack, its bases' rules included.
    pub rules_per_pack: usize,
    /// Most policy files in one pack.
    pub files_per_pack: usize,
    /// Longest `extends` chain.
    pub extends_depth: usize,
    /// Largest table file, in bytes (CMS's PTP file is ~100 MB).
    pub table_file_bytes: u64,
    /// Largest input record (one JSON line), in bytes.
    pub record_bytes: usize,
    /// Most lines on one claim.
    pub lines_per_claim: usize,
    /// Most history lines kept for one (payer, patient).
    pub history_lines_per_patient: usize,
    /// Most history lines held over all patients by a batch run (`InMemoryHistory`).
    pub history_lines_total: usize,
    /// Most history lines one claim's evaluation reads (the evaluation budget).
    pub history_lines_per_check: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            policy_file_bytes: 1024 * 1024,
            nesting_depth: 32,
            operator_chain: 256,
            items_per_file: 5_000,
            rules_per_pack: 10_000,
            files_per_pack: 500,
            extends_depth: 8,
            table_file_bytes: 512 * 1024 * 1024,
            record_bytes: 4 * 1024 * 1024,
            lines_per_claim: 999,
            history_lines_per_patient: 100_000,
            history_lines_total: 4_000_000,
            history_lines_per_check: 20_000,
        }
    }
}

/// One limit as `payerlex limits` and RELIABILITY.md describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LimitInfo {
    /// The name `--limit NAME=VALUE` takes.
    pub name: &'static str,
    /// The default value.
    pub default: u64,
    /// The largest value `--limit` accepts, when there is one (stack-bound limits).
    pub ceiling: Option<u64>,
    /// What it bounds, in one line.
    pub meaning: &'static str,
}

/// Deepest bracket nesting the parser accepts whatever the limits say: the checker, compiler
/// and evaluator recurse once per level, and a host's worker thread may have 2 MiB of stack.
pub const NESTING_DEPTH_CEILING: usize = 64;
/// Longest operator or `not` chain accepted whatever the limits say (same reason).
pub const OPERATOR_CHAIN_CEILING: usize = 512;

fn usize_u64(value: usize) -> u64 {
    u64::try_from(value).unwrap_or(u64::MAX)
}

impl Limits {
    /// Every limit: its name as `--limit NAME=VALUE` spells it, its default and meaning.
    pub fn describe() -> Vec<LimitInfo> {
        let d = Self::default();
        let info = |name, default: usize, meaning| LimitInfo {
            name,
            default: usize_u64(default),
            ceiling: None,
            meaning,
        };
        vec![
            info(
                "policy_file_bytes",
                d.policy_file_bytes,
                "largest policy file (and pack.toml), in bytes",
            ),
            LimitInfo {
                ceiling: Some(usize_u64(NESTING_DEPTH_CEILING)),
                ..info(
                    "nesting_depth",
                    d.nesting_depth,
                    "deepest nesting of ( ) and [ ] in one policy item",
                )
            },
            LimitInfo {
                ceiling: Some(usize_u64(OPERATOR_CHAIN_CEILING)),
                ..info(
                    "operator_chain",
                    d.operator_chain,
                    "most `not`s, and most arithmetic operators, in one policy item",
                )
            },
            info(
                "items_per_file",
                d.items_per_file,
                "most items (sets, tables, rules, ...) in one policy file",
            ),
            info(
                "rules_per_pack",
                d.rules_per_pack,
                "most rules in one pack, its bases' rules included",
            ),
            info(
                "files_per_pack",
                d.files_per_pack,
                "most .policy files in one pack folder",
            ),
            info(
                "extends_depth",
                d.extends_depth,
                "longest chain of packs extending packs",
            ),
            LimitInfo {
                default: d.table_file_bytes,
                ..info(
                    "table_file_bytes",
                    0,
                    "largest table file, in bytes (CMS's PTP file is ~100 MB)",
                )
            },
            info(
                "record_bytes",
                d.record_bytes,
                "largest input record (one line), in bytes",
            ),
            info(
                "lines_per_claim",
                d.lines_per_claim,
                "most service lines on one claim",
            ),
            info(
                "history_lines_per_patient",
                d.history_lines_per_patient,
                "most history lines kept for one (payer, patient)",
            ),
            info(
                "history_lines_total",
                d.history_lines_total,
                "most history lines a batch run holds over all patients",
            ),
            info(
                "history_lines_per_check",
                d.history_lines_per_check,
                "most history lines one claim's evaluation reads",
            ),
        ]
    }

    /// Sets one limit from `NAME=VALUE` (the CLI's `--limit`). Values are positive integers,
    /// at most the limit's ceiling where it has one.
    pub fn set(&mut self, assignment: &str) -> Result<(), LimitError> {
        let (name, value) = assignment.split_once('=').ok_or(LimitError::Syntax)?;
        let name = name.trim();
        let value: u64 = value
            .trim()
            .replace('_', "")
            .parse()
            .ok()
            .filter(|v| *v > 0)
            .ok_or_else(|| LimitError::Value(name.to_owned()))?;
        if let Some(ceiling) = Self::describe()
            .into_iter()
            .find(|l| l.name == name)
            .and_then(|l| l.ceiling)
        {
            if value > ceiling {
                return Err(LimitError::AboveCeiling {
                    name: name.to_owned(),
                    ceiling,
                });
            }
        }
        let as_usize = usize::try_from(value).map_err(|_| LimitError::Value(name.to_owned()))?;
        match name {
            "policy_file_bytes" => self.policy_file_bytes = as_usize,
            "nesting_depth" => self.nesting_depth = as_usize,
            "operator_chain" => self.operator_chain = as_usize,
            "items_per_file" => self.items_per_file = as_usize,
            "rules_per_pack" => self.rules_per_pack = as_usize,
            "files_per_pack" => self.files_per_pack = as_usize,
            "extends_depth" => self.extends_depth = as_usize,
            "table_file_bytes" => self.table_file_bytes = value,
            "record_bytes" => self.record_bytes = as_usize,
            "lines_per_claim" => self.lines_per_claim = as_usize,
            "history_lines_per_patient" => self.history_lines_per_patient = as_usize,
            "history_lines_total" => self.history_lines_total = as_usize,
            "history_lines_per_check" => self.history_lines_per_check = as_usize,
            other => return Err(LimitError::Unknown(other.to_owned())),
        }
        Ok(())
    }

    /// The nesting depth the parser enforces: the limit, at most [`NESTING_DEPTH_CEILING`].
    pub(crate) fn effective_nesting_depth(&self) -> usize {
        self.nesting_depth.min(NESTING_DEPTH_CEILING)
    }

    /// The operator chain the parser enforces: the limit, at most [`OPERATOR_CHAIN_CEILING`].
    pub(crate) fn effective_operator_chain(&self) -> usize {
        self.operator_chain.min(OPERATOR_CHAIN_CEILING)
    }
}

/// A `--limit NAME=VALUE` that could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LimitError {
    /// Not `NAME=VALUE`.
    #[error("a limit is written NAME=VALUE")]
    Syntax,
    /// No such limit.
    #[error("unknown limit `{0}` (see `payerlex limits`)")]
    Unknown(String),
    /// The value is not a positive integer.
    #[error("limit `{0}` takes a positive integer")]
    Value(String),
    /// The value is above what the stack allows.
    #[error("limit `{name}` is at most {ceiling} (deeper nesting would risk the stack)")]
    AboveCeiling {
        /// The limit.
        name: String,
        /// Its ceiling.
        ceiling: u64,
    },
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_described_limit_can_be_set() {
        for info in Limits::describe() {
            let name = info.name;
            let mut limits = Limits::default();
            limits.set(&format!("{name}=7")).unwrap();
            assert_ne!(limits, Limits::default(), "{name}");
        }
        let mut limits = Limits::default();
        assert_eq!(
            limits.set("nope=1"),
            Err(LimitError::Unknown("nope".into()))
        );
        assert_eq!(
            limits.set("record_bytes=0"),
            Err(LimitError::Value("record_bytes".into()))
        );
        assert_eq!(limits.set("record_bytes"), Err(LimitError::Syntax));
        assert!(matches!(
            limits.set("nesting_depth=65"),
            Err(LimitError::AboveCeiling { .. })
        ));
        limits.set("nesting_depth=64").unwrap();
    }
}
