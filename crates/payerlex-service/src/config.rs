//! What a running service is told: where its packs and state are, and every limit it
//! enforces.
//!
//! Limits are plain numbers with defaults chosen for one claim per request (a claim of 999
//! lines is well under 1 MiB of JSON) and streams of claims; every one can be changed from
//! the command line ([`crate::ServeArgs`]) so a host sizes them for its traffic.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Limits on what a client can make the service do.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest body of `POST /v1/check` and `POST /v1/playground` (413 beyond).
    pub max_body_bytes: usize,
    /// Largest body of `POST /v1/check/batch` (the stream is cut there: 413 when known
    /// up front, else an error record ends the stream).
    pub max_batch_bytes: usize,
    /// Largest record (one line) of a batch; a longer line becomes an error record.
    pub max_batch_record_bytes: usize,
    /// Time a request may take before the answer is 408 (streams: time to the first byte).
    pub request_timeout: Duration,
    /// Time a batch stream may run in all; an error record ends it when reached.
    pub batch_timeout: Duration,
    /// Requests served at once; more wait their turn.
    pub max_concurrent_requests: usize,
    /// Largest policy text the playground compiles.
    pub max_playground_policy_bytes: usize,
    /// Time the playground may spend compiling and deciding (408 beyond).
    pub playground_timeout: Duration,
    /// Playground compilations at once (each builds an engine; the served engine is never
    /// touched); more wait their turn.
    pub max_playground_concurrent: usize,
    /// Most history lines kept per (payer, patient), oldest dropped first, on top of the
    /// packs' look-back.
    pub max_history_lines_per_patient: usize,
    /// Most decision-log records kept in the state database, oldest dropped first.
    pub max_log_records: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 1 << 20,
            max_batch_bytes: 64 << 20,
            max_batch_record_bytes: 1 << 20,
            request_timeout: Duration::from_secs(10),
            batch_timeout: Duration::from_secs(300),
            max_concurrent_requests: 256,
            max_playground_policy_bytes: 64 << 10,
            playground_timeout: Duration::from_secs(5),
            max_playground_concurrent: 2,
            max_history_lines_per_patient: 10_000,
            max_log_records: 10_000_000,
        }
    }
}

/// Where state lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateLocation {
    /// An SQLite database file (WAL), created when absent.
    Sqlite(PathBuf),
    /// Memory only: lost when the process ends (tests, throwaway runs).
    Memory,
}

/// Everything `serve` needs.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// The packs' folder (reloaded from the same path).
    pub policies: PathBuf,
    /// Table files given at load time (`--table NAME=PATH`), re-read on every reload.
    pub tables: Vec<(String, PathBuf)>,
    /// Where to listen.
    pub addr: SocketAddr,
    /// History and decision log.
    pub state: StateLocation,
    /// Whether each commit waits for the disk (`synchronous=FULL`) rather than for the
    /// operating system (`NORMAL`: survives a crash of the process, not of the machine).
    pub durable_commits: bool,
    /// Payer ids of X12 and FHIR input to pack ids (TOML), when they differ.
    pub payer_map: Option<PathBuf>,
    /// A JSON Lines file the masked decision log is appended to, when wanted.
    pub decision_log: Option<PathBuf>,
    /// Limits.
    pub limits: Limits,
    /// The library's limits on loading packs and reading claims (`--limit NAME=VALUE`).
    pub load_limits: crate::payerlex_api::LoadLimits,
}

impl ServiceConfig {
    /// A configuration with default limits, in-memory state and no log file.
    pub fn new(policies: impl Into<PathBuf>) -> Self {
        Self {
            policies: policies.into(),
            tables: Vec::new(),
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            state: StateLocation::Memory,
            durable_commits: true,
            payer_map: None,
            decision_log: None,
            limits: Limits::default(),
            load_limits: crate::payerlex_api::LoadLimits::default(),
        }
    }
}
