//! Static checks on a linked pack, at load time: rules that can never fire, rules that never
//! change an outcome because another rule always fires with them, rules that always fire
//! together with a different denial reason, and trigger sets that partially overlap.
//!
//! The checks are deliberately exact rather than clever: each warning holds for every claim
//! (no false alarms that `--deny-warnings` would turn into a failed build). Rules are compared
//! by their top-level conjuncts (`when A and B and C`) as typed IR, by meaning: two packs may
//! each declare a set `three_d` with different codes, and `line.code in three_d` then means
//! two different things. Each lint is one type behind [`Lint`], in its own file.

mod code_sets;
mod conflict;
mod implied;
mod never_fires;
mod overlapping_sets;
mod shadowed;

use crate::diagnostics::{Diagnostic, LintWarning, Problem};
use crate::facts::DateRange;
use crate::ir::{CheckedPolicy, CheckedRule, Cond, CondKind};
use crate::source::Span;

/// What a lint sees of a linked pack.
pub(crate) struct PackView<'a> {
    /// Every rule, inherited ones included, in evaluation order.
    pub rules: &'a [CheckedRule],
    /// The pack's own policies (lints report only on these).
    pub own_policies: &'a [&'a CheckedPolicy],
    /// Dates the pack applies to.
    pub range: DateRange,
}

impl PackView<'_> {
    /// Whether `rule` belongs to one of the pack's own policies.
    fn is_own(&self, rule: &CheckedRule) -> bool {
        self.own_policies
            .iter()
            .any(|p| p.rules.iter().any(|r| r.id == rule.id))
    }
}

/// One static check.
pub(crate) trait Lint {
    /// Appends this lint's warnings for `pack`.
    fn check(&self, pack: &PackView<'_>, out: &mut Vec<Diagnostic>);
}

/// Every lint, in the order their warnings are listed.
const LINTS: &[&dyn Lint] = &[
    &never_fires::NeverFires,
    &shadowed::Shadowed,
    &conflict::Conflict,
    &overlapping_sets::OverlappingSets,
];

/// Warnings for a linked pack (only on rules and sets of its own policies).
pub(crate) fn lint(pack: &PackView<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for lint in LINTS {
        lint.check(pack, &mut out);
    }
    out
}

/// A warning pointing at a rule's `rule` keyword.
fn warn(rule: &CheckedRule, warning: LintWarning) -> Diagnostic {
    let span = Span {
        start: rule.span.start,
        end: rule.span.start + 4,
    };
    Diagnostic::in_file(Problem::warning(span, warning, "this rule"), &rule.source)
}

/// A condition's top-level conjuncts: the parts of `A and B and C`, or the condition itself.
fn conjuncts(cond: &Cond) -> Vec<&Cond> {
    match &cond.kind {
        CondKind::All(parts) => parts.iter().collect(),
        _ => vec![cond],
    }
}
