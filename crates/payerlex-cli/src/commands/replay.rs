//! `payerlex replay`: decide the claims of a decision log again and list every decision that
//! would differ (an audit of a past run, or of a pack change against real traffic).
//!
//! Each record carries its claim and the history it could read, so records replay one by
//! one, in any order, from the CLI's `--log` or the service's log. The output names records
//! by line number and claim id and says what changed (outcomes, findings, estimates); it
//! never prints the claim.

use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::PathBuf;

use payerlex::{DecisionLogRecord, RecordReader};

use super::load::{load_engine_with, parse_table_arg, LimitArgs, EXIT_POLICY_ERROR};

/// Arguments of `payerlex replay`.
#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// Folder of policy packs to decide with now.
    #[arg(long, value_name = "DIR")]
    pub policies: PathBuf,
    /// A table file to use instead of the one the pack declares, as NAME=PATH (repeatable).
    #[arg(long = "table", value_name = "NAME=PATH", value_parser = parse_table_arg)]
    pub tables: Vec<(String, PathBuf)>,
    /// Load and input limits.
    #[command(flatten)]
    pub limit: LimitArgs,
    /// The decision log (`payerlex check --log`, or the service's exported log).
    #[arg(value_name = "DECISIONS.jsonl")]
    pub log: PathBuf,
}

/// Runs the command: 0 every decision replays the same, 1 some differ or cannot be replayed,
/// 2 the policies or the log are unusable.
pub fn run(args: &ReplayArgs) -> u8 {
    let options = args.limit.load_options(&args.tables);
    let Some(engine) = load_engine_with(&args.policies, false, &options) else {
        return EXIT_POLICY_ERROR;
    };
    let file = match File::open(&args.log) {
        Ok(file) => file,
        Err(e) => {
            eprintln!("error: cannot read `{}`: {e}", args.log.display());
            return EXIT_POLICY_ERROR;
        }
    };
    let mut records = RecordReader::with_max_bytes(
        BufReader::new(file),
        engine.limits().record_bytes.saturating_mul(4),
    );
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let (mut same, mut differ, mut unreadable, mut new_digest) = (0usize, 0usize, 0usize, 0usize);
    loop {
        let record = match records.next_record() {
            Ok(Some(record)) => record,
            Ok(None) => break,
            Err(e) => {
                eprintln!("error: reading the log failed: {}", e.kind());
                return EXIT_POLICY_ERROR;
            }
        };
        let number = record.number;
        let parsed = record.text.map_err(|e| e.to_string()).and_then(|text| {
            serde_json::from_str::<DecisionLogRecord>(text).map_err(|e| {
                format!(
                    "not a decision log record (line {}, column {})",
                    e.line(),
                    e.column()
                )
            })
        });
        let result = parsed.and_then(|logged| {
            engine
                .replay(&logged)
                .map(|replayed| (logged.decision.claim.clone(), replayed))
                .map_err(|e| e.to_string())
        });
        let written = match result {
            Ok((claim, replayed)) => {
                new_digest += usize::from(replayed.digest_changed);
                if replayed.differences.is_empty() {
                    same += 1;
                    Ok(())
                } else {
                    differ += 1;
                    writeln!(
                        out,
                        "record {number} (claim {claim}): {}",
                        replayed.differences.join("; ")
                    )
                }
            }
            Err(error) => {
                unreadable += 1;
                writeln!(out, "record {number}: cannot replay: {error}")
            }
        };
        if let Err(e) = written {
            eprintln!("error: writing the output failed: {}", e.kind());
            return EXIT_POLICY_ERROR;
        }
    }
    eprintln!(
        "{} replayed: {same} same, {differ} differ, {unreadable} could not be replayed{}",
        same + differ + unreadable,
        if new_digest > 0 {
            format!(" ({new_digest} decided now by a different pack digest than recorded)")
        } else {
            String::new()
        }
    );
    u8::from(differ + unreadable > 0)
}
