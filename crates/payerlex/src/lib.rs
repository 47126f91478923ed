//! payerlex checks medical claims against declarative, per-payer billing policies.
//!
//! Policies are written in a small language (see `syntax/grammar.pest` and the README),
//! grouped in packs (one per payer), and pass through separate stages, each with its own
//! types: [`syntax`] (text to AST with spans) -> [`check`] (names, types, formats) ->
//! [`compile`] (indexed program) -> [`eval`] (decisions with explanations). Hosts use the
//! [`Engine`]:
//!
//! ```no_run
//! use payerlex::{Engine, facts::InMemoryHistory};
//! let engine = Engine::load("policies")?;
//! let claim = payerlex::jsonl::parse_claim(r#"{"id":"C1","payer":"medicare","patient":"P1",
//!   "provider":{"npi":"1234567893","role":"professional"},"place_of_service":"11",
//!   "lines":[{"number":1,"code":"76377","units":1,"date":"2026-03-02"}]}"#)?;
//! let decision = engine.check(&claim, &InMemoryHistory::new())?;
//! println!("{:?}", decision.outcome);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod check;
pub mod compile;
pub mod diagnostics;
mod engine;
pub mod eval;
pub mod facts;
pub mod jsonl;
pub mod lint;
pub mod pack;
pub mod pack_tests;
pub mod syntax;
pub mod tables;
#[cfg(feature = "testing")]
pub mod testing;

pub use diagnostics::Diagnostic;
pub use engine::{CheckError, Engine, LoadError};
pub use eval::{CheckOptions, Decision, Finding, FindingOutcome, LineDecision, Outcome};
pub use facts::{Claim, History, InMemoryHistory, Line, NoHistory, Report};
