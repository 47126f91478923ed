//! The command line of `payerlex-serve` and of `payerlex serve` (the main CLI's `serve`
//! feature reuses these arguments), and `export-log`, which writes the state database's
//! decision log as JSON Lines (full or masked) for `payerlex replay` or a log store.

use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};

use crate::config::{Limits, ServiceConfig, StateLocation};
use crate::decision_log::masked_json;
use crate::store::{SqliteStore, Store};

/// Serve the policy packs over HTTP (or export the decision log).
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ServeCommand {
    /// Export the decision log instead of serving.
    #[command(subcommand)]
    pub command: Option<ServeSubcommand>,
    /// How to serve.
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// What `serve` can do besides serving.
#[derive(Debug, Subcommand)]
pub enum ServeSubcommand {
    /// Write the decision log of a state database as JSON Lines on stdout.
    ExportLog(ExportArgs),
}

/// `export-log` arguments.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The state database (`--state` of the service).
    #[arg(long, value_name = "FILE")]
    pub state: PathBuf,
    /// Mask identifiers and free text (the rules of the crate README).
    #[arg(long)]
    pub masked: bool,
    /// Only records after this sequence number.
    #[arg(long, default_value_t = 0, value_name = "SEQ")]
    pub after: u64,
}

/// Serving arguments.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Folder of policy packs (reloaded from the same path on POST /v1/reload and SIGHUP).
    #[arg(long, value_name = "DIR", required = true)]
    pub policies: Option<PathBuf>,
    /// Address to listen on (port 0: any free port, printed at start).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// SQLite file for history and the decision log (created when absent).
    #[arg(
        long,
        value_name = "FILE",
        default_value = "payerlex-state.db",
        conflicts_with = "memory"
    )]
    pub state: PathBuf,
    /// Keep history and the decision log in memory only (lost at exit).
    #[arg(long)]
    pub memory: bool,
    /// Commit without waiting for the disk (survives a crash of the process, not of the
    /// machine).
    #[arg(long)]
    pub no_fsync: bool,
    /// Append the masked decision log to this JSON Lines file.
    #[arg(long, value_name = "FILE")]
    pub decision_log: Option<PathBuf>,
    /// Payer ids of X12 and FHIR claims to pack ids (TOML lines `"payer id" = "pack id"`).
    #[arg(long, value_name = "FILE")]
    pub payer_map: Option<PathBuf>,
    /// A CMS table file given at load time, NAME=PATH (repeatable).
    #[arg(long = "table", value_name = "NAME=PATH", value_parser = parse_table)]
    pub tables: Vec<(String, PathBuf)>,
    /// Largest body of /v1/check and /v1/playground, in bytes.
    #[arg(long, default_value_t = Limits::default().max_body_bytes)]
    pub max_body_bytes: usize,
    /// Largest body of /v1/check/batch, in bytes.
    #[arg(long, default_value_t = Limits::default().max_batch_bytes)]
    pub max_batch_bytes: usize,
    /// Request time limit, in milliseconds (408 beyond).
    #[arg(long, default_value_t = 10_000)]
    pub request_timeout_ms: u64,
    /// Time limit of one batch stream, in seconds.
    #[arg(long, default_value_t = 300)]
    pub batch_timeout_s: u64,
    /// Requests served at once (more wait).
    #[arg(long, default_value_t = Limits::default().max_concurrent_requests)]
    pub max_concurrent: usize,
    /// Most history lines kept per (payer, patient).
    #[arg(long, default_value_t = Limits::default().max_history_lines_per_patient)]
    pub max_history_lines: usize,
    /// Most decision-log records kept in the state database.
    #[arg(long, default_value_t = Limits::default().max_log_records)]
    pub max_log_records: u64,
    /// Change a load or input limit of the library, as NAME=VALUE (repeatable); `payerlex
    /// limits` lists them. Applies to every reload.
    #[arg(long = "limit", value_name = "NAME=VALUE", value_parser = parse_limit)]
    pub load_limits: Vec<String>,
}

fn parse_limit(text: &str) -> Result<String, String> {
    crate::payerlex_api::LoadLimits::default()
        .set(text)
        .map(|()| text.to_owned())
        .map_err(|e| e.to_string())
}

fn parse_table(text: &str) -> Result<(String, PathBuf), String> {
    let (name, path) = text
        .split_once('=')
        .ok_or_else(|| "expected NAME=PATH".to_owned())?;
    Ok((name.to_owned(), PathBuf::from(path)))
}

impl ServeArgs {
    /// The service configuration these arguments describe.
    pub fn config(&self) -> ServiceConfig {
        let mut config = ServiceConfig::new(self.policies.clone().unwrap_or_default());
        config.addr = self.addr;
        config.tables = self.tables.clone();
        config.state = if self.memory {
            StateLocation::Memory
        } else {
            StateLocation::Sqlite(self.state.clone())
        };
        config.durable_commits = !self.no_fsync;
        config.decision_log = self.decision_log.clone();
        config.payer_map = self.payer_map.clone();
        for assignment in &self.load_limits {
            // Each was checked when the arguments were parsed.
            let _ = config.load_limits.set(assignment);
        }
        config.limits = Limits {
            max_body_bytes: self.max_body_bytes,
            max_batch_bytes: self.max_batch_bytes,
            request_timeout: Duration::from_millis(self.request_timeout_ms),
            batch_timeout: Duration::from_secs(self.batch_timeout_s),
            max_concurrent_requests: self.max_concurrent,
            max_history_lines_per_patient: self.max_history_lines,
            max_log_records: self.max_log_records,
            ..Limits::default()
        };
        config
    }
}

/// Runs the command; exit code 0 after a clean shutdown, 2 when the service cannot start.
pub fn run(command: &ServeCommand) -> ExitCode {
    if let Some(ServeSubcommand::ExportLog(args)) = &command.command {
        return export_log(args);
    }
    let config = command.serve.config();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the runtime: {error}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(crate::server::serve(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

fn export_log(args: &ExportArgs) -> ExitCode {
    match write_log(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

fn write_log(args: &ExportArgs) -> Result<(), Box<dyn std::error::Error>> {
    if !args.state.is_file() {
        return Err(format!("no state database at `{}`", args.state.display()).into());
    }
    let store = SqliteStore::open(&args.state, false, u64::MAX)?;
    let key = store.mask_key();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut after = args.after;
    loop {
        let page = store.log_records(after, 1000)?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for record in &page {
            if args.masked {
                writeln!(out, "{}", masked_json(&record.record, &key)?)?;
            } else {
                writeln!(out, "{}", record.record)?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
