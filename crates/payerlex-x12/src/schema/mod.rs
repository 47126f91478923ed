//! The loop tables: which segment (and qualifier) starts which loop, and which segments each
//! loop holds, in order, with their requirement and repeat limits.
//!
//! An 837 has no loop markers: a loop is recognised by its first segment, often only with a
//! qualifier (`NM1*85` starts 2010AA, `NM1*IL` 2010BA, but `NM1*IL` after an `SBR` in a claim
//! starts 2330A). pyx12, stupidedi and imsweb's parser all converged on the same design: a
//! table per implementation guide of loops keyed by first segment + qualifier, walked by a
//! small state machine ([`crate::walker`]). The tables here follow the TR3 structure of each
//! guide (loop ids, segment order, usage, repeats), written as data so a reviewer can hold one
//! against the guide; segments that repeat in several qualifier-specific slots are merged into
//! one entry whose limit is the sum.

/// A claim-scope loop the mapping does not read, without child loops.
macro_rules! plain {
    ($id:literal, [$($slot:expr),* $(,)?]) => {
        $crate::schema::LoopDef {
            id: $id,
            role: $crate::schema::Role::Other,
            scope: $crate::schema::Scope::Claim,
            slots: &[$($slot),*],
            children: &[],
        }
    };
}
#[allow(unused_imports)] // used by name in the table modules
pub(crate) use plain;

mod x096;
mod x098;
mod x222;
mod x223;

use crate::segment::{pack_id, SegmentId};

/// What a loop means to the claim mapping (most loops mean nothing to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Not read by the mapping.
    Other,
    /// 2000A: billing provider level (PRV taxonomy).
    BillingLevel,
    /// 2010AA: billing provider name and NPI.
    BillingName,
    /// 2000B: subscriber level.
    SubscriberLevel,
    /// 2010BA: subscriber name, member id, demographics.
    SubscriberName,
    /// 2010BB (2010BC in 4010 837I): the payer.
    PayerName,
    /// 2000C: patient level.
    PatientLevel,
    /// 2010CA: patient name and demographics.
    PatientName,
    /// 2300: the claim.
    Claim,
    /// 2310B (2310D in 837I): claim-level rendering provider.
    ClaimRendering,
    /// 2400: a service line.
    Line,
    /// 2420A (2420C in 837I): line-level rendering provider.
    LineRendering,
}

/// Which errors a claim inherits: a problem in a loop rejects every claim under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Scope {
    /// The transaction set header (BHT, 1000A, 1000B): every claim of the transaction set.
    Transaction,
    /// 2000A and its name loops: the billing provider's claims.
    Billing,
    /// 2000B and its name loops: the subscriber's claims.
    Subscriber,
    /// 2000C and 2010CA: the patient's claims.
    Patient,
    /// 2300 and everything in it: one claim.
    Claim,
}

/// A segment a loop may hold.
#[derive(Debug)]
pub(crate) struct Slot {
    pub id: SegmentId,
    pub name: &'static str,
    pub required: bool,
    pub max: u16,
}

/// How a child loop is recognised: its first segment, and a qualifier element when the segment
/// alone is ambiguous (`element` 0: no qualifier).
#[derive(Debug)]
pub(crate) struct Trigger {
    pub segment: SegmentId,
    pub element: u8,
    pub codes: &'static [&'static str],
}

/// A loop inside another.
#[derive(Debug)]
pub(crate) struct Child {
    pub trigger: Trigger,
    pub def: &'static LoopDef,
    pub required: bool,
    pub max: u32,
}

/// A loop: id, meaning, own segments in order, child loops.
#[derive(Debug)]
pub(crate) struct LoopDef {
    pub id: &'static str,
    pub role: Role,
    pub scope: Scope,
    /// The loop's segments in TR3 order; the first is the trigger (except for the root).
    pub slots: &'static [Slot],
    pub children: &'static [Child],
}

/// Most segments slots / child loops of any loop in the tables (checked by a test).
pub(crate) const MAX_SLOTS: usize = 24;
pub(crate) const MAX_CHILDREN: usize = 16;

/// A required segment that occurs once.
pub(crate) const fn req(id: &'static str) -> Slot {
    Slot {
        id: pack_id(id.as_bytes()),
        name: id,
        required: true,
        max: 1,
    }
}

/// A required segment that may repeat up to `max` times.
pub(crate) const fn req_n(id: &'static str, max: u16) -> Slot {
    Slot {
        id: pack_id(id.as_bytes()),
        name: id,
        required: true,
        max,
    }
}

/// An optional (situational) segment that occurs at most once.
pub(crate) const fn opt(id: &'static str) -> Slot {
    opt_n(id, 1)
}

/// An optional segment that may repeat up to `max` times.
pub(crate) const fn opt_n(id: &'static str, max: u16) -> Slot {
    Slot {
        id: pack_id(id.as_bytes()),
        name: id,
        required: false,
        max,
    }
}

/// A child loop started by `segment`, with element `element` holding one of `codes`.
pub(crate) const fn child(
    segment: &'static str,
    element: u8,
    codes: &'static [&'static str],
    def: &'static LoopDef,
    required: bool,
    max: u32,
) -> Child {
    Child {
        trigger: Trigger {
            segment: pack_id(segment.as_bytes()),
            element,
            codes,
        },
        def,
        required,
        max,
    }
}

/// Unlimited repeats (`>1` in the guides).
pub(crate) const MANY: u32 = u32::MAX;

/// The implementation guides this reader knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Implementation {
    /// 837 professional, 5010 (005010X222, A1 and later addenda).
    Professional5010,
    /// 837 institutional, 5010 (005010X223, A1-A3).
    Institutional5010,
    /// 837 professional, 4010 (004010X098A1): read for structure; its ICD-9 diagnoses are
    /// refused by the mapping.
    Professional4010,
    /// 837 institutional, 4010 (004010X096A1).
    Institutional4010,
}

impl Implementation {
    /// Recognises an implementation convention reference (ST03 or GS08).
    pub fn from_reference(reference: &[u8]) -> Option<Self> {
        if reference.starts_with(b"005010X222") {
            Some(Self::Professional5010)
        } else if reference.starts_with(b"005010X223") {
            Some(Self::Institutional5010)
        } else if reference.starts_with(b"004010X098") {
            Some(Self::Professional4010)
        } else if reference.starts_with(b"004010X096") {
            Some(Self::Institutional4010)
        } else {
            None
        }
    }

    /// Professional (837P) or institutional (837I).
    pub fn is_institutional(self) -> bool {
        matches!(self, Self::Institutional5010 | Self::Institutional4010)
    }

    /// The root of the loop tree: the transaction set header and its loops.
    pub(crate) fn root(self) -> &'static LoopDef {
        match self {
            Self::Professional5010 => &x222::ROOT,
            Self::Institutional5010 => &x223::ROOT,
            Self::Professional4010 => &x098::ROOT,
            Self::Institutional4010 => &x096::ROOT,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visit(def: &'static LoopDef, seen: &mut Vec<&'static str>) {
        assert!(def.slots.len() <= MAX_SLOTS, "{}", def.id);
        assert!(def.children.len() <= MAX_CHILDREN, "{}", def.id);
        for child in def.children {
            // A child's trigger is its first slot.
            assert_eq!(
                child.def.slots.first().map(|s| s.id),
                Some(child.trigger.segment),
                "{} in {}",
                child.def.id,
                def.id
            );
            seen.push(child.def.id);
            visit(child.def, seen);
        }
        // Two children of one loop never share a trigger.
        for (i, a) in def.children.iter().enumerate() {
            for b in &def.children[i + 1..] {
                let shared = a.trigger.segment == b.trigger.segment
                    && (a.trigger.element == 0
                        || b.trigger.element == 0
                        || a.trigger.codes.iter().any(|c| b.trigger.codes.contains(c)));
                assert!(!shared, "{} and {} in {}", a.def.id, b.def.id, def.id);
            }
        }
    }

    #[test]
    fn tables_fit_the_walker_and_are_unambiguous() {
        for implementation in [
            Implementation::Professional5010,
            Implementation::Institutional5010,
            Implementation::Professional4010,
            Implementation::Institutional4010,
        ] {
            let mut seen = Vec::new();
            visit(implementation.root(), &mut seen);
            for id in [
                "2000A", "2010AA", "2000B", "2010BA", "2300", "2400", "2000C", "2010CA",
            ] {
                assert!(seen.contains(&id), "{implementation:?} lacks {id}");
            }
        }
    }

    #[test]
    fn recognises_versions() {
        assert_eq!(
            Implementation::from_reference(b"005010X222A1"),
            Some(Implementation::Professional5010)
        );
        assert_eq!(
            Implementation::from_reference(b"005010X223A2"),
            Some(Implementation::Institutional5010)
        );
        assert_eq!(Implementation::from_reference(b"005010X221A1"), None);
    }
}
