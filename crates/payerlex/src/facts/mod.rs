//! The typed facts a host passes in: claims, lines, reports and history.
//!
//! Every field that has a format (codes, modifiers, dates, NPIs, reason codes) is a newtype
//! that can only hold a valid value, so the evaluator never re-validates and never panics.
//! Dates and procedure codes live in `payerlex-types`, because the CMS tables are keyed and
//! dated by the same types; they are re-exported here, so the rest of the crate names them
//! `facts::Date` and `facts::ProcedureCode` like every other fact.

mod authorization;
mod claim;
mod code_lists;
mod derived;
mod diagnosis;
mod history;
mod modifier;
mod npi;
mod outcome;
mod patient;
mod place;
mod reason;
mod taxonomy;
mod text_newtype;
mod unique_keys;
mod validate;

pub use authorization::Authorization;
pub use claim::{
    Claim, Line, Locality, Provider, ProviderRole, Rendering, Report, MAX_DIAGNOSES, MAX_LINES,
};
pub use code_lists::{is_published_carc, is_published_rarc};
pub use derived::{add_months, Age};
pub use diagnosis::{Diagnosis, DiagnosisError};
pub use history::{
    History, InMemoryHistory, LineDiagnoses, NoHistory, PriorLine, DEFAULT_MAX_LINES_PER_PATIENT,
};
pub use modifier::{
    Modifier, ModifierError, Modifiers, TooManyModifiers, MAX_MODIFIERS, MODIFIER_SPACE,
};
pub use npi::{Npi, NpiError};
pub use outcome::{LineOutcomes, Outcome};
pub use patient::{Frequency, FrequencyError, Sex, SexError};
pub use payerlex_types::{CodeError, CodeShape, Date, DateError, DateRange, ProcedureCode};
pub use place::{PlaceError, PlaceOfService};
pub use reason::{Carc, GroupCode, GroupCodeError, Rarc, ReasonCodeError};
pub use taxonomy::{Taxonomy, TaxonomyError};
pub use validate::ClaimError;
