//! How report text is read for phrases: case folding and negation, in one place.
//!
//! A report fact is established by a phrase of its list occurring in the report, but only
//! when that occurrence actually states it. Radiology reports negate in three ways, and
//! each counts as "not stated":
//!
//! - a negation shortly **before** the phrase in its sentence, in the manner of NegEx: "no",
//!   "not", "without", "never", "denies", "absent", ... or any "n't" word ("wasn't", also
//!   with a curly apostrophe) among the [`WINDOW_BEFORE`] words before it;
//! - the prefix **non** directly before it ("non-independent workstation", "a non independent
//!   workstation"); only directly, so "non-contrast CT on an independent workstation" still
//!   states the workstation;
//! - a negation **after** it, as report templates write them: an answer that ends the clause
//!   ("Independent workstation: no.", "Concurrent supervision: N/A", "...: none"), or a
//!   negated verb right after it ("independent workstation was not used", "... wasn't used",
//!   "... not used"). A phrase followed by a finding that merely starts with "no" ("3D images
//!   demonstrate no displacement") is stated.
//!
//! Matching is case-insensitive with Unicode lower-casing ([`fold`]): "İNDEPENDENT" and
//! "Ä" fold like their lower-case letters, and curly apostrophes read as straight ones. Both
//! the compiled engine and the reference interpreter call [`occurrence_states`], so the two
//! cannot drift apart on what a negation is.

use std::borrow::Cow;

/// Words that negate a phrase when they stand shortly before it in the same sentence.
const NEGATIONS_BEFORE: &[&str] = &[
    "no", "not", "without", "never", "denies", "denied", "absent", "neither", "nor", "cannot",
];

/// How many words before a phrase a negation still applies to.
pub const WINDOW_BEFORE: usize = 4;

/// Answers that negate the phrase before them when they end its clause ("...: no.").
const NEGATIVE_ANSWERS: &[&str] = &[
    "no",
    "none",
    "n/a",
    "na",
    "false",
    "absent",
    "not applicable",
    "not used",
    "not performed",
    "not done",
    "not documented",
];

/// Auxiliary verbs that, followed by "not" or "never", negate the phrase before them.
const AUXILIARIES: &[&str] = &[
    "was", "were", "is", "are", "be", "been", "has", "have", "had", "did", "does", "do", "will",
];

/// Participles that, right after "not", negate the phrase before them ("... not used").
const NEGATED_PARTICIPLES: &[&str] = &[
    "used",
    "utilized",
    "performed",
    "done",
    "available",
    "applicable",
    "documented",
    "provided",
    "obtained",
    "present",
];

/// Report text (or a phrase) in the form phrases are matched in: Unicode lower case, curly
/// apostrophes (’ ‘) as `'`. ASCII text without capitals comes back borrowed; the matcher
/// compares ASCII case-insensitively anyway, so plain ASCII text is also borrowed.
pub fn fold(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let mut folded = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' => folded.push('\''),
            _ => folded.extend(c.to_lowercase()),
        }
    }
    Cow::Owned(folded)
}

/// Whether the phrase occurrence at `start..end` of folded `text` states the phrase: it is a
/// whole word sequence and is not negated (see the module docs).
pub fn occurrence_states(text: &str, start: usize, end: usize) -> bool {
    whole_words(text, start, end) && !negated_before(text, start) && !negated_after(text, end)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\''
}

fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | ';' | '\n' | '!' | '?')
}

fn whole_words(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).and_then(|t| t.chars().next_back());
    let after = text.get(end..).and_then(|t| t.chars().next());
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

fn is_negation_word(word: &str) -> bool {
    NEGATIONS_BEFORE
        .iter()
        .any(|n| word.eq_ignore_ascii_case(n))
        || ends_in_nt(word)
}

fn ends_in_nt(word: &str) -> bool {
    word.len() > 3
        && word
            .get(word.len() - 3..)
            .is_some_and(|tail| tail.eq_ignore_ascii_case("n't"))
}

/// A negation among the `WINDOW_BEFORE` words before `start` in its sentence, or "non"
/// directly before it.
///
/// Reads backwards from the phrase over at most `WINDOW_BEFORE` words: the scan runs for
/// every phrase occurrence of every report, so it never walks the whole sentence (on long
/// report sentences that cost about 1,500 instructions per occurrence).
fn negated_before(text: &str, start: usize) -> bool {
    let Some(before) = text.get(..start) else {
        return false;
    };
    let mut words = WordsBack::new(before);
    let Some(directly_before) = words.next() else {
        return false;
    };
    // The prefix "non" directly before the phrase ("non-independent", "non independent").
    let gap = before.get(words.last_word_end..).unwrap_or("");
    if directly_before.eq_ignore_ascii_case("non") && matches!(gap, "-" | " " | "") {
        return true;
    }
    is_negation_word(directly_before)
        || words
            .take(WINDOW_BEFORE.saturating_sub(1))
            .any(is_negation_word)
}

/// The words of the sentence `text` ends in, last first, stopping at the sentence's start.
/// A word is a run of word characters ([`is_word_char`]); sentence ends are not word
/// characters, so no word spans two sentences.
struct WordsBack<'t> {
    text: &'t str,
    /// Where the unread part of `text` ends.
    end: usize,
    /// Where the first word returned (the one nearest the end) ends.
    last_word_end: usize,
    done: bool,
}

impl<'t> WordsBack<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text,
            end: text.len(),
            last_word_end: text.len(),
            done: false,
        }
    }
}

impl<'t> Iterator for WordsBack<'t> {
    type Item = &'t str;

    fn next(&mut self) -> Option<&'t str> {
        if self.done {
            return None;
        }
        let unread = self.text.get(..self.end).unwrap_or("");
        let (word_start, word_end) = match ascii_word_back(unread.as_bytes()) {
            Some(Some(word)) => word,
            Some(None) => {
                self.done = true;
                return None;
            }
            None => match unicode_word_back(unread) {
                Some(word) => word,
                None => {
                    self.done = true;
                    return None;
                }
            },
        };
        if self.end == self.text.len() {
            self.last_word_end = word_end;
        }
        self.end = word_start;
        self.text.get(word_start..word_end)
    }
}

/// The bounds of the last word of `bytes` before its sentence's start (`Some(None)`: there is
/// none), read byte by byte; `None` when a non-ASCII byte is met before the answer is known
/// (then [`unicode_word_back`] decides). Reports are mostly ASCII, and decoding characters
/// backwards cost about 25 instructions per character.
fn ascii_word_back(bytes: &[u8]) -> Option<Option<(usize, usize)>> {
    let mut end = bytes.len();
    loop {
        let Some(&b) = end.checked_sub(1).and_then(|i| bytes.get(i)) else {
            return Some(None);
        };
        if !b.is_ascii() {
            return None;
        }
        if is_word_byte(b) {
            break;
        }
        if ends_sentence(char::from(b)) {
            return Some(None);
        }
        end -= 1;
    }
    let mut start = end;
    while let Some(&b) = start.checked_sub(1).and_then(|i| bytes.get(i)) {
        if !b.is_ascii() {
            return None;
        }
        if !is_word_byte(b) {
            break;
        }
        start -= 1;
    }
    Some(Some((start, end)))
}

/// [`ascii_word_back`] for any text, by character.
fn unicode_word_back(unread: &str) -> Option<(usize, usize)> {
    let mut word_end = None;
    for (i, c) in unread.char_indices().rev() {
        if is_word_char(c) {
            word_end = Some(i + c.len_utf8());
            break;
        }
        if ends_sentence(c) {
            break;
        }
    }
    let word_end = word_end?;
    let word_start = unread
        .get(..word_end)
        .unwrap_or("")
        .char_indices()
        .rev()
        .find(|&(_, c)| !is_word_char(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    Some((word_start, word_end))
}

/// Whether an ASCII byte is a word character ([`is_word_char`]); one table read, since the
/// byte scans run over every byte near every phrase occurrence.
fn is_word_byte(b: u8) -> bool {
    WORD_BYTES.get(usize::from(b)).is_some_and(|&w| w)
}

/// `WORD_BYTES[b]`: `b` is an ASCII letter, digit or `'`.
const WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = byte.is_ascii_alphanumeric() || byte == b'\'';
        b += 1;
    }
    table
};

/// A negation right after the phrase, in its clause (up to a comma or the sentence's end, so
/// "..., not the console" is left to the words before it): a negative answer that is the
/// whole rest of the clause ("...: no."), or a negated verb ("was not used", "wasn't used",
/// "not used"). Reads at most two words and one answer past the phrase.
fn negated_after(text: &str, end: usize) -> bool {
    let Some(after) = text.get(end..) else {
        return false;
    };
    // Both forms start with the first word of the clause after the phrase (an answer's first
    // word, an auxiliary, "not", or an "n't" word), and both find it where `WordsForward`
    // does: the separators an answer may follow are neither word characters nor clause ends.
    // Most phrases are followed by a word that starts no negation, decided here.
    let mut words = WordsForward { rest: after };
    let Some(first) = words.next().filter(|w| may_start_negation_after(w)) else {
        return false;
    };
    // Answer form: separators (":", "-", "=", spaces), then a negative answer ending the clause.
    let answer = after.trim_start_matches(|c: char| {
        c != '\n' && (c.is_whitespace() || matches!(c, ':' | '-' | '='))
    });
    if NEGATIVE_ANSWERS.iter().any(|a| {
        answer
            .get(..a.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(a))
            && clause_is_blank(answer.get(a.len()..).unwrap_or(""))
    }) {
        return true;
    }
    // Verb form: "was not used", "wasn't used", "not used", "was never used".
    if ends_in_nt(first) {
        return true;
    }
    match words.next() {
        Some(neg) if AUXILIARIES.iter().any(|a| first.eq_ignore_ascii_case(a)) => {
            neg.eq_ignore_ascii_case("not") || neg.eq_ignore_ascii_case("never")
        }
        Some(participle) if first.eq_ignore_ascii_case("not") => NEGATED_PARTICIPLES
            .iter()
            .any(|p| participle.eq_ignore_ascii_case(p)),
        _ => false,
    }
}

/// The first words of [`NEGATIVE_ANSWERS`] ("n" of "n/a").
const ANSWER_FIRST_WORDS: &[&str] = &["no", "none", "n", "na", "false", "absent", "not"];

/// Whether `word`, right after a phrase, can start a negation of it (see [`negated_after`]).
fn may_start_negation_after(word: &str) -> bool {
    ends_in_nt(word)
        || ANSWER_FIRST_WORDS
            .iter()
            .chain(AUXILIARIES)
            .any(|w| word.eq_ignore_ascii_case(w))
}

fn ends_clause(c: char) -> bool {
    c == ',' || ends_sentence(c)
}

/// Whether `text` has nothing but white space before its clause ends.
fn clause_is_blank(text: &str) -> bool {
    text.chars()
        .find(|&c| ends_clause(c) || !c.is_whitespace())
        .map_or(true, ends_clause)
}

/// The words of the clause `rest` starts in, first first, stopping at the clause's end.
struct WordsForward<'t> {
    rest: &'t str,
}

impl<'t> Iterator for WordsForward<'t> {
    type Item = &'t str;

    fn next(&mut self) -> Option<&'t str> {
        let bytes = self.rest.as_bytes();
        match ascii_word_forward(bytes) {
            Some(Some((start, end))) => {
                let word = self.rest.get(start..end);
                self.rest = self.rest.get(end..).unwrap_or("");
                return word;
            }
            Some(None) => {
                self.rest = "";
                return None;
            }
            None => {}
        }
        let (start, _) = self
            .rest
            .char_indices()
            .find(|&(_, c)| is_word_char(c) || ends_clause(c))?;
        let from = self.rest.get(start..)?;
        if from.chars().next().is_some_and(ends_clause) {
            self.rest = "";
            return None;
        }
        let len = from.find(|c: char| !is_word_char(c)).unwrap_or(from.len());
        let (word, rest) = from.split_at(len);
        self.rest = rest;
        Some(word)
    }
}

/// The bounds of the first word of `bytes` before its clause ends (`Some(None)`: there is
/// none), read byte by byte; `None` when a non-ASCII byte is met first (see
/// [`ascii_word_back`]).
fn ascii_word_forward(bytes: &[u8]) -> Option<Option<(usize, usize)>> {
    let mut start = 0;
    loop {
        let &b = match bytes.get(start) {
            Some(b) => b,
            None => return Some(None),
        };
        if !b.is_ascii() {
            return None;
        }
        if is_word_byte(b) {
            break;
        }
        if ends_clause(char::from(b)) {
            return Some(None);
        }
        start += 1;
    }
    let mut end = start;
    while let Some(&b) = bytes.get(end) {
        if !b.is_ascii() {
            return None;
        }
        if !is_word_byte(b) {
            break;
        }
        end += 1;
    }
    Some(Some((start, end)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The quick reject in `negated_after` knows every answer's first word.
    #[test]
    fn answer_first_words_cover_every_negative_answer() {
        for answer in NEGATIVE_ANSWERS {
            let first = (WordsForward { rest: answer }).next().unwrap();
            assert!(ANSWER_FIRST_WORDS.contains(&first), "{answer}: {first}");
        }
    }

    /// The whole-sentence implementation the bounded scans replaced, kept to check that they
    /// agree on every text.
    mod whole_sentence {
        use super::super::{
            ends_in_nt, is_negation_word, is_word_char, AUXILIARIES, NEGATED_PARTICIPLES,
            NEGATIVE_ANSWERS, WINDOW_BEFORE,
        };

        fn ends_sentence_byte(b: u8) -> bool {
            matches!(b, b'.' | b';' | b'\n' | b'!' | b'?')
        }

        /// A negation among the `WINDOW_BEFORE` words before `start` in its sentence, or "non"
        /// directly before it.
        pub(super) fn negated_before(text: &str, start: usize) -> bool {
            let Some(before) = text.get(..start) else {
                return false;
            };
            // Sentence ends are ASCII, and an ASCII byte never occurs inside a multi-byte UTF-8
            // character, so a byte search finds the sentence start without decoding characters.
            let sentence_start = before
                .as_bytes()
                .iter()
                .rposition(|&b| ends_sentence_byte(b))
                .map_or(0, |i| i + 1);
            let sentence = before.get(sentence_start..).unwrap_or("");
            let mut words = sentence
                .split(|c: char| !is_word_char(c))
                .filter(|w| !w.is_empty())
                .rev();
            // The prefix "non" directly before the phrase ("non-independent", "non independent").
            // (Slices, not collected strings: the phrase scan runs per claim and allocates nothing.)
            let gap = sentence
                .get(sentence.trim_end_matches(|c: char| !is_word_char(c)).len()..)
                .unwrap_or("");
            let directly_before = words.next();
            if let Some(word) = directly_before {
                if word.eq_ignore_ascii_case("non") && matches!(gap, "-" | " " | "") {
                    return true;
                }
                if is_negation_word(word) {
                    return true;
                }
            }
            words
                .take(WINDOW_BEFORE.saturating_sub(1))
                .any(is_negation_word)
        }

        pub(super) fn negated_after(text: &str, end: usize) -> bool {
            let Some(after) = text.get(end..) else {
                return false;
            };
            // The clause the phrase belongs to: up to the sentence's end or a comma, so "..., not
            // the console" is left to the words before it (ASCII bytes, as in `negated_before`).
            let clause_end = after
                .as_bytes()
                .iter()
                .position(|&b| b == b',' || ends_sentence_byte(b))
                .unwrap_or(after.len());
            let clause = after.get(..clause_end).unwrap_or("");
            // Answer form: separators (":", "-", "=", spaces), then a negative answer ending the clause.
            let answer = clause
                .trim_start_matches(|c: char| {
                    c.is_whitespace() || matches!(c, ':' | '-' | '=' | '?')
                })
                .trim_end();
            if NEGATIVE_ANSWERS
                .iter()
                .any(|a| answer.eq_ignore_ascii_case(a))
            {
                return true;
            }
            // Verb form: "was not used", "wasn't used", "not used", "was never used".
            let mut words = clause
                .split(|c: char| !is_word_char(c))
                .filter(|w| !w.is_empty());
            match (words.next(), words.next()) {
                (Some(first), _) if ends_in_nt(first) => true,
                (Some(aux), Some(neg))
                    if AUXILIARIES.iter().any(|a| aux.eq_ignore_ascii_case(a)) =>
                {
                    neg.eq_ignore_ascii_case("not") || neg.eq_ignore_ascii_case("never")
                }
                (Some(neg), Some(participle)) if neg.eq_ignore_ascii_case("not") => {
                    NEGATED_PARTICIPLES
                        .iter()
                        .any(|p| participle.eq_ignore_ascii_case(p))
                }
                _ => false,
            }
        }
    }

    proptest! {
        /// The bounded scans decide every occurrence as reading the whole sentence did.
        #[test]
        fn bounded_scans_agree_with_whole_sentence_reading(
            words in proptest::collection::vec(
                prop_oneof![
                    Just("no"), Just("not"), Just("non"), Just("was"), Just("wasn't"),
                    Just("used"), Just("none"), Just("n/a"), Just("never"), Just("x"),
                    Just("workstation"), Just("é"), Just("ÄÖ"), Just("don’t"), Just("na"),
                    Just("not used"), Just("not documented"),
                ],
                0..12,
            ),
            seps in proptest::collection::vec(
                prop_oneof![
                    Just(" "), Just("  "), Just(", "), Just(". "), Just(": "), Just("-"),
                    Just("\n"), Just("="), Just("?"), Just(";"), Just("\u{a0}"), Just(""),
                ],
                12,
            ),
        ) {
            let mut text = String::new();
            for (word, sep) in words.iter().zip(&seps) {
                text.push_str(word);
                text.push_str(sep);
            }
            for at in 0..=text.len() {
                if text.is_char_boundary(at) {
                    prop_assert_eq!(
                        negated_before(&text, at),
                        whole_sentence::negated_before(&text, at),
                        "before {} in {:?}", at, text
                    );
                    prop_assert_eq!(
                        negated_after(&text, at),
                        whole_sentence::negated_after(&text, at),
                        "after {} in {:?}", at, text
                    );
                }
            }
        }
    }

    /// Whether folded `sentence` states folded `phrase` somewhere.
    fn states(sentence: &str, phrase: &str) -> bool {
        let text = fold(sentence).to_lowercase();
        let phrase = fold(phrase).to_lowercase();
        text.match_indices(&phrase)
            .any(|(start, m)| occurrence_states(&text, start, start + m.len()))
    }

    /// The table of sentences: (report sentence, phrase, stated?).
    const TABLE: &[(&str, &str, bool)] = &[
        // Stated.
        (
            "Postprocessed on an independent workstation.",
            "independent workstation",
            true,
        ),
        (
            "INDEPENDENT WORKSTATION used.",
            "independent workstation",
            true,
        ),
        (
            "Independent workstation: yes.",
            "independent workstation",
            true,
        ),
        (
            "Non-contrast CT; rendered on an independent workstation.",
            "independent workstation",
            true,
        ),
        (
            "Non-contrast images rendered on independent workstation",
            "independent workstation",
            true,
        ),
        (
            "3D images demonstrate no displacement.",
            "3D images demonstrate",
            true,
        ),
        ("3D findings: no acute fracture.", "3D findings", true),
        (
            "No hemorrhage. Independent workstation used.",
            "independent workstation",
            true,
        ),
        (
            "Independent workstation was used, not the console.",
            "independent workstation",
            true,
        ),
        (
            "Rendered under concurrent physician supervision ÄÖ.",
            "concurrent physician supervision",
            true,
        ),
        (
            "ÉTUDE: independent workstation used.",
            "independent workstation",
            true,
        ),
        // Negated before.
        (
            "Not performed on an independent workstation.",
            "independent workstation",
            false,
        ),
        (
            "Rendered without an independent workstation.",
            "independent workstation",
            false,
        ),
        (
            "This wasn't an independent workstation.",
            "independent workstation",
            false,
        ),
        (
            "This wasn\u{2019}t an independent workstation.",
            "independent workstation",
            false,
        ),
        (
            "We didn\u{2019}t use an independent workstation.",
            "independent workstation",
            false,
        ),
        (
            "Rendered on a non-independent workstation.",
            "independent workstation",
            false,
        ),
        (
            "Rendered on a non independent workstation.",
            "independent workstation",
            false,
        ),
        (
            "Rendered on a NON-INDEPENDENT workstation.",
            "independent workstation",
            false,
        ),
        // Negated after.
        (
            "Independent workstation: no.",
            "independent workstation",
            false,
        ),
        (
            "Independent workstation: No",
            "independent workstation",
            false,
        ),
        (
            "Concurrent supervision: N/A",
            "concurrent supervision",
            false,
        ),
        (
            "Concurrent supervision - none.",
            "concurrent supervision",
            false,
        ),
        (
            "An independent workstation was not used.",
            "independent workstation",
            false,
        ),
        (
            "An independent workstation wasn\u{2019}t used.",
            "independent workstation",
            false,
        ),
        (
            "Independent workstation not used; MIP on console.",
            "independent workstation",
            false,
        ),
        (
            "Independent workstation was never used.",
            "independent workstation",
            false,
        ),
        // Whole words only.
        ("Imipenem given.", "MIP", false),
    ];

    #[test]
    fn the_table_of_sentences() {
        let wrong: Vec<String> = TABLE
            .iter()
            .filter(|(sentence, phrase, stated)| states(sentence, phrase) != *stated)
            .map(|(sentence, phrase, stated)| {
                format!("{sentence:?} / {phrase:?}: expected {stated}")
            })
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn folding_lowers_unicode_and_straightens_apostrophes() {
        assert_eq!(fold("WASN\u{2019}T ÄB"), "wasn't äb");
        assert!(matches!(fold("Plain ASCII"), Cow::Borrowed(_)));
    }
}
