//! The one error type of every loader.
//!
//! CMS republishes its tables every quarter and the layouts drift; a loader that guesses
//! silently produces wrong denials. So every loader refuses a file that does not look like the
//! format, and the error says which file (the `source_name` the caller passed), which 1-based
//! line, what text was found and what was expected: enough to fix the file or the loader
//! without a debugger.

use std::fmt;

/// Longest excerpt of offending text kept in an error.
const MAX_FOUND: usize = 120;

/// Why a CMS table could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// The file could not be read.
    #[error("{source_name}: cannot read the file: {source}")]
    Io {
        /// The file, as named by the caller.
        source_name: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The file, or a line of it, does not have the shape of the format (header, preamble,
    /// column count).
    #[error("{source_name}:{line}: {expected}; found {}", Found(found))]
    Shape {
        /// The file, as named by the caller.
        source_name: String,
        /// 1-based line where the problem was seen.
        line: usize,
        /// The offending text (shortened).
        found: String,
        /// What the loader expected there.
        expected: String,
    },
    /// One cell of a data row is not valid.
    #[error(
        "{source_name}:{line}: bad {column} {}: expected {expected}",
        Found(found)
    )]
    Field {
        /// The file, as named by the caller.
        source_name: String,
        /// 1-based line of the row.
        line: usize,
        /// Which column (e.g. `"MUE value"`).
        column: &'static str,
        /// The offending text (shortened).
        found: String,
        /// What was expected.
        expected: String,
    },
    /// A quoted CSV field was opened and never closed before the end of the file.
    #[error("{source_name}:{line}: quoted field opened here is never closed (file truncated?)")]
    UnterminatedQuote {
        /// The file, as named by the caller.
        source_name: String,
        /// 1-based line where the quote was opened.
        line: usize,
    },
}

/// Shows offending text quoted, or `(empty)`.
struct Found<'a>(&'a str);

impl fmt::Display for Found<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("(empty)")
        } else {
            write!(f, "{:?}", self.0)
        }
    }
}

impl TableError {
    /// The file the error is about.
    pub fn source_name(&self) -> &str {
        match self {
            TableError::Io { source_name, .. }
            | TableError::Shape { source_name, .. }
            | TableError::Field { source_name, .. }
            | TableError::UnterminatedQuote { source_name, .. } => source_name,
        }
    }

    /// The 1-based line the error is about, if it is about a line.
    pub fn line(&self) -> Option<usize> {
        match self {
            TableError::Io { .. } => None,
            TableError::Shape { line, .. }
            | TableError::Field { line, .. }
            | TableError::UnterminatedQuote { line, .. } => Some(*line),
        }
    }

    pub(crate) fn shape(
        source_name: &str,
        line: usize,
        found: &str,
        expected: impl Into<String>,
    ) -> Self {
        TableError::Shape {
            source_name: source_name.to_owned(),
            line,
            found: shorten(found),
            expected: expected.into(),
        }
    }

    pub(crate) fn field(
        source_name: &str,
        line: usize,
        column: &'static str,
        found: &str,
        expected: impl Into<String>,
    ) -> Self {
        TableError::Field {
            source_name: source_name.to_owned(),
            line,
            column,
            found: shorten(found),
            expected: expected.into(),
        }
    }

    pub(crate) fn io(source_name: &str, source: std::io::Error) -> Self {
        TableError::Io {
            source_name: source_name.to_owned(),
            source,
        }
    }
}

fn shorten(s: &str) -> String {
    match s.char_indices().nth(MAX_FOUND) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_owned(),
    }
}

/// Reads a whole file, mapping the error to [`TableError::Io`] named by the path.
pub(crate) fn read_path(path: &std::path::Path) -> Result<(Vec<u8>, String), TableError> {
    let name = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => Ok((bytes, name)),
        Err(e) => Err(TableError::io(&name, e)),
    }
}

/// Decodes Latin-1 (ISO-8859-1) bytes: every byte is the code point of the same value. CMS
/// publishes its CSV and text tables in Latin-1 (the MUE notice's `®` is byte `0xAE`), which
/// is not valid UTF-8, so `from_utf8` would refuse them. A leading UTF-8 byte-order mark (left
/// by a re-save in a spreadsheet) is dropped.
pub(crate) fn decode_latin1(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    bytes.iter().map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_file_line_text_and_expectation() {
        let e = TableError::field("mue.csv", 12, "MAI", "4 Whatever", "one of 1, 2, 3");
        assert_eq!(
            e.to_string(),
            "mue.csv:12: bad MAI \"4 Whatever\": expected one of 1, 2, 3"
        );
        assert_eq!(e.line(), Some(12));
        assert_eq!(e.source_name(), "mue.csv");
        let e = TableError::shape("x.txt", 3, "", "a header row");
        assert_eq!(e.to_string(), "x.txt:3: a header row; found (empty)");
    }

    #[test]
    fn long_text_is_shortened() {
        let long = "x".repeat(1000);
        let e = TableError::shape("f", 1, &long, "y");
        assert!(e.to_string().len() < 200);
    }

    #[test]
    fn latin1_decoding() {
        assert_eq!(decode_latin1(b"CPT\xAE"), "CPT\u{ae}");
        assert_eq!(decode_latin1(b"\xEF\xBB\xBFHCPCS"), "HCPCS");
    }
}
