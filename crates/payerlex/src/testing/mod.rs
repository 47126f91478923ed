//! Property testing for policy packs: claim generators, a reference interpreter, and the
//! comparison behind `payerlex diff` (enabled by the `testing` feature).
//!
//! A payer's policy change can silently flip thousands of claims, and a fast engine can
//! silently disagree with what its policies say. This module attacks both:
//!
//! - [`cases`] and [`ClaimSpace`]: proptest strategies for *well-formed* claims aimed at a
//!   compiled pack, drawn from what the pack's rules mention: codes at and just
//!   outside every range, tested modifiers, places, diagnoses, dates around every effective and
//!   expiry date, report facts stated true / false / not at all, and short histories; for
//!   general payer policies also patients just under, at and over each age threshold, each
//!   sex, taxonomies and NPIs in and out of each set, rendering providers equal to and
//!   different from the billing one, authorisations that do and do not cover a line,
//!   replacements and voids of a history claim, and history lines at each window's edges
//!   with their own place, role, rendering provider and diagnoses.
//! - [`reference_check`]: a deliberately naive interpreter of the checked IR, with its own
//!   table lookups and payment arithmetic. The differential test (`tests/differential.rs`),
//!   the data-driven construct tests (`tests/packs/`) and the fuzz target (`fuzz/`) assert
//!   that the compiled engine and the reference decide every claim identically.
//! - [`diff()`]: compares two versions of a pack on generated claims, an exhaustive bounded
//!   scope ([`ScopeLimits`]) and a replay corpus; groups changed lines by [`ChangeKind`] with
//!   the smallest example of each; honours declared changes ([`Expectations`]).
//! - [`synthetic_packs`]: synthetic packs that use every construct of the language.
//!
//! Every submodule is private and this list is the whole API, so the internals (the
//! vocabulary walk, the scope's enumeration, the shrinker) can change without breaking a
//! suite built on it.
//!
//! # Using the strategies in your own proptest suite
//!
//! Add `payerlex = { version = "...", features = ["testing"] }` and `proptest` to your
//! `[dev-dependencies]`, load your packs, and state properties of your policies over
//! [`cases`] (a claim plus the patient's history). For example, "no claim is ever
//! denied without a CARC", or "our pack agrees with the reference interpreter":
//!
//! ```
//! use payerlex::PackSources;
//! use payerlex::testing::{cases, reference_check};
//! use payerlex::Engine;
//! use proptest::prelude::*;
//! use proptest::test_runner::TestRunner;
//!
//! let policy = "policy acme.imaging\nversion 1.0.0\n\
//!     set three_d = 76376, 76377\n\
//!     rule lone-3d\n  cite \"CPT\"\n  when line.code in three_d and no other line on same date\n  \
//!     deny carc 16 \"bill the base study\"\n";
//! let manifest = "id = \"acme\"\nname = \"Acme\"\nversion = \"1.0.0\"\neffective = \"2026-01-01\"\n\
//!     policies = [\"imaging.policy\"]\n";
//! let engine = Engine::from_sources(&[PackSources::new("acme", manifest).with_file("imaging.policy", policy)])?;
//! let pack = engine.pack("acme").ok_or("no pack")?;
//!
//! // In a test you would write `proptest! { #[test] fn ...(case in cases(pack)) }`.
//! let mut runner = TestRunner::deterministic();
//! runner
//!     .run(&cases(pack), |case| {
//!         let decision = engine.check(&case.claim, &case.in_memory_history()).map_err(|e| TestCaseError::fail(e.to_string()))?;
//!         for line in &decision.lines {
//!             for finding in &line.findings {
//!                 prop_assert!(finding.outcome != payerlex::FindingOutcome::Deny || finding.carc.is_some());
//!             }
//!         }
//!         let expected = reference_check(pack, &case.claim, &case.in_memory_history()).map_err(|e| TestCaseError::fail(e.to_string()))?;
//!         prop_assert_eq!(decision, expected);
//!         Ok(())
//!     })
//!     .map_err(|e| e.to_string())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`ClaimSpace`] exposes the value pools (and `max_lines`, `max_history_claims`), so a suite
//! can narrow or widen them before calling [`ClaimSpace::case`].
//! Failing cases shrink toward one line, no modifiers, no report and no history.
//!
//! # Comparing two versions
//!
//! ```no_run
//! use payerlex::testing::{diff, DiffOptions, Expectations, PackVersion};
//! let old = PackVersion::load("old/medicare".as_ref(), None)?;
//! let new = PackVersion::load("policies/medicare".as_ref(), None)?;
//! let report = diff(&old, &new, None, &Expectations::default(), &DiffOptions::default());
//! print!("{}", report.render_text());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod change;
mod code_space;
mod date_shift;
mod diff;
mod drafts;
mod expect;
mod fixtures;
mod fixtures_general;
mod part_strategies;
mod reference;
mod scope;
mod scope_context;
mod shrink;
mod space;
mod space_context;
mod strategies;

pub use change::{ChangeKind, FindingKey, RuleDelta, Verdict};
pub use diff::{
    diff, ChangeReport, DiffError, DiffOptions, DiffReport, Example, ExhaustiveSummary,
    ExpectationReport, PackSummary, PackVersion, PhaseSummary,
};
pub use expect::{ExpectError, Expectations, ExpectedChange};
pub use fixtures::synthetic_packs;
pub use reference::check as reference_check;
pub use scope::{ScopeLimits, ScopeShape};
pub use space_context::{DateShift, HistoryTarget};
pub use strategies::{case_from_bytes, cases, claims, Case, ClaimSpace};
