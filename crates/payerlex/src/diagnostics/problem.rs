//! Problems the stages find, before they are tied to a file for rendering.

use std::borrow::Cow;

use super::kind::DiagnosticKind;
use crate::source::Span;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth fixing; `--deny-warnings` makes it an error.
    Warning,
    /// The policy cannot be loaded.
    Error,
}

/// One problem in a policy file: its typed cause, where, and the label under the span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong (message, code and hint), boxed: problems are rare, results carrying
    /// them should stay small.
    pub kind: Box<DiagnosticKind>,
    /// Where.
    pub span: Span,
    /// Label under the underlined text.
    pub label: Cow<'static, str>,
}

impl Problem {
    /// An error.
    pub fn error(
        span: Span,
        kind: impl Into<DiagnosticKind>,
        label: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            kind: Box::new(kind.into()),
            span,
            label: label.into(),
        }
    }

    /// A warning.
    pub fn warning(
        span: Span,
        kind: impl Into<DiagnosticKind>,
        label: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(span, kind, label)
        }
    }
}
