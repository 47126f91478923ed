//! Warnings: a pack that loads but probably does not say what its author meant.
//!
//! `--deny-warnings` turns them into errors, so each holds for every claim (no false alarms).

/// A static-check warning on a policy or pack.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum LintWarning {
    /// A set declared and never used.
    #[error("set `{name}` is never used")]
    #[diagnostic(
        code("PLX-W001"),
        help("remove it, or use it in a rule (other policies may import it)")
    )]
    UnusedSet {
        /// The set.
        name: String,
    },
    /// A rule without `cite`.
    #[error("rule `{rule}` has no citation")]
    #[diagnostic(
        code("PLX-W002"),
        help(
            "add `cite \"...\"` naming the CMS manual chapter, payer policy or guidance it encodes"
        )
    )]
    NoCitation {
        /// The rule.
        rule: String,
    },
    /// A rule whose dates fall outside its policy's.
    #[error("this rule's dates fall outside the policy's effective range")]
    #[diagnostic(
        code("PLX-W003"),
        help("the rule is never in force; fix its `effective` clause or the policy's")
    )]
    RuleOutsidePolicy,
    /// A rule that cannot fire on any claim.
    #[error("rule `{rule}` can never fire: {reason}")]
    #[diagnostic(code("PLX-W004"), help("remove the rule or fix its conditions"))]
    NeverFires {
        /// The rule.
        rule: String,
        /// Why.
        reason: String,
    },
    /// A rule that another, at least as severe, always accompanies.
    #[error("rule `{rule}` is shadowed by `{by}`: whenever it fires, that rule fires too with an outcome at least as severe")]
    #[diagnostic(
        code("PLX-W005"),
        help("it never changes a decision; remove it, or make the other rule narrower")
    )]
    Shadowed {
        /// The shadowed rule.
        rule: String,
        /// The rule that shadows it.
        by: String,
    },
    /// Two denials with different CARCs for one cause.
    #[error("rules `{rule}` and `{other}` conflict: whenever `{rule}` fires, `{other}` fires on the same line with CARC {other_carc} instead of {carc}")]
    #[diagnostic(code("PLX-W006"), help("the remittance would carry two denial reasons for one cause: narrow one rule, or keep one"))]
    Conflict {
        /// The rule warned about.
        rule: String,
        /// The other rule.
        other: String,
        /// This rule's CARC.
        carc: String,
        /// The other rule's CARC.
        other_carc: String,
    },
    /// Two trigger sets that partially overlap.
    #[error("code sets `{first}` and `{second}` overlap, and both trigger rules")]
    #[diagnostic(code("PLX-W007"), help("a code in both gets both sets' rules; make the sets disjoint, or nest one in the other if that is meant"))]
    OverlappingSets {
        /// The first set.
        first: String,
        /// The second set.
        second: String,
    },
    /// A policy file in the pack folder that the manifest does not list.
    #[error("`{path}` is in the pack folder but not listed in `policies`")]
    #[diagnostic(code("PLX-W008"), help("add it to `policies`, or remove the file"))]
    UnlistedPolicy {
        /// The file.
        path: String,
    },
}
