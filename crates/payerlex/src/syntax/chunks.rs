//! Splits a policy file into its header and one chunk per top-level item.
//!
//! Items begin at column 0 with a declaration keyword. Parsing chunk by chunk means one
//! syntax error does not hide the next: an author sees every broken item of a file at once.

/// Keywords that begin a top-level item.
pub const ITEM_KEYWORDS: &[&str] = &[
    "set",
    "modifiers",
    "places",
    "diagnoses",
    "phrases",
    "taxonomies",
    "npis",
    "import",
    "facts",
    "table",
    "rule",
];

/// A slice of the source and its byte offset in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk<'a> {
    /// Byte offset of `text` in the file.
    pub offset: usize,
    /// The chunk's text.
    pub text: &'a str,
}

fn starts_item(line: &str) -> bool {
    ITEM_KEYWORDS.iter().any(|kw| {
        line.strip_prefix(kw)
            .is_some_and(|rest| rest.starts_with([' ', '\t']) || rest.is_empty())
    })
}

/// The header chunk (everything before the first item) and the item chunks.
pub fn split(source: &str) -> (Chunk<'_>, Vec<Chunk<'_>>) {
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        if starts_item(line) {
            starts.push(offset);
        }
        offset += line.len();
    }
    let header_end = starts.first().copied().unwrap_or(source.len());
    let header = Chunk {
        offset: 0,
        text: &source[..header_end],
    };
    let items = starts
        .iter()
        .enumerate()
        .map(|(i, &start)| {
            let end = starts.get(i + 1).copied().unwrap_or(source.len());
            Chunk {
                offset: start,
                text: &source[start..end],
            }
        })
        .collect();
    (header, items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_column_zero_keywords() {
        let src = "policy a\nversion 1.0.0\nset x = 1\nrule r\n  when line.units > 1\n  deny carc 4 \"m\"\nsettle\n";
        let (header, items) = split(src);
        assert_eq!(header.text, "policy a\nversion 1.0.0\n");
        assert_eq!(items.len(), 2);
        assert!(items[1].text.starts_with("rule r"));
        assert!(items[1].text.ends_with("settle\n"));
        assert_eq!(&src[items[1].offset..items[1].offset + 6], "rule r");
    }
}
