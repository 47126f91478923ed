//! One view over the two kinds of lines a condition reads: lines of the claim being decided
//! and lines of the patient's earlier claims.
//!
//! A quantifier's `where` reads the same fields of either (`code`, `pos`, `rendering.taxonomy`,
//! `diagnoses`...). Claim lines get claim-level values (place, provider, rendering) from their
//! claim through the rules in `facts::derived`; history lines carry them already resolved.
//! The view is two words and `Copy`; nothing is copied out of the line until a field is read.

use crate::facts::{
    Claim, Date, Diagnosis, Line, Modifiers, Npi, PlaceOfService, PriorLine, ProcedureCode,
    ProviderRole, Taxonomy,
};

/// A line of the claim being decided, or of an earlier claim.
#[derive(Clone, Copy)]
pub(super) enum LineView<'a> {
    /// A line of the claim being decided.
    Claim(&'a Claim, &'a Line),
    /// A line of an earlier claim of the patient.
    Prior(&'a PriorLine),
}

impl<'a> LineView<'a> {
    #[inline]
    pub(super) fn code(self) -> ProcedureCode {
        match self {
            Self::Claim(_, line) => line.code,
            Self::Prior(line) => line.code,
        }
    }

    #[inline]
    pub(super) fn modifiers(self) -> &'a Modifiers {
        match self {
            Self::Claim(_, line) => &line.modifiers,
            Self::Prior(line) => &line.modifiers,
        }
    }

    #[inline]
    pub(super) fn units(self) -> u32 {
        match self {
            Self::Claim(_, line) => line.units,
            Self::Prior(line) => line.units,
        }
    }

    #[inline]
    pub(super) fn date(self) -> Date {
        match self {
            Self::Claim(_, line) => line.date,
            Self::Prior(line) => line.date,
        }
    }

    pub(super) fn place(self) -> PlaceOfService {
        match self {
            Self::Claim(claim, line) => claim.line_place(line),
            Self::Prior(line) => line.place_of_service,
        }
    }

    pub(super) fn role(self) -> ProviderRole {
        match self {
            Self::Claim(claim, _) => claim.provider.role,
            Self::Prior(line) => line.role,
        }
    }

    #[inline]
    pub(super) fn billing_npi(self) -> Npi {
        match self {
            Self::Claim(claim, _) => claim.provider.npi,
            Self::Prior(line) => line.npi,
        }
    }

    pub(super) fn rendering_npi(self) -> Npi {
        match self {
            Self::Claim(claim, line) => claim.rendering_npi(line),
            Self::Prior(line) => line.rendering_npi,
        }
    }

    pub(super) fn rendering_taxonomy(self) -> Option<Taxonomy> {
        match self {
            Self::Claim(claim, line) => claim.rendering_taxonomy(line),
            Self::Prior(line) => line.rendering_taxonomy,
        }
    }

    /// Whether any diagnosis the line points to satisfies `test`.
    pub(super) fn any_diagnosis(self, mut test: impl FnMut(&Diagnosis) -> bool) -> bool {
        match self {
            Self::Claim(claim, line) => claim.line_diagnoses(line).any(test),
            Self::Prior(line) => line.diagnoses.iter().any(&mut test),
        }
    }

    pub(super) fn primary_diagnosis(self) -> Option<Diagnosis> {
        match self {
            Self::Claim(claim, line) => claim.primary_diagnosis(line),
            Self::Prior(line) => line.diagnoses.primary(),
        }
    }
}
