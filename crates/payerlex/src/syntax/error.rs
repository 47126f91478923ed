//! Syntax errors, with the span and what the parser expected there.

use super::ast::Span;

/// One syntax error in a policy file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SyntaxError {
    /// What went wrong, one line.
    pub message: String,
    /// Where.
    pub span: Span,
    /// A hint for fixing it.
    pub help: Option<String>,
}
