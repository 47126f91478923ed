//! Rules that can never fire: dates outside the pack, or conditions on the current line's code
//! or modifiers that contradict each other.

use super::{code_sets, warn, Lint, PackView};
use crate::diagnostics::{Diagnostic, LintWarning};

pub(super) struct NeverFires;

impl Lint for NeverFires {
    fn check(&self, pack: &PackView<'_>, out: &mut Vec<Diagnostic>) {
        for rule in pack.rules.iter().filter(|r| pack.is_own(r)) {
            let reason = if rule.effective.intersect(&pack.range).is_empty() {
                Some("its effective dates fall outside the pack's".to_owned())
            } else {
                code_sets::contradiction(&rule.condition)
            };
            if let Some(reason) = reason {
                out.push(warn(
                    rule,
                    LintWarning::NeverFires {
                        rule: rule.id.to_string(),
                        reason,
                    },
                ));
            }
        }
    }
}
