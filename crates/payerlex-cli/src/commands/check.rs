//! `payerlex check`: the JSON Lines contract on files or stdin, and the other formats
//! (`--input`, `--output`) through the shared check loop in `check/pipeline.rs`.

mod fhir;
mod formats;
mod pipeline;
mod x12;

use std::fs::File;
use std::io::{self, BufReader, BufWriter};
use std::path::PathBuf;

use payerlex::check_jsonl;
use payerlex::CheckOptions;

use payerlex::LoadOptions;

use super::load::{load_engine_with, parse_table_arg, EXIT_POLICY_ERROR};

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
    /// Input format: JSON Lines, or an X12 837P/837I interchange.
    #[arg(long = "input", value_name = "FORMAT", value_enum, default_value_t = formats::InputFormat::Json)]
    pub input_format: formats::InputFormat,
    /// Output format: JSON decisions, or 835 adjustment segments (error records on stderr).
    #[arg(long = "output", value_name = "FORMAT", value_enum, default_value_t = formats::OutputFormat::Json)]
    pub output_format: formats::OutputFormat,
    /// TOML map of payer ids to pack ids (`"00882" = "medicare"`) for X12 claims.
    #[arg(long, value_name = "FILE")]
    pub payer_map: Option<PathBuf>,
    /// Claims (one JSON object per line, or an X12 interchange); `-` reads stdin.
    #[arg(value_name = "FILE|-")]
    pub input: PathBuf,
}

/// Runs the command; returns the exit code.
pub fn run(args: &CheckArgs) -> u8 {
    let options = LoadOptions {
        tables: args.tables.iter().cloned().collect(),
        ..LoadOptions::default()
    };
    let Some(engine) = load_engine_with(&args.policies, args.deny_warnings, &options) else {
        return EXIT_POLICY_ERROR;
    };
    let options = CheckOptions {
        explain: args.explain,
    };
    let default_formats = args.input_format == formats::InputFormat::Json
        && args.output_format == formats::OutputFormat::Json
        && args.payer_map.is_none();
    if !default_formats {
        return formats::run(&engine, args, options);
    }
    let stdout = io::stdout();
    let output = BufWriter::new(stdout.lock());
    let result = if args.input.as_os_str() == "-" {
        check_jsonl(&engine, io::stdin().lock(), output, options)
    } else {
        match File::open(&args.input) {
            Ok(file) => check_jsonl(&engine, BufReader::new(file), output, options),
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", args.input.display());
                return EXIT_POLICY_ERROR;
            }
        }
    };
    match result {
        Ok(summary) if summary.rejected == 0 => 0,
        Ok(summary) => {
            eprintln!(
                "{} record(s) rejected, {} decided",
                summary.rejected, summary.decided
            );
            1
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_POLICY_ERROR
        }
    }
}
