//! `payerlex-serve`: the payerlex HTTP service (see the crate README). The same command is
//! `payerlex serve` when the main CLI is built with its `serve` feature.

use std::process::ExitCode;

use clap::Parser;
use payerlex_service::ServeCommand;

/// Serve payerlex policy packs over HTTP.
#[derive(Debug, Parser)]
#[command(name = "payerlex-serve", version)]
struct Cli {
    #[command(flatten)]
    command: ServeCommand,
}

fn main() -> ExitCode {
    payerlex_service::run(&Cli::parse().command)
}
