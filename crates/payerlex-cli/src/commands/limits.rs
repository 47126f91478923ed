//! `payerlex limits`: every limit a host can change with `--limit NAME=VALUE`, its default
//! and what it bounds, so an operator sees them without reading the source. RELIABILITY.md's
//! table is this command's `--format markdown` output (a test keeps the two equal).

use std::io::Write;

use payerlex::Limits;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns.
    Text,
    /// A Markdown table (RELIABILITY.md).
    Markdown,
}

/// Arguments of `payerlex limits`.
#[derive(Debug, clap::Args)]
pub struct LimitsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// The limits as text in `format`.
pub fn render(format: Format) -> String {
    let limits = Limits::describe();
    let mut out = String::new();
    match format {
        Format::Text => {
            let width = limits.iter().map(|l| l.name.len()).max().unwrap_or(0);
            for limit in &limits {
                out.push_str(&format!(
                    "{:width$}  {:>11}  {}{}\n",
                    limit.name,
                    limit.default,
                    limit.meaning,
                    ceiling(limit.ceiling)
                ));
            }
        }
        Format::Markdown => {
            out.push_str("| Limit | Default | What it bounds |\n|---|---:|---|\n");
            for limit in &limits {
                out.push_str(&format!(
                    "| `{}` | {} | {}{} |\n",
                    limit.name,
                    limit.default,
                    limit.meaning,
                    ceiling(limit.ceiling)
                ));
            }
        }
    }
    out
}

/// Runs the command; returns the exit code.
pub fn run(args: &LimitsArgs) -> u8 {
    // A closed pipe (`payerlex limits | head`) is not an error worth a panic.
    let _ = std::io::stdout().write_all(render(args.format).as_bytes());
    0
}

/// The ` (at most N)` suffix of a limit with a ceiling.
fn ceiling(ceiling: Option<impl std::fmt::Display>) -> String {
    ceiling
        .map(|c| format!(" (at most {c})"))
        .unwrap_or_default()
}
