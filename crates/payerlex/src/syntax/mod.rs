//! Stage 1: policy text to an AST with spans.
//!
//! The grammar lives in `grammar.pest` (pest). This stage knows nothing of codes or types; it
//! only turns text into [`ast::PolicyAst`] and reports every syntax error it can find.

pub mod ast;
mod chunks;
mod parser;

pub(crate) use chunks::ITEM_KEYWORDS;
pub(crate) use parser::on_enough_stack;
pub use parser::{parse_policy, parse_policy_with};
