//! The JSON report: the [`Report`] as serde writes it, every row of every table (up to the cap
//! on distinct keys), amounts as decimal strings.
//!
//! `format` and `version` let a consumer tell this document from `check`'s output and notice a
//! breaking change; fields are only ever added within a version.

use std::io::{self, Write};

use serde::Serialize;

use super::model::Report;

/// The `version` of the JSON report's layout.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    version: u32,
    #[serde(flatten)]
    report: &'a Report,
}

/// Writes the report as pretty-printed JSON with a final newline.
pub fn write(report: &Report, mut out: impl Write) -> io::Result<()> {
    let document = Document {
        format: "payerlex-denial-report",
        version: JSON_VERSION,
        report,
    };
    serde_json::to_writer_pretty(&mut out, &document).map_err(io::Error::other)?;
    out.write_all(b"\n")
}
