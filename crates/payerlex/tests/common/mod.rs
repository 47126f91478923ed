//! Helpers shared by the integration tests: the builders of `builders.rs` (claims, lines,
//! manifests), turned into `payerlex` values, and in-memory packs of one policy.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod builders;

use std::path::PathBuf;

pub use builders::*;
use payerlex::{Claim, Decision, Engine, InMemoryHistory, Outcome, PackSources};

impl ClaimSpec {
    /// The claim, parsed as `payerlex check` parses a record.
    pub fn build(&self) -> Claim {
        let text = self.to_string();
        payerlex::parse_claim(&text).unwrap_or_else(|e| panic!("bad test claim: {e}\n{text}"))
    }
}

impl ManifestSpec {
    /// A pack in memory with this manifest (its folder named after the id); add its files
    /// with `with_file`.
    pub fn pack(&self, folder: &str) -> PackSources {
        PackSources::new(folder, self.to_string())
    }
}

/// The test packs of `tests/packs/` (see its README).
pub fn packs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/packs")
}

/// The shipped packs of `policies/`.
pub fn policies_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../policies")
}

/// An engine over every pack in `dir`.
pub fn load(dir: &std::path::Path) -> Engine {
    Engine::load(dir).unwrap_or_else(|e| panic!("{} does not load:\n{}", dir.display(), e.render()))
}

/// A policy header for `policy test.p`.
pub const HEADER: &str = "policy test.p\nversion 1.0.0\n";

/// Pack `test` holding one policy file, `p.policy`.
pub fn one_policy_pack(policy: &str) -> PackSources {
    manifest("test")
        .policies(&["p.policy"])
        .pack("test")
        .with_file("p.policy", policy)
}

/// An engine with pack `test` holding one policy file.
pub fn engine(policy: &str) -> Engine {
    try_engine(policy).unwrap_or_else(|e| panic!("policy failed to load:\n{}", e.render()))
}

/// Like [`engine`], returning the load error.
pub fn try_engine(policy: &str) -> Result<Engine, payerlex::LoadError> {
    Engine::from_sources(&[one_policy_pack(policy)])
}

/// Decides a claim with no history.
pub fn decide(engine: &Engine, claim: &Claim) -> Decision {
    engine.check(claim, &InMemoryHistory::new()).unwrap()
}

/// The outcome of each line.
pub fn outcomes(decision: &Decision) -> Vec<Outcome> {
    decision.lines.iter().map(|l| l.outcome).collect()
}

/// Rule ids that fired on line `index` (0-based).
pub fn fired(decision: &Decision, index: usize) -> Vec<String> {
    decision.lines[index]
        .findings
        .iter()
        .map(|f| f.rule.to_string())
        .collect()
}
