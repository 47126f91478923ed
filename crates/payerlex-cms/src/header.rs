//! How every loader reads a header cell (or a label such as an MUE indicator text): one
//! normaliser, so the tables cannot drift apart in what they tolerate.
//!
//! CMS spells the same column differently across files and releases: a newline inside the
//! cell (`"HCPCS/\nCPT Code"`), underscores in spreadsheet exports (`Add-On_Code` next to
//! `Add-on Code`), a title stacked over two rows (`NON-FAC` above `PE RVU`), punctuation
//! (`2026 PW GPCI (with 1.0 Floor)`). Comparing exact text would break on the next release,
//! so a cell becomes a [`HeaderName`]: its letters and digits in upper case, every run of
//! anything else (spaces, newlines, `-`, `_`, `/`, `.`, parentheses) one word break. Loaders
//! then ask for words (`NON FAC PE RVU` has `PE` and `RVU`), a phrase (`PW GPCI`) or the
//! words run together (`ADDONCODE`, which matches `Add-On_Code` and `AddOnCode` alike).
//!
//! The PPRRVU file's stacked titles are assembled here too ([`stacked_names`]): a column's name
//! is its header cell joined with the short title fragments above it.

use crate::csv::Record;

/// The letters and digits of `text`, upper-cased, without the breaks between words: the form
/// names are compared in when CMS writes them both with and without breaks.
fn squashed_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
}

/// Whether two labels are the same once normalised and run together (`2 Date of Service
/// Edit: Policy` and `2 date of service edit policy`). Allocates nothing: MUE tables compare
/// one label per row.
pub(crate) fn same_label(a: &str, b: &str) -> bool {
    squashed_chars(a).eq(squashed_chars(b))
}

/// A header cell's words: upper-case letters and digits, separated by single spaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct HeaderName(String);

impl HeaderName {
    /// Normalises one cell.
    pub fn new(cell: &str) -> Self {
        let mut text = String::with_capacity(cell.len());
        for word in cell
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            if !text.is_empty() {
                text.push(' ');
            }
            text.extend(word.chars().map(|c| c.to_ascii_uppercase()));
        }
        HeaderName(text)
    }

    /// The words, space-separated (`NON FAC PE RVU`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The words in order.
    pub fn words(&self) -> impl Iterator<Item = &str> + '_ {
        self.0.split(' ').filter(|w| !w.is_empty())
    }

    /// Whether `word` (upper case) is one of the words.
    pub fn has_word(&self, word: &str) -> bool {
        self.words().any(|w| w == word)
    }

    /// Whether the first word starts with `prefix` (`FAC` for `FACILITY PE RVU`).
    pub fn first_word_starts_with(&self, prefix: &str) -> bool {
        self.words().next().is_some_and(|w| w.starts_with(prefix))
    }

    /// Whether the space-separated words contain `text` (`PW GPCI`, `WITH 1 0`).
    pub fn contains(&self, text: &str) -> bool {
        self.0.contains(text)
    }

    /// The words run together (`ADDONCODE`), for names CMS writes with and without breaks.
    pub fn squashed(&self) -> String {
        squashed_chars(&self.0).collect()
    }
}

/// A short title fragment row above a header: first cell empty, some text, no long cell.
fn is_fragment_row(r: &Record) -> bool {
    r.get(0).is_empty() && !r.is_blank() && r.fields.iter().all(|f| f.trim().chars().count() <= 40)
}

/// Column names for the header at `h`, each joined with the cells above it in up to four
/// title fragment rows (blank rows between them allowed).
pub(crate) fn stacked_names(records: &[Record], h: usize) -> Vec<HeaderName> {
    let Some(header) = records.get(h) else {
        return Vec::new();
    };
    let above: Vec<&Record> = records[..h]
        .iter()
        .rev()
        .take(4)
        .take_while(|r| r.is_blank() || is_fragment_row(r))
        .collect();
    (0..header.fields.len())
        .map(|i| {
            let parts = above.iter().rev().map(|r| r.get(i)).chain([header.get(i)]);
            HeaderName::new(&parts.collect::<Vec<_>>().join(" "))
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::csv::Records;

    #[test]
    fn spellings_of_one_name_agree() {
        let plain = HeaderName::new("Add-on Code");
        assert_eq!(plain.as_str(), "ADD ON CODE");
        for other in ["Add-On_Code", "ADD ON  CODE", " add_on\ncode "] {
            assert_eq!(HeaderName::new(other), plain, "{other:?}");
        }
        assert_eq!(HeaderName::new("AddOnCode").squashed(), plain.squashed());
        assert_eq!(
            HeaderName::new("\"HCPCS/\nCPT Code\"").as_str(),
            "HCPCS CPT CODE"
        );
        assert_eq!(HeaderName::new(" -- ").as_str(), "");
        assert!(same_label(
            "2 Date of Service Edit: Policy",
            " 2 date of service edit policy"
        ));
        assert!(!same_label("1 Line Edit", "1 Line"));
    }

    #[test]
    fn words_phrases_and_prefixes() {
        let n = HeaderName::new("2026 PW GPCI (with 1.0 Floor)");
        assert_eq!(n.as_str(), "2026 PW GPCI WITH 1 0 FLOOR");
        assert!(n.contains("PW GPCI") && n.contains("WITH 1 0"));
        let n = HeaderName::new("NON-FAC PE RVU");
        assert!(n.has_word("PE") && n.has_word("NON") && !n.has_word("FAC PE"));
        assert!(HeaderName::new("FACILITY PE RVU").first_word_starts_with("FAC"));
        assert!(!n.first_word_starts_with("FAC"));
    }

    #[test]
    fn stacked_titles_join_the_fragments_above() {
        let text = "Banner with a long title that is not a fragment of any column,,\n\
                    ,NON-FAC,CONV\n\
                    HCPCS,PE RVU,FACTOR\n";
        let records: Vec<Record> = Records::new(text, ',', "t").map(|r| r.unwrap()).collect();
        let names: Vec<String> = stacked_names(&records, 2)
            .iter()
            .map(|n| n.as_str().to_owned())
            .collect();
        assert_eq!(names, ["HCPCS", "NON FAC PE RVU", "CONV FACTOR"]);
        assert!(stacked_names(&records, 9).is_empty());
    }
}
