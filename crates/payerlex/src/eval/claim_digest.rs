//! The claim half of a decision id: every field of a [`Claim`] fed to XXH3, without
//! serialising it.
//!
//! Hashing the claim's JSON cost about 14,000 instructions per claim, most of a decision
//! (string escaping, number and date formatting, map keys), to identify it. Here the claim is
//! laid out as bytes the way it is held: dates as day numbers, codes packed, NPIs and
//! taxonomies as their ten bytes, enums as tags, optional values as a presence bit (and the
//! value when present), strings and lists with their length first. Two different claims never
//! give the same bytes: every variable part is preceded by what says how long it is or
//! whether it is there. Every struct
//! is taken apart with an exhaustive pattern (`let Claim { .. } = claim` naming every field):
//! a field added to the claim model does not compile until it is laid out here, so the id can
//! never ignore a field.
//!
//! The layout is this build's: an id is stable for a payerlex build and pack digest (what
//! replay and re-runs need), not across payerlex versions.
//!
//! Why by hand rather than `std::hash::Hash` into a byte sink: `Hash` writes every field on
//! its own (an `Option` is an 8-byte discriminant and a value, a `Vec` an 8-byte length), so
//! a two-line claim came to about 300 bytes, over XXH3's 240-byte short-input path. Here
//! presence is one bit, lengths are LEB128 (one byte below 128), absent values take no bytes,
//! and the pack's digest enters as a 16-byte key hashed once per pack ([`DecisionKey`]) rather
//! than as its 71 characters per claim: about 1,040 -> 750 instructions per claim on the bench
//! mix (`scripts/instructions.sh`), two thirds of it gathering.
//!
//! The bytes are gathered in a per-thread buffer that keeps its capacity, then hashed with
//! one-shot XXH3. The buffer grows to the largest claim a thread has seen, which the
//! record-size limit bounds, and allocates nothing after that.

use std::cell::RefCell;

use xxhash_rust::xxh3::xxh3_128;

use crate::facts::{
    Authorization, Claim, Frequency, Line, Locality, Provider, Rendering, Report, Sex,
    MAX_MODIFIERS,
};

thread_local! {
    /// The bytes of the claim being hashed; cleared, never shrunk.
    static BYTES: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// A pack's digest as the 16 bytes that start every decision id's input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct DecisionKey([u8; 16]);

impl DecisionKey {
    /// The key of the pack whose digest is `pack_digest`.
    pub(crate) fn of(pack_digest: &str) -> Self {
        Self(xxh3_128(pack_digest.as_bytes()).to_le_bytes())
    }
}

/// XXH3-128 of the pack's key and every field of `claim`.
pub(super) fn claim_digest(claim: &Claim, key: DecisionKey) -> u128 {
    let digest = |bytes: &mut Vec<u8>| {
        bytes.clear();
        bytes.extend_from_slice(&key.0);
        lay_out_claim(bytes, claim);
        xxh3_128(bytes)
    };
    BYTES
        .try_with(|cell| match cell.try_borrow_mut() {
            Ok(mut bytes) => digest(&mut bytes),
            Err(_) => digest(&mut Vec::new()),
        })
        .unwrap_or_else(|_| digest(&mut Vec::new()))
}

fn lay_out_claim(out: &mut Vec<u8>, claim: &Claim) {
    let Claim {
        id,
        payer,
        patient,
        patient_birth_date,
        patient_sex,
        provider,
        rendering,
        frequency,
        replaces,
        place_of_service,
        diagnoses,
        prior_authorization,
        authorizations,
        lines,
        report,
        locality,
    } = claim;
    let Provider {
        npi,
        role,
        taxonomy,
    } = provider;
    // Which optional values follow, as one byte.
    let present = [
        patient_birth_date.is_some(),
        taxonomy.is_some(),
        rendering.is_some(),
        rendering.as_ref().is_some_and(|r| r.taxonomy.is_some()),
        replaces.is_some(),
        prior_authorization.is_some(),
        report.is_some(),
        locality.is_some(),
    ];
    let (frequency_tag, frequency_digit) = frequency_tag(*frequency);
    out.extend_from_slice(&[
        flags(present),
        sex_tag(*patient_sex) | frequency_tag << 2,
        frequency_digit,
        *role as u8,
        place_of_service.number(),
    ]);
    out.extend_from_slice(&npi.digits());
    put_varint(out, diagnoses.len());
    put_varint(out, authorizations.len());
    put_varint(out, lines.len());
    if let Some(date) = patient_birth_date {
        out.extend_from_slice(&date.days_since_epoch().to_le_bytes());
    }
    if let Some(taxonomy) = taxonomy {
        out.extend_from_slice(&taxonomy.bytes());
    }
    if let Some(Rendering { npi, taxonomy }) = rendering {
        out.extend_from_slice(&npi.digits());
        if let Some(taxonomy) = taxonomy {
            out.extend_from_slice(&taxonomy.bytes());
        }
    }
    put_str(out, id);
    put_str(out, payer);
    put_str(out, patient);
    if let Some(replaces) = replaces {
        put_str(out, replaces);
    }
    if let Some(number) = prior_authorization {
        put_str(out, number);
    }
    for diagnosis in diagnoses {
        out.extend_from_slice(&diagnosis.packed_bytes());
    }
    for authorization in authorizations {
        lay_out_authorization(out, authorization);
    }
    for line in lines {
        lay_out_line(out, line);
    }
    if let Some(report) = report {
        lay_out_report(out, report);
    }
    if let Some(locality) = locality {
        let Locality {
            contractor,
            locality,
        } = locality;
        put_str(out, contractor);
        put_str(out, locality);
    }
}

fn lay_out_authorization(out: &mut Vec<u8>, authorization: &Authorization) {
    let Authorization {
        number,
        codes,
        units,
        from,
        to,
    } = authorization;
    put_str(out, number);
    match units {
        None => out.extend_from_slice(&[0]),
        Some(units) => {
            out.extend_from_slice(&[1]);
            out.extend_from_slice(&units.to_le_bytes());
        }
    }
    out.extend_from_slice(&from.days_since_epoch().to_le_bytes());
    out.extend_from_slice(&to.days_since_epoch().to_le_bytes());
    put_varint(out, codes.len());
    for code in codes {
        out.extend_from_slice(&code.packed().to_le_bytes());
    }
}

fn lay_out_line(out: &mut Vec<u8>, line: &Line) {
    let Line {
        number,
        code,
        modifiers,
        units,
        date,
        diagnosis_pointers,
        place_of_service,
        rendering,
    } = line;
    let mut held = [0u8; MAX_MODIFIERS];
    let mut count = 0usize;
    for (slot, modifier) in held.iter_mut().zip(modifiers.iter()) {
        *slot = u8::try_from(modifier.index()).unwrap_or(u8::MAX);
        count += 1;
    }
    out.extend_from_slice(&[
        flags([
            place_of_service.is_some(),
            rendering.is_some(),
            rendering.as_ref().is_some_and(|r| r.taxonomy.is_some()),
            false,
            false,
            false,
            false,
            false,
        ]),
        u8::try_from(count).unwrap_or(u8::MAX),
    ]);
    out.extend_from_slice(&code.packed().to_le_bytes());
    out.extend_from_slice(&date.days_since_epoch().to_le_bytes());
    put_varint(out, usize::try_from(*number).unwrap_or(usize::MAX));
    put_varint(out, usize::try_from(*units).unwrap_or(usize::MAX));
    out.extend_from_slice(held.get(..count).unwrap_or(&held));
    if let Some(place) = place_of_service {
        out.extend_from_slice(&[place.number()]);
    }
    if let Some(Rendering { npi, taxonomy }) = rendering {
        out.extend_from_slice(&npi.digits());
        if let Some(taxonomy) = taxonomy {
            out.extend_from_slice(&taxonomy.bytes());
        }
    }
    put_varint(out, diagnosis_pointers.len());
    out.extend_from_slice(diagnosis_pointers);
}

fn lay_out_report(out: &mut Vec<u8>, report: &Report) {
    let Report { text, facts } = report;
    match text {
        None => out.push(0),
        Some(text) => {
            out.push(1);
            put_str(out, text);
        }
    }
    put_varint(out, facts.len());
    for (name, value) in facts {
        put_str(out, name);
        out.push(u8::from(*value));
    }
}

/// A string as its length and its bytes.
#[inline]
fn put_str(out: &mut Vec<u8>, text: &str) {
    put_varint(out, text.len());
    out.extend_from_slice(text.as_bytes());
}

/// A length in LEB128 (seven bits a byte, low first): one byte below 128, and never
/// ambiguous.
#[inline]
fn put_varint(out: &mut Vec<u8>, mut value: usize) {
    while value >= 0x80 {
        out.push((value & 0x7f) as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Eight presence bits as one byte (the first is the lowest bit).
fn flags(bits: [bool; 8]) -> u8 {
    bits.iter()
        .enumerate()
        .fold(0, |byte, (at, &bit)| byte | u8::from(bit) << at)
}

fn sex_tag(sex: Option<Sex>) -> u8 {
    match sex {
        None => 0,
        Some(Sex::F) => 1,
        Some(Sex::M) => 2,
        Some(Sex::U) => 3,
    }
}

/// The frequency's kind (two bits) and, for an original, its digit.
fn frequency_tag(frequency: Option<Frequency>) -> (u8, u8) {
    match frequency {
        None => (0, 0),
        Some(Frequency::Original(digit)) => (1, digit),
        Some(Frequency::Replacement) => (2, 0),
        Some(Frequency::Void) => (3, 0),
    }
}
