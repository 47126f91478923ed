//! The claim half of a decision id: every field of a [`Claim`] fed to XXH3, without
//! serialising it.
//!
//! Hashing the claim's JSON cost about 14,000 instructions per claim, most of a decision
//! (string escaping, number and date formatting, map keys), to identify it. Here the claim is
//! laid out as bytes the way it is held: dates as day numbers, codes packed, NPIs and
//! taxonomies as their ten bytes, enums as tags, optional values as a presence bit (and the
//! value when present), strings and lists with their length (four bytes) first. Two
//! different claims never give the same bytes: every variable part is preceded by what says
//! how long it is or whether it is there. Every struct is taken apart with an exhaustive
//! pattern (`let Claim { .. } = claim` naming every field):
//! a field added to the claim model does not compile until it is laid out here, so the id can
//! never ignore a field.
//!
//! The layout is this build's: an id is stable for a payerlex build and pack digest (what
//! replay and re-runs need), not across payerlex versions.
//!
//! Why by hand rather than `std::hash::Hash` into a byte sink: `Hash` writes every field on
//! its own (an `Option` is an 8-byte discriminant and a value, a `Vec` an 8-byte length), so
//! a two-line claim came to about 300 bytes, over XXH3's 240-byte short-input path, in about
//! forty writes. Here the fixed-size fields of the claim and of each line are laid out at
//! fixed offsets of a stack array and written at once (with the lengths of what follows),
//! presence is one bit, absent values take no bytes, and the pack's digest enters as the
//! XXH3 secret derived once per pack ([`DecisionKey`]) rather than as its 71 characters (or
//! any bytes) per claim: about 1,040 -> 670 instructions per claim on the bench mix
//! (`scripts/instructions.sh`), about two thirds gathering and one third XXH3.
//!
//! The bytes are gathered in a per-thread buffer that keeps its capacity, then hashed with
//! one-shot XXH3 under the pack's secret. The buffer grows to the largest claim a thread has seen, which the
//! record-size limit bounds, and allocates nothing after that.

use std::cell::RefCell;
use std::sync::Arc;

use xxhash_rust::xxh3::{xxh3_128, xxh3_128_with_secret};

use crate::facts::{
    Authorization, Claim, Frequency, Line, Locality, Provider, Rendering, Report, Sex,
    MAX_MODIFIERS,
};

thread_local! {
    /// The bytes of the claim being hashed; cleared, never shrunk.
    static BYTES: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The key of the digest [`DecisionKey::cached`] was last asked for: callers of
    /// `DecisionId::of` name one pack's digest claim after claim, and deriving a key costs
    /// more than hashing a claim.
    static LAST_KEY: RefCell<Option<(Box<str>, DecisionKey)>> = const { RefCell::new(None) };
}

/// Bytes of an XXH3 secret (its default size).
const SECRET_BYTES: usize = 192;

/// A pack's digest as the XXH3 secret every decision id of the pack is hashed with: twelve
/// XXH3-128 values of the digest's hash and a counter, so the secret has the high entropy XXH3
/// asks of custom secrets and the pack enters each id without a byte of its input.
#[derive(Debug, Clone)]
pub(crate) struct DecisionKey(Arc<[u8; SECRET_BYTES]>);

impl DecisionKey {
    /// The key of the pack whose digest is `pack_digest`.
    pub(crate) fn of(pack_digest: &str) -> Self {
        let digest = xxh3_128(pack_digest.as_bytes()).to_le_bytes();
        let mut secret = [0u8; SECRET_BYTES];
        let mut block = [0u8; 17];
        block[..16].copy_from_slice(&digest);
        for (counter, chunk) in (0u8..).zip(secret.chunks_exact_mut(16)) {
            block[16] = counter;
            chunk.copy_from_slice(&xxh3_128(&block).to_le_bytes());
        }
        Self(Arc::new(secret))
    }

    /// The key of `pack_digest`, derived once per thread for the digest last asked for (a
    /// clone shares the secret).
    pub(crate) fn cached(pack_digest: &str) -> DecisionKey {
        let cached = LAST_KEY.try_with(|cell| {
            let mut slot = cell.try_borrow_mut().ok()?;
            match &*slot {
                Some((digest, key)) if **digest == *pack_digest => Some(key.clone()),
                _ => {
                    let key = DecisionKey::of(pack_digest);
                    *slot = Some((pack_digest.into(), key.clone()));
                    Some(key)
                }
            }
        });
        cached
            .ok()
            .flatten()
            .unwrap_or_else(|| DecisionKey::of(pack_digest))
    }
}

/// XXH3-128, with the pack's key as secret, of every field of `claim`.
pub(super) fn claim_digest(claim: &Claim, key: &DecisionKey) -> u128 {
    let digest = |bytes: &mut Vec<u8>| {
        bytes.clear();
        lay_out_claim(bytes, claim);
        xxh3_128_with_secret(bytes, &key.0[..])
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
    // The fixed part in one write: tags, the NPI, the lengths of the lists and of the three
    // strings that follow.
    let (frequency_tag, frequency_digit) = frequency_tag(*frequency);
    let mut head = [0u8; 39];
    head[0] = flags([
        patient_birth_date.is_some(),
        taxonomy.is_some(),
        rendering.is_some(),
        rendering.as_ref().is_some_and(|r| r.taxonomy.is_some()),
        replaces.is_some(),
        prior_authorization.is_some(),
        report.is_some(),
        locality.is_some(),
    ]);
    head[1] = sex_tag(*patient_sex) | frequency_tag << 2;
    head[2] = frequency_digit;
    head[3] = *role as u8;
    head[4] = place_of_service.number();
    head[5..15].copy_from_slice(&npi.digits());
    head[15..19].copy_from_slice(&len_bytes(diagnoses.len()));
    head[19..23].copy_from_slice(&len_bytes(authorizations.len()));
    head[23..27].copy_from_slice(&len_bytes(lines.len()));
    head[27..31].copy_from_slice(&len_bytes(id.len()));
    head[31..35].copy_from_slice(&len_bytes(payer.len()));
    head[35..39].copy_from_slice(&len_bytes(patient.len()));
    out.extend_from_slice(&head);
    out.extend_from_slice(id.as_bytes());
    out.extend_from_slice(payer.as_bytes());
    out.extend_from_slice(patient.as_bytes());
    if let Some(date) = patient_birth_date {
        out.extend_from_slice(&date.days_since_epoch().to_le_bytes());
    }
    if let Some(taxonomy) = taxonomy {
        out.extend_from_slice(&taxonomy.bytes());
    }
    if let Some(rendering) = rendering {
        lay_out_rendering(out, rendering);
    }
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

/// A rendering provider: the NPI, then the taxonomy when the flags say it is there.
fn lay_out_rendering(out: &mut Vec<u8>, rendering: &Rendering) {
    let Rendering { npi, taxonomy } = rendering;
    out.extend_from_slice(&npi.digits());
    if let Some(taxonomy) = taxonomy {
        out.extend_from_slice(&taxonomy.bytes());
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
    out.extend_from_slice(&len_bytes(codes.len()));
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
    // The fixed part in one write: tags, code, date, number, units, the pointer count, and
    // the modifiers as up to four indexes (the count says how many are real).
    let mut head = [0u8; 24 + MAX_MODIFIERS];
    head[0] = flags([
        place_of_service.is_some(),
        rendering.is_some(),
        rendering.as_ref().is_some_and(|r| r.taxonomy.is_some()),
        false,
        false,
        false,
        false,
        false,
    ]);
    head[2] = place_of_service.map_or(0, |place| place.number());
    head[4..8].copy_from_slice(&code.packed().to_le_bytes());
    head[8..12].copy_from_slice(&date.days_since_epoch().to_le_bytes());
    head[12..16].copy_from_slice(&number.to_le_bytes());
    head[16..20].copy_from_slice(&units.to_le_bytes());
    head[20..24].copy_from_slice(&len_bytes(diagnosis_pointers.len()));
    let mut count = 0u8;
    for (slot, modifier) in head[24..].iter_mut().zip(modifiers.iter()) {
        *slot = u8::try_from(modifier.index()).unwrap_or(u8::MAX);
        count += 1;
    }
    head[1] = count;
    out.extend_from_slice(&head);
    out.extend_from_slice(diagnosis_pointers);
    if let Some(rendering) = rendering {
        lay_out_rendering(out, rendering);
    }
}

fn lay_out_report(out: &mut Vec<u8>, report: &Report) {
    let Report { text, facts } = report;
    let mut head = [0u8; 9];
    head[0] = u8::from(text.is_some());
    head[1..5].copy_from_slice(&len_bytes(text.as_ref().map_or(0, String::len)));
    head[5..9].copy_from_slice(&len_bytes(facts.len()));
    out.extend_from_slice(&head);
    if let Some(text) = text {
        out.extend_from_slice(text.as_bytes());
    }
    for (name, value) in facts {
        put_str(out, name);
        out.push(u8::from(*value));
    }
}

/// A string as its length and its bytes.
#[inline]
fn put_str(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(&len_bytes(text.len()));
    out.extend_from_slice(text.as_bytes());
}

/// A length as four bytes. Every length the claim model allows fits (a record is at most a
/// few megabytes); a larger one would saturate, which only a claim of over 4 GiB can reach.
#[inline]
fn len_bytes(len: usize) -> [u8; 4] {
    u32::try_from(len).unwrap_or(u32::MAX).to_le_bytes()
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
