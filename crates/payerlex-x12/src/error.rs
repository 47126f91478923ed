//! Errors with the coordinates a 999 acknowledgement reports.
//!
//! A billing system fixes a rejected claim by going to the segment, element and component at
//! fault, so every error carries them: the transaction set (ST02), the segment's position in it
//! (ST = 1), its id, the loop, the element and component positions, and the claim (CLM01) when
//! known. The offending value is shown only for code-like elements (segment ids, qualifiers,
//! procedure codes, modifiers, units, places of service, frequencies, delimiters); names,
//! identifiers, dates and addresses are withheld, because they can be patient data.

use std::fmt;

use serde::Serialize;

/// What kind of problem: lets callers (and tests) branch without parsing messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// ISA/GS/ST/SE/GE/IEA missing, misplaced or mismatched, or a damaged ISA.
    Envelope,
    /// A segment id that is not 2-3 upper-case letters or digits.
    InvalidSegmentId,
    /// A segment longer than [`crate::MAX_SEGMENT_LEN`].
    SegmentTooLong,
    /// A segment with more than [`crate::MAX_ELEMENTS`] elements.
    TooManyElements,
    /// The input ends inside a segment (no terminator).
    UnterminatedSegment,
    /// No loop open at this point takes this segment.
    UnexpectedSegment,
    /// A loop-starting segment (NM1, HL) whose qualifier starts no loop here (`NM1*117`).
    UnknownQualifier,
    /// A segment of the current loop after a segment that must follow it.
    SegmentOutOfOrder,
    /// A segment the loop requires is absent.
    MissingSegment,
    /// A segment repeated more often than the loop allows.
    SegmentRepeated,
    /// A loop the parent loop requires is absent.
    MissingLoop,
    /// A loop repeated more often than its parent allows.
    LoopRepeated,
    /// A required element or component is empty.
    MissingElement,
    /// An element whose value is malformed (a date, an NPI, a code...).
    InvalidValue,
    /// Valid X12 that payerlex does not check (ICD-9 diagnoses, anesthesia minutes, codes
    /// other than HCPCS/CPT, other transaction sets or implementation guides).
    Unsupported,
    /// Over one of this reader's bounds (claims per transaction set, segments...).
    Limit,
}

impl ErrorKind {
    /// Syntax and structure errors (what a 999 rejects) rank before value errors (what a
    /// claim edit rejects) when a claim has both.
    pub fn is_structural(self) -> bool {
        !matches!(self, Self::InvalidValue | Self::Unsupported)
    }
}

/// Where a problem is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Coordinates {
    /// Interchange control number (ISA13).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interchange: Option<String>,
    /// Functional group control number (GS06).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Transaction set control number (ST02).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction: Option<String>,
    /// Position of the segment in its transaction set, ST = 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment: Option<u32>,
    /// Segment id (`SV1`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment_id: Option<String>,
    /// Loop id (`2400`).
    #[serde(rename = "loop", skip_serializing_if = "Option::is_none")]
    pub loop_id: Option<&'static str>,
    /// Element position, 1-based (`SV101` = 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<u8>,
    /// Component position within a composite element, 1-based.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<u8>,
    /// The offending value, for code-like elements only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The claim (CLM01), when the problem is inside one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim: Option<String>,
    /// Byte offset of the segment in the input.
    pub offset: usize,
}

/// A problem in an X12 input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct X12Error {
    /// What kind of problem.
    pub kind: ErrorKind,
    /// What is wrong, without patient data.
    pub problem: String,
    /// Where (boxed: errors travel in `Result`s on the hot path, which stay small).
    pub at: Box<Coordinates>,
}

/// How an element's value may appear in a message.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Shown<'a> {
    /// A code-like value: shown.
    Code(&'a [u8]),
    /// Possibly patient data: withheld.
    Withheld,
}

/// Longest value echoed in a message: codes, modifiers, qualifiers, units and guide ids
/// (`005010X222A1`) fit.
const MAX_SHOWN: usize = 12;

impl Shown<'_> {
    /// The value for a message: `` `76377` `` or `(value withheld)`.
    pub(crate) fn render(self) -> String {
        match self.value() {
            Some(text) => format!("`{text}`"),
            None => "(value withheld)".to_owned(),
        }
    }

    /// Whether a value in a code-like element really looks like a code: a single character
    /// (a delimiter), or up to [`MAX_SHOWN`] letters, digits and dots that are not a run of
    /// six or more digits alone (identifiers: SSNs, member ids). Anything else typed into a
    /// code element (a name, an SSN) is withheld like any other patient data.
    fn is_code_shaped(bytes: &[u8]) -> bool {
        let all_digits = bytes.iter().all(u8::is_ascii_digit);
        bytes.len() == 1
            || (bytes.len() <= MAX_SHOWN
                && !(all_digits && bytes.len() >= 6)
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || *b == b'.'))
    }

    /// The value for [`Coordinates::value`].
    pub(crate) fn value(self) -> Option<String> {
        match self {
            Self::Code(bytes) if Self::is_code_shaped(bytes) => {
                Some(String::from_utf8_lossy(bytes).into_owned())
            }
            Self::Code(_) | Self::Withheld => None,
        }
    }
}

impl X12Error {
    /// An error without coordinates yet.
    pub(crate) fn new(kind: ErrorKind, problem: impl Into<String>) -> Self {
        Self {
            kind,
            problem: problem.into(),
            at: Box::default(),
        }
    }

    /// Sets the element and component positions.
    pub(crate) fn element(mut self, element: u8, component: Option<u8>) -> Self {
        self.at.element = Some(element);
        self.at.component = component;
        self
    }

    /// Records the offending value when it is code-like.
    pub(crate) fn shown(mut self, shown: Shown<'_>) -> Self {
        self.at.value = shown.value();
        self
    }

    /// The element reference as a 999 writes it: `SV101-2`.
    fn reference(&self) -> Option<String> {
        let id = self.at.segment_id.as_deref()?;
        Some(match (self.at.element, self.at.component) {
            (Some(e), Some(c)) => format!("{id}{e:02}-{c}"),
            (Some(e), None) => format!("{id}{e:02}"),
            _ => id.to_owned(),
        })
    }
}

impl fmt::Display for X12Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut place = Vec::new();
        if let Some(reference) = self.reference() {
            place.push(reference);
        }
        if let Some(position) = self.at.segment {
            place.push(format!("segment {position}"));
        }
        if let Some(loop_id) = self.at.loop_id {
            place.push(format!("loop {loop_id}"));
        }
        if place.is_empty() {
            f.write_str(&self.problem)
        } else {
            write!(f, "{}: {}", place.join(", "), self.problem)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_999_reference_and_withholds_values() {
        let mut error = X12Error::new(ErrorKind::InvalidValue, "invalid date (value withheld)")
            .element(3, None)
            .shown(Shown::Withheld);
        error.at.segment = Some(26);
        error.at.segment_id = Some("DTP".to_owned());
        error.at.loop_id = Some("2400");
        assert_eq!(
            error.to_string(),
            "DTP03, segment 26, loop 2400: invalid date (value withheld)"
        );
        assert_eq!(error.at.value, None);
        let error = X12Error::new(ErrorKind::InvalidValue, "x")
            .element(1, Some(2))
            .shown(Shown::Code(b"4783T"));
        assert_eq!(error.at.value.as_deref(), Some("4783T"));
        assert_eq!(Shown::Code(b"99").render(), "`99`");
        // Not code-shaped: withheld even in a code element.
        for typed in [
            &b"123456789"[..],
            b"123-45-6789",
            b"John Doe",
            b"ABCDEFGHIJKLMN",
        ] {
            assert_eq!(Shown::Code(typed).value(), None);
            assert_eq!(Shown::Code(typed).render(), "(value withheld)");
        }
    }
}
