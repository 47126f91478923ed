//! `payerlex explain --policies DIR CODE [--payer P] [--date D]`: what a biller asks about a
//! procedure code: the rules that can fire on it, its MUE, PTP pairs, add-on status,
//! fee-schedule indicators and payment estimates.
//!
//! The library builds the report (`payerlex::authoring::explain`); this command prints it as
//! text, or as JSON with `--format json`.

use std::fmt::Write as _;
use std::path::PathBuf;

use payerlex::authoring::explain::{FeeRows, PtpPair};
use payerlex::authoring::{explain, CodeReport, PackReport};
use payerlex::Date;

use super::load::{load_engine_with, parse_table_arg, LimitArgs, EXIT_POLICY_ERROR};

/// PTP pairs listed per column in the text output (JSON lists them all).
const PAIRS_SHOWN: usize = 8;

/// Output format of `payerlex explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    /// Text for a person.
    Text,
    /// One JSON object.
    Json,
}

/// Arguments of `payerlex explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// Folder of policy packs (or one pack folder).
    #[arg(long, value_name = "DIR")]
    pub policies: PathBuf,
    /// The procedure code (CPT/HCPCS), e.g. 76377.
    #[arg(value_name = "CODE")]
    pub code: String,
    /// Only this payer's pack (default: every pack).
    #[arg(long, value_name = "PAYER")]
    pub payer: Option<String>,
    /// Date of service (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<Date>,
    /// `text` or `json`.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ExplainFormat,
    /// A table file given at load time, replacing the one a policy declares: `NAME=PATH`.
    #[arg(long = "table", value_name = "NAME=PATH", value_parser = parse_table_arg)]
    pub tables: Vec<(String, PathBuf)>,
    /// Load and input limits.
    #[command(flatten)]
    pub limit: LimitArgs,
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).map_err(|e| e.to_string())
}

/// Today (UTC), from the system clock.
fn today() -> Date {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    let epoch = Date::from_ymd(1970, 1, 1).unwrap_or(Date::MIN);
    epoch.add_days(i32::try_from(days).unwrap_or(0))
}

/// Runs the command; returns the exit code (0, or 2 for unusable policies or arguments).
pub fn run(args: &ExplainArgs) -> u8 {
    let options = args.limit.load_options(&args.tables);
    let Some(engine) = load_engine_with(&args.policies, false, &options) else {
        return EXIT_POLICY_ERROR;
    };
    let date = args.date.unwrap_or_else(today);
    let report = match explain(&engine, &args.code, args.payer.as_deref(), date) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("error: {error}");
            return 2;
        }
    };
    match args.format {
        ExplainFormat::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => write_out(&format!("{json}\n")),
            Err(error) => {
                eprintln!("error: {error}");
                return 2;
            }
        },
        ExplainFormat::Text => write_out(&render(&report)),
    }
    0
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn write_out(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// The report as text.
pub fn render(report: &CodeReport) -> String {
    let mut out = String::new();
    for pack in &report.packs {
        let _ = writeln!(
            out,
            "{} for {} {} on {}{}",
            report.code,
            pack.pack,
            pack.version,
            report.date,
            if pack.in_force {
                ""
            } else {
                " (outside the pack's effective dates)"
            }
        );
        render_pack(&mut out, pack);
        out.push('\n');
    }
    out
}

fn render_pack(out: &mut String, pack: &PackReport) {
    let _ = writeln!(out, "\nRules that can fire ({}):", pack.rules.len());
    for rule in &pack.rules {
        let mut codes = String::new();
        if let Some(carc) = &rule.carc {
            let _ = write!(codes, " carc {carc}");
        }
        if !rule.rarc.is_empty() {
            let _ = write!(codes, " rarc {}", rule.rarc.join(", "));
        }
        if let Some(code) = &rule.suggest {
            let _ = write!(codes, " suggest {code}");
        }
        let _ = writeln!(
            out,
            "  {:<6} {}{codes}  ({})",
            rule.outcome, rule.rule, rule.at
        );
        let _ = writeln!(out, "         says: {}", rule.message);
        if let Some(cite) = &rule.citation {
            let _ = writeln!(out, "         cite: {cite}");
        }
    }
    out.push_str("\nTables:\n");
    match &pack.mue {
        Some(mue) => {
            let _ = writeln!(
                out,
                "  MUE        {} (MAI {}: {})",
                mue.value, mue.mai, mue.mai_text
            );
        }
        None if !pack.tables_missing.contains(&"mue") => {
            out.push_str("  MUE        none listed (units are not checked)\n")
        }
        None => {}
    }
    if let Some(ptp) = &pack.ptp {
        pairs(out, "  PTP        as column 1", &ptp.column1_of);
        pairs(out, "             as column 2", &ptp.column2_of);
        out.push_str(
            "             (modifier indicator in brackets: 0 no modifier allows the pair, 1 an \
             NCCI-associated modifier does; the column 2 code is the one edited)\n",
        );
        if ptp.truncated {
            out.push_str("             (more pairs than listed; see --format json)\n");
        }
    }
    if let Some(aoc) = &pack.add_on {
        let status = match aoc.add_on_type {
            Some(kind) if aoc.primaries.is_empty() => format!("add-on code, type {kind}"),
            Some(kind) => format!(
                "add-on code, type {kind}, primaries {}",
                aoc.primaries.join(", ")
            ),
            None => "not an add-on code".to_owned(),
        };
        let primary_of = if aoc.primary_of.is_empty() {
            String::new()
        } else {
            let codes: Vec<String> = aoc.primary_of.iter().map(|a| a.code.clone()).collect();
            format!("; primary of {}", codes.join(", "))
        };
        let _ = writeln!(out, "  add-on     {status}{primary_of}");
    }
    match &pack.fee_schedule {
        Some(fees) => fee_schedule(out, fees),
        None if !pack.tables_missing.contains(&"fee_schedule") => {
            out.push_str("  fees       not on the fee schedule in force\n")
        }
        None => {}
    }
    if !pack.tables_missing.is_empty() {
        let _ = writeln!(
            out,
            "  (no {} table in this pack)",
            pack.tables_missing.join(", ")
        );
    }
}

fn pairs(out: &mut String, label: &str, pairs: &[PtpPair]) {
    if pairs.is_empty() {
        let _ = writeln!(out, "{label}: no pair in force");
        return;
    }
    let shown: Vec<String> = pairs
        .iter()
        .take(PAIRS_SHOWN)
        .map(|p| format!("{} ({})", p.code, p.indicator))
        .collect();
    let more = pairs.len().saturating_sub(PAIRS_SHOWN);
    let _ = writeln!(
        out,
        "{label}: {} pair(s): {}{}",
        pairs.len(),
        shown.join(", "),
        if more > 0 {
            format!(", and {more} more")
        } else {
            String::new()
        }
    );
}

fn fee_schedule(out: &mut String, fees: &FeeRows) {
    let _ = writeln!(
        out,
        "  fees       status {}, PC/TC {} ({}), global {} (release from {})",
        fees.status,
        fees.pctc,
        fees.pctc_text,
        fees.global.as_deref().unwrap_or("not given"),
        fees.release_from
    );
    let _ = writeln!(
        out,
        "  payment    national GPCI, conversion factor {}:",
        fees.conversion_factor
    );
    let _ = writeln!(
        out,
        "             {:<8} {:>13} {:>10}",
        "", "non-facility", "facility"
    );
    for row in &fees.estimates {
        let name = row
            .modifier
            .as_deref()
            .map_or_else(|| "global".to_owned(), |m| format!("-{m}"));
        let _ = writeln!(
            out,
            "             {:<8} {:>13} {:>10}",
            name,
            format!("${}", row.non_facility),
            format!("${}", row.facility)
        );
    }
}
