//! Two denials for one cause: whenever a denying rule fires, another denying rule with a
//! different CARC fires on the same line, so the remittance carries two reasons.

use super::implied::implied_rules;
use super::{warn, Lint, PackView};
use crate::diagnostics::{Diagnostic, LintWarning};
use crate::ir::OutcomeKind;

pub(super) struct Conflict;

impl Lint for Conflict {
    fn check(&self, pack: &PackView<'_>, out: &mut Vec<Diagnostic>) {
        for (a, implied) in implied_rules(pack).into_iter().enumerate() {
            let rule = &pack.rules[a];
            let mine = &rule.outcome;
            for b in implied {
                let other = &pack.rules[b];
                let theirs = &other.outcome;
                if mine.kind == OutcomeKind::Deny
                    && theirs.kind == OutcomeKind::Deny
                    && mine.carc != theirs.carc
                {
                    out.push(warn(
                        rule,
                        LintWarning::Conflict {
                            rule: rule.id.to_string(),
                            other: other.id.to_string(),
                            carc: mine.carc.map(|c| c.to_string()).unwrap_or_default(),
                            other_carc: theirs.carc.map(|c| c.to_string()).unwrap_or_default(),
                        },
                    ));
                }
            }
        }
    }
}
