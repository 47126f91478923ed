//! `payerlex diff OLD NEW`: which kinds of claims a pack change moves, with the smallest
//! example of each, so an author sees the impact before rollout and CI can enforce it.
//!
//! The comparison lives in `payerlex::testing::diff`; this file reads arguments, files and
//! the corpus, and maps the result to exit codes: 0 nothing changed (or only declared
//! changes), 1 undeclared changes, 2 unusable input.

use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

use payerlex::testing::{diff, DiffError, DiffOptions, Expectations, PackVersion, ScopeLimits};
use payerlex::{parse_claim, Claim, LoadOptions};

use super::load::{LimitArgs, EXIT_POLICY_ERROR};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// One JSON object (the full report, examples and explanations included).
    Json,
}

/// Arguments of `payerlex diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The old version: a pack folder (packs it extends are read from sibling folders) or a
    /// folder of packs (with `--pack`).
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The new version, given the same way.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Pack id to compare when OLD/NEW are folders of packs.
    #[arg(long, value_name = "ID")]
    pub pack: Option<String>,
    /// Generated claims to compare (0 skips generation).
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub cases: u32,
    /// Seed of the claim generator; one seed always gives the same claims.
    #[arg(long, default_value_t = 0, value_name = "S")]
    pub seed: u64,
    /// Lines per claim in the exhaustive scope.
    #[arg(long, default_value_t = 2, value_name = "K")]
    pub max_lines: usize,
    /// History lines in the exhaustive scope (when a compared rule reads history).
    #[arg(long, default_value_t = 1, value_name = "H")]
    pub max_history: usize,
    /// Modifiers per line in the exhaustive scope.
    #[arg(long, default_value_t = 2, value_name = "M")]
    pub max_modifiers: usize,
    /// Most claims the exhaustive scope may check; larger scopes are reported incomplete.
    #[arg(long, default_value_t = 10_000_000, value_name = "N")]
    pub max_scope: u64,
    /// Build the exhaustive scope from every rule of both versions, not only the rules that
    /// differ (identical rules decide identically, so this only adds work).
    #[arg(long)]
    pub all_rules: bool,
    /// Skip the exhaustive scope.
    #[arg(long)]
    pub no_exhaustive: bool,
    /// Replay these claims (JSON Lines), e.g. last month's; history builds up as in `check`.
    #[arg(long, value_name = "FILE")]
    pub corpus: Option<PathBuf>,
    /// Show the patient data of examples (patient id, birth date, report text, authorisation
    /// numbers). Without it they are withheld: a corpus is real claims.
    #[arg(long)]
    pub show_phi: bool,
    /// Declared intended changes (TOML); only undeclared changes fail.
    #[arg(long, value_name = "FILE")]
    pub expect: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Load and input limits.
    #[command(flatten)]
    pub limit: LimitArgs,
    /// Kinds of change detailed in text output (the rest are counted).
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub max_kinds: usize,
}

fn load(path: &Path, pack: Option<&str>, options: &LoadOptions) -> Option<PackVersion> {
    match PackVersion::load_with(path, pack, options) {
        Ok(version) => {
            for warning in &version.warnings {
                eprintln!("{warning}");
            }
            Some(version)
        }
        Err(DiffError::Load { path, error }) => {
            eprintln!("{}", error.render());
            eprintln!("error: `{path}`: {error}");
            None
        }
        Err(e) => {
            eprintln!("error: {e}");
            None
        }
    }
}

fn read_corpus(path: &Path) -> io::Result<(Vec<Claim>, usize)> {
    let file = std::fs::File::open(path)?;
    let mut claims = Vec::new();
    let mut unreadable = 0;
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        match parse_claim(&line) {
            Ok(claim) => claims.push(claim),
            Err(e) => {
                unreadable += 1;
                eprintln!("warning: {}:{}: {e}", path.display(), i + 1);
            }
        }
    }
    Ok((claims, unreadable))
}

/// Runs the command; returns the exit code.
pub fn run(args: &DiffArgs) -> u8 {
    let expectations = match &args.expect {
        None => Expectations::default(),
        Some(path) => match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| Expectations::parse(&t).map_err(|e| e.to_string()))
        {
            Ok(e) => e,
            Err(e) => {
                eprintln!("error: `{}`: {e}", path.display());
                return EXIT_POLICY_ERROR;
            }
        },
    };
    let options = args.limit.load_options(&[]);
    let (Some(old), Some(new)) = (
        load(&args.old, args.pack.as_deref(), &options),
        load(&args.new, args.pack.as_deref(), &options),
    ) else {
        return EXIT_POLICY_ERROR;
    };
    let corpus = match &args.corpus {
        None => None,
        Some(path) => {
            match read_corpus(path) {
                Ok((claims, unreadable)) => {
                    if unreadable > 0 {
                        eprintln!("warning: {unreadable} corpus record(s) could not be read and were skipped");
                    }
                    Some(claims)
                }
                Err(e) => {
                    eprintln!("error: cannot read `{}`: {e}", path.display());
                    return EXIT_POLICY_ERROR;
                }
            }
        }
    };
    let options = DiffOptions {
        cases: args.cases,
        seed: args.seed,
        exhaustive: !args.no_exhaustive,
        limits: ScopeLimits {
            max_lines: args.max_lines.max(1),
            max_history: args.max_history,
            max_modifiers: args.max_modifiers,
        },
        all_rules: args.all_rules,
        max_scope: args.max_scope,
        ..DiffOptions::default()
    };
    let mut report = diff(&old, &new, corpus.as_deref(), &expectations, &options);
    if !args.show_phi {
        report.withhold_phi();
    }
    match args.format {
        Format::Text => print!("{}", report.render_text_limited(args.max_kinds)),
        Format::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_POLICY_ERROR;
            }
        },
    }
    if report.undeclared() > 0 {
        1
    } else {
        0
    }
}
