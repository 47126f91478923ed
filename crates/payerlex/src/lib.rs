//! payerlex checks medical claims against declarative, per-payer billing policies.
//!
//! Policies are written in a small language (see `syntax/grammar.pest` and the README),
//! grouped in packs (one per payer), and pass through separate stages, each with its own
//! types. Hosts use the [`Engine`]:
//!
//! ```no_run
//! use payerlex::{Engine, InMemoryHistory};
//! let engine = Engine::load("policies")?;
//! let claim = payerlex::parse_claim(r#"{"id":"C1","payer":"medicare","patient":"P1",
//!   "provider":{"npi":"1234567893","role":"professional"},"place_of_service":"11",
//!   "lines":[{"number":1,"code":"76377","units":1,"date":"2026-03-02"}]}"#)?;
//! let decision = engine.check(&claim, &InMemoryHistory::new())?;
//! println!("{:?}", decision.outcome);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Layers
//!
//! Dependencies point one way, from the bottom up; no module imports one above it:
//!
//! ```text
//!  engine, jsonl, pack_tests, testing      the facade and the tools built on it
//!  authoring                                tools for policy authors: formatter, symbols, explain
//!  pack (read, link), lint                  packs: manifests, extends, static checks
//!  eval                                     decisions and explanations
//!  compile        check <- syntax           indexed program | typed IR <- text
//!  ir                                       shared vocabulary: operators, sets, typed conditions
//!  tables                                   CMS tables (through payerlex-cms), dated lookups
//!  facts, source, diagnostics               claim model and outcomes; files and spans; problems
//! ```
//!
//! `syntax` turns text into an AST; `check` resolves and types it into the [`ir`](self)
//! vocabulary; `compile` lowers the IR to an indexed program; `eval` runs the program. The
//! compiler and evaluator never see the AST, and the claim model never sees evaluation.
//! Every module is private: this page lists the whole public API, so internal changes never
//! break an integrator.
#![deny(missing_docs)]

pub mod authoring;
mod check;
mod compile;
mod decision_log;
mod diagnostics;
mod engine;
mod eval;
mod facts;
mod ir;
mod jsonl;
mod limits;
mod lint;
mod pack;
pub mod pack_tests;
mod records;
mod redact;
mod source;
mod syntax;
mod tables;
#[cfg(feature = "testing")]
pub mod testing;

/// The string type of [`Decision::claim`]: a claim id of up to 24 bytes is held inline, so a
/// decision does not allocate for it.
pub use compact_str::CompactString;
pub use compile::RuleInfo;
pub use decision_log::{
    DecisionLogRecord, DecisionLogRecordRef, ReplayError, Replayed, DECISION_LOG_VERSION,
};
pub use diagnostics::{
    Diagnostic, DiagnosticKind, InternalError, LintWarning, PackError, SemanticError, Severity,
    SyntaxError, TableFailure,
};
pub use engine::{CheckError, Engine, LoadError};
pub use eval::{
    AdjustmentKind, CheckOptions, ClauseTrace, Dec, Decision, DecisionId, Estimate, Explanation,
    FactTrace, Finding, FindingOutcome, GpciUsed, LineDecision, PaymentAdjustment, PolicyRef,
    PriorAdjustment, Timestamp,
};
pub use facts::{
    Age, Authorization, Carc, Claim, ClaimError, CodeError, CodeShape, Date, DateError, DateRange,
    Diagnosis, DiagnosisError, Frequency, FrequencyError, GroupCode, GroupCodeError, History,
    InMemoryHistory, Line, LineDiagnoses, LineOutcomes, Locality, Modifier, ModifierError,
    Modifiers, NoHistory, Npi, NpiError, Outcome, PlaceError, PlaceOfService, PriorLine,
    ProcedureCode, Provider, ProviderRole, Rarc, ReasonCodeError, Rendering, Report, Sex, SexError,
    Taxonomy, TaxonomyError, TooManyModifiers, DEFAULT_MAX_LINES_PER_PATIENT, MAX_DIAGNOSES,
    MAX_LINES, MAX_MODIFIERS,
};
pub use jsonl::{
    check_jsonl, parse_claim, ClaimParseError, ErrorRecord, RunSummary, EVICTED_WARNING,
};
pub use limits::{LimitError, LimitInfo, Limits, NESTING_DEPTH_CEILING, OPERATOR_CHAIN_CEILING};
pub use pack::{LoadOptions, Pack, PackSources, TableSummary};
pub use records::{Record, RecordError, RecordReader, DEFAULT_MAX_RECORD_BYTES};
pub use tables::TableLoadError;
