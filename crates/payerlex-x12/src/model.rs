//! Every name this crate takes from `payerlex`, in one place.
//!
//! Only root-level names of the library's facade are used, so a module moved inside the
//! library changes nothing here.

pub use payerlex::{
    Claim, ClaimError, Date, Decision, Diagnosis, Finding, FindingOutcome, Frequency, GroupCode,
    Line, LineDecision, Modifier, Modifiers, Npi, Outcome, PlaceOfService, ProcedureCode, Provider,
    ProviderRole, Rendering, Sex, Taxonomy, MAX_DIAGNOSES, MAX_LINES,
};
