//! Code sets that overlap where the author probably meant them disjoint: two sets of one
//! policy that each trigger rules (`line.code in SET`) and share some codes without one
//! containing the other. A code in the overlap gets both families of rules, which is rarely
//! what a list like "CT codes" vs "MRI codes" intends; nested sets (angiography within base
//! studies) are deliberate and not reported.

use super::code_sets::covers;
use super::{conjuncts, Lint, PackView};
use crate::diagnostics::{Diagnostic, LintWarning, Problem};
use crate::ir::{CheckedPolicy, CondKind, LineRef, SetValue};

pub(super) struct OverlappingSets;

impl Lint for OverlappingSets {
    fn check(&self, pack: &PackView<'_>, out: &mut Vec<Diagnostic>) {
        for policy in pack.own_policies {
            out.extend(overlapping_trigger_sets(policy));
        }
    }
}

/// Warnings for the partially overlapping trigger sets of `policy`.
fn overlapping_trigger_sets(policy: &CheckedPolicy) -> Vec<Diagnostic> {
    let triggers: Vec<&crate::ir::CodeSet> = policy
        .rules
        .iter()
        .flat_map(|r| conjuncts(&r.condition))
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
