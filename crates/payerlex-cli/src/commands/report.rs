//! `payerlex report`: reads `check`'s JSON Lines output (a file or stdin) and writes the
//! denial report in Markdown, JSON or HTML.

use std::fs::File;
use std::io::{self, BufReader, BufWriter};
use std::path::PathBuf;

use crate::report::{self, Format, Report, ReportError};

/// Exit code when some input lines were neither decisions nor error records.
const EXIT_UNREADABLE_LINES: u8 = 1;
/// Exit code when the input cannot be read or the report cannot be written.
const EXIT_IO_ERROR: u8 = 2;
/// Unreadable lines described on stderr at most (all are counted in the report).
const MAX_PROBLEMS_SHOWN: u64 = 20;

/// Arguments of `payerlex report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: Format,
    /// Rows shown per table in Markdown and HTML (JSON has every row).
    #[arg(long, value_name = "N", default_value_t = 20,
          value_parser = clap::value_parser!(u16).range(1..))]
    pub top: u16,
    /// Decisions from `payerlex check` (JSON Lines); `-` reads stdin.
    #[arg(value_name = "FILE|-")]
    pub input: PathBuf,
}

/// Runs the command; returns the exit code: 0 the report was written, 1 it was written but
/// some input lines could not be read, 2 the input or output failed.
pub fn run(args: &ReportArgs) -> u8 {
    let mut shown = 0;
    let mut describe = |line: u64, problem: &str| {
        shown += 1;
        if shown <= MAX_PROBLEMS_SHOWN {
            eprintln!("line {line}: {problem}");
        }
    };
    let built: Result<Report, ReportError> = if args.input.as_os_str() == "-" {
        report::aggregate(io::stdin().lock(), &mut describe)
    } else {
        match File::open(&args.input) {
            Ok(file) => report::aggregate(BufReader::new(file), &mut describe),
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", args.input.display());
                return EXIT_IO_ERROR;
            }
        }
    };
    let built = built.and_then(|report| {
        let stdout = io::stdout();
        report::write(
            &report,
            args.format,
            usize::from(args.top),
            BufWriter::new(stdout.lock()),
        )
        .map(|()| report)
    });
    match built {
        Ok(report) if report.totals.unreadable_lines > 0 => {
            eprintln!(
                "{} input line(s) were neither decisions nor error records",
                report.totals.unreadable_lines
            );
            EXIT_UNREADABLE_LINES
        }
        Ok(_) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_IO_ERROR
        }
    }
}
