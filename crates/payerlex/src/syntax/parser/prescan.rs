//! A cheap scan of an item's text before pest parses it: unbalanced brackets and nesting deep
//! enough to exhaust the stack are reported here, where the position is still known.
//!
//! pest and the AST walker recurse once per level of parentheses, `not` and arithmetic
//! operator, so ~1,000 nested parentheses or ~10,000 chained `not`s overflow the stack. The
//! scan bounds all three before any recursion happens. It also turns pest's vague "expected an
//! operator" at the end of a rule with an unclosed `(` into "unclosed `(`" at the `(`.

use crate::diagnostics::{Problem, SyntaxError};
use crate::source::Span;
use crate::syntax::chunks::Chunk;

/// The depth limits the scan enforces (from [`crate::Limits`], capped by its ceilings).
#[derive(Debug, Clone, Copy)]
pub(super) struct Depth {
    /// Most nested parentheses or brackets in one item.
    pub(super) nesting: usize,
    /// Most `not`s, and most arithmetic operators, in one item (each nests the AST a level).
    pub(super) chain: usize,
}

/// The first structural problem of a chunk, if any.
pub(super) fn prescan(chunk: Chunk<'_>, depth: Depth) -> Option<Problem> {
    let bytes = chunk.text.as_bytes();
    let mut open: Vec<(usize, u8)> = Vec::new();
    let (mut nots, mut operators) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        match byte {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'(' | b'[' => {
                open.push((i, byte));
                if open.len() > depth.nesting {
                    return Some(too_deep(chunk, i, depth.nesting, "nesting_depth"));
                }
            }
            b')' | b']' => {
                open.pop();
            }
            b'+' | b'*' => operators += 1,
            b'-' if i > 0 && bytes[i - 1].is_ascii_whitespace() => operators += 1,
            b'n' if word_at(bytes, i, b"not") => nots += 1,
            _ => {}
        }
        if nots > depth.chain || operators > depth.chain {
            return Some(too_deep(chunk, i, depth.chain, "operator_chain"));
        }
        i += 1;
    }
    let (at, delimiter) = open.first().copied()?;
    Some(Problem::error(
        Span {
            start: chunk.offset + at,
            end: chunk.offset + at + 1,
        },
        SyntaxError::Unclosed {
            delimiter: char::from(delimiter),
        },
        "opened here, never closed",
    ))
}

fn word_at(bytes: &[u8], i: usize, word: &[u8]) -> bool {
    let boundary = |b: Option<&u8>| !b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
    bytes.get(i..i + word.len()) == Some(word)
        && boundary(i.checked_sub(1).and_then(|j| bytes.get(j)))
        && boundary(bytes.get(i + word.len()))
}

fn too_deep(chunk: Chunk<'_>, at: usize, limit: usize, name: &'static str) -> Problem {
    Problem::error(
        Span {
            start: chunk.offset + at,
            end: chunk.offset + at + 1,
        },
        SyntaxError::TooDeep { limit, name },
        "too deep",
    )
}
