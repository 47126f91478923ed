//! Every name this crate takes from `payerlex`, in one place.
//!
//! The library is being reorganised behind a curated facade; keeping the imports here means a
//! moved path is fixed once, not in every module.

pub use payerlex::facts::{
    ClaimError, Date, Diagnosis, Frequency, Modifier, Modifiers, Npi, PlaceOfService,
    ProcedureCode, ProviderRole, Rendering, Sex, Taxonomy, MAX_DIAGNOSES, MAX_LINES,
};
pub use payerlex::{Claim, Decision, Finding, FindingOutcome, Line, LineDecision, Outcome};

/// The billing provider, built with `Provider::new`.
pub use payerlex::facts::Provider;
