//! Rules that never change a decision: whenever one fires, another fires too with an outcome at
//! least as severe (and the same CARC when both deny).

use super::implied::implied_rules;
use super::{warn, Lint, PackView};
use crate::diagnostics::{Diagnostic, LintWarning};
use crate::ir::OutcomeKind;

pub(super) struct Shadowed;

fn severity(kind: OutcomeKind) -> u8 {
    match kind {
        OutcomeKind::Advice => 0,
        OutcomeKind::Review => 1,
        OutcomeKind::Deny => 2,
    }
}

impl Lint for Shadowed {
    fn check(&self, pack: &PackView<'_>, out: &mut Vec<Diagnostic>) {
        for (a, implied) in implied_rules(pack).into_iter().enumerate() {
            let rule = &pack.rules[a];
            let mine = &rule.outcome;
            let by = implied.into_iter().find(|&b| {
                let theirs = &pack.rules[b].outcome;
                b < a
                    && mine.kind != OutcomeKind::Advice
                    && severity(theirs.kind) >= severity(mine.kind)
                    && (mine.kind != OutcomeKind::Deny
                        || (theirs.kind == OutcomeKind::Deny && mine.carc == theirs.carc))
            });
            if let Some(b) = by {
                out.push(warn(
                    rule,
                    LintWarning::Shadowed {
                        rule: rule.id.to_string(),
                        by: pack.rules[b].id.to_string(),
                    },
                ));
            }
        }
    }
}
