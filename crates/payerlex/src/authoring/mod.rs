//! Tools for policy authors: what `payerlex fmt`, `payerlex lsp` and `payerlex explain` need
//! beyond the facade.
//!
//! These read the existing stages rather than repeating them: the formatter lexes the text
//! (comments are not in the AST) but takes a rule's structure from the parser; the symbol
//! tables, hover, completion and definitions read the AST with its spans; diagnostics are
//! the loader's own; the code lookup reads a loaded pack's checked rules, its trigger index
//! and its tables. Nothing here is needed to check claims.

mod compare;
mod complete;
pub mod explain;
pub mod format;
mod hover;
mod navigate;
mod symbols;
mod workspace;

pub use compare::program_difference;
pub use complete::{Completion, CompletionKind};
pub use explain::{explain, CodeReport, ExplainError, PackReport, RuleReport};
pub use format::{format_policy, FormatError};
pub use hover::Hover;
pub use navigate::{RuleLens, Symbol, SymbolKind};
pub use workspace::{normalize, FileDiagnostic, Location, Workspace};
