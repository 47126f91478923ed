//! Code sets that overlap where the author probably meant them disjoint: two sets of one
//! policy that each trigger rules (`line.code in SET`) and share some codes without one
//! containing the other. A code in the overlap gets both families of rules, which is rarely
//! what a list like "CT codes" vs "MRI codes" intends; nested sets (angiography within base
//! studies) are deliberate and not reported.

use crate::diagnostics::Problem;
use crate::diagnostics::{Diagnostic, LintWarning};
use crate::ir::{CheckedPolicy, CondKind, LineRef, SetValue};

use super::codes::covers;

/// Warnings for the partially overlapping trigger sets of `policy`.
pub fn overlapping_trigger_sets(policy: &CheckedPolicy) -> Vec<Diagnostic> {
    let triggers: Vec<&crate::ir::CodeSet> = policy
        .rules
        .iter()
        .flat_map(|r| top_conjuncts(&r.condition))
        .filter_map(|c| match &c.kind {
            CondKind::CodeIn {
                line: LineRef::Current,
                set,
            } => Some(&**set),
            _ => None,
        })
        .collect();
    let sets: Vec<(&str, &crate::ir::CodeSet, crate::source::Span)> = policy
        .sets
        .iter()
        .filter_map(|s| match &s.value {
            SetValue::Codes(set) if triggers.contains(&&**set) => {
                Some((s.name.as_str(), &**set, s.span))
            }
            _ => None,
        })
        .collect();
    let mut warnings = Vec::new();
    for (i, (a_name, a, _)) in sets.iter().enumerate() {
        for (b_name, b, b_span) in sets.iter().skip(i + 1) {
            if a.intersects(b) && !covers(a, b) && !covers(b, a) {
                warnings.push(Diagnostic::in_file(
                    Problem::warning(
                        *b_span,
                        LintWarning::OverlappingSets {
                            first: (*a_name).to_owned(),
                            second: (*b_name).to_owned(),
                        },
                        "partial overlap",
                    ),
                    &policy.source,
                ));
            }
        }
    }
    warnings
}

fn top_conjuncts(cond: &crate::ir::Cond) -> Vec<&crate::ir::Cond> {
    match &cond.kind {
        CondKind::All(parts) => parts.iter().collect(),
        _ => vec![cond],
    }
}
