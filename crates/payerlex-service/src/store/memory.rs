//! A store in memory: what a test or a throwaway run needs, lost when the process ends.
//!
//! One mutex over everything is enough here: the service already serialises checks of the
//! same patient, and each operation is a few vector moves.

use std::collections::HashMap;
use std::sync::Mutex;

use super::{random_key, Commit, Store, StoreError, StoreTx, StoredRecord};
use crate::payerlex_api::PriorLine;

/// History and log in memory.
#[derive(Debug)]
pub struct MemoryStore {
    inner: Mutex<Inner>,
    mask_key: [u8; 32],
    max_log_records: usize,
}

#[derive(Debug, Default)]
struct Inner {
    history: HashMap<(String, String), Vec<PriorLine>>,
    log: std::collections::VecDeque<StoredRecord>,
    next_seq: u64,
}

impl Inner {
    fn lines(&self, payer: &str, patient: &str) -> Vec<PriorLine> {
        self.history
            .get(&(payer.to_owned(), patient.to_owned()))
            .cloned()
            .unwrap_or_default()
    }

    fn commit(&mut self, commit: &Commit<'_>, max_log_records: usize) -> u64 {
        let update = commit.update;
        let key = (update.payer.clone(), update.patient.clone());
        let lines = self.history.entry(key.clone()).or_default();
        update.apply(lines);
        if lines.is_empty() {
            self.history.remove(&key);
        }
        self.next_seq += 1;
        let seq = self.next_seq;
        self.log.push_back(StoredRecord {
            seq,
            record: commit.record.to_owned(),
        });
        while self.log.len() > max_log_records {
            self.log.pop_front();
        }
        seq
    }
}

/// Reads and commits while the store's lock is held.
struct MemoryTx<'a> {
    inner: &'a mut Inner,
    max_log_records: usize,
}

impl StoreTx for MemoryTx<'_> {
    fn prior_lines(&mut self, payer: &str, patient: &str) -> Result<Vec<PriorLine>, StoreError> {
        Ok(self.inner.lines(payer, patient))
    }

    fn commit(&mut self, commit: &Commit<'_>) -> Result<u64, StoreError> {
        Ok(self.inner.commit(commit, self.max_log_records))
    }
}

impl MemoryStore {
    /// An empty store keeping at most `max_log_records` log records.
    pub fn new(max_log_records: usize) -> Result<Self, StoreError> {
        Ok(Self {
            inner: Mutex::new(Inner::default()),
            mask_key: random_key()?,
            max_log_records,
        })
    }
}

impl Store for MemoryStore {
    fn prior_lines(&self, payer: &str, patient: &str) -> Result<Vec<PriorLine>, StoreError> {
        let inner = self.inner.lock().map_err(|_| StoreError::Poisoned)?;
        Ok(inner.lines(payer, patient))
    }

    fn commit(&self, commit: &Commit<'_>) -> Result<u64, StoreError> {
        let mut inner = self.inner.lock().map_err(|_| StoreError::Poisoned)?;
        Ok(inner.commit(commit, self.max_log_records))
    }

    /// Runs `work` holding the store's lock. Memory has nothing to make durable, and its
    /// commits cannot fail, so there is nothing to roll back.
    fn transaction(
        &self,
        work: &mut dyn FnMut(&mut dyn StoreTx) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut inner = self.inner.lock().map_err(|_| StoreError::Poisoned)?;
        work(&mut MemoryTx {
            inner: &mut inner,
            max_log_records: self.max_log_records,
        })
    }

    fn log_records(&self, after: u64, limit: usize) -> Result<Vec<StoredRecord>, StoreError> {
        let inner = self.inner.lock().map_err(|_| StoreError::Poisoned)?;
        Ok(inner
            .log
            .iter()
            .filter(|r| r.seq > after)
            .take(limit)
            .cloned()
            .collect())
    }

    fn ping(&self) -> Result<(), StoreError> {
        self.inner
            .lock()
            .map(|_| ())
            .map_err(|_| StoreError::Poisoned)
    }

    fn mask_key(&self) -> [u8; 32] {
        self.mask_key
    }
}
