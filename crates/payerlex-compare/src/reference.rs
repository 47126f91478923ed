//! The hand-written reference: payerlex's own benchmark baseline
//! (`crates/payerlex/benches/support/handwritten.rs`, the six rules coded by hand in Rust on
//! the same `Claim` values), shared rather than copied so both benchmarks measure one baseline.
//! Every engine's findings are checked against it.

use crate::findings::{Finding, FindingSet, Rule, Severity};
use crate::handwritten::{Baseline, LineResult};
use crate::payerlex_api::{self, Claim};

/// The hand-written rules.
pub struct Reference(Baseline);

/// What the reference returns for a claim (one entry per line).
pub type ReferenceOutput = Vec<LineResult>;

impl Default for Reference {
    fn default() -> Self {
        Self(Baseline::new())
    }
}

impl Reference {
    /// Checks one claim.
    pub fn check(&self, claim: &Claim) -> ReferenceOutput {
        self.0.check(claim)
    }

    /// The findings of a checked claim; `None` if a line's outcome does not follow from its
    /// rules (the baseline contradicting itself).
    pub fn findings(output: &ReferenceOutput) -> Option<FindingSet> {
        let mut findings = Vec::new();
        for line in output {
            let mut worst = None;
            for &name in &line.rules {
                let rule = Rule::parse(name)?;
                let severity = match rule {
                    Rule::Workstation => Severity::Review,
                    _ => Severity::Deny,
                };
                worst = Some(worst.map_or(severity, |w: Severity| w.min(severity)));
                findings.push(Finding {
                    line: line.number,
                    rule,
                    severity,
                });
            }
            if payerlex_api::severity(line.outcome) != worst {
                return None;
            }
        }
        Some(FindingSet::new(findings))
    }
}
