//! `payerlex`: check claims against policy packs, test packs, compare pack versions, report
//! denials.
//!
//! Exit codes: 0 success; 1 the run found what it looks for (rejected records, failing tests,
//! changed outcomes); 2 the policies or arguments are unusable; 3 `check` stopped mid-stream.

mod commands;
mod report;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Check medical claims against declarative payer policies.
#[derive(Debug, Parser)]
#[command(name = "payerlex", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Decide each claim of a JSON Lines file or an X12 837 interchange (or `-` for stdin); one JSON object per record on stdout.
    Check(commands::check::CheckArgs),
    /// Run each pack's `tests/` files; report failures and the rules no test made fire.
    Test(commands::test::TestArgs),
    /// Compare two versions of a pack: which kinds of claims change outcome, with the smallest example of each.
    Diff(commands::diff::DiffArgs),
    /// Summarise `check` output for a billing team: denials and reviews by rule, CARC, code and payer.
    Report(commands::report::ReportArgs),
    /// Decide the claims of a decision log (`check --log`) again; list every decision that would differ.
    Replay(commands::replay::ReplayArgs),
    /// Rewrite policy files in the canonical layout (`--check`: only report the ones that are not).
    Fmt(commands::fmt::FmtArgs),
    /// What a pack does with a procedure code: the rules that can fire on it, its MUE, PTP pairs, add-on status, fee-schedule indicators and payment estimates.
    Explain(commands::explain::ExplainArgs),
    /// List every load and input limit (`--limit NAME=VALUE`), its default and what it bounds.
    Limits(commands::limits::LimitsArgs),
    /// Language server for policy files (LSP over stdin/stdout): diagnostics, hover, go to definition, completion, outline, code lenses.
    Lsp(commands::lsp::LspArgs),
    /// Serve the packs over HTTP: check claims, hot reload, history and decision log in SQLite, metrics, playground.
    #[cfg(feature = "serve")]
    Serve(payerlex_service::ServeCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(args) => commands::check::run(&args),
        Command::Test(args) => commands::test::run(&args),
        Command::Diff(args) => commands::diff::run(&args),
        Command::Report(args) => commands::report::run(&args),
        Command::Replay(args) => commands::replay::run(&args),
        Command::Fmt(args) => commands::fmt::run(&args),
        Command::Explain(args) => commands::explain::run(&args),
        Command::Limits(args) => commands::limits::run(&args),
        Command::Lsp(args) => commands::lsp::run(&args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => return payerlex_service::run(&args),
    };
    ExitCode::from(code)
}
