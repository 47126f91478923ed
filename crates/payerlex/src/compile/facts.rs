//! The report facts of a compiled pack, and one automaton that finds all their phrases.
//!
//! A report is scanned at most once per claim, and only when a rule asks for a fact that the
//! caller did not state: one Aho-Corasick pass (ASCII case-insensitive) marks every fact whose
//! phrases occur.

use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::ir::FactDecl;

/// Report facts of a pack, by index.
#[derive(Debug, Clone)]
pub struct FactTable {
    names: Vec<Arc<str>>,
    has_phrases: Vec<bool>,
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
                patterns.push(phrase.clone());
                pattern_fact.push(index);
            }
        }
        if names.len() > MAX_FACTS {
            return Err(FactTableError::TooMany {
                max: MAX_FACTS,
                count: names.len(),
            });
        }
        let mut has_phrases = vec![false; names.len()];
        for &f in &pattern_fact {
            if let Some(slot) = has_phrases.get_mut(f) {
                *slot = true;
            }
        }
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
            has_phrases,
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
        self.has_phrases.get(index).copied().unwrap_or(false)
    }

    /// Scans a report: bit `i` set when a phrase of fact `i` occurs (see [`FactTable::matches`]).
    pub fn scan(&self, text: &str) -> u64 {
        self.matches(text)
            .fold(0u64, |found, (fact, _)| found | (1 << fact))
    }

    /// The first phrase of fact `index` found in `text`, for explanations.
    pub fn first_phrase_in<'a>(&'a self, index: usize, text: &'a str) -> Option<&'a str> {
        self.matches(text)
            .find(|(fact, _)| *fact == index)
            .map(|(_, phrase)| phrase)
    }

    /// Phrase occurrences that count: whole words only (`MIP` does not match "imipenem"), and
    /// not negated earlier in the same sentence ("not medically necessary", "without an
    /// independent workstation"), in the manner of NegEx.
    fn matches<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (usize, &'a str)> + 'a {
        self.automaton
            .iter()
            .flat_map(move |automaton| automaton.find_overlapping_iter(text))
            .filter(move |m| whole_words(text, m.start(), m.end()) && !negated(text, m.start()))
            .filter_map(move |m| {
                let i = m.pattern().as_usize();
                Some((*self.pattern_fact.get(i)?, self.patterns.get(i)?.as_str()))
            })
    }
}

/// Words that negate a phrase when they stand shortly before it in the same sentence.
const NEGATIONS: &[&str] = &[
    "no", "not", "without", "never", "denies", "denied", "absent", "neither", "nor", "cannot",
];

/// How many words before a phrase a negation still applies to.
const NEGATION_WINDOW: usize = 4;

fn whole_words(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).and_then(|t| t.chars().next_back());
    let after = text.get(end..).and_then(|t| t.chars().next());
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

fn negated(text: &str, start: usize) -> bool {
    // Walk back word by word from the phrase, within its sentence, at most NEGATION_WINDOW
    // words: no allocation, no scan of the whole text.
    let bytes = text.as_bytes();
    let mut end = start.min(bytes.len());
    for _ in 0..NEGATION_WINDOW {
        // Skip separators back to the previous word; stop at a sentence boundary.
        while end > 0 {
            match bytes[end - 1] {
                b'.' | b';' | b'\n' | b'!' | b'?' => return false,
                b if b.is_ascii_alphanumeric() || b == b'\'' || b >= 0x80 => break,
                _ => end -= 1,
            }
        }
        if end == 0 {
            return false;
        }
        let mut begin = end;
        while begin > 0
            && (bytes[begin - 1].is_ascii_alphanumeric()
                || bytes[begin - 1] == b'\''
                || bytes[begin - 1] >= 0x80)
        {
            begin -= 1;
        }
        let word = &bytes[begin..end];
        let negation = NEGATIONS
            .iter()
            .any(|n| word.eq_ignore_ascii_case(n.as_bytes()))
            || word.len() > 3 && word[word.len() - 3..].eq_ignore_ascii_case(b"n't");
        if negation {
            return true;
        }
        end = begin;
    }
    false
}
