//! Walks pest's parse tree into the AST, chunk by chunk.
//!
//! The grammar guarantees the shape of every pair it accepts; where this walker would have to
//! assume that shape (the third child of a comparison, say), it returns an
//! [`InternalError`] instead of a default, so a grammar change that breaks an assumption is a
//! loud bug, never a silently always-true condition.

mod errors;
mod exprs;
mod items;
mod prescan;

use pest::iterators::Pair;
use pest::Parser as _;

use super::ast::*;
use super::chunks::{split, Chunk};
use crate::diagnostics::{InternalError, PackError, Problem};
use crate::limits::Limits;

#[derive(pest_derive::Parser)]
#[grammar = "syntax/grammar.pest"]
struct PolicyParser;

/// What walking a pair can fail with: only a broken invariant of the walker itself.
type Built<T> = Result<T, InternalError>;

/// A parsed policy file: the items that parsed, the syntax errors of those that did not, and
/// the names those broken items declare (so that the checker can still check the rest of the
/// file without reporting every use of a broken set as unknown).
#[derive(Debug)]
pub struct ParsedPolicy {
    /// The policy, when its header parsed (the items that parsed, in order).
    pub ast: Option<PolicyAst>,
    /// One syntax error per broken item.
    pub errors: Vec<Problem>,
    /// Names declared by the broken items (`set NAME = ...`).
    pub broken_names: Vec<String>,
}

/// Parses a whole policy file under the default [`Limits`], collecting one syntax error per
/// broken chunk.
pub fn parse_policy(source: &str) -> ParsedPolicy {
    parse_policy_with(source, &Limits::default())
}

/// Parses a whole policy file under `limits` (nesting depth, operator chain, items per file),
/// collecting one syntax error per broken chunk. A file with more items than the limit is
/// refused whole, before any item is parsed.
pub fn parse_policy_with(source: &str, limits: &Limits) -> ParsedPolicy {
    on_enough_stack(|| parse_chunks(source, limits))
}

fn parse_chunks(source: &str, limits: &Limits) -> ParsedPolicy {
    let (header_chunk, item_chunks) = split(source);
    let mut errors = Vec::new();
    if let Some(first_over) = item_chunks.get(limits.items_per_file) {
        let span = Span {
            start: first_over.offset,
            end: first_over.offset + first_over.text.find('\n').unwrap_or(first_over.text.len()),
        };
        errors.push(Problem::error(
            span,
            PackError::LimitExceeded {
                what: "the number of items in this policy file".to_owned(),
                limit: "items_per_file",
                value: u64::try_from(limits.items_per_file).unwrap_or(u64::MAX),
            },
            "this item is one too many",
        ));
        return ParsedPolicy {
            ast: None,
            errors,
            broken_names: Vec::new(),
        };
    }
    let depth = prescan::Depth {
        nesting: limits.effective_nesting_depth(),
        chain: limits.effective_operator_chain(),
    };
    let mut broken_names = Vec::new();
    let header = parse_chunk(header_chunk, Rule::header_chunk, depth)
        .and_then(|pair| {
            items::header(pair, header_chunk.offset).map_err(|e| internal(e, header_chunk))
        })
        .map_err(|e| errors.push(e))
        .ok();
    let mut items = Vec::new();
    for chunk in item_chunks {
        let built = parse_chunk(chunk, Rule::item_chunk, depth)
            .and_then(|pair| items::items(pair, chunk.offset).map_err(|e| internal(e, chunk)));
        match built {
            Ok(built) => items.extend(built),
            Err(error) => {
                errors.push(error);
                broken_names.extend(chunk.text.split_whitespace().nth(1).map(str::to_owned));
            }
        }
    }
    let ast = header.map(|(name, version, effective)| PolicyAst {
        name,
        version,
        effective,
        items,
    });
    ParsedPolicy {
        ast,
        errors,
        broken_names,
    }
}

/// Runs `work` with at least [`STACK_RED_ZONE`] of stack left, on a fresh segment when the
/// caller's thread is short (a host's worker thread may have as little as 2 MiB). Parsing and
/// checking recurse once per level of nesting; the prescan bounds the levels, this bounds the
/// bytes, so a debug build on a small thread stack does not overflow either.
pub(crate) fn on_enough_stack<R>(work: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, work)
}

/// Stack that must remain before a policy file is parsed, checked or compiled: at the
/// nesting limit a debug build needs about 2 MiB.
const STACK_RED_ZONE: usize = 4 * 1024 * 1024;
/// Size of a fresh stack segment when it does not (reserved, committed as used).
const STACK_SEGMENT: usize = 32 * 1024 * 1024;

fn parse_chunk(
    chunk: Chunk<'_>,
    rule: Rule,
    depth: prescan::Depth,
) -> Result<Pair<'_, Rule>, Problem> {
    if let Some(problem) = prescan::prescan(chunk, depth) {
        return Err(problem);
    }
    let mut pairs =
        PolicyParser::parse(rule, chunk.text).map_err(|e| errors::syntax_error(&e, chunk))?;
    pairs.next().ok_or_else(|| {
        internal(
            InternalError {
                what: "the parser accepted a chunk without producing it",
            },
            chunk,
        )
    })
}

fn internal(error: InternalError, chunk: Chunk<'_>) -> Problem {
    let span = Span {
        start: chunk.offset,
        end: chunk.offset + chunk.text.len().min(1),
    };
    Problem::error(span, error, "while reading this item")
}

fn span_of(pair: &Pair<'_, Rule>, offset: usize) -> Span {
    let s = pair.as_span();
    Span {
        start: offset + s.start(),
        end: offset + s.end(),
    }
}

fn spanned(pair: &Pair<'_, Rule>, offset: usize) -> Spanned<String> {
    Spanned {
        node: pair.as_str().to_owned(),
        span: span_of(pair, offset),
    }
}

/// The next child of a pair, which the grammar guarantees.
fn child<'a>(
    pairs: &mut pest::iterators::Pairs<'a, Rule>,
    what: &'static str,
) -> Built<Pair<'a, Rule>> {
    pairs.next().ok_or(InternalError { what })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"policy medicare.3d-rendering
version 2026.1.0
effective 2026-01-01

set three_d     = 76376, 76377
set base_study  = 70450..70498, 71250..71275, G0288
phrases workstation = "independent workstation", "dedicated 3d workstation"

rule integral-to-angiography
  cite "NCCI PTP, modifier indicator 0"
  when line.code in three_d and any line on same date where code in [70496, 70498]
  deny carc 97 rarc M15 "3D rendering is included in CT/MR angiography"
"#;

    #[test]
    fn parses_the_sample() {
        let parsed = parse_policy(SAMPLE);
        assert!(parsed.errors.is_empty());
        let ast = parsed.ast.unwrap();
        assert_eq!(ast.name.node, "medicare.3d-rendering");
        assert_eq!(ast.version.node, "2026.1.0");
        assert_eq!(ast.items.len(), 4);
        let Item::Rule(rule) = &ast.items[3] else {
            panic!("expected a rule")
        };
        assert_eq!(rule.name.node, "integral-to-angiography");
        assert_eq!(rule.outcome.carc.as_ref().unwrap().node, "97");
        let ExprKind::And(parts) = &rule.when[0].kind else {
            panic!("expected and: {:?}", rule.when[0].kind)
        };
        assert!(matches!(
            parts[1].kind,
            ExprKind::Quantified { none: false, .. }
        ));
    }

    #[test]
    fn collects_one_error_per_broken_item() {
        let src = "policy p\nversion 1.0.0\nset a = 1,\nrule r\n  when line.units > \n  deny carc 4 \"m\"\nset ok = 1\n";
        let errors = parse_policy(src).errors;
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].kind.to_string().contains("expected"),
            "{}",
            errors[0].kind
        );
    }
}
