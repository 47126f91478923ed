//! Service lines: LX + SV1 (837P) or SV2 (837I) + DTP*472 + the line's rendering provider.
//!
//! An 837I line that carries only a revenue code (SV201) and no HCPCS code (SV202) is
//! skipped: it is a facility charge (room and board, supplies) that procedure-code policies
//! do not address, and an inpatient claim is mostly such lines. It still counts as a service
//! line read ([`crate::ClaimSource::service_lines`]); a claim left with no line to check is
//! refused.

use crate::assemble::{Located, RawClaim, RawLine};
use crate::error::{ErrorKind, Shown, X12Error};
use crate::map::fields::{whole_units, Problems};
use crate::model::{
    Date, Line, Modifier, Modifiers, PlaceOfService, ProcedureCode, Rendering, MAX_DIAGNOSES,
};

/// A mapped line and the index of the raw line it came from.
pub(crate) struct MappedLine {
    pub line: Line,
    pub raw: usize,
}

/// Maps every line of `raw`; `default_date` is the claim's date for lines without DTP*472.
pub(crate) fn lines(
    raw: &RawClaim<'_>,
    institutional: bool,
    default_date: Option<Date>,
    problems: &mut Problems,
) -> Vec<MappedLine> {
    let mut mapped = Vec::with_capacity(raw.lines.len());
    for (index, raw_line) in raw.lines.iter().enumerate() {
        match line(raw_line, institutional, default_date) {
            Ok(Some(line)) => mapped.push(MappedLine { line, raw: index }),
            Ok(None) => {}
            Err(error) => problems.push(error),
        }
    }
    mapped
}

fn line(
    raw: &RawLine<'_>,
    institutional: bool,
    default_date: Option<Date>,
) -> Result<Option<Line>, X12Error> {
    let number = line_number(&raw.lx)?;
    let Some(service) = raw.service.as_ref() else {
        let which = if institutional { "SV2" } else { "SV1" };
        return Err(raw.lx.error(
            ErrorKind::MissingSegment,
            format!("the line has no {which} segment"),
        ));
    };
    let line = if institutional {
        institutional_line(service, number, raw, default_date)?
    } else {
        Some(professional_line(service, number, raw, default_date)?)
    };
    let Some(mut line) = line else {
        return Ok(None);
    };
    if let Some(name) = raw.rendering.as_ref() {
        let npi = name.npi("rendering provider")?;
        let taxonomy = match raw.rendering_taxonomy.as_ref() {
            Some(prv) => prv.taxonomy("rendering provider")?,
            None => None,
        };
        line.rendering = Some(Rendering { npi, taxonomy });
    }
    Ok(Some(line))
}

fn line_number(lx: &Located<'_>) -> Result<u32, X12Error> {
    let value = lx.required(1, "line number")?;
    whole_units(value)
        .filter(|&n| n >= 1 && value.iter().all(u8::is_ascii_digit))
        .ok_or_else(|| {
            lx.element_error(
                ErrorKind::InvalidValue,
                format!(
                    "line number {} is not a positive whole number",
                    Shown::Code(value).render()
                ),
                1,
                None,
                Shown::Code(value),
            )
        })
}

fn professional_line(
    sv1: &Located<'_>,
    number: u32,
    raw: &RawLine<'_>,
    default_date: Option<Date>,
) -> Result<Line, X12Error> {
    let (code, modifiers) = procedure(sv1, 1)?;
    let basis = sv1.required(3, "unit basis")?;
    match basis {
        b"UN" => {}
        b"MJ" => {
            return Err(sv1.element_error(
                ErrorKind::Unsupported,
                "unit basis `MJ`: anesthesia minutes are not units of service (UN), which payerlex checks",
                3,
                None,
                Shown::Code(basis),
            ))
        }
        other => return Err(unit_basis_error(sv1, 3, other)),
    }
    let units = units(sv1, 4)?;
    let date = date(raw, default_date)?;
    let mut line = Line::new(number, code, units, date);
    line.modifiers = modifiers;
    if let Some(place) = sv1.segment.value(5) {
        line.place_of_service = Some(place_of_service(sv1, 5, place)?);
    }
    line.diagnosis_pointers = pointers(sv1)?;
    Ok(line)
}

fn institutional_line(
    sv2: &Located<'_>,
    number: u32,
    raw: &RawLine<'_>,
    default_date: Option<Date>,
) -> Result<Option<Line>, X12Error> {
    sv2.required(1, "revenue code")?;
    if sv2.segment.value(2).is_none() {
        return Ok(None);
    }
    let (code, modifiers) = procedure(sv2, 2)?;
    let basis = sv2.required(4, "unit basis")?;
    if !matches!(basis, b"UN" | b"DA") {
        return Err(unit_basis_error(sv2, 4, basis));
    }
    let units = units(sv2, 5)?;
    let date = date(raw, default_date)?;
    let mut line = Line::new(number, code, units, date);
    line.modifiers = modifiers;
    Ok(Some(line))
}

fn unit_basis_error(at: &Located<'_>, element: u8, basis: &[u8]) -> X12Error {
    at.element_error(
        ErrorKind::InvalidValue,
        format!(
            "unit basis {} is not UN (units) or DA (days)",
            Shown::Code(basis).render()
        ),
        element,
        None,
        Shown::Code(basis),
    )
}

/// `HC:code:mod1:mod2:mod3:mod4` in composite element `element`.
fn procedure(at: &Located<'_>, element: u8) -> Result<(ProcedureCode, Modifiers), X12Error> {
    let qualifier = at.required_component(element, 1, "product/service id qualifier")?;
    if qualifier != b"HC" {
        return Err(at.element_error(
            ErrorKind::Unsupported,
            format!(
                "product/service id qualifier {}: payerlex checks HCPCS/CPT codes (HC)",
                Shown::Code(qualifier).render()
            ),
            element,
            Some(1),
            Shown::Code(qualifier),
        ));
    }
    let raw_code = at.required_component(element, 2, "procedure code")?;
    let text = at.code(raw_code, element, Some(2), "procedure code")?;
    let code = ProcedureCode::parse(text).map_err(|e| {
        at.element_error(
            ErrorKind::InvalidValue,
            format!("{}: {e}", Shown::Code(raw_code).render()),
            element,
            Some(2),
            Shown::Code(raw_code),
        )
    })?;
    let mut modifiers = [None::<Modifier>; 4];
    let separator = at.segment.delimiters().component;
    let composite = at.segment.element(usize::from(element)).unwrap_or(b"");
    let raw_modifiers = composite.split(|&b| b == separator).skip(2).take(4);
    for ((slot, component), raw) in modifiers.iter_mut().zip(3u8..=6).zip(raw_modifiers) {
        if raw.is_empty() {
            continue;
        }
        let text = at.code(raw, element, Some(component), "modifier")?;
        *slot = Some(Modifier::parse(text).map_err(|e| {
            at.element_error(
                ErrorKind::InvalidValue,
                format!("{}: {e}", Shown::Code(raw).render()),
                element,
                Some(component),
                Shown::Code(raw),
            )
        })?);
    }
    // No allocation for the usual line without modifiers.
    let present: Vec<Modifier> = modifiers.into_iter().flatten().collect();
    let modifiers = Modifiers::from_slice(&present).map_err(|e| {
        at.element_error(
            ErrorKind::InvalidValue,
            e.to_string(),
            element,
            None,
            Shown::Withheld,
        )
    })?;
    Ok((code, modifiers))
}

fn units(at: &Located<'_>, element: u8) -> Result<u32, X12Error> {
    let value = at.required(element, "units of service")?;
    match whole_units(value) {
        Some(0) => Err(at.element_error(
            ErrorKind::InvalidValue,
            format!(
                "units of service {}: must be at least 1",
                Shown::Code(value).render()
            ),
            element,
            None,
            Shown::Code(value),
        )),
        Some(units) => Ok(units),
        None => Err(at.element_error(
            ErrorKind::InvalidValue,
            format!(
                "units of service {} are not a whole number",
                Shown::Code(value).render()
            ),
            element,
            None,
            Shown::Code(value),
        )),
    }
}

pub(crate) fn place_of_service(
    at: &Located<'_>,
    element: u8,
    value: &[u8],
) -> Result<PlaceOfService, X12Error> {
    std::str::from_utf8(value)
        .ok()
        .and_then(|text| PlaceOfService::parse(text).ok())
        .ok_or_else(|| {
            at.element_error(
                ErrorKind::InvalidValue,
                format!(
                    "place of service {} is not a two-digit CMS code",
                    Shown::Code(value).render()
                ),
                element,
                None,
                Shown::Code(value),
            )
        })
}

/// SV107: up to four 1-based pointers into the claim's diagnoses.
fn pointers(sv1: &Located<'_>) -> Result<Vec<u8>, X12Error> {
    sv1.required(7, "diagnosis code pointer")?;
    let mut pointers = Vec::with_capacity(4);
    for (index, raw) in sv1.segment.components(7).enumerate() {
        let component = u8::try_from(index + 1).unwrap_or(u8::MAX);
        if raw.is_empty() {
            continue;
        }
        let pointer = whole_units(raw)
            .filter(|&p| {
                p >= 1 && p as usize <= MAX_DIAGNOSES && raw.iter().all(u8::is_ascii_digit)
            })
            .and_then(|p| u8::try_from(p).ok());
        match pointer {
            Some(pointer) => pointers.push(pointer),
            None => {
                return Err(sv1.element_error(
                    ErrorKind::InvalidValue,
                    format!(
                        "diagnosis pointer {} is not a number from 1 to {MAX_DIAGNOSES}",
                        Shown::Code(raw).render()
                    ),
                    7,
                    Some(component),
                    Shown::Code(raw),
                ))
            }
        }
    }
    Ok(pointers)
}

fn date(raw: &RawLine<'_>, default_date: Option<Date>) -> Result<Date, X12Error> {
    match (raw.date.as_ref(), default_date) {
        (Some(dtp), _) => dtp.dtp_date("date of service"),
        (None, Some(date)) => Ok(date),
        (None, None) => Err(raw.lx.error(
            ErrorKind::MissingSegment,
            "the line has no date of service (DTP*472), and the claim no statement dates (DTP*434)",
        )),
    }
}
