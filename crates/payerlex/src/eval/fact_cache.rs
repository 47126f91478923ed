//! Per-claim report facts, resolved lazily and at most once.
//!
//! A stated fact wins; otherwise a fact with phrases is derived from the report text (one
//! scan of the text for all facts); otherwise it is unknown. Without any report, every fact
//! is unknown, which turns documentation rules into "not evaluated" advice.

use std::cell::Cell;

use super::tri::Tri;
use crate::compile::FactTable;
use crate::facts::Report;

/// Where a fact's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactSource<'a> {
    /// The claim has no report.
    NoReport,
    /// The caller stated it.
    Stated,
    /// A phrase was found in the report text.
    PhraseFound(&'a str),
    /// The report text has none of the phrases.
    PhraseAbsent,
    /// The report has no text and does not state the fact.
    NotStated,
}

impl FactSource<'_> {
    /// A short description for explanations.
    pub fn describe(&self) -> String {
        match self {
            FactSource::NoReport => "no report on the claim".into(),
            FactSource::Stated => "stated by the caller".into(),
            FactSource::PhraseFound(p) => format!("report text contains \"{p}\""),
            FactSource::PhraseAbsent => {
                "none of the policy's phrases occur in the report text".into()
            }
            FactSource::NotStated => {
                "the report neither states it nor has text to derive it from".into()
            }
        }
    }
}

/// Lazily resolved facts of one claim.
pub struct FactCache<'a> {
    table: &'a FactTable,
    report: Option<&'a Report>,
    scanned: Cell<Option<u64>>,
}

impl<'a> FactCache<'a> {
    /// A cache for one claim's report.
    pub fn new(table: &'a FactTable, report: Option<&'a Report>) -> Self {
        Self {
            table,
            report,
            scanned: Cell::new(None),
        }
    }

    /// The value of fact `index`.
    #[inline]
    pub fn get(&self, index: usize) -> Tri {
        self.lookup(index, false).0
    }

    /// The value of fact `index` and where it came from (for explanations).
    pub fn resolve(&self, index: usize) -> (Tri, FactSource<'a>) {
        self.lookup(index, true)
    }

    fn scan(&self, text: &str) -> u64 {
        match self.scanned.get() {
            Some(bits) => bits,
            None => {
                let bits = self.table.scan(text);
                self.scanned.set(Some(bits));
                bits
            }
        }
    }

    fn lookup(&self, index: usize, with_phrase: bool) -> (Tri, FactSource<'a>) {
        let Some(report) = self.report else {
            return (Tri::Unknown, FactSource::NoReport);
        };
        if let Some(&stated) = report.facts.get(self.table.name(index)) {
            return (Tri::from_bool(stated), FactSource::Stated);
        }
        match (&report.text, self.table.has_phrases(index)) {
            (Some(text), true) => {
                if self.scan(text) & (1 << index) != 0 {
                    let phrase = if with_phrase {
                        self.table.first_phrase_in(index, text).unwrap_or("")
                    } else {
                        ""
                    };
                    (Tri::True, FactSource::PhraseFound(phrase))
                } else {
                    (Tri::False, FactSource::PhraseAbsent)
                }
            }
            _ => (Tri::Unknown, FactSource::NotStated),
        }
    }
}
