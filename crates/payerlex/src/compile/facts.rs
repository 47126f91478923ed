//! The report facts of a compiled pack, and one automaton that finds all their phrases.
//!
//! A report is scanned at most once per claim, and only when a rule asks for a fact that the
//! caller did not state: one Aho-Corasick pass (ASCII case-insensitive, over the text folded
//! by [`negation::fold`]) marks every fact whose phrases occur and state it.

use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::negation;
use crate::ir::FactDecl;

/// Report facts of a pack, by index.
#[derive(Debug, Clone)]
pub struct FactTable {
    names: Vec<Arc<str>>,
    /// Bit `i` set when fact `i` has phrases (derivable from report text).
    phrased: u64,
    /// Phrase automaton; pattern `i` belongs to fact `pattern_fact[i]`.
    automaton: Option<AhoCorasick>,
    pattern_fact: Vec<usize>,
    patterns: Vec<String>,
}

/// Why the fact table could not be built.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FactTableError {
    /// More facts than the per-claim cache holds.
    #[error("a pack may read at most {max} report facts, this one reads {count}")]
    TooMany {
        /// The limit.
        max: usize,
        /// How many.
        count: usize,
    },
    /// The automaton could not be built.
    #[error("cannot build the phrase matcher: {0}")]
    Automaton(String),
}

/// Most facts a pack may read (the per-claim cache is a 64-bit mask).
pub const MAX_FACTS: usize = 64;

impl FactTable {
    /// Builds the table from declarations; phrase lists of one name are merged.
    pub fn build(decls: &[FactDecl]) -> Result<Self, FactTableError> {
        let mut names: Vec<Arc<str>> = Vec::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_fact = Vec::new();
        for decl in decls {
            let index = match names.iter().position(|n| *n == decl.name) {
                Some(i) => i,
                None => {
                    names.push(decl.name.clone());
                    names.len() - 1
                }
            };
            for phrase in decl.phrases.iter() {
                patterns.push(negation::fold(phrase).into_owned());
                pattern_fact.push(index);
            }
        }
        if names.len() > MAX_FACTS {
            return Err(FactTableError::TooMany {
                max: MAX_FACTS,
                count: names.len(),
            });
        }
        // `names.len() <= MAX_FACTS` (64), checked above.
        let phrased = pattern_fact.iter().fold(0u64, |bits, &f| bits | (1 << f));
        let automaton = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(&patterns)
                    .map_err(|e| FactTableError::Automaton(e.to_string()))?,
            )
        };
        Ok(Self {
            names,
            phrased,
            automaton,
            pattern_fact,
            patterns,
        })
    }

    /// Index of a fact by name.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| &**n == name)
    }

    /// A fact's name.
    pub fn name(&self, index: usize) -> &str {
        self.names.get(index).map_or("", |n| n)
    }

    /// Whether the fact can be derived from report text.
    pub fn has_phrases(&self, index: usize) -> bool {
        index < MAX_FACTS && self.phrased & (1 << index) != 0
    }

    /// Scans a report: bit `i` set when a phrase of fact `i` occurs (see [`FactTable::matches`]).
    ///
    /// Same result as folding [`FactTable::matches`], but an occurrence of a fact already
    /// established is not read for negation again, and the scan stops once every fact with
    /// phrases is established: long reports repeat their phrases, and the negation check is
    /// most of the scan's cost.
    pub fn scan(&self, text: &str) -> u64 {
        let Some(automaton) = &self.automaton else {
            return 0;
        };
        let folded = negation::fold(text);
        let text: &str = &folded;
        let all = self.phrased;
        let mut found = 0u64;
        for m in automaton.find_overlapping_iter(text) {
            let Some(&fact) = self.pattern_fact.get(m.pattern().as_usize()) else {
                continue;
            };
            let bit = 1u64 << fact;
            if found & bit == 0 && negation::occurrence_states(text, m.start(), m.end()) {
                found |= bit;
                if found == all {
                    break;
                }
            }
        }
        found
    }

    /// The first phrase of fact `index` found in `text`, for explanations.
    pub fn first_phrase_in(&self, index: usize, text: &str) -> Option<&str> {
        let folded = negation::fold(text);
        let first = self
            .matches(&folded)
            .find(|(fact, _)| *fact == index)
            .map(|(_, phrase)| phrase);
        first
    }

    /// Phrase occurrences in folded `text` that state their phrase: whole words only (`MIP`
    /// does not match "imipenem"), and not negated before or after (see [`negation`]).
    fn matches<'s, 't>(&'s self, text: &'t str) -> impl Iterator<Item = (usize, &'s str)> + 't
    where
        's: 't,
    {
        self.automaton
            .iter()
            .flat_map(move |automaton| automaton.find_overlapping_iter(text))
            .filter(move |m| negation::occurrence_states(text, m.start(), m.end()))
            .filter_map(move |m| {
                let i = m.pattern().as_usize();
                Some((*self.pattern_fact.get(i)?, self.patterns.get(i)?.as_str()))
            })
    }
}
