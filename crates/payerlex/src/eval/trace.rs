//! The recording tracer behind `--explain`: each evaluated clause with its value, and each
//! report fact read with where its value came from.

use super::decision::{ClauseTrace, Explanation, FactTrace};
use super::evaluate::Tracer;
use super::fact_cache::FactSource;
use super::tri::Tri;
use crate::compile::{FactTable, Node};
use crate::source::SourceFile;

/// Records an [`Explanation`].
pub struct Recorder<'a> {
    source: &'a SourceFile,
    facts: &'a FactTable,
    explanation: Explanation,
}

impl<'a> Recorder<'a> {
    /// A recorder for one rule of `source`.
    pub fn new(source: &'a SourceFile, facts: &'a FactTable) -> Self {
        Self {
            source,
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
        let (line, col) = self.source.line_col(node.span.start);
        let clause = self
            .source
            .snippet(node.span)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let trace = ClauseTrace {
            clause,
            value: value.as_option(),
            at: format!("{}:{line}:{col}", self.source.name),
        };
        // A negation written as one construct (`has no modifier`, `not in`, `no line ...`,
        // `!=`) is checked as `not (positive form)` with the same span, and the positive form
        // is traced just before it: keep only the value of what the author wrote.
        if let Some(last) = self.explanation.clauses.last_mut() {
            if last.at == trace.at && last.clause == trace.clause {
                *last = trace;
                return;
            }
        }
        self.explanation.clauses.push(trace);
    }

    fn fact(&mut self, index: usize, value: Tri, source: FactSource<'_>) {
        let fact = self.facts.name(index).to_owned();
        if self.explanation.facts.iter().any(|f| f.fact == fact) {
            return;
        }
        self.explanation.facts.push(FactTrace {
            fact,
            value: value.as_option(),
            source: source.describe(),
        });
    }
}
