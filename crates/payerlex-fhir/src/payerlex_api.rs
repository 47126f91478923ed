//! Every name this crate takes from the `payerlex` library, in one place.
//!
//! The library is being reshaped behind a curated facade; keeping the imports here means a
//! moved path is fixed once, not in every module.

pub(crate) use payerlex::facts::{
    ClaimError, Date, Diagnosis, Frequency, Modifier, Modifiers, Npi, PlaceOfService,
    ProcedureCode, Provider, ProviderRole, Rendering, Sex, Taxonomy, MAX_DIAGNOSES, MAX_LINES,
};
pub(crate) use payerlex::{
    CheckError, Claim, Decision, Finding, FindingOutcome, Line, Outcome, Report,
};
