//! Errors of the syntax stage: text that is not a policy.

/// One syntax error in a policy file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum SyntaxError {
    /// The parser met text it did not expect.
    #[error("{}", unexpected_message(expected, found.as_deref()))]
    #[diagnostic(code("PLX-S001"))]
    Unexpected {
        /// What the grammar allowed there, in words (`a set name or `[...]``).
        expected: Vec<&'static str>,
        /// The text found (at most one word), or none at the end of the item.
        found: Option<String>,
        /// How to fix it, when a common mistake is recognised.
        #[help]
        hint: Option<String>,
    },
    /// A `(` or `[` without its closing bracket.
    #[error("unclosed `{delimiter}`")]
    #[diagnostic(code("PLX-S003"), help("close it before the rule's outcome; `where` takes every following `and`, so parentheses around a quantifier often end late"))]
    Unclosed {
        /// `(` or `[`.
        delimiter: char,
    },
    /// A rule that ends without `deny`, `review` or `advice`.
    #[error("rule `{rule}` has no outcome")]
    #[diagnostic(code("PLX-S004"), help("a rule ends with an outcome: `deny carc N \"message\"`, `review \"message\"` or `advice \"message\"`"))]
    MissingOutcome {
        /// The rule.
        rule: String,
    },
    /// Conditions or values nested deeper than the parser allows.
    #[error("nested too deeply: more than {limit} levels of brackets, or `not`s or operators in one item (limit `{name}`)")]
    #[diagnostic(
        code("PLX-S002"),
        help("split the condition: a named set or a second rule reads better than deep nesting (`--limit {name}=N` raises the limit, up to its ceiling)")
    )]
    TooDeep {
        /// The limit.
        limit: usize,
        /// Its name, as `--limit` spells it (`nesting_depth` or `operator_chain`).
        name: &'static str,
    },
}

fn unexpected_message(expected: &[&str], found: Option<&str>) -> String {
    let found = found.map_or_else(|| "the end of the item".to_owned(), |f| format!("`{f}`"));
    if expected.is_empty() {
        format!("unexpected {found}")
    } else {
        format!("expected {}, found {found}", expected.join(" or "))
    }
}
