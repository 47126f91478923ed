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
//!
//! The bytes are gathered in a per-thread buffer that keeps its capacity, then hashed with
//! one-shot XXH3 (the same digest as streaming them): streaming XXH3 updates of a few bytes,
//! and a zeroed stack buffer per claim, cost more than the hashing itself (1,456 against about
//! 500 instructions per claim on the benchmark mix). The buffer grows to the largest claim a
//! thread has seen, which the record-size limit bounds, and allocates nothing after that.

use std::cell::RefCell;
use std::hash::{Hash, Hasher};

use xxhash_rust::xxh3::xxh3_128;

use crate::facts::{
    Authorization, Claim, Line, Locality, Provider, Rendering, Report, MAX_MODIFIERS,
};

thread_local! {
    /// The bytes of the claim being hashed; cleared, never shrunk.
    static BYTES: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// XXH3-128 of `pack_digest` and every field of `claim`.
pub(super) fn claim_digest(claim: &Claim, pack_digest: &str) -> u128 {
    let digest = |bytes: &mut Vec<u8>| {
        bytes.clear();
        let mut sink = Sink { bytes };
        pack_digest.hash(&mut sink);
        hash_claim(&mut sink, claim);
        xxh3_128(sink.bytes)
    };
    BYTES
        .try_with(|cell| match cell.try_borrow_mut() {
            Ok(mut bytes) => digest(&mut bytes),
            Err(_) => digest(&mut Vec::new()),
        })
        .unwrap_or_else(|_| digest(&mut Vec::new()))
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
    // The fixed-size fields go in one write (each write has a cost of its own, and a claim's
    // lines are most of its fields): modifiers as four slots (0 = empty, else index + 1; a
    // list is packed from the front), the place of service as presence + number.
    let mut fixed = Fixed::<32>::new();
    fixed.put(number.to_le_bytes());
    fixed.put(code.packed().to_le_bytes());
    fixed.put(units.to_le_bytes());
    fixed.put(date.days_since_epoch().to_le_bytes());
    let mut slots = [0u16; MAX_MODIFIERS];
    for (slot, modifier) in slots.iter_mut().zip(modifiers.iter()) {
        *slot = u16::try_from(modifier.index() + 1).unwrap_or(u16::MAX);
    }
    for slot in slots {
        fixed.put(slot.to_le_bytes());
    }
    fixed.put(match place_of_service {
        None => [0, 0],
        Some(place) => [1, place.number()],
    });
    fixed.put([u8::from(rendering.is_some())]);
    fixed.put(
        u32::try_from(diagnosis_pointers.len())
            .unwrap_or(u32::MAX)
            .to_le_bytes(),
    );
    h.write(fixed.as_slice());
    h.write(diagnosis_pointers);
    if let Some(rendering) = rendering {
        hash_rendering(h, rendering);
    }
}

/// Fixed-size fields gathered on the stack, handed to the sink in one write.
struct Fixed<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> Fixed<N> {
    #[inline]
    fn new() -> Self {
        Self {
            bytes: [0; N],
            len: 0,
        }
    }

    /// Appends `value` (the caller sizes `N` for every field it puts).
    #[inline]
    fn put<const M: usize>(&mut self, value: [u8; M]) {
        if let Some(slot) = self.bytes.get_mut(self.len..self.len + M) {
            slot.copy_from_slice(&value);
            self.len += M;
        }
    }

    #[inline]
    fn as_slice(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&self.bytes)
    }
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

/// A `Hasher` that appends what the value types write to a byte buffer.
struct Sink<'a> {
    bytes: &'a mut Vec<u8>,
}

impl Hasher for Sink<'_> {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }

    #[inline]
    fn write_u8(&mut self, value: u8) {
        self.bytes.push(value);
    }

    #[inline]
    fn write_u16(&mut self, value: u16) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    #[inline]
    fn write_u32(&mut self, value: u32) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    #[inline]
    fn write_u64(&mut self, value: u64) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    #[inline]
    fn write_usize(&mut self, value: usize) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    /// Not used: the digest is taken of the gathered bytes.
    fn finish(&self) -> u64 {
        0
    }
}
