//! One FHIR `Claim` to one payerlex [`Claim`]: the claim-level elements, then the parties
//! ([`super::parties`]) and the lines ([`super::lines`]), then the claim model's own
//! cross-field checks, whose errors are translated back to FHIR element paths.
//!
//! Every part is read even when an earlier part failed, so one error lists all the problems
//! of the claim (up to [`crate::MAX_PROBLEMS`]).

use base64::Engine as _;

use super::document::ClaimEntry;
use super::lines::{diagnoses, items};
use super::parties::{billing_provider, care_team, patient, payer, reference_id};
use super::resource;
use crate::error::{shown_code, FhirError, Problem, ProblemKind, Problems};
use crate::payer_map::PayerMap;
use crate::payerlex_api::{Claim, ClaimError, Frequency, Provider, ProviderRole, Report};
use crate::systems;

/// Reads one claim of a document into a payerlex claim.
pub(crate) fn to_claim(entry: &ClaimEntry<'_>, payers: &PayerMap) -> Result<Claim, FhirError> {
    let resource = entry.resource()?;
    let mut problems = Problems::default();
    let id = claim_id(&resource, &mut problems);
    let with_id = |claim_id: Option<String>, mut error: FhirError| {
        error.claim_id = claim_id.or(error.claim_id);
        error
    };
    check_status(&resource, &mut problems);
    let role = role(&resource, &mut problems);
    let patient = patient(entry, &resource, &mut problems);
    let billing = billing_provider(entry, &resource, &mut problems);
    let payer = payer(entry, &resource, payers, &mut problems);
    let replaces = replaced_claim(&resource, &mut problems);
    let team = care_team(entry, &resource, &mut problems);
    let diagnoses = diagnoses(&resource, &mut problems);
    let items = items(&resource, &diagnoses, &team.by_sequence, &mut problems);
    let report = report(&resource, &mut problems);
    if !problems.is_empty() {
        return Err(with_id(id, entry.error(problems.into_vec())));
    }
    let complete = (id, role, patient, billing, payer, items.place_of_service);
    let (Some(id), Some(role), Some(patient), Some((npi, taxonomy)), Some(payer), Some(place)) =
        complete
    else {
        // Every part that is `None` has reported a problem, so this is not reached; it
        // stays an error rather than a panic.
        let problem = Problem::new(
            "Claim",
            ProblemKind::Inconsistent {
                reason: "incomplete",
            },
        );
        return Err(entry.error(vec![problem]));
    };
    let mut provider = Provider::new(npi, role);
    provider.taxonomy = taxonomy;
    let mut claim = Claim::new(id, payer, patient.id, provider, place, items.lines);
    claim.patient_birth_date = patient.birth_date;
    claim.patient_sex = patient.sex;
    claim.rendering = team.claim_rendering;
    if replaces.is_some() {
        claim.frequency = Some(Frequency::Replacement);
    }
    claim.replaces = replaces;
    claim.diagnoses = diagnoses.codes;
    claim.prior_authorization = resource
        .insurance
        .iter()
        .flat_map(|i| i.pre_auth_ref.iter())
        .find(|number| !number.is_empty())
        .cloned();
    claim.report = report;
    match claim.validate() {
        Ok(()) => Ok(claim),
        Err(error) => {
            let problem = validation_problem(&error, &claim);
            let mut error = entry.error(vec![problem]);
            error.claim_id = Some(claim.id);
            Err(error)
        }
    }
}

/// `Claim.id`, else the first identifier's value.
fn claim_id(claim: &resource::Claim, problems: &mut Problems) -> Option<String> {
    let id = claim
        .id
        .clone()
        .or_else(|| claim.identifier.iter().find_map(|i| i.value.clone()));
    if id.is_none() {
        problems.at(
            "Claim.id",
            ProblemKind::Missing {
                why: "decisions name their claim (Claim.id or an identifier)",
            },
        );
    }
    id
}

/// A cancelled or entered-in-error claim is not a claim to decide.
fn check_status(claim: &resource::Claim, problems: &mut Problems) {
    if let Some(status @ ("cancelled" | "entered-in-error")) = claim.status.as_deref() {
        problems.at(
            "Claim.status",
            ProblemKind::Unsupported {
                what: format!("a claim with status `{status}` is not decided"),
            },
        );
    }
}

/// `Claim.type`: professional, or institutional (a facility claim).
fn role(claim: &resource::Claim, problems: &mut Problems) -> Option<ProviderRole> {
    let Some(kind) = &claim.kind else {
        problems.at(
            "Claim.type",
            ProblemKind::Missing {
                why: "professional or institutional picks the provider role",
            },
        );
        return None;
    };
    let Some((index, code)) = kind.code_in(&[systems::CLAIM_TYPE]) else {
        problems.at(
            "Claim.type.coding",
            ProblemKind::NoSupportedCoding {
                expected: "http://terminology.hl7.org/CodeSystem/claim-type",
            },
        );
        return None;
    };
    match code {
        "professional" => Some(ProviderRole::Professional),
        "institutional" => Some(ProviderRole::Facility),
        other => {
            problems.at(
                format!("Claim.type.coding[{index}].code"),
                ProblemKind::Unsupported {
                    what: format!(
                        "claim type {} is not decided (professional or institutional only)",
                        shown_code(other)
                    ),
                },
            );
            None
        }
    }
}

/// The claim a `related` entry with relationship `replaces` names: its reference's id, else
/// its identifier, else `related.reference`. Such a claim is a replacement (frequency 7).
/// Other relationships (`prior`, `associated`) are informational and not read.
fn replaced_claim(claim: &resource::Claim, problems: &mut Problems) -> Option<String> {
    let mut replaced = None;
    for (index, related) in claim.related.iter().enumerate() {
        let replaces = related
            .relationship
            .as_ref()
            .is_some_and(|r| r.has_code("replaces"));
        if !replaces {
            continue;
        }
        let path = format!("Claim.related[{index}]");
        if replaced.is_some() {
            problems.at(path, ProblemKind::TooMany { max: 1, found: 2 });
            continue;
        }
        let by_reference = related.claim.as_ref().and_then(|c| {
            c.reference
                .as_deref()
                .map(|r| reference_id(r).to_owned())
                .or_else(|| c.identifier.as_ref().and_then(|i| i.value.clone()))
        });
        let id = by_reference.or_else(|| related.reference.as_ref().and_then(|i| i.value.clone()));
        match id {
            Some(id) if !id.is_empty() => replaced = Some(id),
            _ => problems.at(
                format!("{path}.claim"),
                ProblemKind::Missing {
                    why: "a replacement names the claim it replaces",
                },
            ),
        }
    }
    replaced
}

/// The report: the text of `supportingInfo` entries of category `info` or `attachment`
/// (a `valueString`, or a `text/plain` `valueAttachment`), joined by blank lines. Other
/// attachments (PDF, images) are not read.
fn report(claim: &resource::Claim, problems: &mut Problems) -> Option<Report> {
    let mut texts: Vec<String> = Vec::new();
    for (index, info) in claim.supporting_info.iter().enumerate() {
        let category = info
            .category
            .as_ref()
            .and_then(|c| c.code_in(systems::INFORMATION_CATEGORY))
            .map(|(_, code)| code);
        if !matches!(category, Some("info" | "attachment")) {
            continue;
        }
        if let Some(text) = &info.value_string {
            texts.push(text.clone());
        } else if let Some(attachment) = &info.value_attachment {
            let is_text = attachment
                .content_type
                .as_deref()
                .is_some_and(|t| t.starts_with("text/plain"));
            let Some(data) = attachment.data.as_deref().filter(|_| is_text) else {
                continue;
            };
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(data)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok());
            match decoded {
                Some(text) => texts.push(text),
                None => problems.at(
                    format!("Claim.supportingInfo[{index}].valueAttachment.data"),
                    ProblemKind::Unsupported {
                        what: "text/plain attachment data is not base64 of UTF-8 text".to_owned(),
                    },
                ),
            }
        }
    }
    if texts.is_empty() {
        return None;
    }
    Some(Report {
        text: Some(texts.join("\n\n")),
        ..Report::default()
    })
}

/// A failed cross-field check of the mapped claim, at the FHIR element it comes from. Lines
/// are the items in order, so `lines[i]` is `Claim.item[i]`.
pub(crate) fn validation_problem(error: &ClaimError, claim: &Claim) -> Problem {
    let item = |index: usize, element: &str| {
        let sequence = claim.lines.get(index).map(|l| l.number);
        (format!("Claim.item[{index}].{element}"), sequence)
    };
    let ((path, sequence), reason) = match error {
        ClaimError::NoLines => (("Claim.item".to_owned(), None), "the claim has no items"),
        ClaimError::DuplicateLineNumber { index, .. } => {
            (item(*index, "sequence"), "the sequence is used twice")
        }
        ClaimError::MissingDiagnosis { index, .. } => (
            item(*index, "diagnosisSequence"),
            "points to a diagnosis the claim does not have",
        ),
        ClaimError::TooManyPointers { index, .. } => (
            item(*index, "diagnosisSequence"),
            "at most 4 diagnoses per item",
        ),
        ClaimError::ZeroUnits { index } => (item(*index, "quantity.value"), "must be at least 1"),
        ClaimError::BornAfterService { index } => (
            (
                "Patient.birthDate".to_owned(),
                claim.lines.get(*index).map(|l| l.number),
            ),
            "after an item's date of service",
        ),
        ClaimError::TooManyLines { .. } => (("Claim.item".to_owned(), None), "too many items"),
        ClaimError::TooManyDiagnoses { .. } => {
            (("Claim.diagnosis".to_owned(), None), "too many diagnoses")
        }
        ClaimError::ReplacesMissing
        | ClaimError::ReplacesWithoutFrequency
        | ClaimError::ReplacesItself => (
            ("Claim.related".to_owned(), None),
            "a replacement names another claim than itself",
        ),
        _ => (("Claim".to_owned(), None), "the claim is inconsistent"),
    };
    Problem::new(path, ProblemKind::Inconsistent { reason }).for_item(sequence)
}
