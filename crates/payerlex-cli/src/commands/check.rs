//! `payerlex check`: claims from files or stdin in any input format (`--input`), decisions
//! in any output format (`--output`), all through the shared check loop in
//! `check/pipeline.rs`.

mod fhir;
mod formats;
mod parallel;
mod pipeline;
mod x12;

use std::path::PathBuf;

use payerlex::CheckOptions;

use pipeline::RunSettings;

use super::load::{load_engine_with, parse_table_arg, LimitArgs, EXIT_POLICY_ERROR};

/// Arguments of `payerlex check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Folder of policy packs (or one pack folder).
    #[arg(long, value_name = "DIR")]
    pub policies: PathBuf,
    /// Add each finding's clause-level trace: every condition's value and the facts read.
    #[arg(long)]
    pub explain: bool,
    /// Treat policy warnings as errors.
    #[arg(long)]
    pub deny_warnings: bool,
    /// A table file to use instead of the one the pack declares, as NAME=PATH (repeatable),
    /// e.g. `--table mue=MCR_MUE_PractitionerServices_Eff_04-01-2026.csv`.
    #[arg(long = "table", value_name = "NAME=PATH", value_parser = parse_table_arg)]
    pub tables: Vec<(String, PathBuf)>,
    /// Load and input limits.
    #[command(flatten)]
    pub limit: LimitArgs,
    /// Input format: JSON Lines, or an X12 837P/837I interchange.
    #[arg(long = "input", value_name = "FORMAT", value_enum, default_value_t = formats::InputFormat::Json)]
    pub input_format: formats::InputFormat,
    /// Output format: JSON decisions, or 835 adjustment segments (error records on stderr).
    #[arg(long = "output", value_name = "FORMAT", value_enum, default_value_t = formats::OutputFormat::Json)]
    pub output_format: formats::OutputFormat,
    /// TOML map of payer ids to pack ids (`"00882" = "medicare"`) for X12 claims.
    #[arg(long, value_name = "FILE")]
    pub payer_map: Option<PathBuf>,
    /// Append a decision log record per decided claim to FILE (JSON Lines: the claim, the
    /// history lines it could read, the decision), which `payerlex replay` re-decides.
    /// The log holds whole claims: it is patient data, keep it where claims are kept.
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Continue a run that stopped after record N: records 1..=N are decided again (they are
    /// the history of later claims) but not written; output starts at record N+1.
    #[arg(long, value_name = "N")]
    pub resume_after: Option<usize>,
    /// Threads deciding claims: claims are spread by payer and patient (each thread keeps
    /// its patients' history) and written in input order, the same records as one thread.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: u16,
    /// Claims (one JSON object per line, or an X12 interchange); `-` reads stdin.
    #[arg(value_name = "FILE|-")]
    pub input: PathBuf,
}

/// Runs the command; returns the exit code.
pub fn run(args: &CheckArgs) -> u8 {
    let options = args.limit.load_options(&args.tables);
    let Some(engine) = load_engine_with(&args.policies, args.deny_warnings, &options) else {
        return EXIT_POLICY_ERROR;
    };
    let settings = RunSettings {
        options: CheckOptions {
            explain: args.explain,
        },
        resume_after: args.resume_after.unwrap_or(0),
        jobs: usize::from(args.jobs),
        batch: 1,
    };
    formats::run(&engine, args, settings)
}
