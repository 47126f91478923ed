//! A claim from its loops: CLM and its 2300 segments, the billing provider, the subscriber,
//! the patient and the payer.

use crate::assemble::{Assembler, Level, Located, RawClaim};
use crate::error::{ErrorKind, Shown, X12Error};
use crate::map::fields::Problems;
use crate::map::line::{self, place_of_service, MappedLine};
use crate::map::validate::validation_error;
use crate::map::{Mapped, PayerSource};
use crate::model::{
    Claim, Date, Diagnosis, Frequency, PlaceOfService, Provider, ProviderRole, Rendering, Sex,
    MAX_DIAGNOSES,
};
use crate::schema::Implementation;
use crate::PayerMap;

/// Longest claim id (CLM01 is at most 38 characters in 5010).
const MAX_CLAIM_ID: usize = 38;

/// Builds the claim, or the first problem (structure before values, then by position).
pub(crate) fn map_claim(
    raw: &RawClaim<'_>,
    levels: &Assembler<'_>,
    implementation: Implementation,
    payers: Option<&PayerMap>,
) -> Result<Mapped, X12Error> {
    let institutional = implementation.is_institutional();
    let mut problems = Problems::default();
    let clm = &raw.clm;
    let id = problems.take(claim_id(clm));
    let role = if institutional {
        ProviderRole::Facility
    } else {
        ProviderRole::Professional
    };
    let provider = problems.take(billing_provider(&levels.billing, role));
    let payer = problems.take(payer(&levels.subscriber, payers));
    let patient = problems.take(patient(levels, raw.under_patient));
    let place = problems.take(place(clm, institutional));
    let frequency = problems.take(frequency(clm));
    let prior_authorization = problems
        .take(reference(raw, b"G1", "prior authorization number"))
        .flatten();
    let replaced = problems
        .take(reference(raw, b"F8", "original claim reference"))
        .flatten();
    let diagnoses = diagnoses(raw, &mut problems);
    let rendering = problems.take(claim_rendering(raw)).flatten();
    let default_date = problems.take(claim_date(raw, institutional)).flatten();
    let lines = line::lines(raw, institutional, default_date, &mut problems);
    let replaces = match frequency {
        Some(f) if f.replaces_another() => {
            if replaced.is_none() {
                problems.push(clm.element_error(
                    ErrorKind::InvalidValue,
                    "a replacement (7) or void (8) claim needs REF*F8, the claim it replaces",
                    5,
                    Some(3),
                    Shown::Withheld,
                ));
            }
            replaced
        }
        _ => None,
    };
    if let Some(error) = problems.into_error() {
        return Err(error);
    }
    let (Some(id), Some(provider), Some((payer, payer_source)), Some(patient), Some(place)) =
        (id, provider, payer, patient, place)
    else {
        return Err(clm.error(ErrorKind::InvalidValue, "the claim could not be read"));
    };
    let (mapped_lines, raw_index): (Vec<_>, Vec<_>) = lines
        .into_iter()
        .map(|MappedLine { line, raw }| (line, raw))
        .unzip();
    let mut claim = Claim::new(id, payer, patient.id, provider, place, mapped_lines);
    claim.patient_birth_date = patient.birth_date;
    claim.patient_sex = patient.sex;
    claim.rendering = rendering;
    // An original (1) is the model's absent frequency, as in JSON and FHIR; 2-8 are kept.
    claim.frequency = frequency.filter(|f| *f != Frequency::Original(1));
    claim.replaces = replaces;
    claim.diagnoses = diagnoses;
    claim.prior_authorization = prior_authorization;
    if let Err(error) = claim.validate() {
        return Err(validation_error(
            &error,
            raw,
            &raw_index,
            patient.demographics,
        ));
    }
    Ok(Mapped {
        claim,
        payer: payer_source,
    })
}

fn claim_id(clm: &Located<'_>) -> Result<String, X12Error> {
    let raw = clm.required(1, "claim id (patient control number)")?;
    let text = clm.text(raw, 1, None, "claim id")?;
    if text.len() > MAX_CLAIM_ID {
        return Err(clm.element_error(
            ErrorKind::InvalidValue,
            format!("claim id is longer than {MAX_CLAIM_ID} characters"),
            1,
            None,
            Shown::Withheld,
        ));
    }
    Ok(text.to_owned())
}

fn billing_provider(billing: &Level<'_>, role: ProviderRole) -> Result<Provider, X12Error> {
    let Some(name) = billing.name.as_ref() else {
        let problem = "the billing provider (2010AA NM1*85) is missing";
        return Err(match billing.start.as_ref() {
            Some(hl) => hl.error(ErrorKind::MissingLoop, problem),
            None => X12Error::new(ErrorKind::MissingLoop, problem),
        });
    };
    let npi = name.npi("billing provider")?;
    let mut provider = Provider::new(npi, role);
    if let Some(prv) = billing.taxonomy.as_ref() {
        provider.taxonomy = prv.taxonomy("billing provider")?;
    }
    Ok(provider)
}

/// The payer id (mapped to a pack when a map is given) and where it was read.
fn payer(
    subscriber: &Level<'_>,
    payers: Option<&PayerMap>,
) -> Result<(String, PayerSource), X12Error> {
    let Some(name) = subscriber.payer.as_ref() else {
        let problem = "the payer (NM1*PR) is missing";
        return Err(match subscriber.start.as_ref() {
            Some(hl) => hl.error(ErrorKind::MissingLoop, problem),
            None => X12Error::new(ErrorKind::MissingLoop, problem),
        });
    };
    let raw = name.required(9, "payer id")?;
    let id = name.code(raw, 9, None, "payer id")?;
    let source = PayerSource {
        id: id.to_owned(),
        segment: name.position,
        loop_id: name.loop_id,
        offset: name.segment.offset(),
    };
    match payers {
        None => Ok((id.to_owned(), source)),
        Some(map) => match map.pack(id) {
            Some(pack) => Ok((pack.to_owned(), source)),
            None => Err(name.element_error(
                ErrorKind::InvalidValue,
                format!(
                    "payer id {} is not in the payer map",
                    Shown::Code(raw).render()
                ),
                9,
                None,
                Shown::Code(raw),
            )),
        },
    }
}

/// What the claim says about its patient.
struct PatientFacts<'a> {
    id: String,
    birth_date: Option<Date>,
    sex: Option<Sex>,
    demographics: Option<Located<'a>>,
}

/// The patient: 2010CA when the patient is not the subscriber, else 2010BA. A dependent
/// without an id of their own (5010 sends none) is keyed by the subscriber's id, their birth
/// date and first name, so each dependent has a history of their own.
fn patient<'a>(levels: &Assembler<'a>, under_patient: bool) -> Result<PatientFacts<'a>, X12Error> {
    let subscriber = levels.subscriber.name.as_ref().ok_or_else(|| {
        let problem = "the subscriber (2010BA NM1*IL) is missing";
        match levels.subscriber.start.as_ref() {
            Some(hl) => hl.error(ErrorKind::MissingLoop, problem),
            None => X12Error::new(ErrorKind::MissingLoop, problem),
        }
    })?;
    let level = if under_patient {
        &levels.patient
    } else {
        &levels.subscriber
    };
    let demographics = level.demographics;
    let (birth_date, sex) = match demographics.as_ref() {
        Some(dmg) => demographics_of(dmg)?,
        None => (None, None),
    };
    let own_id = if under_patient {
        levels
            .patient
            .name
            .as_ref()
            .and_then(|n| n.segment.value(9).map(|v| (n, v)))
    } else {
        Some((subscriber, subscriber.required(9, "subscriber member id")?))
    };
    let id = match own_id {
        Some((at, raw)) => at.text(raw, 9, None, "member id")?.to_owned(),
        None => {
            let member = subscriber.required(9, "subscriber member id")?;
            let member = subscriber.text(member, 9, None, "subscriber member id")?;
            let first = match levels.patient.name.as_ref() {
                Some(name) => name.text(
                    name.segment.value(4).unwrap_or(b""),
                    4,
                    None,
                    "patient first name",
                )?,
                None => "",
            };
            let born = birth_date.map(|d| d.to_string()).unwrap_or_default();
            format!("{member}/{born}/{}", first.to_ascii_uppercase())
        }
    };
    Ok(PatientFacts {
        id,
        birth_date,
        sex,
        demographics,
    })
}

fn demographics_of(dmg: &Located<'_>) -> Result<(Option<Date>, Option<Sex>), X12Error> {
    let birth = match dmg.segment.value(2) {
        Some(value) => {
            let format = dmg.required(1, "date format qualifier")?;
            if format != b"D8" {
                return Err(dmg.element_error(
                    ErrorKind::InvalidValue,
                    format!(
                        "birth date format {} is not D8",
                        Shown::Code(format).render()
                    ),
                    1,
                    None,
                    Shown::Code(format),
                ));
            }
            Some(dmg.d8(value, 2, "birth date")?)
        }
        None => None,
    };
    let sex = match dmg.segment.value(3) {
        Some(value) => Some(
            std::str::from_utf8(value)
                .ok()
                .and_then(|t| Sex::parse(t).ok())
                .ok_or_else(|| {
                    dmg.element_error(
                        ErrorKind::InvalidValue,
                        format!("sex {} is not F, M or U", Shown::Code(value).render()),
                        3,
                        None,
                        Shown::Code(value),
                    )
                })?,
        ),
        None => None,
    };
    Ok((birth, sex))
}

/// CLM05-1: the place of service (837P) or the facility type code (837I), mapped to the place
/// of service a professional claim for the same setting would carry.
fn place(clm: &Located<'_>, institutional: bool) -> Result<PlaceOfService, X12Error> {
    let what = if institutional {
        "facility type code"
    } else {
        "place of service"
    };
    clm.required(5, "CLM05 (place of service, qualifier, frequency)")?;
    let code = clm.required_component(5, 1, what)?;
    if !institutional {
        return place_of_service(clm, 5, code).map_err(|mut e| {
            e.at.component = Some(1);
            e
        });
    }
    let place = match code {
        b"11" | b"12" | b"18" => "21",
        b"13" | b"14" | b"85" => "22",
        b"21" | b"22" | b"23" => "31",
        b"32" | b"33" | b"34" => "12",
        b"71" => "72",
        b"72" => "65",
        b"77" => "50",
        b"81" | b"82" => "34",
        b"83" => "24",
        _ => {
            return Err(clm.element_error(
                ErrorKind::Unsupported,
                format!(
                    "facility type code {} has no place of service in payerlex's table",
                    Shown::Code(code).render()
                ),
                5,
                Some(1),
                Shown::Code(code),
            ))
        }
    };
    PlaceOfService::parse(place).map_err(|e| {
        clm.element_error(
            ErrorKind::InvalidValue,
            format!("{}: {e}", Shown::Code(code).render()),
            5,
            Some(1),
            Shown::Code(code),
        )
    })
}

fn frequency(clm: &Located<'_>) -> Result<Frequency, X12Error> {
    let code = clm.required_component(5, 3, "claim frequency code")?;
    std::str::from_utf8(code)
        .ok()
        .and_then(|t| Frequency::parse(t).ok())
        .ok_or_else(|| {
            clm.element_error(
                ErrorKind::InvalidValue,
                format!("claim frequency {} is not 1-8", Shown::Code(code).render()),
                5,
                Some(3),
                Shown::Code(code),
            )
        })
}

/// REF02 of the first REF with qualifier `qualifier` in 2300.
fn reference(raw: &RawClaim<'_>, qualifier: &[u8], what: &str) -> Result<Option<String>, X12Error> {
    let Some(found) = raw
        .references
        .iter()
        .find(|r| r.segment.element(1) == Some(qualifier))
    else {
        return Ok(None);
    };
    let value = found.required(2, what)?;
    Ok(Some(found.text(value, 2, None, what)?.to_owned()))
}

/// HI composites with ABK (principal) and ABF (other) ICD-10-CM codes, in order.
fn diagnoses(raw: &RawClaim<'_>, problems: &mut Problems) -> Vec<Diagnosis> {
    let mut diagnoses = Vec::new();
    for hi in &raw.diagnoses {
        let separator = hi.segment.delimiters().component;
        for (index, composite) in hi.segment.elements().enumerate().take(24) {
            let element = u8::try_from(index + 1).unwrap_or(u8::MAX);
            let qualifier = composite.split(|&b| b == separator).next().unwrap_or(b"");
            match qualifier {
                b"ABK" | b"ABF" => {}
                b"BK" | b"BF" => {
                    problems.push(hi.element_error(
                        ErrorKind::Unsupported,
                        format!(
                            "ICD-9-CM diagnosis (qualifier {}): payerlex checks ICD-10-CM diagnoses (ABK/ABF)",
                            Shown::Code(qualifier).render()
                        ),
                        element,
                        Some(1),
                        Shown::Code(qualifier),
                    ));
                    return diagnoses;
                }
                _ => continue,
            }
            let parsed = hi
                .required_component(element, 2, "diagnosis code")
                .and_then(|code| {
                    std::str::from_utf8(code)
                        .ok()
                        .and_then(|t| Diagnosis::parse(t).ok())
                        .ok_or_else(|| {
                            hi.element_error(
                                ErrorKind::InvalidValue,
                                "diagnosis code (value withheld) is not an ICD-10-CM code",
                                element,
                                Some(2),
                                Shown::Withheld,
                            )
                        })
                });
            match parsed {
                Ok(_) if diagnoses.len() == MAX_DIAGNOSES => {
                    problems.push(hi.element_error(
                        ErrorKind::InvalidValue,
                        format!("more than {MAX_DIAGNOSES} diagnoses (ABK/ABF)"),
                        element,
                        None,
                        Shown::Withheld,
                    ));
                    return diagnoses;
                }
                Ok(diagnosis) => diagnoses.push(diagnosis),
                Err(error) => {
                    problems.push(error);
                    return diagnoses;
                }
            }
        }
    }
    diagnoses
}

fn claim_rendering(raw: &RawClaim<'_>) -> Result<Option<Rendering>, X12Error> {
    let Some(name) = raw.rendering.as_ref() else {
        return Ok(None);
    };
    let npi = name.npi("rendering provider")?;
    let taxonomy = match raw.rendering_taxonomy.as_ref() {
        Some(prv) => prv.taxonomy("rendering provider")?,
        None => None,
    };
    Ok(Some(Rendering { npi, taxonomy }))
}

/// The claim's date for lines without their own: 2300 DTP*472, else (837I) the first day of
/// the statement period DTP*434.
fn claim_date(raw: &RawClaim<'_>, institutional: bool) -> Result<Option<Date>, X12Error> {
    let find = |qualifier: &[u8]| {
        raw.dates
            .iter()
            .find(|d| d.segment.element(1) == Some(qualifier))
    };
    if let Some(dtp) = find(b"472") {
        return dtp.dtp_date("date of service").map(Some);
    }
    match find(b"434") {
        Some(dtp) if institutional => dtp.dtp_date("statement period").map(Some),
        _ => Ok(None),
    }
}
