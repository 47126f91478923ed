//! The tokenizer: splits an input buffer into segments, zero-copy.
//!
//! Hand-written rather than a regex or a parser-combinator grammar because X12's lexical
//! rules are tiny but data-dependent: the delimiters are whatever each ISA declares (read by
//! position, see [`crate::delimiters`]), may change at the next ISA, and may be followed by
//! line breaks or not. A regex would have to be rebuilt per interchange and would still not
//! read the fixed-width ISA; a general parser would allocate per token. Here a segment is
//! found with one `memchr` for the terminator and returned as a slice of the input: no
//! allocation per segment, one pass over the bytes, and every bound (segment length, element
//! count) checked on the way.

use crate::delimiters::{Delimiters, ISA_LEN};
use crate::error::{ErrorKind, Shown, X12Error};
use crate::segment::Segment;

/// Longest segment accepted, in bytes. The longest 837 segments (HI with twelve composites,
/// SV1 with a description) stay under 1 KiB; a longer one means a lost terminator.
pub const MAX_SEGMENT_LEN: usize = 4096;

/// Most elements in one segment (the 837's widest, SV1 and CLM, have about 20).
pub const MAX_ELEMENTS: usize = 64;

/// Splits the input into segments.
#[derive(Debug, Clone)]
pub struct Tokenizer<'a> {
    input: &'a [u8],
    position: usize,
    delimiters: Delimiters,
    fatal: bool,
}

fn is_padding(byte: u8, delimiters: &Delimiters) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n') && byte != delimiters.element
}

fn valid_id(id: &[u8]) -> bool {
    (2..=3).contains(&id.len())
        && id[0].is_ascii_uppercase()
        && id
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fn error_at(kind: ErrorKind, problem: String, offset: usize) -> X12Error {
    let mut error = X12Error::new(kind, problem);
    error.at.offset = offset;
    error
}

impl<'a> Tokenizer<'a> {
    /// A tokenizer over `input`, which must start (after white space or a byte-order mark)
    /// with an ISA segment; its delimiters are read before anything else.
    pub fn new(input: &'a [u8]) -> Result<Self, X12Error> {
        let mut start = 0;
        if input.starts_with(b"\xEF\xBB\xBF") {
            start = 3;
        }
        while input.get(start).is_some_and(|b| b.is_ascii_whitespace()) {
            start += 1;
        }
        let rest = &input[start.min(input.len())..];
        if !rest.starts_with(b"ISA") {
            let mut error = error_at(
                ErrorKind::Envelope,
                "not an X12 interchange: the input does not start with an ISA segment".to_owned(),
                start,
            );
            error.at.segment_id = Some("ISA".to_owned());
            return Err(error);
        }
        let delimiters = Delimiters::from_isa(rest).map_err(|mut e| {
            e.at.offset = start;
            e
        })?;
        Ok(Self {
            input,
            position: start,
            delimiters,
            fatal: false,
        })
    }

    /// The delimiters of the current interchange.
    pub fn delimiters(&self) -> Delimiters {
        self.delimiters
    }

    /// Byte offset of the next segment.
    pub fn offset(&self) -> usize {
        self.position
    }

    fn skip_padding(&mut self) {
        while self
            .input
            .get(self.position)
            .is_some_and(|&b| is_padding(b, &self.delimiters))
        {
            self.position += 1;
        }
    }

    /// Reads an ISA at the current position: fixed width, and it re-declares the delimiters.
    fn isa(&mut self) -> Result<Segment<'a>, X12Error> {
        let start = self.position;
        let rest = &self.input[start..];
        match Delimiters::from_isa(rest) {
            Ok(delimiters) => {
                self.delimiters = delimiters;
                self.position = start + ISA_LEN;
                Ok(Segment::new(&rest[..ISA_LEN - 1], 3, delimiters, start))
            }
            Err(mut error) => {
                // Without a readable ISA nothing after it can be split reliably.
                self.fatal = true;
                self.position = self.input.len();
                error.at.offset = start;
                Err(error)
            }
        }
    }
}

impl<'a> Iterator for Tokenizer<'a> {
    type Item = Result<Segment<'a>, X12Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.fatal {
            return None;
        }
        self.skip_padding();
        let start = self.position;
        let rest = self.input.get(start..).filter(|r| !r.is_empty())?;
        if rest.starts_with(b"ISA") && rest.get(3).is_some_and(|b| !b.is_ascii_alphanumeric()) {
            return Some(self.isa());
        }
        let terminator = self.delimiters.segment;
        let (end, next) = match memchr::memchr(terminator, rest) {
            Some(at) => (start + at, start + at + 1),
            None => {
                self.position = self.input.len();
                return Some(Err(error_at(
                    ErrorKind::UnterminatedSegment,
                    format!(
                        "the input ends inside a segment: no segment terminator {} (truncated file?)",
                        Shown::Code(&[terminator]).render()
                    ),
                    start,
                )));
            }
        };
        self.position = next;
        let mut raw = &self.input[start..end];
        while let [body @ .., b'\r' | b'\n'] = raw {
            raw = body;
        }
        if raw.len() > MAX_SEGMENT_LEN {
            return Some(Err(error_at(
                ErrorKind::SegmentTooLong,
                format!("segment longer than {MAX_SEGMENT_LEN} bytes (a lost terminator?)"),
                start,
            )));
        }
        let separator = self.delimiters.element;
        let id_len = memchr::memchr(separator, raw).unwrap_or(raw.len());
        let id = &raw[..id_len];
        if !valid_id(id) {
            let shown =
                if !id.is_empty() && id.len() <= 4 && id.iter().all(u8::is_ascii_alphanumeric) {
                    Shown::Code(id)
                } else {
                    Shown::Withheld
                };
            let what = if id.is_empty() {
                "(empty)".to_owned()
            } else {
                shown.render()
            };
            let mut error = error_at(
                ErrorKind::InvalidSegmentId,
                format!(
                    "invalid segment identifier {what}: expected 2-3 upper-case letters or digits"
                ),
                start,
            )
            .shown(shown);
            if let Shown::Code(id) = shown {
                error.at.segment_id = Some(String::from_utf8_lossy(id).into_owned());
            }
            return Some(Err(error));
        }
        let segment = Segment::new(raw, id_len, self.delimiters, start);
        // A segment shorter than the bound cannot hold more separators than it.
        if raw.len() > MAX_ELEMENTS && segment.element_count() > MAX_ELEMENTS {
            let mut error = error_at(
                ErrorKind::TooManyElements,
                format!("more than {MAX_ELEMENTS} elements"),
                start,
            );
            error.at.segment_id = Some(segment.id_str().to_owned());
            return Some(Err(error));
        }
        Some(Ok(segment))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISA: &str = "ISA*00*          *01*SECRET    *ZZ*SUBMITTERS.ID  *ZZ*RECEIVERS.ID   *030101*1253*U*00501*000000905*1*T*:~";

    fn ids(input: &str) -> Vec<Result<String, ErrorKind>> {
        match Tokenizer::new(input.as_bytes()) {
            Ok(t) => t
                .map(|s| s.map(|s| s.id_str().to_owned()).map_err(|e| e.kind))
                .collect(),
            Err(e) => vec![Err(e.kind)],
        }
    }

    #[test]
    fn splits_with_or_without_line_breaks() {
        let one_line = format!("{ISA}GS*HC~ST*837*1~SE*2*1~");
        let lines = format!("{ISA}\r\nGS*HC~\r\n ST*837*1~\nSE*2*1~\n\n");
        for input in [one_line, lines] {
            assert_eq!(
                ids(&input),
                ["ISA", "GS", "ST", "SE"].map(|s| Ok(s.to_owned())).to_vec()
            );
        }
    }

    #[test]
    fn bad_ids_lengths_and_truncation_are_errors_not_panics() {
        let input = format!("{ISA}Nd4*X~*IC*Y~NM31*Z~GS*HC");
        assert_eq!(
            ids(&input),
            vec![
                Ok("ISA".to_owned()),
                Err(ErrorKind::InvalidSegmentId),
                Err(ErrorKind::InvalidSegmentId),
                Err(ErrorKind::InvalidSegmentId),
                Err(ErrorKind::UnterminatedSegment),
            ]
        );
        let long = format!("{ISA}NTE*{}~GS~", "x".repeat(MAX_SEGMENT_LEN));
        assert_eq!(ids(&long)[1], Err(ErrorKind::SegmentTooLong));
        assert_eq!(ids(&long)[2], Ok("GS".to_owned()));
        let wide = format!("{ISA}REF{}~", "*".repeat(MAX_ELEMENTS + 1));
        assert_eq!(ids(&wide)[1], Err(ErrorKind::TooManyElements));
        assert_eq!(ids("GS*HC~"), vec![Err(ErrorKind::Envelope)]);
    }

    #[test]
    fn a_second_isa_may_change_the_delimiters() {
        let second = ISA.replace('*', "|").replace('~', "\n");
        let input = format!("{ISA}IEA*1*1~{second}GS|HC\nIEA|1|1\n");
        assert_eq!(
            ids(&input),
            ["ISA", "IEA", "ISA", "GS", "IEA"]
                .map(|s| Ok(s.to_owned()))
                .to_vec()
        );
    }
}
