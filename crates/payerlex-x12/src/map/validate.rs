//! Translates the claim model's cross-field errors back to the segments they came from.
//!
//! `Claim::validate` names fields (`lines[2].diagnosis_pointers`); an 837 sender needs the
//! segment and element (`SV107-2` at segment 31), so each error is re-anchored here.

use crate::assemble::{Located, RawClaim};
use crate::error::{ErrorKind, Shown, X12Error};
use crate::model::ClaimError;

/// The X12 error for a claim-model validation error.
pub(crate) fn validation_error(
    error: &ClaimError,
    raw: &RawClaim<'_>,
    raw_index: &[usize],
    demographics: Option<Located<'_>>,
) -> X12Error {
    let line = |index: usize| raw_index.get(index).and_then(|&i| raw.lines.get(i));
    let problem = error.to_string();
    match *error {
        ClaimError::DuplicateLineNumber { index, .. } => match line(index) {
            Some(l) => {
                let value = l.lx.segment.value(1).unwrap_or(b"");
                let problem = format!("line number {} is used twice in the claim", Shown::Code(value).render());
                l.lx.element_error(ErrorKind::InvalidValue, problem, 1, None, Shown::Code(value))
            }
            None => raw.clm.error(ErrorKind::InvalidValue, problem),
        },
        ClaimError::MissingDiagnosis { index, pointer, count } => {
            match line(index).and_then(|l| l.service.as_ref()) {
                Some(service) => {
                    let component = service
                        .segment
                        .components(7)
                        .position(|c| c == pointer.to_string().as_bytes())
                        .and_then(|p| u8::try_from(p + 1).ok());
                    let shown = pointer.to_string();
                    let problem = format!(
                        "diagnosis pointer {} points past the claim's {count} diagnosis code(s) (HI)",
                        Shown::Code(shown.as_bytes()).render()
                    );
                    service.element_error(
                        ErrorKind::InvalidValue,
                        problem,
                        7,
                        component,
                        Shown::Code(shown.as_bytes()),
                    )
                }
                None => raw.clm.error(ErrorKind::InvalidValue, problem),
            }
        }
        ClaimError::TooManyPointers { index, .. } => match line(index).and_then(|l| l.service.as_ref()) {
            Some(service) => service.element_error(ErrorKind::InvalidValue, problem, 7, None, Shown::Withheld),
            None => raw.clm.error(ErrorKind::InvalidValue, problem),
        },
        ClaimError::BornAfterService { .. } => match demographics {
            Some(dmg) => dmg.element_error(ErrorKind::InvalidValue, problem, 2, None, Shown::Withheld),
            None => raw.clm.error(ErrorKind::InvalidValue, problem),
        },
        ClaimError::ReplacesItself => match raw
            .references
            .iter()
            .find(|r| r.segment.element(1) == Some(b"F8"))
        {
            Some(reference) => reference.element_error(ErrorKind::InvalidValue, problem, 2, None, Shown::Withheld),
            None => raw.clm.error(ErrorKind::InvalidValue, problem),
        },
        ClaimError::NoLines if !raw.lines.is_empty() => raw.clm.error(
            ErrorKind::Unsupported,
            "no service line has a HCPCS code (SV202): revenue-code-only lines are not checked, so nothing is left to decide",
        ),
        _ => raw.clm.error(ErrorKind::InvalidValue, problem),
    }
}
