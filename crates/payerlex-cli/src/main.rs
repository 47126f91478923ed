//! `payerlex`: check claims against policy packs, test packs, compare pack versions.
//!
//! Exit codes: 0 success; 1 the run found what it looks for (rejected records, failing tests,
//! changed outcomes); 2 the policies or arguments are unusable.

mod commands;

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
    /// Decide each claim of a JSON Lines file (or `-` for stdin); one JSON object per record on stdout.
    Check(commands::check::CheckArgs),
    /// Run each pack's `tests/` files; report failures and the rules no test made fire.
    Test(commands::test::TestArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(args) => commands::check::run(&args),
        Command::Test(args) => commands::test::run(&args),
    };
    ExitCode::from(code)
}
