//! `payerlex fmt`: one canonical layout for policy files, comments kept in place.
//!
//! The layout: items at column 0, a rule's clauses two columns in, a `when` condition broken
//! before `and`/`or` (hanging left of the aligned operands) only when it does not fit in
//! [`WIDTH`] columns, one space around operators, set elements filling lines two columns in,
//! one blank line around rules, no trailing whitespace.
//!
//! Why it is built this way: pest drops comments, so the formatter lexes the text itself
//! (`lexer`), attaches each comment to a token (`tokens`), and lays the tokens out with a
//! document printer (`doc`), reading the structure from the tokens and from the parsed AST
//! (where a rule's clauses begin). It never splits, joins or rewrites a token: only the
//! whitespace between tokens changes. That is checked on every run, so a layout bug can only
//! ever leave a file unformatted, never change what it means: the output must lex to the same
//! tokens and the same comments, and parse without error.

mod conditions;
mod doc;
mod items;
mod lexer;
mod tokens;

use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use crate::source::SourceFile;
use crate::syntax::parse_policy;

/// The line width the layout aims for (a single long token, such as a message, may exceed
/// it).
pub const WIDTH: usize = 100;

/// A policy file could not be formatted.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// The file does not parse: it is left as it is.
    #[error("{file} does not parse ({} syntax error(s)); fix them first", diagnostics.len())]
    Syntax {
        /// The file's name as given.
        file: String,
        /// The syntax errors, as `payerlex check` prints them.
        diagnostics: Vec<Diagnostic>,
    },
    /// The formatter's own check failed (a bug): the file is left as it is.
    #[error("{file}: the formatter would have changed the file's tokens ({what}); it is left as it is (please report this)")]
    Changed {
        /// The file's name as given.
        file: String,
        /// What differed.
        what: String,
    },
}

/// Formats the policy file `text` (`name` is shown in errors). The result lexes to the same
/// tokens and comments as `text`, and formatting it again returns it unchanged.
pub fn format_policy(name: &str, text: &str) -> Result<String, FormatError> {
    let parsed = parse_policy(text);
    let ast = match parsed.ast {
        Some(ast) if parsed.errors.is_empty() => ast,
        _ => {
            let file = Arc::new(SourceFile::new(name.to_owned(), Arc::from(text)));
            return Err(FormatError::Syntax {
                file: name.to_owned(),
                diagnostics: parsed
                    .errors
                    .into_iter()
                    .map(|p| Diagnostic::in_file(p, &file))
                    .collect(),
            });
        }
    };
    let changed = |what: String| FormatError::Changed {
        file: name.to_owned(),
        what,
    };
    let lexed = lexer::lex(text);
    let (toks, trailer) = tokens::attach(&lexed);
    let document = items::file(&toks, &trailer, &ast, text).map_err(changed)?;
    let mut formatted = doc::print(&document, WIDTH);
    if !formatted.ends_with('\n') {
        formatted.push('\n');
    }
    same_tokens(text, &formatted).map_err(changed)?;
    if !parse_policy(&formatted).errors.is_empty() {
        return Err(changed("the result does not parse".into()));
    }
    Ok(formatted)
}

/// Whether `after` has the tokens and comments of `before`, in the same order.
fn same_tokens(before: &str, after: &str) -> Result<(), String> {
    let (a, b) = (lexer::lex(before), lexer::lex(after));
    if a.len() != b.len() {
        return Err(format!("{} tokens became {}", a.len(), b.len()));
    }
    for (x, y) in a.iter().zip(&b) {
        if x.kind != y.kind || x.text != y.text {
            return Err(format!("`{}` became `{}`", x.text, y.text));
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        format_policy("t.policy", text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn canonical_layout_of_a_small_policy() {
        let src = "# Header comment\n\npolicy  p.q\nversion 1.0.0   \neffective 2026-01-01\nset   a=1,2 ,3   # trailing\ntable ptp  = ncci_ptp \"t.txt\"\nrule r\ncite \"c\"\n    when line.code in a and line.units>1\n deny carc 4 \"m\"\n";
        assert_eq!(
            fmt(src),
            "# Header comment\n\npolicy p.q\nversion 1.0.0\neffective 2026-01-01\n\nset a = 1, 2, 3  # trailing\ntable ptp = ncci_ptp \"t.txt\"\n\nrule r\n  cite \"c\"\n  when line.code in a and line.units > 1\n  deny carc 4 \"m\"\n"
        );
    }

    #[test]
    fn long_conditions_break_at_and_with_hanging_operators() {
        let src = "policy p\nversion 1.0.0\nset three_d = 76376, 76377\nset base = 70450..70498\nrule r\n  cite \"c\"\n  when line.code in three_d and any other line in claim or history on same date by same provider where code in base and (has modifier 26 or has modifier TC)\n  deny carc 4 \"m\"\n";
        let out = fmt(src);
        assert!(
            out.contains(
                "  when line.code in three_d\n   and any other line in claim or history on same date by same provider\n         where code in base and (has modifier 26 or has modifier TC)\n"
            ),
            "{out}"
        );
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn long_sets_fill_lines_and_keep_comments() {
        let codes: Vec<String> = (70000..70030).map(|c| c.to_string()).collect();
        let src = format!(
            "policy p\nversion 1.0.0\nset big =\n  # first group\n  {},\n  # second group\n  {}\n",
            codes[..15].join(", "),
            codes[15..].join(",")
        );
        let out = fmt(&src);
        assert!(out.lines().all(|l| l.len() <= WIDTH), "{out}");
        assert!(
            out.contains("set big =\n  # first group\n  70000, 70001,"),
            "{out}"
        );
        assert!(
            out.contains("70014,\n  # second group\n  70015, 70016"),
            "{out}"
        );
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn several_strings_go_one_per_line_when_they_do_not_fit() {
        let src = "policy p\nversion 1.0.0\nrule r\n  cite \"c\"\n  when line.units > 1\n  deny carc 4 \"a rather long first part of the message that goes on and on, \" \"and a second part that does too\"\n";
        let out = fmt(src);
        assert!(
            out.contains("  deny carc 4\n    \"a rather long first part"),
            "{out}"
        );
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn a_file_that_does_not_parse_is_refused() {
        let err = format_policy("bad.policy", "policy p\nversion 1.0.0\nset a = 1,\n").unwrap_err();
        assert!(
            matches!(err, FormatError::Syntax { ref diagnostics, .. } if diagnostics.len() == 1)
        );
        assert!(err.to_string().contains("bad.policy"));
    }
}
