//! Who is on a FHIR claim: the patient, the billing provider, the payer and the care team.
//!
//! Each is a reference that may point at a contained resource, a Bundle entry, or nothing
//! resolvable (a logical reference by identifier, or a bare display). The rules for each,
//! and what happens when the target is absent, are in the crate README's mapping table; this
//! module implements them and reports every problem with its element path.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::document::{typed, ClaimEntry, Resolved};
use super::resource::{self, CareTeam, CodeableConcept, Identifier, Reference};
use crate::error::{shown_resource_type, ProblemKind, Problems};
use crate::payer_map::PayerMap;
use crate::payerlex_api::{Date, Npi, Rendering, Sex, Taxonomy};
use crate::systems;

/// What the claim says about its patient.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PatientFacts {
    pub(crate) id: String,
    pub(crate) birth_date: Option<Date>,
    pub(crate) sex: Option<Sex>,
}

/// The patient: the Patient resource's member id (else the reference's id), birth date and
/// gender.
pub(crate) fn patient(
    entry: &ClaimEntry<'_>,
    claim: &resource::Claim,
    problems: &mut Problems,
) -> Option<PatientFacts> {
    let Some(reference) = &claim.patient else {
        problems.at(
            "Claim.patient",
            ProblemKind::Missing {
                why: "history is kept per patient",
            },
        );
        return None;
    };
    let logical = reference.identifier.as_ref().and_then(|i| i.value.clone());
    let Some(literal) = reference.reference.as_deref() else {
        return match logical {
            Some(id) => Some(PatientFacts {
                id,
                ..PatientFacts::default()
            }),
            None => {
                problems.at(
                    "Claim.patient.reference",
                    ProblemKind::Missing {
                        why: "a reference or an identifier names the patient",
                    },
                );
                None
            }
        };
    };
    let resolved = entry.resolve(literal, &claim.contained);
    let Some(resolved) = resolved else {
        // A reference into a server the document does not carry: its id is the patient's key.
        if literal.starts_with('#') {
            problems.at("Claim.patient.reference", ProblemKind::Unresolved);
            return None;
        }
        let id = logical.unwrap_or_else(|| reference_id(literal).to_owned());
        return Some(PatientFacts {
            id,
            ..PatientFacts::default()
        });
    };
    let patient: resource::Patient = expect_type(resolved, "Patient", "Claim.patient", problems)?;
    let id = member_id(&patient.identifier)
        .or(logical)
        .unwrap_or_else(|| reference_id(literal).to_owned());
    let birth_date = patient.birth_date.as_deref().and_then(|text| {
        // FHIR allows `YYYY` and `YYYY-MM`; a partial date cannot place an age edit, so it is
        // read as unknown (rules that need it are then not evaluated), never guessed.
        if text.len() < 10 {
            return None;
        }
        let date = Date::parse(text).ok();
        if date.is_none() {
            problems.at("Patient.birthDate", ProblemKind::InvalidDate);
        }
        date
    });
    let sex = match patient.gender.as_deref() {
        None => None,
        Some("female") => Some(Sex::F),
        Some("male") => Some(Sex::M),
        Some("other" | "unknown") => Some(Sex::U),
        Some(_) => {
            // Not echoed: a misplaced value here could be anything the sender typed.
            problems.at(
                "Patient.gender",
                ProblemKind::Unsupported {
                    what: "not one of male, female, other, unknown".to_owned(),
                },
            );
            None
        }
    };
    Some(PatientFacts {
        id,
        birth_date,
        sex,
    })
}

/// The patient's member id: the first identifier whose type is a member id type, in the order
/// of [`systems::MEMBER_ID_TYPES`], else the first identifier with a value.
fn member_id(identifiers: &[Identifier]) -> Option<String> {
    let typed_as = |code: &str| {
        identifiers
            .iter()
            .find(|i| i.value.is_some() && i.kind.as_ref().is_some_and(|k| k.has_code(code)))
    };
    systems::MEMBER_ID_TYPES
        .iter()
        .find_map(|code| typed_as(code))
        .or_else(|| identifiers.iter().find(|i| i.value.is_some()))
        .and_then(|i| i.value.clone())
}

/// The id part of a literal reference: `Patient/P1` -> `P1`, `urn:uuid:x` -> `x`.
pub(crate) fn reference_id(reference: &str) -> &str {
    let without_history = match reference.find("/_history/") {
        Some(at) => &reference[..at],
        None => reference,
    };
    let tail = without_history
        .rsplit('/')
        .next()
        .unwrap_or(without_history);
    tail.rsplit(':').next().unwrap_or(tail)
}

/// A resolved resource of the expected type, read; else a problem at `path`.
fn expect_type<T: serde::de::DeserializeOwned>(
    resolved: Resolved<'_>,
    expected: &'static str,
    path: &str,
    problems: &mut Problems,
) -> Option<T> {
    let accepted = expected.split(" or ").any(|t| t == resolved.resource_type);
    if !accepted {
        problems.at(
            format!("{path}.reference"),
            ProblemKind::WrongResourceType {
                expected,
                found: shown_resource_type(resolved.resource_type),
            },
        );
        return None;
    }
    match typed(resolved.value, resolved.resource_type) {
        Ok(value) => Some(value),
        Err(problem) => {
            problems.push(problem);
            None
        }
    }
}

/// A provider reached through `reference` (billing provider or care team member): its NPI and
/// the taxonomy its Practitioner resource states.
struct ProviderFacts {
    npi: Npi,
    taxonomy: Option<Taxonomy>,
}

fn provider_facts(
    entry: &ClaimEntry<'_>,
    contained: &[Value],
    reference: &Reference,
    path: &str,
    problems: &mut Problems,
) -> Option<ProviderFacts> {
    let literal = reference.reference.as_deref();
    let resolved = literal.and_then(|literal| entry.resolve(literal, contained));
    let party: Option<(&str, resource::Party)> = match resolved {
        Some(resolved) => Some((
            resolved.resource_type,
            expect_type(resolved, "Practitioner or Organization", path, problems)?,
        )),
        None => None,
    };
    let is_npi = |i: &&Identifier| i.system.as_deref() == Some(systems::NPI);
    let from_party = party.as_ref().and_then(|(kind, party)| {
        let index = party.identifier.iter().position(|i| is_npi(&i))?;
        Some((
            format!("{kind}.identifier[{index}].value"),
            party.identifier.get(index)?,
        ))
    });
    let logical = reference
        .identifier
        .as_ref()
        .filter(is_npi)
        .map(|i| (format!("{path}.identifier.value"), i));
    let Some((npi_path, identifier)) = from_party.or(logical) else {
        let kind = if literal.is_some() && resolved.is_none() {
            ProblemKind::Unresolved
        } else {
            ProblemKind::Missing {
                why: "an identifier with system http://hl7.org/fhir/sid/us-npi names the provider",
            }
        };
        problems.at(path.to_owned(), kind);
        return None;
    };
    let Some(npi) = identifier.value.as_deref().and_then(|v| Npi::parse(v).ok()) else {
        problems.at(npi_path, ProblemKind::InvalidNpi);
        return None;
    };
    let taxonomy = party.as_ref().and_then(|(kind, party)| {
        party
            .qualification
            .iter()
            .enumerate()
            .find_map(|(index, q)| {
                let path = format!("{kind}.qualification[{index}].code");
                taxonomy_of(q.code.as_ref()?, &path, problems)
            })
    });
    Some(ProviderFacts { npi, taxonomy })
}

/// The NUCC taxonomy in a concept, when it has one; a malformed one is a problem.
fn taxonomy_of(concept: &CodeableConcept, path: &str, problems: &mut Problems) -> Option<Taxonomy> {
    let (index, code) = concept.code_in(systems::NUCC_TAXONOMY)?;
    match Taxonomy::parse(code) {
        Ok(taxonomy) => Some(taxonomy),
        Err(e) => {
            problems.at(
                format!("{path}.coding[{index}].code"),
                ProblemKind::InvalidCode {
                    reason: e.to_string(),
                },
            );
            None
        }
    }
}

/// The billing provider (`Claim.provider`): NPI and taxonomy.
pub(crate) fn billing_provider(
    entry: &ClaimEntry<'_>,
    claim: &resource::Claim,
    problems: &mut Problems,
) -> Option<(Npi, Option<Taxonomy>)> {
    let Some(reference) = &claim.provider else {
        problems.at(
            "Claim.provider",
            ProblemKind::Missing {
                why: "the billing provider's NPI is part of every edit by provider",
            },
        );
        return None;
    };
    provider_facts(
        entry,
        &claim.contained,
        reference,
        "Claim.provider",
        problems,
    )
    .map(|facts| (facts.npi, facts.taxonomy))
}

/// The payer: the insurer's identifiers and display, mapped to a pack id by `payers`; else
/// the first identifier value (then display, then Organization.name) as it is.
pub(crate) fn payer(
    entry: &ClaimEntry<'_>,
    claim: &resource::Claim,
    payers: &PayerMap,
    problems: &mut Problems,
) -> Option<String> {
    let Some(reference) = &claim.insurer else {
        problems.at(
            "Claim.insurer",
            ProblemKind::Missing {
                why: "the payer picks the policy pack",
            },
        );
        return None;
    };
    let resolved = reference
        .reference
        .as_deref()
        .and_then(|literal| entry.resolve(literal, &claim.contained));
    let organization: Option<resource::Party> = resolved
        .and_then(|resolved| expect_type(resolved, "Organization", "Claim.insurer", problems));
    let mut identifiers: Vec<&str> = Vec::new();
    if let Some(value) = reference
        .identifier
        .as_ref()
        .and_then(|i| i.value.as_deref())
    {
        identifiers.push(value);
    }
    if let Some(organization) = &organization {
        identifiers.extend(
            organization
                .identifier
                .iter()
                .filter_map(|i| i.value.as_deref()),
        );
    }
    let mut names: Vec<&str> = Vec::new();
    names.extend(reference.display.as_deref());
    names.extend(organization.as_ref().and_then(|o| o.name.as_deref()));
    let candidates = || identifiers.iter().chain(names.iter());
    if let Some(pack) = candidates().find_map(|c| payers.pack_for(c)) {
        return Some(pack.to_owned());
    }
    match candidates().next() {
        Some(first) => Some((*first).to_owned()),
        None if reference.reference.is_some() && resolved.is_none() => {
            problems.at("Claim.insurer", ProblemKind::Unresolved);
            None
        }
        None => {
            problems.at(
                "Claim.insurer",
                ProblemKind::Missing {
                    why: "an identifier or display names the payer",
                },
            );
            None
        }
    }
}

/// The rendering providers of the care team: the claim's (a `primary` or `performing` member
/// that no item names) and each member's by sequence, for `item.careTeamSequence`.
pub(crate) struct CareTeamFacts {
    pub(crate) claim_rendering: Option<Rendering>,
    pub(crate) by_sequence: HashMap<u32, Option<Rendering>>,
}

/// Most care team members read: a claim names a handful (rendering, referring, supervising,
/// assisting); the bound keeps reference resolution linear in the claim's size.
pub const MAX_CARE_TEAM: usize = 100;

/// Reads `Claim.careTeam`.
pub(crate) fn care_team(
    entry: &ClaimEntry<'_>,
    claim: &resource::Claim,
    problems: &mut Problems,
) -> CareTeamFacts {
    let mut by_sequence = HashMap::new();
    let mut claim_rendering = None;
    if claim.care_team.len() > MAX_CARE_TEAM {
        problems.at(
            "Claim.careTeam",
            ProblemKind::TooMany {
                max: MAX_CARE_TEAM,
                found: claim.care_team.len(),
            },
        );
        return CareTeamFacts {
            claim_rendering,
            by_sequence,
        };
    }
    let named_by_items: HashSet<u32> = claim
        .item
        .iter()
        .flat_map(|item| item.care_team_sequence.iter().copied())
        .collect();
    for (index, member) in claim.care_team.iter().enumerate() {
        let path = format!("Claim.careTeam[{index}]");
        let Some(sequence) = member.sequence else {
            problems.at(
                format!("{path}.sequence"),
                ProblemKind::Missing {
                    why: "items point to care team members by sequence",
                },
            );
            continue;
        };
        if by_sequence.contains_key(&sequence) {
            problems.at(
                format!("{path}.sequence"),
                ProblemKind::DuplicateSequence { sequence },
            );
            continue;
        }
        let rendering = rendering_member(entry, claim, member, &path, problems);
        if claim_rendering.is_none() && !named_by_items.contains(&sequence) {
            claim_rendering = rendering;
        }
        by_sequence.insert(sequence, rendering);
    }
    CareTeamFacts {
        claim_rendering,
        by_sequence,
    }
}

/// A care team member as a rendering provider, when its role is `primary` or `performing`.
fn rendering_member(
    entry: &ClaimEntry<'_>,
    claim: &resource::Claim,
    member: &CareTeam,
    path: &str,
    problems: &mut Problems,
) -> Option<Rendering> {
    let role = member.role.as_ref()?;
    if !systems::RENDERING_ROLES.iter().any(|r| role.has_code(r)) {
        return None;
    }
    let Some(reference) = &member.provider else {
        problems.at(
            format!("{path}.provider"),
            ProblemKind::Missing {
                why: "a rendering care team member names its practitioner",
            },
        );
        return None;
    };
    let facts = provider_facts(
        entry,
        &claim.contained,
        reference,
        &format!("{path}.provider"),
        problems,
    )?;
    let stated = member
        .qualification
        .as_ref()
        .and_then(|q| taxonomy_of(q, &format!("{path}.qualification"), problems));
    Some(Rendering {
        npi: facts.npi,
        taxonomy: stated.or(facts.taxonomy),
    })
}
