//! Rule coverage: which of a pack's rules some test made fire.
//!
//! A rule that no example claim ever triggers is a rule nobody has seen work; coverage lists
//! them so an author adds the missing test (or finds the rule can never fire). A rule counts
//! as fired when any claim of the pack's tests got a finding from it, whatever the finding's
//! outcome (deny, review, advice, or "not evaluated" advice).
//!
//! Coverage is measured on the rules a pack *owns*: those its own policy files define
//! (replacements included). Rules inherited unchanged from an extended pack are that pack's
//! to test, and are counted in its coverage; they are reported here only as a number.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::pack::Pack;

/// Coverage of one pack.
#[derive(Debug, Clone, PartialEq)]
pub struct PackCoverage {
    /// Payer id.
    pub pack: String,
    /// The pack's own rules, in pack order.
    pub rules: Vec<RuleCoverage>,
    /// Rules inherited unchanged from the extended pack (measured there).
    pub inherited: usize,
    /// The extended pack, when there is one.
    pub base: Option<String>,
    /// Whether the pack has a `tests/` folder.
    pub has_tests_folder: bool,
}

/// Whether one rule fired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleCoverage {
    /// Rule id.
    pub rule: Arc<str>,
    /// `file:line` of the rule.
    pub location: String,
    /// Whether some test made it fire.
    pub fired: bool,
}

impl PackCoverage {
    /// Rules that fired.
    pub fn fired(&self) -> usize {
        self.rules.iter().filter(|r| r.fired).count()
    }

    /// Percentage of own rules that fired (100 for a pack without own rules).
    pub fn percent(&self) -> f64 {
        if self.rules.is_empty() {
            100.0
        } else {
            self.fired() as f64 * 100.0 / self.rules.len() as f64
        }
    }

    /// Rules no test made fire.
    pub fn never_fired(&self) -> impl Iterator<Item = &RuleCoverage> {
        self.rules.iter().filter(|r| !r.fired)
    }
}

/// Coverage of `pack`, given the rules its tests made fire and the pack it extends.
pub(crate) fn coverage(
    pack: &Pack,
    base: Option<&Pack>,
    fired: &BTreeSet<Arc<str>>,
    has_tests_folder: bool,
) -> PackCoverage {
    let inherited = |id: &Arc<str>| base.is_some_and(|b| b.rules.iter().any(|r| r.id == *id));
    let rules: Vec<RuleCoverage> = pack
        .rules
        .iter()
        .filter(|r| !inherited(&r.id))
        .map(|r| {
            let (line, _) = r.source.line_col(r.span.start);
            RuleCoverage {
                rule: r.id.clone(),
                location: format!("{}:{line}", r.source.name),
                fired: fired.contains(&r.id),
            }
        })
        .collect();
    PackCoverage {
        pack: pack.id.clone(),
        inherited: pack.rules.len() - rules.len(),
        base: pack.extends.clone(),
        has_tests_folder,
        rules,
    }
}
