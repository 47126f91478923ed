//! A small RFC 4180 record reader.
//!
//! CMS's CSV tables are not line-oriented: the MUE table opens with a quoted, multi-line AMA
//! notice and its header has a newline inside a quoted cell (`"HCPCS/\nCPT Code"`), so
//! splitting on newlines breaks. This reader handles quoted fields with delimiters, newlines
//! and doubled quotes anywhere, tracks the 1-based line each record starts on (for error
//! messages), accepts `\n`, `\r\n` and bare `\r` line ends, and reports a quote that is never
//! closed. It is written here rather than taken from a crate because it is ~100 lines and the
//! loaders need the line numbers.

use crate::error::{decode_latin1, TableError};

/// One record: its fields and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

impl Record {
    /// The field at `i`, trimmed, or `""` if the record is shorter.
    pub fn get(&self, i: usize) -> &str {
        self.fields.get(i).map_or("", |s| s.trim())
    }

    /// True if every field is empty or whitespace (a blank line, or `,,,,`).
    pub fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.trim().is_empty())
    }
}

/// Reads all records of a Latin-1 CSV (comma-delimited) at once.
pub(crate) fn read_records(bytes: &[u8], source_name: &str) -> Result<Vec<Record>, TableError> {
    let text = decode_latin1(bytes);
    Records::new(&text, ',', source_name).collect()
}

/// Iterates the records of `text`, split on `delim`.
pub(crate) struct Records<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    delim: char,
    line: usize,
    source_name: &'a str,
    done: bool,
}

impl<'a> Records<'a> {
    pub fn new(text: &'a str, delim: char, source_name: &'a str) -> Self {
        Records {
            chars: text.chars().peekable(),
            delim,
            line: 1,
            source_name,
            done: false,
        }
    }

    /// Consumes a line end whose first char `c` was already taken.
    fn end_line(&mut self, c: char) {
        if c == '\r' && self.chars.peek() == Some(&'\n') {
            self.chars.next();
        }
        self.line += 1;
    }
}

impl Iterator for Records<'_> {
    type Item = Result<Record, TableError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        self.chars.peek()?;
        let start = self.line;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut at_field_start = true;
        loop {
            let Some(c) = self.chars.next() else {
                fields.push(field);
                self.done = true;
                break;
            };
            if at_field_start && c == '"' {
                at_field_start = false;
                let open_line = self.line;
                loop {
                    match self.chars.next() {
                        None => {
                            self.done = true;
                            return Some(Err(TableError::UnterminatedQuote {
                                source_name: self.source_name.to_owned(),
                                line: open_line,
                            }));
                        }
                        Some('"') if self.chars.peek() == Some(&'"') => {
                            self.chars.next();
                            field.push('"');
                        }
                        Some('"') => break,
                        Some(c @ ('\r' | '\n')) => {
                            // Keep the newline as `\n` whatever the file used.
                            self.end_line(c);
                            field.push('\n');
                        }
                        Some(c) => field.push(c),
                    }
                }
                continue;
            }
            at_field_start = false;
            if c == self.delim {
                fields.push(std::mem::take(&mut field));
                at_field_start = true;
            } else if c == '\n' || c == '\r' {
                self.end_line(c);
                fields.push(field);
                break;
            } else {
                // Includes text after a closing quote (`"a"b`), kept as is, as most readers do.
                field.push(c);
            }
        }
        Some(Ok(Record {
            line: start,
            fields,
        }))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Record> {
        Records::new(text, ',', "t").map(|r| r.unwrap()).collect()
    }

    #[test]
    fn quoted_fields_with_commas_newlines_and_quotes() {
        let recs = read("\"a,b\",\"x\ny\",\"say \"\"hi\"\"\"\nnext,2\r\nlast,3");
        assert_eq!(recs.len(), 3);
        assert_eq!(recs[0].fields, vec!["a,b", "x\ny", "say \"hi\""]);
        assert_eq!(recs[0].line, 1);
        assert_eq!(recs[1].fields, vec!["next", "2"]);
        assert_eq!(recs[1].line, 3);
        assert_eq!(recs[2].line, 4);
        assert_eq!(recs[2].fields, vec!["last", "3"]);
    }

    #[test]
    fn empty_fields_and_trailing_newline() {
        let recs = read("a,,\n\n,b\n");
        assert_eq!(recs.len(), 3);
        assert_eq!(recs[0].fields, vec!["a", "", ""]);
        assert!(recs[1].is_blank());
        assert_eq!(recs[1].line, 2);
        assert_eq!(recs[2].fields, vec!["", "b"]);
        assert_eq!(recs[2].line, 3);
    }

    #[test]
    fn crlf_inside_quotes_counts_one_line() {
        let recs = read("\"a\r\nb\",1\r\nc,2");
        assert_eq!(recs[0].fields[0], "a\nb");
        assert_eq!(recs[1].line, 3);
    }

    #[test]
    fn unterminated_quote_names_the_opening_line() {
        let out: Vec<_> = Records::new("ok,1\nbad,\"never\nclosed", ',', "f.csv").collect();
        assert!(out[0].is_ok());
        assert!(
            matches!(&out[1], Err(TableError::UnterminatedQuote { line: 2, source_name }) if source_name == "f.csv"),
            "{out:?}"
        );
        assert_eq!(out.len(), 2);
    }

    #[test]
    fn tab_delimiter() {
        let recs: Vec<_> = Records::new("a\t\"b\tc\"\n", '\t', "t")
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(recs[0].fields, vec!["a", "b\tc"]);
    }
}
