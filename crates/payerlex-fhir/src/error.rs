//! What can be wrong with FHIR input, located by element path, never quoting patient data.
//!
//! A FHIR claim can be wrong in several places at once (a placeholder procedure code on one
//! item, an ICD-9 diagnosis, a missing quantity), and the person fixing it wants all of them,
//! so a [`FhirError`] carries every [`Problem`] found in one claim (up to
//! [`MAX_PROBLEMS`]). Each problem names a FHIRPath-style element path
//! (`Claim.item[2].productOrService.coding[0].code`) and what is wrong with it. Messages may
//! show codes and code systems (they are not patient data) but never names, identifiers,
//! dates or free text: serde's own messages quote offending values, so they pass through
//! [`sanitized_serde_message`] first.

use std::fmt;

/// Most problems kept for one claim; past this the claim is clearly not a FHIR claim of the
/// expected shape and more lines would only flood the output.
pub const MAX_PROBLEMS: usize = 20;

/// Why an element is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProblemKind {
    /// A required element is absent.
    #[error("missing: {why}")]
    Missing {
        /// Why payerlex needs it.
        why: &'static str,
    },
    /// No coding in a code system payerlex reads.
    #[error("no coding in a supported code system (expected {expected})")]
    NoSupportedCoding {
        /// The systems (or kinds of code) accepted.
        expected: &'static str,
    },
    /// A code in the right system that is not a valid code (codes may be shown).
    #[error("{reason}")]
    InvalidCode {
        /// The code parser's message.
        reason: String,
    },
    /// Not a FHIR date or dateTime with a full calendar date.
    #[error("not a full date (expected YYYY-MM-DD, or a dateTime starting with one)")]
    InvalidDate,
    /// An NPI identifier that fails the NPI format or check digit.
    #[error("not a valid NPI (10 digits with a Luhn check digit)")]
    InvalidNpi,
    /// A quantity that is not a whole number of units.
    #[error("must be a whole number of units from 1 to 4294967295")]
    NotWholeUnits,
    /// More repetitions than payerlex's claim model holds.
    #[error("at most {max} allowed, found {found}")]
    TooMany {
        /// The limit.
        max: usize,
        /// How many were given.
        found: usize,
    },
    /// A sequence number used twice in the same list.
    #[error("sequence {sequence} is used twice")]
    DuplicateSequence {
        /// The repeated sequence number.
        sequence: u32,
    },
    /// A pointer to a sequence number that the list does not have.
    #[error("no {list} entry has sequence {sequence}")]
    UnknownSequence {
        /// The list pointed into (`diagnosis`, `careTeam`).
        list: &'static str,
        /// The pointer.
        sequence: u32,
    },
    /// A reference that names no resource in the Bundle or the contained resources.
    #[error("the reference resolves to no contained resource or Bundle entry")]
    Unresolved,
    /// A reference or entry whose resource is of another type.
    #[error("expected {expected}, found {found}")]
    WrongResourceType {
        /// Accepted types.
        expected: &'static str,
        /// The type found (`unknown` when it is not a FHIR type name).
        found: String,
    },
    /// A value payerlex does not decide (a code, shown).
    #[error("{what}")]
    Unsupported {
        /// What is not supported.
        what: String,
    },
    /// The JSON does not have the shape of the FHIR resource.
    #[error("{message}")]
    Json {
        /// serde's message with any quoted value removed.
        message: String,
    },
    /// One JSON record larger than the reader accepts.
    #[error("the record is larger than {limit} bytes")]
    TooLarge {
        /// The byte limit.
        limit: usize,
    },
    /// A cross-field check of the mapped claim failed.
    #[error("{reason}")]
    Inconsistent {
        /// What is inconsistent.
        reason: &'static str,
    },
    /// Reading the input failed.
    #[error("reading the input failed: {message}")]
    Io {
        /// The I/O error's kind.
        message: String,
    },
}

/// One thing wrong, at one element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// FHIRPath-style location, e.g. `Claim.item[2].productOrService.coding[0].code`;
    /// resources reached through a reference start with their type (`Patient.birthDate`).
    pub path: String,
    /// What is wrong.
    pub kind: ProblemKind,
    /// The `item.sequence` the problem belongs to, when known (`ClaimResponse.error`
    /// carries it as `itemSequence`).
    pub item_sequence: Option<u32>,
}

impl Problem {
    /// A problem at `path` that is not tied to an item.
    pub fn new(path: impl Into<String>, kind: ProblemKind) -> Self {
        Self {
            path: path.into(),
            kind,
            item_sequence: None,
        }
    }

    /// The same problem, tied to an item sequence.
    pub fn for_item(mut self, sequence: Option<u32>) -> Self {
        self.item_sequence = sequence;
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.kind)
    }
}

/// A FHIR record or claim that could not become a payerlex claim.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct FhirError {
    /// 1-based record number: the NDJSON line, or 1 for a single JSON document.
    pub record: Option<usize>,
    /// 0-based `Bundle.entry` index, for a claim inside a Bundle.
    pub entry: Option<usize>,
    /// `Claim.id` (or its first identifier), when the claim got that far.
    pub claim_id: Option<String>,
    /// What is wrong; never empty.
    pub problems: Vec<Problem>,
}

impl FhirError {
    /// An error with one problem and no location yet.
    pub fn single(problem: Problem) -> Self {
        Self {
            record: None,
            entry: None,
            claim_id: None,
            problems: vec![problem],
        }
    }

    /// Whether reading cannot go on after this error (the input itself failed).
    pub fn is_fatal(&self) -> bool {
        self.problems
            .iter()
            .any(|p| matches!(p.kind, ProblemKind::Io { .. }))
    }
}

impl fmt::Display for FhirError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(record) = self.record {
            write!(f, "record {record}: ")?;
        }
        if let Some(entry) = self.entry {
            write!(f, "Bundle.entry[{entry}]: ")?;
        }
        if let Some(id) = &self.claim_id {
            write!(f, "claim `{id}`: ")?;
        }
        for (index, problem) in self.problems.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

/// Collects the problems of one claim, keeping at most [`MAX_PROBLEMS`].
#[derive(Debug, Default)]
pub(crate) struct Problems(Vec<Problem>);

impl Problems {
    pub(crate) fn push(&mut self, problem: Problem) {
        if self.0.len() < MAX_PROBLEMS {
            self.0.push(problem);
        }
    }

    pub(crate) fn at(&mut self, path: impl Into<String>, kind: ProblemKind) {
        self.push(Problem::new(path, kind));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn into_vec(self) -> Vec<Problem> {
        self.0
    }
}

/// serde_json's message for a JSON error, without anything that could be patient data.
///
/// serde quotes the offending value in type and value errors (`invalid type: string "SMITH",
/// expected u32`); those keep only what was expected. Syntax messages never quote input.
/// Anything else from the data layer is replaced by a generic message rather than trusted.
pub(crate) fn sanitized_serde_message(error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let raw = error.to_string();
    let raw = raw.split(" at line ").next().unwrap_or(&raw);
    match error.classify() {
        Category::Syntax | Category::Eof | Category::Io => raw.to_owned(),
        Category::Data => {
            for kind in ["invalid type", "invalid value", "invalid length"] {
                if raw.starts_with(kind) {
                    return match raw.rfind(", expected ") {
                        Some(at) => format!("{kind}: {}", &raw[at + 2..]),
                        None => kind.to_owned(),
                    };
                }
            }
            let known = ["missing field `", "duplicate field `"];
            if known.iter().any(|k| raw.starts_with(k)) && raw.len() < 80 {
                raw.to_owned()
            } else {
                "the JSON does not have the expected shape".to_owned()
            }
        }
    }
}

/// A `resourceType` safe to show: FHIR type names are short ASCII words; anything else is
/// user text and shown as `unknown`.
pub(crate) fn shown_resource_type(text: &str) -> String {
    let is_type_name = !text.is_empty()
        && text.len() <= 64
        && text.bytes().all(|b| b.is_ascii_alphabetic())
        && text.as_bytes()[0].is_ascii_uppercase();
    if is_type_name {
        text.to_owned()
    } else {
        "unknown".to_owned()
    }
}

/// A code safe to show in a message: codes are short tokens; longer or odd text may be a
/// misplaced free-text value and is not echoed.
pub(crate) fn shown_code(text: &str) -> String {
    let is_code = !text.is_empty()
        && text.len() <= 32
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
    if is_code {
        format!("`{text}`")
    } else {
        "(not shown)".to_owned()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn serde_type_errors_lose_the_quoted_value() {
        let error = serde_json::from_str::<u32>(r#""SMITH""#).unwrap_err();
        let message = sanitized_serde_message(&error);
        assert!(!message.contains("SMITH"), "{message}");
        assert!(message.contains("expected u32"), "{message}");
    }

    #[test]
    fn odd_text_is_not_shown() {
        assert_eq!(shown_code("76377"), "`76377`");
        assert_eq!(shown_code("John Smith"), "(not shown)");
        assert_eq!(shown_resource_type("Patient"), "Patient");
        assert_eq!(shown_resource_type("John Smith"), "unknown");
    }
}
