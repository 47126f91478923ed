//! Where the service keeps what must survive a restart: each patient's history (per payer)
//! and the decision log.
//!
//! The service reads history through [`Store::prior_lines`] rather than through
//! `payerlex::History` directly, because `History` cannot report a failed read: a store that
//! could not be read must fail the request (503), never decide the claim as if the patient had
//! no history. What was read is then handed to the engine as a [`HistorySnapshot`], which
//! implements `payerlex::History`, and logged with the decision. A host plugs its own store
//! by implementing [`Store`]; two ship: [`SqliteStore`] (the default, one file, WAL) and
//! [`MemoryStore`] (tests and throwaway runs).
//!
//! [`Store::commit`] records a decided claim's history update and its log record together,
//! atomically, before the service answers.

mod memory;
mod sqlite;
mod update;

use std::borrow::Cow;

pub use memory::MemoryStore;
pub use sqlite::SqliteStore;
pub use update::HistoryUpdate;

use crate::payerlex_api::{History, PriorLine};

/// A store could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed.
    #[error("state database: {0}")]
    Database(#[from] rusqlite::Error),
    /// A stored value is not what this version writes.
    #[error("state database holds an unreadable {what}: {reason}")]
    Corrupt {
        /// Which value.
        what: &'static str,
        /// Why it cannot be read.
        reason: String,
    },
    /// The state file was written by a newer version of the service.
    #[error("state database schema version {found} is newer than this service's ({supported})")]
    Schema {
        /// Version in the file.
        found: i64,
        /// Version this build writes.
        supported: i64,
    },
    /// A lock was poisoned by a thread that panicked while holding it.
    #[error("state store lock poisoned")]
    Poisoned,
    /// The transaction of a group of decisions failed, so none of them was recorded.
    #[error("the group's transaction failed: {0}")]
    RolledBack(String),
    /// The random mask key could not be made.
    #[error("no randomness for the mask key: {0}")]
    Random(String),
}

/// One decision to make durable: the history change and the log record.
#[derive(Debug, Clone)]
pub struct Commit<'a> {
    /// The history change.
    pub update: &'a HistoryUpdate,
    /// The decision's id (`d-...`).
    pub decision_id: &'a str,
    /// When it was decided (RFC 3339).
    pub decided_at: &'a str,
    /// The claim's id.
    pub claim: &'a str,
    /// The claim's outcome (`allow`, `deny`, `review`).
    pub outcome: &'a str,
    /// The full (unmasked) log record, as JSON ([`crate::decision_log`]).
    pub record: &'a str,
}

/// A stored decision-log record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    /// Its position in the log (increasing).
    pub seq: u64,
    /// The record as JSON (unmasked).
    pub record: String,
}

/// History and decision log, shared by every request.
pub trait Store: Send + Sync + 'static {
    /// The lines of `patient`'s earlier claims to `payer`, in decided order.
    fn prior_lines(&self, payer: &str, patient: &str) -> Result<Vec<PriorLine>, StoreError>;

    /// Applies the history update and appends the log record, all or nothing; returns the
    /// record's sequence number.
    fn commit(&self, commit: &Commit<'_>) -> Result<u64, StoreError>;

    /// Runs `work` in one transaction: its reads see its own commits, and its commits become
    /// durable together (one write to disk for all) when it returns `Ok`; when it returns an
    /// error, none of them is kept. Other commits wait meanwhile.
    fn transaction(
        &self,
        work: &mut dyn FnMut(&mut dyn StoreTx) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    /// Log records after `after` (exclusive), at most `limit`, in order.
    fn log_records(&self, after: u64, limit: usize) -> Result<Vec<StoredRecord>, StoreError>;

    /// Whether the store answers (for `/readyz`).
    fn ping(&self) -> Result<(), StoreError>;

    /// The secret the masked log's pseudonyms are keyed with: stable for the store's life,
    /// never written to a log.
    fn mask_key(&self) -> [u8; 32];
}

/// Reads and commits inside [`Store::transaction`].
pub trait StoreTx {
    /// As [`Store::prior_lines`], seeing the transaction's own commits.
    fn prior_lines(&mut self, payer: &str, patient: &str) -> Result<Vec<PriorLine>, StoreError>;
    /// As [`Store::commit`], durable when the transaction commits.
    fn commit(&mut self, commit: &Commit<'_>) -> Result<u64, StoreError>;
}

/// A store used outside any transaction: each commit is durable on its own.
pub struct Direct<'a>(pub &'a dyn Store);

impl StoreTx for Direct<'_> {
    fn prior_lines(&mut self, payer: &str, patient: &str) -> Result<Vec<PriorLine>, StoreError> {
        self.0.prior_lines(payer, patient)
    }

    fn commit(&mut self, commit: &Commit<'_>) -> Result<u64, StoreError> {
        self.0.commit(commit)
    }
}

/// The history lines read for one claim, as the engine sees them.
#[derive(Debug, Clone, Copy)]
pub struct HistorySnapshot<'a> {
    payer: &'a str,
    patient: &'a str,
    lines: &'a [PriorLine],
}

impl<'a> HistorySnapshot<'a> {
    /// The lines of `patient` with `payer`.
    pub fn new(payer: &'a str, patient: &'a str, lines: &'a [PriorLine]) -> Self {
        Self {
            payer,
            patient,
            lines,
        }
    }
}

impl History for HistorySnapshot<'_> {
    fn prior_lines(&self, payer: &str, patient: &str) -> Cow<'_, [PriorLine]> {
        if payer == self.payer && patient == self.patient {
            Cow::Borrowed(self.lines)
        } else {
            Cow::Borrowed(&[])
        }
    }
}

/// 32 random bytes for a new store's mask key.
pub(crate) fn random_key() -> Result<[u8; 32], StoreError> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| StoreError::Random(e.to_string()))?;
    Ok(key)
}
