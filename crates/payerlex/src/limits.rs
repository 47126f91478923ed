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

impl Limits {
    /// The limits' names, as `--limit NAME=VALUE` spells them, with their defaults.
    pub fn describe() -> Vec<(&'static str, String)> {
        let d = Self::default();
        vec![
            ("policy_file_bytes", d.policy_file_bytes.to_string()),
            ("nesting_depth", d.nesting_depth.to_string()),
            ("operator_chain", d.operator_chain.to_string()),
            ("items_per_file", d.items_per_file.to_string()),
            ("rules_per_pack", d.rules_per_pack.to_string()),
            ("files_per_pack", d.files_per_pack.to_string()),
            ("extends_depth", d.extends_depth.to_string()),
            ("table_file_bytes", d.table_file_bytes.to_string()),
            ("record_bytes", d.record_bytes.to_string()),
            ("lines_per_claim", d.lines_per_claim.to_string()),
            (
                "history_lines_per_patient",
                d.history_lines_per_patient.to_string(),
            ),
            (
                "history_lines_per_check",
                d.history_lines_per_check.to_string(),
            ),
        ]
    }

    /// Sets one limit from `NAME=VALUE` (the CLI's `--limit`). Values are positive integers.
    pub fn set(&mut self, assignment: &str) -> Result<(), LimitError> {
        let (name, value) = assignment.split_once('=').ok_or(LimitError::Syntax)?;
        let value: u64 = value
            .trim()
            .replace('_', "")
            .parse()
            .ok()
            .filter(|v| *v > 0)
            .ok_or_else(|| LimitError::Value(name.trim().to_owned()))?;
        let as_usize =
            usize::try_from(value).map_err(|_| LimitError::Value(name.trim().to_owned()))?;
        match name.trim() {
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
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_described_limit_can_be_set() {
        for (name, _) in Limits::describe() {
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
    }
}
