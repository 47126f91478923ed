//! The masked decision log as a JSON Lines file (`--decision-log FILE`).
//!
//! This is the log that leaves the machine (shipped to a log store, read by analysts), so it
//! gets masked records only ([`crate::decision_log::mask`]). The state database stays the
//! system of record: a line is appended after its decision is committed, and a failed append
//! is counted (`payerlex_decision_log_write_failures_total`) rather than failing a decision
//! that is already durable. Each line is written whole and flushed, so a reader tailing the
//! file never sees half a record.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::sync::Mutex;

/// An append-only JSON Lines file.
#[derive(Debug)]
pub struct LogFile {
    file: Mutex<File>,
}

impl LogFile {
    /// Opens `path` for appending, creating it when absent.
    pub fn open(path: &Path) -> io::Result<Self> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(Self {
            file: Mutex::new(file),
        })
    }

    /// Appends one record and a newline in a single write.
    pub fn append(&self, json: &str) -> io::Result<()> {
        let mut line = String::with_capacity(json.len() + 1);
        line.push_str(json);
        line.push('\n');
        let mut file = self
            .file
            .lock()
            .map_err(|_| io::Error::other("log file lock poisoned"))?;
        file.write_all(line.as_bytes())?;
        file.flush()
    }
}
