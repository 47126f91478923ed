//! Tokens with their comments attached, and the pieces every layout is built from: a token
//! printed with its comments, and the spacing between two tokens on one line.
//!
//! A comment on a line of its own belongs to the token after it (it is printed on its own
//! line just before that token, at that token's indentation); a comment after code belongs to
//! the token before it (printed two spaces after it, then the line ends). A comment after an
//! element that is followed by a comma moves after the comma, so `a  # x` / `, b` becomes
//! `a,  # x` / `b`.

use super::doc::Doc;
use super::lexer::{Token, TokenKind};

/// A comment and whether a blank line came before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Comment<'a> {
    /// `# ...`, without trailing whitespace.
    pub text: &'a str,
    /// A blank line separated it from what came before.
    pub blank_before: bool,
}

/// A code token and the comments that belong to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Tok<'a> {
    /// The token.
    pub token: Token<'a>,
    /// Comments on their own lines just before it.
    pub leading: Vec<Comment<'a>>,
    /// A comment after it on its line.
    pub trailing: Option<&'a str>,
    /// A blank line separated it (or its leading comments' last) from what came before.
    pub blank_before: bool,
}

impl<'a> Tok<'a> {
    /// The token's text.
    pub fn text(&self) -> &'a str {
        self.token.text
    }

    /// Whether this is the word `word`.
    pub fn is_word(&self, word: &str) -> bool {
        self.token.is_word(word)
    }

    /// Whether this is the punctuation `punct`.
    pub fn is_punct(&self, punct: &str) -> bool {
        self.token.is_punct(punct)
    }

    /// Whether a comment is attached.
    pub fn has_comments(&self) -> bool {
        !self.leading.is_empty() || self.trailing.is_some()
    }
}

/// The tokens of a file with comments attached, and the comments after the last token.
pub(super) fn attach<'a>(tokens: &[Token<'a>]) -> (Vec<Tok<'a>>, Vec<Comment<'a>>) {
    let mut toks: Vec<Tok<'a>> = Vec::new();
    let mut pending: Vec<Comment<'a>> = Vec::new();
    for token in tokens {
        if token.kind == TokenKind::Comment {
            let after_code = !token.starts_line() && pending.is_empty();
            match toks.last_mut() {
                Some(last) if after_code && last.trailing.is_none() => {
                    last.trailing = Some(token.text)
                }
                _ => pending.push(Comment {
                    text: token.text,
                    blank_before: token.newlines_before >= 2,
                }),
            }
        } else {
            toks.push(Tok {
                token: *token,
                leading: std::mem::take(&mut pending),
                trailing: None,
                blank_before: token.newlines_before >= 2,
            });
        }
    }
    for i in 1..toks.len() {
        let (before, after) = toks.split_at_mut(i);
        let (Some(prev), Some(comma)) = (before.last_mut(), after.first_mut()) else {
            continue;
        };
        if prev.trailing.is_some() && comma.is_punct(",") && !comma.has_comments() {
            comma.trailing = prev.trailing.take();
        }
    }
    (toks, pending)
}

/// The token with its comments: leading comments on their own lines (hanging `dedent`
/// columns left, like the token), the token, and a trailing comment that ends the line.
/// `with_leading` is false for item keywords, whose comments the file layout places.
pub(super) fn emit(out: &mut Vec<Doc>, tok: &Tok<'_>, dedent: usize, with_leading: bool) {
    if with_leading {
        for comment in &tok.leading {
            if comment.blank_before {
                out.push(Doc::Blank);
            }
            out.push(Doc::hard_hang(dedent));
            out.push(Doc::text(comment.text));
            out.push(Doc::hard_hang(dedent));
        }
    }
    out.push(Doc::text(tok.text()));
    if let Some(comment) = tok.trailing {
        out.push(Doc::text(format!("  {comment}")));
        out.push(Doc::hard());
    }
}

/// Whether one space separates `a` and `b` on a line: none inside brackets, before a comma,
/// between a table and its `[keys]`, between `known` and `(`, or before `.field`.
pub(super) fn space_between(a: &Tok<'_>, b: &Tok<'_>) -> bool {
    if a.is_punct("(") || a.is_punct("[") {
        return false;
    }
    if b.is_punct(")") || b.is_punct("]") || b.is_punct(",") {
        return false;
    }
    if b.is_punct("[") {
        return a.is_word("in");
    }
    if b.is_punct("(") {
        return !a.is_word("known");
    }
    if (a.is_punct("]") || a.is_punct(")"))
        && b.token.kind == TokenKind::Word
        && b.text().starts_with('.')
    {
        return false;
    }
    true
}

/// Tokens printed on one line with [`space_between`] spacing (breaking only after their
/// comments).
pub(super) fn flat_tokens(out: &mut Vec<Doc>, toks: &[Tok<'_>]) {
    for (i, tok) in toks.iter().enumerate() {
        if let Some(prev) = i.checked_sub(1).and_then(|p| toks.get(p)) {
            if space_between(prev, tok) {
                out.push(Doc::Space);
            }
        }
        emit(out, tok, 0, true);
    }
}
