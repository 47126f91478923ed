//! The default store: one SQLite file in WAL mode, so a restart loses nothing.
//!
//! Why SQLite: one file next to the service, no server to run, transactions that make a
//! decision's history update and its log record durable together, and WAL so that readers
//! (history look-ups) never wait for the writer. Commits take turns on one writer connection
//! (SQLite has a single writer anyway); reads use a small set of reader connections.
//!
//! Schema (version 1):
//! - `meta(key, value)`: `schema_version`, and `mask_key` (32 random bytes made when the file
//!   is created, so masked-log pseudonyms stay the same across restarts).
//! - `history_lines(payer, patient, claim, number, seq, pos, date, line)`: one row per line
//!   of a decided claim, `line` being the `payerlex::PriorLine` as JSON and `date` its date
//!   of service in days since 1970; keyed by (payer, patient, claim, number), indexed by
//!   (payer, patient, date) for the look-back; `seq` (the decision's log position) and `pos`
//!   (the line's position in its claim) give the decided order.
//! - `decisions(seq, decision_id, decided_at, payer, claim, outcome, record)`: the decision
//!   log, `record` being the full JSON record of [`crate::decision_log`].
//!
//! The file holds patient identifiers and claim contents: protect it like the host's claims.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};

use super::{Commit, Store, StoreError, StoreTx, StoredRecord};
use crate::payerlex_api::PriorLine;

const SCHEMA_VERSION: i64 = 1;
const READERS: usize = 4;
/// Every this many commits, the log is trimmed to its limit.
const TRIM_EVERY: u64 = 1024;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS history_lines (
    payer TEXT NOT NULL, patient TEXT NOT NULL, claim TEXT NOT NULL, number INTEGER NOT NULL,
    seq INTEGER NOT NULL, pos INTEGER NOT NULL, date INTEGER NOT NULL, line TEXT NOT NULL,
    PRIMARY KEY (payer, patient, claim, number)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS history_by_date ON history_lines (payer, patient, date);
CREATE TABLE IF NOT EXISTS decisions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, decision_id TEXT NOT NULL, decided_at TEXT NOT NULL,
    payer TEXT NOT NULL, claim TEXT NOT NULL, outcome TEXT NOT NULL, record TEXT NOT NULL
);
";

/// History and decision log in an SQLite file.
#[derive(Debug)]
pub struct SqliteStore {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
    mask_key: [u8; 32],
    max_log_records: u64,
}

impl SqliteStore {
    /// Opens (creating when absent) the state file. `durable` waits for the disk on every
    /// commit (`synchronous=FULL`); otherwise a commit survives a crash of the process but
    /// not of the machine (`NORMAL`).
    pub fn open(path: &Path, durable: bool, max_log_records: u64) -> Result<Self, StoreError> {
        let writer = Connection::open(path)?;
        writer.busy_timeout(std::time::Duration::from_secs(5))?;
        writer.pragma_update(None, "journal_mode", "WAL")?;
        writer.pragma_update(None, "synchronous", if durable { "FULL" } else { "NORMAL" })?;
        writer.execute_batch(SCHEMA)?;
        let mask_key = Self::init_meta(&writer)?;
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let reader = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            reader.busy_timeout(std::time::Duration::from_secs(5))?;
            readers.push(Mutex::new(reader));
        }
        Ok(Self {
            writer: Mutex::new(writer),
            readers,
            next_reader: AtomicUsize::new(0),
            mask_key,
            max_log_records,
        })
    }

    /// Checks the schema version and returns the mask key, writing both on a new file.
    fn init_meta(conn: &Connection) -> Result<[u8; 32], StoreError> {
        let version: Option<i64> = conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'schema_version'",
                [],
                |row| row.get(0),
            )
            .optional()?;
        match version {
            Some(found) if found > SCHEMA_VERSION => {
                return Err(StoreError::Schema {
                    found,
                    supported: SCHEMA_VERSION,
                })
            }
            Some(_) => {}
            None => {
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)",
                    [SCHEMA_VERSION],
                )?;
            }
        }
        let stored: Option<Vec<u8>> = conn
            .query_row("SELECT value FROM meta WHERE key = 'mask_key'", [], |row| {
                row.get(0)
            })
            .optional()?;
        match stored {
            Some(bytes) => {
                <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| StoreError::Corrupt {
                    what: "mask key",
                    reason: format!("{} bytes instead of 32", bytes.len()),
                })
            }
            None => {
                let key = super::random_key()?;
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('mask_key', ?1)",
                    [key.as_slice()],
                )?;
                Ok(key)
            }
        }
    }

    fn reader(&self) -> Result<std::sync::MutexGuard<'_, Connection>, StoreError> {
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        for offset in 0..self.readers.len() {
            if let Some(slot) = self.readers.get((start + offset) % self.readers.len()) {
                if let Ok(guard) = slot.try_lock() {
                    return Ok(guard);
                }
            }
        }
        self.readers
            .get(start % self.readers.len().max(1))
            .ok_or(StoreError::Poisoned)?
            .lock()
            .map_err(|_| StoreError::Poisoned)
    }

    /// Number of history lines held, over every patient.
    pub fn history_len(&self) -> Result<u64, StoreError> {
        let conn = self.reader()?;
        let count: i64 = conn.query_row("SELECT COUNT(*) FROM history_lines", [], |r| r.get(0))?;
        Ok(u64::try_from(count).unwrap_or(0))
    }
}

impl Store for SqliteStore {
    fn prior_lines(&self, payer: &str, patient: &str) -> Result<Vec<PriorLine>, StoreError> {
        let conn = self.reader()?;
        read_lines(&conn, payer, patient)
    }

    fn commit(&self, commit: &Commit<'_>) -> Result<u64, StoreError> {
        let mut conn = self.writer.lock().map_err(|_| StoreError::Poisoned)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let seq = write_commit(&tx, commit, self.max_log_records)?;
        tx.commit()?;
        Ok(seq)
    }

    fn transaction(
        &self,
        work: &mut dyn FnMut(&mut dyn StoreTx) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut conn = self.writer.lock().map_err(|_| StoreError::Poisoned)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        work(&mut SqliteTx {
            tx: &tx,
            max_log_records: self.max_log_records,
        })?;
        tx.commit()?;
        Ok(())
    }

    fn log_records(&self, after: u64, limit: usize) -> Result<Vec<StoredRecord>, StoreError> {
        let conn = self.reader()?;
        let mut statement = conn.prepare_cached(
            "SELECT seq, record FROM decisions WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = statement.query_map(params![after, limit], |row| {
            Ok(StoredRecord {
                seq: u64::try_from(row.get::<_, i64>(0)?).unwrap_or(0),
                record: row.get(1)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn ping(&self) -> Result<(), StoreError> {
        let conn = self.reader()?;
        conn.query_row("SELECT 1", [], |_| Ok(()))?;
        Ok(())
    }

    fn mask_key(&self) -> [u8; 32] {
        self.mask_key
    }
}

/// Reads and commits inside one open transaction of the writer connection.
struct SqliteTx<'a> {
    tx: &'a rusqlite::Transaction<'a>,
    max_log_records: u64,
}

impl StoreTx for SqliteTx<'_> {
    fn prior_lines(&mut self, payer: &str, patient: &str) -> Result<Vec<PriorLine>, StoreError> {
        read_lines(self.tx, payer, patient)
    }

    fn commit(&mut self, commit: &Commit<'_>) -> Result<u64, StoreError> {
        write_commit(self.tx, commit, self.max_log_records)
    }
}

/// A patient's lines, in decided order.
fn read_lines(conn: &Connection, payer: &str, patient: &str) -> Result<Vec<PriorLine>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT line FROM history_lines WHERE payer = ?1 AND patient = ?2 ORDER BY seq, pos",
    )?;
    let rows = statement.query_map(params![payer, patient], |row| row.get::<_, String>(0))?;
    let mut lines = Vec::new();
    for row in rows {
        let text = row?;
        let line = serde_json::from_str(&text).map_err(|e| StoreError::Corrupt {
            what: "history line",
            reason: e.to_string(),
        })?;
        lines.push(line);
    }
    Ok(lines)
}

/// Appends the log record and applies the history update (inside a transaction).
fn write_commit(
    conn: &Connection,
    commit: &Commit<'_>,
    max_log_records: u64,
) -> Result<u64, StoreError> {
    let update = commit.update;
    conn.prepare_cached(
        "INSERT INTO decisions (decision_id, decided_at, payer, claim, outcome, record)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        commit.decision_id,
        commit.decided_at,
        update.payer,
        commit.claim,
        commit.outcome,
        commit.record
    ])?;
    let seq = conn.last_insert_rowid();
    let mut remove = conn.prepare_cached(
        "DELETE FROM history_lines WHERE payer = ?1 AND patient = ?2 AND claim = ?3",
    )?;
    for claim in &update.remove_claims {
        remove.execute(params![update.payer, update.patient, claim])?;
    }
    let mut insert = conn.prepare_cached(
        "INSERT OR REPLACE INTO history_lines
         (payer, patient, claim, number, seq, pos, date, line)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (pos, line) in update.insert.iter().enumerate() {
        let json = serde_json::to_string(line).map_err(|e| StoreError::Corrupt {
            what: "history line",
            reason: e.to_string(),
        })?;
        insert.execute(params![
            update.payer,
            update.patient,
            &*line.claim,
            line.number,
            seq,
            i64::try_from(pos).unwrap_or(i64::MAX),
            line.date.days_since_epoch(),
            json
        ])?;
    }
    prune(conn, update)?;
    let seq = u64::try_from(seq).unwrap_or(0);
    if seq % TRIM_EVERY == 0 {
        let keep = i64::try_from(max_log_records).unwrap_or(i64::MAX);
        conn.execute(
            "DELETE FROM decisions WHERE seq <= (SELECT MAX(seq) FROM decisions) - ?1",
            [keep],
        )?;
    }
    Ok(seq)
}

/// Steps 3 and 4 of [`super::HistoryUpdate`]: the look-back, then the line cap.
fn prune(tx: &Connection, update: &super::HistoryUpdate) -> Result<(), StoreError> {
    let newest: Option<i32> = tx
        .prepare_cached("SELECT MAX(date) FROM history_lines WHERE payer = ?1 AND patient = ?2")?
        .query_row(params![update.payer, update.patient], |row| row.get(0))?;
    if let Some(cutoff) = update.cutoff_days(newest.into_iter()) {
        tx.prepare_cached(
            "DELETE FROM history_lines WHERE payer = ?1 AND patient = ?2 AND date < ?3",
        )?
        .execute(params![update.payer, update.patient, cutoff])?;
    }
    let count: i64 = tx
        .prepare_cached("SELECT COUNT(*) FROM history_lines WHERE payer = ?1 AND patient = ?2")?
        .query_row(params![update.payer, update.patient], |row| row.get(0))?;
    let max = i64::try_from(update.max_lines).unwrap_or(i64::MAX);
    if count > max {
        tx.prepare_cached(
            "DELETE FROM history_lines WHERE payer = ?1 AND patient = ?2 AND (claim, number) IN
             (SELECT claim, number FROM history_lines WHERE payer = ?1 AND patient = ?2
              ORDER BY seq, pos LIMIT ?3)",
        )?
        .execute(params![update.payer, update.patient, count - max])?;
    }
    Ok(())
}
