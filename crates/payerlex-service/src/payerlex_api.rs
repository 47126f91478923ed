//! Every name this crate takes from `payerlex`, in one place.
//!
//! The library is being reshaped behind a curated facade; keeping the imports here means a
//! renamed or moved item is fixed in one file. Only root-level names of the facade are used.

pub use payerlex::{
    parse_claim, CheckError, CheckOptions, Claim, ClaimParseError, Decision, Diagnostic, Engine,
    ErrorRecord, Frequency, History, Limits as LoadLimits, LineOutcomes, LoadError, LoadOptions,
    NoHistory, Outcome, PackSources, PriorLine, Severity, Timestamp,
};
