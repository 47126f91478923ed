//! Every name this crate takes from the `payerlex` library, in one place.
//!
//! The library is being reshaped behind a curated facade; keeping the imports here means a
//! moved path is fixed once, not in every module.

pub(crate) use payerlex::{
    CheckError, Claim, ClaimError, Date, Decision, Diagnosis, Finding, FindingOutcome, Frequency,
    Line, Modifier, Modifiers, Npi, Outcome, PlaceOfService, ProcedureCode, Provider, ProviderRole,
    Rendering, Report, Sex, Taxonomy, MAX_DIAGNOSES, MAX_LINES,
};
