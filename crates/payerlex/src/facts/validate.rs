//! Cross-field checks of a claim: what no single field's type can express.
//!
//! Field formats (codes, dates, NPIs) are enforced by the newtypes while a claim is read;
//! here the claim as a whole is checked: lines exist and are numbered uniquely, pointers
//! resolve, a birth date precedes the services, a replacement names what it replaces. Every
//! error names the field (JSON path) and the problem, never the offending value: values can
//! be patient data.

use super::{Claim, Frequency, MAX_DIAGNOSES, MAX_LINES};

/// A claim that is well-formed field by field but inconsistent as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum ClaimError {
    /// No service lines.
    #[error("lines: the claim has no lines")]
    #[diagnostic(code("PLX-R002"))]
    NoLines,
    /// Two lines share a number.
    #[error("lines[{index}].number: line number {number} is used twice")]
    #[diagnostic(code("PLX-R003"))]
    DuplicateLineNumber {
        /// 0-based index of the second line.
        index: usize,
        /// The repeated number.
        number: u32,
    },
    /// A pointer names a diagnosis the claim does not have.
    #[error("lines[{index}].diagnosis_pointers: pointer {pointer} has no diagnosis (the claim lists {count})")]
    #[diagnostic(code("PLX-R004"))]
    MissingDiagnosis {
        /// 0-based line index.
        index: usize,
        /// The pointer.
        pointer: u8,
        /// How many diagnoses the claim has.
        count: usize,
    },
    /// More than four pointers on a line.
    #[error("lines[{index}].diagnosis_pointers: at most 4 pointers, found {count}")]
    #[diagnostic(code("PLX-R005"))]
    TooManyPointers {
        /// 0-based line index.
        index: usize,
        /// How many were given.
        count: usize,
    },
    /// More lines than a claim holds.
    #[error("lines: at most {limit} lines per claim, found {count}")]
    #[diagnostic(code("PLX-R006"))]
    TooManyLines {
        /// How many were given.
        count: usize,
        /// The most allowed ([`MAX_LINES`], or a lower limit the host set).
        limit: usize,
    },
    /// More diagnoses than a claim holds.
    #[error("diagnoses: at most {MAX_DIAGNOSES}, found {count}")]
    #[diagnostic(code("PLX-R007"))]
    TooManyDiagnoses {
        /// How many were given.
        count: usize,
    },
    /// A line bills no units.
    #[error("lines[{index}].units: must be at least 1")]
    #[diagnostic(code("PLX-R008"))]
    ZeroUnits {
        /// 0-based line index.
        index: usize,
    },
    /// The patient was born after a service.
    #[error("patient_birth_date: after the date of service of lines[{index}]")]
    #[diagnostic(code("PLX-R009"))]
    BornAfterService {
        /// 0-based index of the first such line.
        index: usize,
    },
    /// A replacement or void that does not say what it replaces.
    #[error(
        "replaces: a replacement (frequency 7) or void (8) claim must name the claim it replaces"
    )]
    #[diagnostic(code("PLX-R010"))]
    ReplacesMissing,
    /// `replaces` on a claim that is neither a replacement nor a void.
    #[error("replaces: only a replacement (frequency 7) or void (8) claim replaces another")]
    #[diagnostic(code("PLX-R011"))]
    ReplacesWithoutFrequency,
    /// A claim that names itself as the one it replaces.
    #[error("replaces: a claim cannot replace itself")]
    #[diagnostic(code("PLX-R012"))]
    ReplacesItself,
    /// An authorisation whose dates are reversed.
    #[error("authorizations[{index}]: `from` is after `to`")]
    #[diagnostic(code("PLX-R013"))]
    AuthorizationDates {
        /// 0-based index of the authorisation.
        index: usize,
    },
    /// An authorisation that lists no codes.
    #[error("authorizations[{index}].codes: an authorisation lists at least one code")]
    #[diagnostic(code("PLX-R014"))]
    AuthorizationWithoutCodes {
        /// 0-based index of the authorisation.
        index: usize,
    },
    /// A payment locality that is not a 5-digit contractor and 2-digit locality.
    #[error("locality: expected a 5-digit MAC contractor number and a 2-digit locality number")]
    #[diagnostic(code("PLX-R018"))]
    LocalityFormat,
}

impl Claim {
    /// Cross-field checks: lines exist, numbers unique, pointers resolve, units positive, the
    /// patient born before the services, replacements name what they replace, authorisation
    /// dates in order.
    pub fn validate(&self) -> Result<(), ClaimError> {
        self.validate_within(MAX_LINES)
    }

    /// [`Claim::validate`] with at most `max_lines` lines (never more than [`MAX_LINES`]).
    pub fn validate_within(&self, max_lines: usize) -> Result<(), ClaimError> {
        if self.lines.is_empty() {
            return Err(ClaimError::NoLines);
        }
        let limit = max_lines.min(MAX_LINES);
        if self.lines.len() > limit {
            return Err(ClaimError::TooManyLines {
                count: self.lines.len(),
                limit,
            });
        }
        if let Some(locality) = &self.locality {
            let digits =
                |text: &str, n: usize| text.len() == n && text.bytes().all(|b| b.is_ascii_digit());
            if !digits(&locality.contractor, 5) || !digits(&locality.locality, 2) {
                return Err(ClaimError::LocalityFormat);
            }
        }
        if self.diagnoses.len() > MAX_DIAGNOSES {
            return Err(ClaimError::TooManyDiagnoses {
                count: self.diagnoses.len(),
            });
        }
        self.validate_line_numbers()?;
        for (index, line) in self.lines.iter().enumerate() {
            if line.units == 0 {
                return Err(ClaimError::ZeroUnits { index });
            }
            if line.diagnosis_pointers.len() > 4 {
                return Err(ClaimError::TooManyPointers {
                    index,
                    count: line.diagnosis_pointers.len(),
                });
            }
            for &pointer in &line.diagnosis_pointers {
                if pointer == 0 || usize::from(pointer) > self.diagnoses.len() {
                    return Err(ClaimError::MissingDiagnosis {
                        index,
                        pointer,
                        count: self.diagnoses.len(),
                    });
                }
            }
            if self.patient_birth_date.is_some_and(|born| born > line.date) {
                return Err(ClaimError::BornAfterService { index });
            }
        }
        let replaces = self.frequency.is_some_and(Frequency::replaces_another);
        match (&self.replaces, replaces) {
            (None, true) => return Err(ClaimError::ReplacesMissing),
            (Some(_), false) => return Err(ClaimError::ReplacesWithoutFrequency),
            (Some(id), true) if *id == self.id => return Err(ClaimError::ReplacesItself),
            _ => {}
        }
        for (index, auth) in self.authorizations.iter().enumerate() {
            if auth.from > auth.to {
                return Err(ClaimError::AuthorizationDates { index });
            }
            if auth.codes.is_empty() {
                return Err(ClaimError::AuthorizationWithoutCodes { index });
            }
        }
        Ok(())
    }

    /// Line numbers are unique. Claims are short, so a quadratic scan of up to 16 lines beats
    /// sorting a copy; longer claims sort a copy of the numbers (O(n log n)).
    fn validate_line_numbers(&self) -> Result<(), ClaimError> {
        const SMALL: usize = 16;
        if self.lines.len() <= SMALL {
            for (index, line) in self.lines.iter().enumerate().skip(1) {
                if self.lines[..index].iter().any(|l| l.number == line.number) {
                    return Err(ClaimError::DuplicateLineNumber {
                        index,
                        number: line.number,
                    });
                }
            }
            return Ok(());
        }
        let mut numbers: Vec<(u32, usize)> = self
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| (l.number, i))
            .collect();
        numbers.sort_unstable();
        match numbers.windows(2).find(|w| w[0].0 == w[1].0) {
            Some(pair) => Err(ClaimError::DuplicateLineNumber {
                index: pair[1].1,
                number: pair[1].0,
            }),
            None => Ok(()),
        }
    }
}
