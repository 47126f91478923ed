//! Reading JSON Lines input as records, whatever its bytes: one record per line, every line a
//! record.
//!
//! A batch must never lose or merge records because of one bad byte: `BufRead::lines` stops at
//! the first invalid UTF-8 and treats a lone `\r` as part of a line. Here a line ends at `\n`,
//! `\r\n` or a lone `\r`; a UTF-8 byte-order mark at the start of the input is skipped; a line
//! that is not UTF-8, is empty, or is longer than the limit becomes that record's error, and
//! reading goes on with the next line. The reader reuses one buffer, so reading costs no
//! allocation per record.

use std::io::{self, BufRead};

/// Default cap on one record's size (a claim of 999 lines with long report text fits).
pub const DEFAULT_MAX_RECORD_BYTES: usize = 4 * 1024 * 1024;

/// Why a line is not a record to parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum RecordError {
    /// The line holds nothing but whitespace.
    #[error("empty record")]
    #[diagnostic(code("PLX-R015"))]
    Empty,
    /// The line is not valid UTF-8.
    #[error("the record is not valid UTF-8 (first bad byte at column {column})")]
    #[diagnostic(code("PLX-R016"))]
    NotUtf8 {
        /// 1-based byte column of the first invalid byte.
        column: usize,
    },
    /// The line is longer than the limit (the rest of it was skipped).
    #[error("the record is longer than {limit} bytes")]
    #[diagnostic(code("PLX-R017"))]
    TooLong {
        /// The limit.
        limit: usize,
    },
}

/// One input line: its 1-based number and its text, or why it has none.
#[derive(Debug)]
pub struct Record<'a> {
    /// 1-based line number in the input.
    pub number: usize,
    /// The line (without its end), or what is wrong with it.
    pub text: Result<&'a str, RecordError>,
}

/// Reads records from a `BufRead`, one per line.
#[derive(Debug)]
pub struct RecordReader<R> {
    input: R,
    max_bytes: usize,
    number: usize,
    buffer: Vec<u8>,
    /// A `\r` ended the last line: a `\n` right after it belongs to that line end.
    after_cr: bool,
    at_start: bool,
}

impl<R: BufRead> RecordReader<R> {
    /// A reader with the default record size limit.
    pub fn new(input: R) -> Self {
        Self::with_max_bytes(input, DEFAULT_MAX_RECORD_BYTES)
    }

    /// A reader with a record size limit.
    pub fn with_max_bytes(input: R, max_bytes: usize) -> Self {
        Self {
            input,
            max_bytes: max_bytes.max(1),
            number: 0,
            buffer: Vec::new(),
            after_cr: false,
            at_start: true,
        }
    }

    /// The next record; `Ok(None)` at the end of the input. An `Err` is an I/O failure of the
    /// input itself: nothing after it can be read.
    pub fn next_record(&mut self) -> io::Result<Option<Record<'_>>> {
        self.buffer.clear();
        let mut too_long = false;
        let mut saw_any = false;
        let mut at_eof = false;
        loop {
            let available = match self.input.fill_buf() {
                Ok(bytes) => bytes,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                if !saw_any {
                    return Ok(None);
                }
                at_eof = true;
                break;
            }
            let mut start = 0;
            if self.after_cr {
                self.after_cr = false;
                if available.first() == Some(&b'\n') {
                    start = 1;
                }
            }
            let rest = &available[start..];
            match rest.iter().position(|&b| b == b'\n' || b == b'\r') {
                Some(end) => {
                    let ended_by_cr = rest[end] == b'\r';
                    push_bounded(
                        &mut self.buffer,
                        &rest[..end],
                        self.max_bytes,
                        &mut too_long,
                    );
                    // A `\r\n` in one buffer is consumed whole; one split across buffers is
                    // finished by `after_cr` on the next read.
                    let mut used = start + end + 1;
                    if ended_by_cr {
                        if rest.get(end + 1) == Some(&b'\n') {
                            used += 1;
                        } else if rest.len() == end + 1 {
                            self.after_cr = true;
                        }
                    }
                    self.input.consume(used);
                    break;
                }
                None => {
                    saw_any |= !rest.is_empty();
                    push_bounded(&mut self.buffer, rest, self.max_bytes, &mut too_long);
                    let used = available.len();
                    self.input.consume(used);
                }
            }
        }
        if self.at_start {
            self.at_start = false;
            if self.buffer.starts_with(b"\xEF\xBB\xBF") {
                self.buffer.drain(..3);
                // An input that is only a byte-order mark holds no line.
                if self.buffer.is_empty() && at_eof && !too_long {
                    return Ok(None);
                }
            }
        }
        self.number += 1;
        let text = if too_long {
            Err(RecordError::TooLong {
                limit: self.max_bytes,
            })
        } else {
            match std::str::from_utf8(&self.buffer) {
                Ok(text) if text.trim().is_empty() => Err(RecordError::Empty),
                Ok(text) => Ok(text),
                Err(e) => Err(RecordError::NotUtf8 {
                    column: e.valid_up_to() + 1,
                }),
            }
        };
        Ok(Some(Record {
            number: self.number,
            text,
        }))
    }
}

fn push_bounded(buffer: &mut Vec<u8>, bytes: &[u8], max: usize, too_long: &mut bool) {
    if *too_long {
        return;
    }
    if buffer.len() + bytes.len() > max {
        *too_long = true;
        buffer.clear();
    } else {
        buffer.extend_from_slice(bytes);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn read(input: &[u8], capacity: usize) -> Vec<(usize, Result<String, RecordError>)> {
        let reader = io::BufReader::with_capacity(capacity, input);
        let mut records = RecordReader::with_max_bytes(reader, 16);
        let mut out = Vec::new();
        while let Some(record) = records.next_record().unwrap() {
            out.push((record.number, record.text.map(str::to_owned)));
        }
        out
    }

    #[test]
    fn every_line_is_one_record_whatever_its_end_and_bytes() {
        let input = b"\xEF\xBB\xBFa\r\nb\rc\n\n\xFFd\nthis line is far too long\ne";
        for capacity in [1, 2, 3, 5, 64] {
            let records = read(input, capacity);
            assert_eq!(
                records,
                [
                    (1, Ok("a".to_owned())),
                    (2, Ok("b".to_owned())),
                    (3, Ok("c".to_owned())),
                    (4, Err(RecordError::Empty)),
                    (5, Err(RecordError::NotUtf8 { column: 1 })),
                    (6, Err(RecordError::TooLong { limit: 16 })),
                    (7, Ok("e".to_owned())),
                ],
                "buffer capacity {capacity}"
            );
        }
        assert!(read(b"", 8).is_empty());
        assert_eq!(read(b"x\n", 8).len(), 1, "a final line end adds no record");
    }
}
