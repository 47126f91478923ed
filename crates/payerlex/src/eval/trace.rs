//! The recording tracer behind `--explain`: each evaluated clause with its value, and each
//! report fact read with where its value came from.
//!
//! Cost: a clause's text (whitespace normalised) and its `file:line:col` depend only on the
//! rule, so they are rendered once per rule ([`clause_texts`], cached on the compiled rule)
//! and each traced clause costs a lookup by span and two string copies, not a scan of the
//! policy file.

use super::decision::{ClauseTrace, Explanation, FactTrace};
use super::evaluate::Tracer;
use super::fact_cache::FactSource;
use super::tri::Tri;
use crate::compile::{FactTable, Node, NodeKind};
use crate::source::{SourceFile, Span};

/// A clause as an explanation shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseText {
    /// Where the clause is written.
    span: Span,
    /// Its text, whitespace runs made one space.
    clause: String,
    /// `file:line:col`.
    at: String,
}

impl ClauseText {
    fn render(source: &SourceFile, span: Span) -> Self {
        let (line, col) = source.line_col(span.start);
        Self {
            span,
            clause: source
                .snippet(span)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            at: format!("{}:{line}:{col}", source.name),
        }
    }
}

/// The texts of every clause of `condition` a [`Recorder`] can be shown: the condition and
/// the parts of its `all`/`any`/`not` nodes (a quantifier's filter is never traced).
pub fn clause_texts(source: &SourceFile, condition: &Node) -> std::sync::Arc<[ClauseText]> {
    let mut texts: Vec<ClauseText> = Vec::new();
    let mut pending = vec![condition];
    while let Some(node) = pending.pop() {
        match &node.kind {
            NodeKind::All(parts) | NodeKind::Any(parts) => pending.extend(parts.iter()),
            NodeKind::Not(inner) => {
                pending.push(inner);
                texts.push(ClauseText::render(source, node.span));
            }
            _ => texts.push(ClauseText::render(source, node.span)),
        }
    }
    texts.into()
}

/// Records an [`Explanation`].
pub struct Recorder<'a> {
    texts: &'a [ClauseText],
    facts: &'a FactTable,
    explanation: Explanation,
}

impl<'a> Recorder<'a> {
    /// A recorder for one rule whose clause texts are `texts` (see [`clause_texts`]).
    pub fn new(texts: &'a [ClauseText], facts: &'a FactTable) -> Self {
        Self {
            texts,
            facts,
            explanation: Explanation::default(),
        }
    }

    /// The explanation recorded.
    pub fn finish(self) -> Explanation {
        self.explanation
    }
}

impl Tracer for Recorder<'_> {
    const ENABLED: bool = true;

    fn clause(&mut self, node: &Node, value: Tri) {
        // Every traced node has a text (see `clause_texts`); a node without one is skipped
        // rather than rendered wrong.
        let Some(text) = self.texts.iter().find(|t| t.span == node.span) else {
            return;
        };
        // A negation written as one construct (`has no modifier`, `not in`, `no line ...`,
        // `!=`) is checked as `not (positive form)` with the same span, and the positive form
        // is traced just before it: keep only the value of what the author wrote.
        if let Some(last) = self.explanation.clauses.last_mut() {
            if last.at == text.at && last.clause == text.clause {
                last.value = value.as_option();
                return;
            }
        }
        let trace = ClauseTrace {
            clause: text.clause.clone(),
            value: value.as_option(),
            at: text.at.clone(),
        };
        self.explanation.clauses.push(trace);
    }

    fn fact(&mut self, index: usize, value: Tri, source: FactSource<'_>) {
        let fact = self.facts.name(index);
        if self.explanation.facts.iter().any(|f| f.fact == fact) {
            return;
        }
        self.explanation.facts.push(FactTrace {
            fact: fact.to_owned(),
            value: value.as_option(),
            source: source.describe(),
        });
    }
}
