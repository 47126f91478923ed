//! User-facing diagnostics: a typed problem tied to a file, rendered with its source line.
//!
//! Every stage reports problems with byte spans and a typed cause (one error enum per stage,
//! each variant with a stable code such as `PLX-C034`, listed in `docs/diagnostics.md`); this
//! module attaches the file and renders them with miette (`file:line:col`, the code, the line,
//! an underline and a hint), so a policy author sees exactly what to change.
//!
//! The error enums live here, below the stages that produce them, so that `syntax`, `check`,
//! `pack` and `lint` all depend on this module and never on each other's errors.

mod check;
mod kind;
mod lint;
mod pack;
mod problem;
mod syntax;

use std::fmt;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceSpan};

pub use kind::{DiagnosticKind, InternalError, LintWarning, PackError, SemanticError, SyntaxError};
pub use pack::TableFailure;
pub use problem::{Problem, Severity};

use crate::source::{SourceFile, Span};

/// A problem in a policy pack, with its file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    severity: Severity,
    kind: Box<DiagnosticKind>,
    file: Option<Arc<SourceFile>>,
    span: Option<Span>,
    label: String,
}

impl Diagnostic {
    /// A problem in a file.
    pub(crate) fn in_file(problem: Problem, file: &Arc<SourceFile>) -> Self {
        Self {
            severity: problem.severity,
            kind: problem.kind,
            file: Some(file.clone()),
            span: Some(problem.span),
            label: problem.label.into_owned(),
        }
    }

    /// A problem not tied to a place in a file (a missing folder, say).
    pub(crate) fn general(kind: impl Into<DiagnosticKind>) -> Self {
        Self {
            severity: Severity::Error,
            kind: Box::new(kind.into()),
            file: None,
            span: None,
            label: String::new(),
        }
    }

    /// Error or warning.
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// The typed cause.
    pub fn kind(&self) -> &DiagnosticKind {
        &self.kind
    }

    /// The stable code (`PLX-C034`), listed in `docs/diagnostics.md`.
    pub fn code(&self) -> String {
        miette::Diagnostic::code(&*self.kind).map_or_else(String::new, |c| c.to_string())
    }

    /// The one-line message.
    pub fn message(&self) -> String {
        self.kind.to_string()
    }

    /// How to fix it, when there is a hint.
    pub fn help(&self) -> Option<String> {
        miette::Diagnostic::help(&*self.kind).map(|h| h.to_string())
    }

    /// The label under the underlined text.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The file's display name, when the problem is in a file.
    pub fn file_name(&self) -> Option<&str> {
        self.file.as_deref().map(|f| f.name.as_str())
    }

    /// `file:line:col`, when the problem has a place.
    pub fn location(&self) -> Option<String> {
        let (file, span) = (self.file.as_ref()?, self.span?);
        let (line, col) = file.line_col(span.start);
        Some(format!("{}:{line}:{col}", file.name))
    }

    /// 1-based line and column, when the problem has a place.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        let (file, span) = (self.file.as_ref()?, self.span?);
        Some(file.line_col(span.start))
    }

    /// Byte range in the file, when the problem has a place.
    pub fn byte_range(&self) -> Option<std::ops::Range<usize>> {
        self.span.map(|s| s.start..s.end)
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders for a terminal, without colour: location, severity and code, source line,
    /// underline, hint.
    pub fn render(&self) -> String {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = match self.location() {
            Some(at) => format!("{at}: {severity}[{}]: {}\n", self.code(), self.message()),
            None => format!("{severity}[{}]: {}\n", self.code(), self.message()),
        };
        let handler =
            GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100);
        let mut body = String::new();
        if handler.render_report(&mut body, &WithoutCode(self)).is_ok() {
            out.push_str(&body);
        }
        out
    }

    /// Whether the lines miette would show around the span are short enough to show: a
    /// line of tens of thousands of characters is unreadable, and miette panics on columns
    /// past 65,535 (a format width). The header still names `file:line:col`.
    fn source_lines_are_short(&self) -> bool {
        let (Some(file), Some(span)) = (self.file.as_ref(), self.span) else {
            return true;
        };
        let starts = file.line_starts();
        let first = file.line_index(span.start).saturating_sub(1);
        let last = file.line_index(span.end).saturating_add(1);
        (first..=last).all(|line| {
            let start = starts.get(line).copied().unwrap_or(file.text.len());
            let end = starts
                .get(line.saturating_add(1))
                .copied()
                .unwrap_or(file.text.len());
            end.saturating_sub(start) <= MAX_SHOWN_LINE_BYTES
        })
    }
}

/// Longest source line a rendered diagnostic shows.
const MAX_SHOWN_LINE_BYTES: usize = 4096;

/// The diagnostic as miette renders it under our own `file:line:col: error[CODE]: message`
/// header, which already names the code.
struct WithoutCode<'a>(&'a Diagnostic);

impl fmt::Debug for WithoutCode<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0, f)
    }
}

impl fmt::Display for WithoutCode<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.0, f)
    }
}

impl std::error::Error for WithoutCode<'_> {}

impl miette::Diagnostic for WithoutCode<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        miette::Diagnostic::severity(self.0)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        miette::Diagnostic::help(self.0)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        miette::Diagnostic::source_code(self.0)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        miette::Diagnostic::labels(self.0)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.kind, f)
    }
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        miette::Diagnostic::code(&*self.kind)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        miette::Diagnostic::help(&*self.kind)
    }

    // Without the lines when they are too long to show (miette would panic on them).
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.file
            .as_ref()
            .filter(|_| self.source_lines_are_short())
            .map(|f| &**f as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if !self.source_lines_are_short() {
            return None;
        }
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

/// A source file as miette reads it, with its name, without copying the text: diagnostics
/// share the file (a large policy with many problems must not hold a copy per problem), and
/// miette reads only the lines around the span (it would otherwise scan the file from its
/// start for every diagnostic: quadratic in a file of thousands of warnings).
impl miette::SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let starts = self.line_starts();
        let first_line = self
            .line_index(span.offset())
            .saturating_sub(context_lines_before);
        let last_line = self
            .line_index(span.offset() + span.len())
            .saturating_add(context_lines_after)
            .saturating_add(1);
        let window_start = starts.get(first_line).copied().unwrap_or(0);
        let window_end = starts
            .get(last_line.saturating_add(1))
            .copied()
            .unwrap_or(self.text.len());
        let window = self
            .text
            .get(window_start..window_end)
            .ok_or(miette::MietteError::OutOfBounds)?;
        let local = SourceSpan::new(
            span.offset().saturating_sub(window_start).into(),
            span.len(),
        );
        let contents = window.read_span(&local, context_lines_before, context_lines_after)?;
        let found = contents.span();
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            SourceSpan::new((found.offset() + window_start).into(), found.len()),
            contents.line() + first_line,
            contents.column(),
            contents.line_count(),
        )))
    }
}
