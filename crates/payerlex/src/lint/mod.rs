//! Static checks on a linked pack, at load time: rules that can never fire, rules that never
//! change an outcome because another rule always fires with them, and rules that always fire
//! together with a different denial reason.
//!
//! The checks are deliberately exact rather than clever: each warning holds for every claim
//! (no false alarms that `--deny-warnings` would turn into a failed build). Rules are compared
//! by their top-level conjuncts (`when A and B and C`), matched by their normalised source text.

mod codes;
mod overlap;

use std::collections::BTreeSet;

use crate::diagnostics::Problem;
use crate::diagnostics::{Diagnostic, LintWarning};
use crate::facts::DateRange;
use crate::ir::{CheckedRule, CondKind, OutcomeKind};

pub use overlap::overlapping_trigger_sets;

/// Warnings for a pack's linked rules (only rules of `own_policies` are reported on).
pub fn lint(
    rules: &[CheckedRule],
    pack_range: DateRange,
    own_policies: &[String],
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let own = |r: &CheckedRule| {
        own_policies
            .iter()
            .any(|p| r.id.starts_with(&format!("{p}/")))
    };
    let conjuncts: Vec<BTreeSet<String>> = rules.iter().map(conjunct_texts).collect();
    for (i, rule) in rules.iter().enumerate() {
        if !own(rule) {
            continue;
        }
        if let Some(reason) = never_fires(rule, pack_range) {
            warnings.push(warn(
                rule,
                LintWarning::NeverFires {
                    rule: rule.id.to_string(),
                    reason,
                },
            ));
            continue;
        }
        for (j, other) in rules.iter().enumerate() {
            if i == j || !conjuncts[j].is_subset(&conjuncts[i]) || conjuncts[j].is_empty() {
                continue;
            }
            if !other.effective.contains_range(&rule.effective) {
                continue;
            }
            // Whenever `rule` fires, `other` fires too (its conditions are a subset).
            let (mine, theirs) = (&rule.outcome, &other.outcome);
            if mine.kind == OutcomeKind::Deny
                && theirs.kind == OutcomeKind::Deny
                && mine.carc != theirs.carc
            {
                warnings.push(warn(
                    rule,
                    LintWarning::Conflict {
                        rule: rule.id.to_string(),
                        other: other.id.to_string(),
                        carc: mine.carc.map(|c| c.to_string()).unwrap_or_default(),
                        other_carc: theirs.carc.map(|c| c.to_string()).unwrap_or_default(),
                    },
                ));
            } else if severity(theirs.kind) >= severity(mine.kind)
                && mine.kind != OutcomeKind::Advice
                && (mine.carc == theirs.carc || mine.kind != OutcomeKind::Deny)
                && i > j
            {
                warnings.push(warn(
                    rule,
                    LintWarning::Shadowed {
                        rule: rule.id.to_string(),
                        by: other.id.to_string(),
                    },
                ));
            }
        }
    }
    warnings
}

fn severity(kind: OutcomeKind) -> u8 {
    match kind {
        OutcomeKind::Advice => 0,
        OutcomeKind::Review => 1,
        OutcomeKind::Deny => 2,
    }
}

fn warn(rule: &CheckedRule, warning: LintWarning) -> Diagnostic {
    let span = crate::source::Span {
        start: rule.span.start,
        end: rule.span.start + 4,
    };
    Diagnostic::in_file(Problem::warning(span, warning, "this rule"), &rule.source)
}

/// The rule's top-level conjuncts as normalised text.
fn conjunct_texts(rule: &CheckedRule) -> BTreeSet<String> {
    let parts: Vec<&crate::ir::Cond> = match &rule.condition.kind {
        CondKind::All(parts) => parts.iter().collect(),
        _ => vec![&rule.condition],
    };
    parts
        .into_iter()
        .map(|c| {
            rule.source
                .snippet(c.span)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn never_fires(rule: &CheckedRule, pack_range: DateRange) -> Option<String> {
    if rule.effective.intersect(&pack_range).is_empty() {
        return Some("its effective dates fall outside the pack's".into());
    }
    codes::contradiction(&rule.condition)
}
