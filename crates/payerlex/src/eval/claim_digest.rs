//! The claim half of a decision id: every field of a [`Claim`] fed to XXH3, without
//! serialising it.
//!
//! Hashing the claim's JSON cost about 14,000 instructions per claim, most of a decision
//! (string escaping, number and date formatting, map keys), to identify it. Here each field
//! goes to the hasher as it is held: strings with their length, codes, dates, NPIs and
//! modifiers as their packed bytes (`std::hash::Hash` of the value types), optional fields
//! with a presence tag, lists with their length, so two different claims never feed the same
//! bytes. Every struct is taken apart with an exhaustive pattern (`let Claim { .. } = claim`
//! naming every field): a field added to the claim model does not compile until it is hashed
//! here, so the id can never ignore a field.
//!
//! The bytes are those of this build's `Hash` implementations: an id is stable for a payerlex
//! build and pack digest (what replay and re-runs need), not across payerlex versions.

use std::hash::{Hash, Hasher};

use xxhash_rust::xxh3::Xxh3;

use crate::facts::{Authorization, Claim, Line, Locality, Provider, Rendering, Report};

/// Bytes gathered on the stack before each hasher update: the value types write a few bytes
/// at a time, and a streaming update per write costs more than the hashing.
const BUFFER: usize = 512;

/// XXH3-128 of `pack_digest` and every field of `claim`.
pub(super) fn claim_digest(claim: &Claim, pack_digest: &str) -> u128 {
    let mut sink = Sink {
        hasher: Xxh3::new(),
        buffer: [0; BUFFER],
        len: 0,
    };
    pack_digest.hash(&mut sink);
    hash_claim(&mut sink, claim);
    sink.flush_buffer();
    sink.hasher.digest128()
}

fn hash_claim(h: &mut Sink, claim: &Claim) {
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
    id.hash(h);
    payer.hash(h);
    patient.hash(h);
    patient_birth_date.hash(h);
    patient_sex.hash(h);
    hash_provider(h, provider);
    hash_option(h, rendering.as_ref(), hash_rendering);
    frequency.hash(h);
    replaces.hash(h);
    place_of_service.hash(h);
    diagnoses.hash(h);
    prior_authorization.hash(h);
    h.write_usize(authorizations.len());
    for authorization in authorizations {
        hash_authorization(h, authorization);
    }
    h.write_usize(lines.len());
    for line in lines {
        hash_line(h, line);
    }
    hash_option(h, report.as_ref(), hash_report);
    hash_option(h, locality.as_ref(), hash_locality);
}

fn hash_option<T>(h: &mut Sink, value: Option<&T>, hash: fn(&mut Sink, &T)) {
    match value {
        None => h.write_u8(0),
        Some(value) => {
            h.write_u8(1);
            hash(h, value);
        }
    }
}

fn hash_provider(h: &mut Sink, provider: &Provider) {
    let Provider {
        npi,
        role,
        taxonomy,
    } = provider;
    npi.hash(h);
    role.hash(h);
    taxonomy.hash(h);
}

fn hash_rendering(h: &mut Sink, rendering: &Rendering) {
    let Rendering { npi, taxonomy } = rendering;
    npi.hash(h);
    taxonomy.hash(h);
}

fn hash_authorization(h: &mut Sink, authorization: &Authorization) {
    let Authorization {
        number,
        codes,
        units,
        from,
        to,
    } = authorization;
    number.hash(h);
    codes.hash(h);
    units.hash(h);
    from.hash(h);
    to.hash(h);
}

fn hash_line(h: &mut Sink, line: &Line) {
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
    number.hash(h);
    code.hash(h);
    modifiers.hash(h);
    units.hash(h);
    date.hash(h);
    diagnosis_pointers.hash(h);
    place_of_service.hash(h);
    hash_option(h, rendering.as_ref(), hash_rendering);
}

fn hash_report(h: &mut Sink, report: &Report) {
    let Report { text, facts } = report;
    text.hash(h);
    facts.hash(h);
}

fn hash_locality(h: &mut Sink, locality: &Locality) {
    let Locality {
        contractor,
        locality,
    } = locality;
    contractor.hash(h);
    locality.hash(h);
}

/// A `Hasher` that buffers what the value types write and streams it into XXH3.
struct Sink {
    hasher: Xxh3,
    buffer: [u8; BUFFER],
    len: usize,
}

impl Sink {
    fn flush_buffer(&mut self) {
        self.hasher
            .update(self.buffer.get(..self.len).unwrap_or(&[]));
        self.len = 0;
    }
}

impl Hasher for Sink {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let end = self.len + bytes.len();
        if let Some(room) = self.buffer.get_mut(self.len..end) {
            room.copy_from_slice(bytes);
            self.len = end;
            return;
        }
        self.flush_buffer();
        match self.buffer.get_mut(..bytes.len()) {
            Some(room) => {
                room.copy_from_slice(bytes);
                self.len = bytes.len();
            }
            None => self.hasher.update(bytes),
        }
    }

    /// Not used: the 128-bit digest is read from the XXH3 state.
    fn finish(&self) -> u64 {
        0
    }
}
