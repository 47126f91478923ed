//! `Claim.diagnosis` and `Claim.item` to the claim's diagnoses and lines.
//!
//! FHIR links items to diagnoses and care team members by *sequence number*, payerlex by
//! 1-based position (like the X12 pointers), so diagnoses are put in order first and each
//! `diagnosisSequence` is translated through the resulting position. Every item is read even
//! after an earlier one failed, so one error lists every bad item. Counts are checked before
//! anything is mapped: a claim with more items or diagnoses than the claim model holds is
//! rejected without the per-item work.

use std::collections::HashMap;

use super::resource::{self, CodeableConcept, Item};
use crate::error::{Problem, ProblemKind, Problems};
use crate::payerlex_api::{
    Date, Diagnosis, Line, Modifier, Modifiers, PlaceOfService, ProcedureCode, Rendering,
    MAX_DIAGNOSES, MAX_LINES,
};
use crate::systems;

/// Most modifiers a line carries (the claim model's limit, restated for the message).
const MAX_MODIFIERS: usize = 4;

/// Most diagnosis pointers a line carries (X12 SV107).
const MAX_POINTERS: usize = 4;

/// The claim's diagnoses in order, and the position of each sequence number.
#[derive(Debug, Default)]
pub(crate) struct DiagnosisFacts {
    pub(crate) codes: Vec<Diagnosis>,
    pointer_of: HashMap<u32, u8>,
    /// Sequences of diagnoses that failed (already reported: items pointing to them are not
    /// reported again).
    failed: Vec<u32>,
}

/// Reads `Claim.diagnosis`: ICD-10-CM codes in `sequence` order, except that the diagnosis
/// typed `principal` goes first when its sequence is not the lowest (X12 puts the principal
/// diagnosis first; pointers still resolve, through the sequence numbers).
pub(crate) fn diagnoses(claim: &resource::Claim, problems: &mut Problems) -> DiagnosisFacts {
    let count = claim.diagnosis.len();
    if count > MAX_DIAGNOSES {
        problems.at(
            "Claim.diagnosis",
            ProblemKind::TooMany {
                max: MAX_DIAGNOSES,
                found: count,
            },
        );
        return DiagnosisFacts::default();
    }
    let mut read: Vec<(u32, bool, Diagnosis)> = Vec::with_capacity(count);
    let mut failed = Vec::new();
    for (index, diagnosis) in claim.diagnosis.iter().enumerate() {
        let path = format!("Claim.diagnosis[{index}]");
        let Some(sequence) = diagnosis.sequence else {
            problems.at(
                format!("{path}.sequence"),
                ProblemKind::Missing {
                    why: "items point to diagnoses by sequence",
                },
            );
            continue;
        };
        if read.iter().any(|(s, _, _)| *s == sequence) {
            problems.at(
                format!("{path}.sequence"),
                ProblemKind::DuplicateSequence { sequence },
            );
            continue;
        }
        let Some(code) = diagnosis_code(diagnosis, &path, problems) else {
            failed.push(sequence);
            continue;
        };
        let principal = diagnosis.kind.iter().any(|k| k.has_code("principal"));
        read.push((sequence, principal, code));
    }
    read.sort_by_key(|(sequence, _, _)| *sequence);
    if let Some(at) = read.iter().position(|(_, principal, _)| *principal) {
        let principal = read.remove(at);
        read.insert(0, principal);
    }
    let mut facts = DiagnosisFacts {
        failed,
        ..DiagnosisFacts::default()
    };
    for (position, (sequence, _, code)) in read.into_iter().enumerate() {
        // At most MAX_DIAGNOSES (12) entries, so the position fits a u8.
        let pointer = u8::try_from(position + 1).unwrap_or(u8::MAX);
        facts.pointer_of.insert(sequence, pointer);
        facts.codes.push(code);
    }
    facts
}

fn diagnosis_code(
    diagnosis: &resource::Diagnosis,
    path: &str,
    problems: &mut Problems,
) -> Option<Diagnosis> {
    let Some(concept) = &diagnosis.diagnosis_codeable_concept else {
        let kind = if diagnosis.diagnosis_reference.is_some() {
            ProblemKind::Unsupported {
                what: "a Condition reference is not read: send diagnosisCodeableConcept with an ICD-10-CM coding".to_owned(),
            }
        } else {
            ProblemKind::Missing {
                why: "the diagnosis code",
            }
        };
        problems.at(format!("{path}.diagnosisCodeableConcept"), kind);
        return None;
    };
    let concept_path = format!("{path}.diagnosisCodeableConcept");
    let (index, code) = coding_in(
        concept,
        systems::ICD10_CM,
        &concept_path,
        "ICD-10-CM (http://hl7.org/fhir/sid/icd-10-cm)",
        problems,
    )?;
    match Diagnosis::parse(code) {
        Ok(code) => Some(code),
        Err(e) => {
            problems.at(
                format!("{concept_path}.coding[{index}].code"),
                ProblemKind::InvalidCode {
                    reason: e.to_string(),
                },
            );
            None
        }
    }
}

/// The first coding of `concept` in `systems`; else a problem at `path.coding`.
fn coding_in<'c>(
    concept: &'c CodeableConcept,
    systems: &[&str],
    path: &str,
    expected: &'static str,
    problems: &mut Problems,
) -> Option<(usize, &'c str)> {
    let found = concept.code_in(systems);
    if found.is_none() {
        problems.at(
            format!("{path}.coding"),
            ProblemKind::NoSupportedCoding { expected },
        );
    }
    found
}

/// The claim's lines and its place of service.
#[derive(Debug, Default)]
pub(crate) struct ItemFacts {
    pub(crate) lines: Vec<Line>,
    pub(crate) place_of_service: Option<PlaceOfService>,
}

/// Reads `Claim.item`. The claim's place of service is the first item's
/// `locationCodeableConcept`; a line keeps its own only where it differs.
pub(crate) fn items(
    claim: &resource::Claim,
    diagnoses: &DiagnosisFacts,
    care_team: &HashMap<u32, Option<Rendering>>,
    problems: &mut Problems,
) -> ItemFacts {
    let count = claim.item.len();
    if count == 0 {
        problems.at(
            "Claim.item",
            ProblemKind::Missing {
                why: "a claim is decided line by line",
            },
        );
        return ItemFacts::default();
    }
    if count > MAX_LINES {
        problems.at(
            "Claim.item",
            ProblemKind::TooMany {
                max: MAX_LINES,
                found: count,
            },
        );
        return ItemFacts::default();
    }
    let context = ItemContext {
        diagnoses,
        care_team,
    };
    let mut lines = Vec::with_capacity(count);
    let mut places = Vec::with_capacity(count);
    let mut seen = Vec::with_capacity(count);
    for (index, item) in claim.item.iter().enumerate() {
        let mut item_problems = ItemProblems {
            problems: &mut *problems,
            sequence: item.sequence,
        };
        let path = format!("Claim.item[{index}]");
        if let Some(sequence) = item.sequence {
            if seen.contains(&sequence) {
                item_problems.at(
                    format!("{path}.sequence"),
                    ProblemKind::DuplicateSequence { sequence },
                );
            }
            seen.push(sequence);
        }
        let place = place_of_service(item, &path, &mut item_problems);
        let line = context.line(item, &path, &mut item_problems);
        if let (Some(line), Some(place)) = (line, place) {
            lines.push(line);
            places.push(place);
        }
    }
    let place_of_service = places.iter().flatten().next().copied();
    let any_location = claim
        .item
        .iter()
        .any(|item| item.location_codeable_concept.is_some());
    if !any_location {
        problems.at(
            "Claim.item[0].locationCodeableConcept",
            ProblemKind::Missing {
                why: "the place of service (a CMS place of service code on at least one item) prices and edits the claim",
            },
        );
    }
    for (line, place) in lines.iter_mut().zip(places) {
        line.place_of_service = place.filter(|p| Some(*p) != place_of_service);
    }
    ItemFacts {
        lines,
        place_of_service,
    }
}

/// Problems of one item, each tagged with the item's sequence.
struct ItemProblems<'p> {
    problems: &'p mut Problems,
    sequence: Option<u32>,
}

impl ItemProblems<'_> {
    fn at(&mut self, path: String, kind: ProblemKind) {
        self.problems
            .push(Problem::new(path, kind).for_item(self.sequence));
    }
}

struct ItemContext<'a> {
    diagnoses: &'a DiagnosisFacts,
    care_team: &'a HashMap<u32, Option<Rendering>>,
}

impl ItemContext<'_> {
    /// One item as a line (without its place of service); `None` when anything is wrong (the
    /// problems say what).
    fn line(&self, item: &Item, path: &str, problems: &mut ItemProblems<'_>) -> Option<Line> {
        let sequence = match item.sequence {
            Some(sequence) => Some(sequence),
            None => {
                problems.at(
                    format!("{path}.sequence"),
                    ProblemKind::Missing {
                        why: "the item number is the line number",
                    },
                );
                None
            }
        };
        let code = procedure_code(item, path, problems);
        let modifiers = modifiers(item, path, problems);
        let units = units(item, path, problems);
        let date = service_date(item, path, problems);
        let pointers = self.pointers(item, path, problems);
        let rendering = self.rendering(item, path, problems);
        let mut line = Line::new(sequence?, code?, units?, date?);
        line.modifiers = modifiers?;
        line.diagnosis_pointers = pointers?;
        line.rendering = rendering?;
        Some(line)
    }

    fn pointers(
        &self,
        item: &Item,
        path: &str,
        problems: &mut ItemProblems<'_>,
    ) -> Option<Vec<u8>> {
        if item.diagnosis_sequence.len() > MAX_POINTERS {
            problems.at(
                format!("{path}.diagnosisSequence"),
                ProblemKind::TooMany {
                    max: MAX_POINTERS,
                    found: item.diagnosis_sequence.len(),
                },
            );
            return None;
        }
        let mut pointers = Vec::with_capacity(item.diagnosis_sequence.len());
        let mut complete = true;
        for (index, &sequence) in item.diagnosis_sequence.iter().enumerate() {
            match self.diagnoses.pointer_of.get(&sequence) {
                Some(&pointer) => pointers.push(pointer),
                None if self.diagnoses.failed.contains(&sequence) => complete = false,
                None => {
                    complete = false;
                    problems.at(
                        format!("{path}.diagnosisSequence[{index}]"),
                        ProblemKind::UnknownSequence {
                            list: "diagnosis",
                            sequence,
                        },
                    );
                }
            }
        }
        complete.then_some(pointers)
    }

    /// The item's rendering provider: the first care team member it names whose role is
    /// rendering (`primary`/`performing`). `Some(None)` when it names none.
    fn rendering(
        &self,
        item: &Item,
        path: &str,
        problems: &mut ItemProblems<'_>,
    ) -> Option<Option<Rendering>> {
        let mut rendering = None;
        let mut complete = true;
        for (index, &sequence) in item.care_team_sequence.iter().enumerate() {
            match self.care_team.get(&sequence) {
                Some(member) => rendering = rendering.or(*member),
                None => {
                    complete = false;
                    problems.at(
                        format!("{path}.careTeamSequence[{index}]"),
                        ProblemKind::UnknownSequence {
                            list: "careTeam",
                            sequence,
                        },
                    );
                }
            }
        }
        complete.then_some(rendering)
    }
}

fn procedure_code(
    item: &Item,
    path: &str,
    problems: &mut ItemProblems<'_>,
) -> Option<ProcedureCode> {
    let Some(concept) = &item.product_or_service else {
        problems.at(
            format!("{path}.productOrService"),
            ProblemKind::Missing {
                why: "the procedure code (CPT or HCPCS)",
            },
        );
        return None;
    };
    let concept_path = format!("{path}.productOrService");
    let Some((index, code)) = concept.code_in(systems::PROCEDURE) else {
        problems.at(
            format!("{concept_path}.coding"),
            ProblemKind::NoSupportedCoding {
                expected: "CPT (http://www.ama-assn.org/go/cpt) or HCPCS",
            },
        );
        return None;
    };
    ProcedureCode::parse(code)
        .map_err(|e| {
            problems.at(
                format!("{concept_path}.coding[{index}].code"),
                ProblemKind::InvalidCode {
                    reason: with_code_shown(code, &e),
                },
            );
        })
        .ok()
}

/// Modifiers: the first coding with a code of each `item.modifier` (CPT and HCPCS modifiers
/// share one two-character namespace, so the system is not checked).
fn modifiers(item: &Item, path: &str, problems: &mut ItemProblems<'_>) -> Option<Modifiers> {
    let mut read: Vec<Modifier> = Vec::with_capacity(item.modifier.len());
    let mut complete = true;
    for (index, concept) in item.modifier.iter().enumerate() {
        let found = concept
            .coding
            .iter()
            .enumerate()
            .find_map(|(c, coding)| Some((c, coding.code.as_deref()?)));
        let Some((c, code)) = found else {
            complete = false;
            problems.at(
                format!("{path}.modifier[{index}].coding"),
                ProblemKind::Missing {
                    why: "a modifier coding has a code",
                },
            );
            continue;
        };
        match Modifier::parse(code) {
            Ok(modifier) => read.push(modifier),
            Err(e) => {
                complete = false;
                problems.at(
                    format!("{path}.modifier[{index}].coding[{c}].code"),
                    ProblemKind::InvalidCode {
                        reason: with_code_shown(code, &e),
                    },
                );
            }
        }
    }
    if read.len() > MAX_MODIFIERS {
        problems.at(
            format!("{path}.modifier"),
            ProblemKind::TooMany {
                max: MAX_MODIFIERS,
                found: read.len(),
            },
        );
        return None;
    }
    if !complete {
        return None;
    }
    Modifiers::from_slice(&read).ok()
}

/// Units: `quantity.value`, a whole number of at least 1 (`2` and `2.0` are both two units).
fn units(item: &Item, path: &str, problems: &mut ItemProblems<'_>) -> Option<u32> {
    let Some(value) = item.quantity.as_ref().and_then(|q| q.value.as_ref()) else {
        problems.at(
            format!("{path}.quantity.value"),
            ProblemKind::Missing {
                why: "the units of service (unit edits must not assume one)",
            },
        );
        return None;
    };
    let whole = match value.as_u64() {
        Some(n) => u32::try_from(n).ok(),
        None => value
            .as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= f64::from(u32::MAX))
            .map(|f| f as u32),
    };
    match whole.filter(|n| *n >= 1) {
        Some(n) => Some(n),
        None => {
            problems.at(format!("{path}.quantity.value"), ProblemKind::NotWholeUnits);
            None
        }
    }
}

/// The date of service: `servicedDate`, else `servicedPeriod.start` (else its `end` when the
/// period has no start). A period over several days is dated by its first day: the units are
/// all counted on that date, so per-date unit edits can only become stricter, never pass
/// silently.
fn service_date(item: &Item, path: &str, problems: &mut ItemProblems<'_>) -> Option<Date> {
    let (text, text_path) = if let Some(date) = &item.serviced_date {
        (date.as_str(), format!("{path}.servicedDate"))
    } else if let Some(period) = &item.serviced_period {
        match (&period.start, &period.end) {
            (Some(start), _) => (start.as_str(), format!("{path}.servicedPeriod.start")),
            (None, Some(end)) => (end.as_str(), format!("{path}.servicedPeriod.end")),
            (None, None) => ("", format!("{path}.servicedPeriod.start")),
        }
    } else {
        problems.at(
            format!("{path}.servicedDate"),
            ProblemKind::Missing {
                why: "the date of service (servicedDate or servicedPeriod)",
            },
        );
        return None;
    };
    let date = fhir_date(text);
    if date.is_none() {
        problems.at(text_path, ProblemKind::InvalidDate);
    }
    date
}

/// A FHIR `date` or `dateTime` with a full calendar date: its first ten characters.
pub(crate) fn fhir_date(text: &str) -> Option<Date> {
    let full = match text.as_bytes().get(10) {
        None => text,
        Some(b'T') => text.get(..10)?,
        Some(_) => return None,
    };
    Date::parse(full).ok()
}

/// The item's own place of service, when it states one. `Some(None)`: not stated.
fn place_of_service(
    item: &Item,
    path: &str,
    problems: &mut ItemProblems<'_>,
) -> Option<Option<PlaceOfService>> {
    let Some(concept) = &item.location_codeable_concept else {
        return Some(None);
    };
    let concept_path = format!("{path}.locationCodeableConcept");
    let Some((index, code)) = concept.code_in(systems::PLACE_OF_SERVICE) else {
        problems.at(
            format!("{concept_path}.coding"),
            ProblemKind::NoSupportedCoding {
                expected: "a CMS place of service code",
            },
        );
        return None;
    };
    match PlaceOfService::parse(code) {
        Ok(place) => Some(Some(place)),
        Err(e) => {
            problems.at(
                format!("{concept_path}.coding[{index}].code"),
                ProblemKind::InvalidCode {
                    reason: with_code_shown(code, &e),
                },
            );
            None
        }
    }
}

/// The reason a code was refused, quoting it only when it is code-shaped (up to 12 letters,
/// digits and dots, not six or more digits alone): a code element holding a name or an
/// identifier is patient data and is not echoed. Diagnoses are never quoted.
fn with_code_shown(code: &str, error: &dyn std::fmt::Display) -> String {
    let all_digits = code.bytes().all(|b| b.is_ascii_digit());
    let code_shaped = !code.is_empty()
        && code.len() <= 12
        && !(all_digits && code.len() >= 6)
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.');
    if code_shaped {
        format!("`{code}`: {error}")
    } else {
        error.to_string()
    }
}
