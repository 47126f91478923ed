//! `payerlex report`: a denial summary of `payerlex check` output for a revenue-cycle team.
//!
//! One file per job: [`read`] parses JSON Lines records with the report's own tolerant serde
//! structs, [`aggregate`] folds them into tallies while streaming (bounded memory), [`model`]
//! is the finished report, [`sections`] decides what a reader sees, and [`markdown`], [`json`]
//! and [`html`] (with [`chart`]) render it. [`money`] formats exact decimal amounts.
//!
//! The report never depends on the library's types: it reads what `check` printed, so it keeps
//! working across versions of the contract and while the library's internals move.

mod aggregate;
mod chart;
mod html;
mod json;
mod markdown;
mod model;
mod money;
mod read;
mod sections;

use std::io::{self, BufRead, Write};

pub use model::Report;

/// Why a report could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The decisions could not be read (I/O, not content: bad lines are counted).
    #[error("cannot read the decisions: {0}")]
    Read(#[source] io::Error),
    /// The report could not be written.
    #[error("cannot write the report: {0}")]
    Write(#[source] io::Error),
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// GitHub-flavoured Markdown tables.
    Markdown,
    /// The full report as one JSON document.
    Json,
    /// A self-contained HTML page with a bar chart of the top denial reasons.
    Html,
}

/// Reads every record of `input` into a report; `on_unreadable` hears each line that is
/// neither a decision nor an error record (line number and what is wrong, never its content).
pub fn aggregate(
    input: impl BufRead,
    mut on_unreadable: impl FnMut(u64, &str),
) -> Result<Report, ReportError> {
    let mut reader = read::RecordReader::new(input);
    let mut aggregator = aggregate::Aggregator::default();
    while let Some((line, record)) = reader.next_record().map_err(ReportError::Read)? {
        if let read::Record::Unreadable(problem) = &record {
            on_unreadable(line, problem);
        }
        aggregator.add(line, &record);
    }
    Ok(aggregator.finish())
}

/// Writes `report` in `format`, tables showing at most `top` rows (JSON has every row).
pub fn write(
    report: &Report,
    format: Format,
    top: usize,
    mut out: impl Write,
) -> Result<(), ReportError> {
    let written = match format {
        Format::Markdown => out.write_all(markdown::render(report, top).as_bytes()),
        Format::Json => json::write(report, &mut out),
        Format::Html => out.write_all(html::render(report, top).as_bytes()),
    };
    written
        .and_then(|()| out.flush())
        .map_err(ReportError::Write)
}
