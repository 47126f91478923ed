//! Every diagnostic's typed cause, by stage, and the internal-invariant error.

pub use super::check::SemanticError;
pub use super::lint::LintWarning;
pub use super::pack::PackError;
pub use super::syntax::SyntaxError;

/// What a diagnostic is about: the typed error of the stage that found it. Match on it to
/// handle a kind of problem; its `Display` is the message and `miette::Diagnostic::code` the
/// stable code (`PLX-C034`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// The policy text does not parse.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Syntax(#[from] SyntaxError),
    /// The policy parses but does not make sense.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Check(#[from] SemanticError),
    /// A pack's folder, manifest, links or tables are wrong.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Pack(#[from] PackError),
    /// A static check found something probably unintended.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Lint(#[from] LintWarning),
    /// payerlex broke one of its own invariants: a bug, never the author's fault.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Internal(#[from] InternalError),
}

/// payerlex met a state its own code should never produce (a parser branch the grammar rules
/// out, say). Reported instead of a silent default, which could turn a bug into an
/// always-true condition that denies every line a rule reaches.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[error("internal error: {what}")]
#[diagnostic(
    code("PLX-I001"),
    help("this is a bug in payerlex, not in the policy; please report it with the policy file")
)]
pub struct InternalError {
    /// What was unexpected.
    pub what: &'static str,
}
