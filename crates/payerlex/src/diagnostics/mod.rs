//! User-facing diagnostics: a problem tied to a file, rendered with its source line.
//!
//! Every stage reports problems with byte spans; this module attaches the file and renders
//! them with miette (`file:line:col`, the line, an underline, and a hint), so a policy author
//! sees exactly what to change.

use std::fmt;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

mod problem;

pub use problem::{Problem, Severity};

use crate::source::{SourceFile, Span};

/// A problem in a policy pack, with its file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// One-line message.
    pub message: String,
    /// The file, when the problem is in one.
    pub file: Option<Arc<SourceFile>>,
    /// Where in the file.
    pub span: Option<Span>,
    /// Label under the span.
    pub label: String,
    /// How to fix it.
    pub help: Option<String>,
    source_code: Option<NamedSource<String>>,
}

impl Diagnostic {
    /// A problem in a file.
    pub fn in_file(problem: Problem, file: &Arc<SourceFile>) -> Self {
        Self {
            severity: problem.severity,
            message: problem.message,
            source_code: Some(NamedSource::new(file.name.clone(), file.text.to_string())),
            file: Some(file.clone()),
            span: Some(problem.span),
            label: problem.label,
            help: problem.help,
        }
    }

    /// A problem not tied to a place in a file (a missing folder, say).
    pub fn general(message: impl Into<String>, help: Option<String>) -> Self {
        Self {
            severity: Severity::Error,
            message: message.into(),
            file: None,
            span: None,
            label: String::new(),
            help,
            source_code: None,
        }
    }

    /// `file:line:col`, when the problem has a place.
    pub fn location(&self) -> Option<String> {
        let (file, span) = (self.file.as_ref()?, self.span?);
        let (line, col) = file.line_col(span.start);
        Some(format!("{}:{line}:{col}", file.name))
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders for a terminal, without colour: location, source line, underline, hint.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let header = match (self.location(), self.severity) {
            (Some(at), Severity::Error) => format!("{at}: error: {}\n", self.message),
            (Some(at), Severity::Warning) => format!("{at}: warning: {}\n", self.message),
            (None, Severity::Error) => format!("error: {}\n", self.message),
            (None, Severity::Warning) => format!("warning: {}\n", self.message),
        };
        out.push_str(&header);
        let handler =
            GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100);
        let mut body = String::new();
        if handler.render_report(&mut body, self).is_ok() {
            out.push_str(&body);
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source_code
            .as_ref()
            .map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span?;
        let label = LabeledSpan::new_with_span(
            Some(self.label.clone()),
            SourceSpan::new(span.start.into(), span.len().max(1)),
        );
        Some(Box::new(std::iter::once(label)))
    }
}

/// Renders several diagnostics, one after another.
pub fn render_all(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(Diagnostic::render)
        .collect::<Vec<_>>()
        .join("\n")
}
