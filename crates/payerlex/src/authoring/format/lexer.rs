//! The formatter's lexer: policy text as tokens that keep what pest's grammar throws away.
//!
//! The grammar treats comments and whitespace as silent, so neither the parse tree nor the AST
//! can give them back; a formatter that must keep every comment in place therefore reads the
//! text itself. This lexer is deliberately coarser than the grammar: a *word* is any run of
//! characters other than whitespace, quotes, `#` and the punctuation `( ) [ ] , = < > !`, so
//! `line.date-90`, `70450..70498` and `medicare.3d-rendering/base-study-required` are one word
//! each. The formatter only ever changes the whitespace *between* tokens, and words are never
//! split or joined, which is why a formatted file lexes (and parses) to the same tokens.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TokenKind {
    /// A keyword, name, code, number, date or path.
    Word,
    /// A quoted string, quotes included, escapes as written.
    Str,
    /// `( ) [ ] , = < <= > >= != !`.
    Punct,
    /// `# ...` to the end of the line (trailing whitespace removed).
    Comment,
}

/// One token of the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Token<'a> {
    /// What it is.
    pub kind: TokenKind,
    /// Its text as written (a comment without its trailing whitespace).
    pub text: &'a str,
    /// Byte offset in the file.
    pub start: usize,
    /// Line breaks between the previous token and this one.
    pub newlines_before: usize,
    /// Column (in bytes) where it starts.
    pub column: usize,
}

impl Token<'_> {
    /// Whether this token is the first of its line.
    pub fn starts_line(&self) -> bool {
        self.newlines_before > 0 || self.start == self.column
    }

    /// Whether this is the word `word`.
    pub fn is_word(&self, word: &str) -> bool {
        self.kind == TokenKind::Word && self.text == word
    }

    /// Whether this is the punctuation `punct`.
    pub fn is_punct(&self, punct: &str) -> bool {
        self.kind == TokenKind::Punct && self.text == punct
    }
}

fn is_punct_char(c: char) -> bool {
    matches!(c, '(' | ')' | '[' | ']' | ',' | '=' | '<' | '>' | '!')
}

fn ends_word(c: char) -> bool {
    c.is_ascii_whitespace() || c == '"' || c == '#' || is_punct_char(c)
}

/// Splits `text` into tokens, comments included, in order.
pub(super) fn lex(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut newlines = 0;
    let mut line_start = 0;
    while let Some(&b) = bytes.get(i) {
        let c = b as char;
        if c == '\n' {
            newlines += 1;
            i += 1;
            line_start = i;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let kind = match c {
            '#' => {
                i = text[i..].find('\n').map_or(text.len(), |n| i + n);
                TokenKind::Comment
            }
            '"' => {
                i += 1;
                while let Some(&b) = bytes.get(i) {
                    match b {
                        b'\\' => i += 2,
                        b'"' => {
                            i += 1;
                            break;
                        }
                        b'\n' => break,
                        _ => i += 1,
                    }
                }
                i = i.min(text.len());
                TokenKind::Str
            }
            '<' | '>' | '!' => {
                i += if bytes.get(i + 1) == Some(&b'=') {
                    2
                } else {
                    1
                };
                TokenKind::Punct
            }
            c if is_punct_char(c) => {
                i += 1;
                TokenKind::Punct
            }
            _ => {
                i = text[i..]
                    .char_indices()
                    .find(|&(_, c)| ends_word(c))
                    .map_or(text.len(), |(n, _)| i + n);
                TokenKind::Word
            }
        };
        // Escapes may step past the end in a broken string; clamp to a char boundary.
        while !text.is_char_boundary(i) {
            i += 1;
        }
        let raw = text.get(start..i).unwrap_or("");
        let token_text = if kind == TokenKind::Comment {
            raw.trim_end()
        } else {
            raw
        };
        tokens.push(Token {
            kind,
            text: token_text,
            start,
            newlines_before: newlines,
            column: start - line_start,
        });
        newlines = 0;
    }
    tokens
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<&str> {
        lex(src).iter().map(|t| t.text).collect()
    }

    #[test]
    fn words_keep_dots_dashes_and_ranges() {
        assert_eq!(
            texts("set a = 70450..70498, S42.2 # c  \nrule x-y replaces p.q/r-s"),
            [
                "set",
                "a",
                "=",
                "70450..70498",
                ",",
                "S42.2",
                "# c",
                "rule",
                "x-y",
                "replaces",
                "p.q/r-s"
            ]
        );
    }

    #[test]
    fn strings_keep_escapes_and_hashes() {
        let tokens = lex(r##"deny carc 4 "a \"#b\"" "c""##);
        assert_eq!(tokens[3].text, r##""a \"#b\"""##);
        assert_eq!(tokens[3].kind, TokenKind::Str);
        assert_eq!(tokens[4].text, r#""c""#);
    }

    #[test]
    fn operators_and_positions() {
        let tokens = lex("x\n  when a>=b and c!=d\n");
        assert_eq!(
            tokens.iter().map(|t| t.text).collect::<Vec<_>>(),
            ["x", "when", "a", ">=", "b", "and", "c", "!=", "d"]
        );
        assert_eq!(tokens[1].newlines_before, 1);
        assert_eq!(tokens[1].column, 2);
        assert!(tokens[1].starts_line());
        assert!(!tokens[2].starts_line());
    }
}
