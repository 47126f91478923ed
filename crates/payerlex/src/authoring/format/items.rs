//! Layout of a whole file: the header, each item at column 0, and the comments and blank
//! lines between them.
//!
//! Rules are separated from their neighbours by one blank line; between other items the
//! author's grouping is kept (a blank line or none, never more). Lists (set elements,
//! imported names, facts) fill lines up to the width, continuing two columns in; a table's
//! files, when they do not fit on one line, go one per line under the first.

use super::conditions::{disjunction, plain, tree, Operators};
use super::doc::Doc;
use super::tokens::{emit, flat_tokens, Comment, Tok};
use crate::syntax::ast::{PolicyAst, RuleDecl};
use crate::syntax::ITEM_KEYWORDS;

/// The document of a file: `toks` with comments attached, `trailer` the comments after the
/// last token, `ast` its parse (for where a rule's clauses begin), `source` its text.
pub(super) fn file(
    toks: &[Tok<'_>],
    trailer: &[Comment<'_>],
    ast: &PolicyAst,
    source: &str,
) -> Result<Doc, String> {
    let starts: Vec<usize> = (0..toks.len())
        .filter(|&i| starts_item(&toks[i], source))
        .collect();
    let mut doc = Vec::new();
    let header_end = starts.first().copied().unwrap_or(toks.len());
    if let Some(first) = toks.first() {
        comments_before(&mut doc, &first.leading, false);
        if !first.leading.is_empty() && first.blank_before {
            doc.push(Doc::Blank);
        }
    }
    header(&mut doc, &toks[..header_end]);
    let mut previous_was_rule = false;
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(toks.len());
        let item = &toks[start..end];
        let is_rule = item.first().is_some_and(|t| t.is_word("rule"));
        let keyword = &toks[start];
        let author_blank = keyword
            .leading
            .first()
            .map_or(keyword.blank_before, |c| c.blank_before);
        if k == 0 || is_rule || previous_was_rule || author_blank {
            doc.push(Doc::Blank);
        } else {
            doc.push(Doc::hard());
        }
        comments_before(&mut doc, &keyword.leading, true);
        if !keyword.leading.is_empty() && keyword.blank_before {
            doc.push(Doc::Blank);
        }
        let (item, comment) = without_last_comment(item);
        if is_rule {
            let decl = rule_decl(ast, keyword.token.start)
                .ok_or_else(|| format!("no parsed rule at byte {}", keyword.token.start))?;
            rule(&mut doc, &item, decl)?;
        } else {
            declaration(&mut doc, &item);
        }
        end_comment(&mut doc, comment);
        previous_was_rule = is_rule;
    }
    if let Some(first) = trailer.first() {
        doc.push(if first.blank_before {
            Doc::Blank
        } else {
            Doc::hard()
        });
        comments_before(&mut doc, trailer, true);
    }
    doc.push(Doc::hard());
    Ok(Doc::Group(doc))
}

/// The tokens with the last one's trailing comment taken off: a comment at the end of an
/// item or clause ends its last line and must not make the line break earlier.
fn without_last_comment<'a>(toks: &[Tok<'a>]) -> (Vec<Tok<'a>>, Option<&'a str>) {
    let mut toks = toks.to_vec();
    let comment = toks.last_mut().and_then(|t| t.trailing.take());
    (toks, comment)
}

fn end_comment(doc: &mut Vec<Doc>, comment: Option<&str>) {
    if let Some(comment) = comment {
        doc.push(Doc::text(format!("  {comment}")));
        doc.push(Doc::hard());
    }
}

/// Whether `tok` begins an item as the parser's chunking sees it: an item keyword at the
/// start of a line, followed by a space, a tab or the end of the file.
fn starts_item(tok: &Tok<'_>, source: &str) -> bool {
    let token = &tok.token;
    token.column == 0
        && ITEM_KEYWORDS.contains(&token.text)
        && matches!(
            source.as_bytes().get(token.start + token.text.len()),
            None | Some(b' ' | b'\t')
        )
}

/// Comments on their own lines at column 0, keeping single blank lines between them (and
/// before the first when `blank_first`).
fn comments_before(doc: &mut Vec<Doc>, comments: &[Comment<'_>], blank_first: bool) {
    for (j, comment) in comments.iter().enumerate() {
        if comment.blank_before && (j > 0 || blank_first) {
            doc.push(Doc::Blank);
        }
        doc.push(Doc::text(comment.text));
        doc.push(Doc::hard());
    }
}

/// `policy NAME`, `version V` and `effective ...`, one per line.
fn header(doc: &mut Vec<Doc>, toks: &[Tok<'_>]) {
    for (i, tok) in toks.iter().enumerate() {
        if i > 0 {
            let new_line = i >= 2 && (tok.is_word("version") || tok.is_word("effective"));
            doc.push(if new_line { Doc::hard() } else { Doc::Space });
        }
        emit(doc, tok, 0, i > 0);
    }
}

fn rule_decl(ast: &PolicyAst, start: usize) -> Option<&RuleDecl> {
    ast.items.iter().find_map(|item| match item {
        crate::syntax::ast::Item::Rule(rule) if rule.span.start == start => Some(&**rule),
        _ => None,
    })
}

/// `rule NAME [replaces ...]` and its clauses, one per line, two columns in.
fn rule(doc: &mut Vec<Doc>, toks: &[Tok<'_>], decl: &RuleDecl) -> Result<(), String> {
    let at = |offset: usize, back: usize| {
        toks.iter()
            .position(|t| t.token.start == offset)
            .and_then(|i| i.checked_sub(back))
            .ok_or_else(|| format!("no token at byte {offset} of rule `{}`", decl.name.node))
    };
    let mut starts = Vec::new();
    for cite in &decl.cites {
        starts.push(at(cite.span.start, 1)?);
    }
    for effective in &decl.effective {
        starts.push(at(effective.span.start, 0)?);
    }
    for when in &decl.when {
        starts.push(at(when.span.start, 1)?);
    }
    for action in &decl.on_unknown {
        starts.push(at(action.span.start, 2)?);
    }
    starts.push(at(decl.outcome.kind.span.start, 0)?);
    starts.sort_unstable();
    starts.dedup();
    let first = starts.first().copied().unwrap_or(toks.len());
    for (i, tok) in toks[..first].iter().enumerate() {
        if i > 0 {
            doc.push(Doc::Space);
        }
        emit(doc, tok, 0, i > 0);
    }
    let mut clauses = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(toks.len());
        clauses.push(Doc::hard());
        let (toks, comment) = without_last_comment(&toks[start..end]);
        clause(&mut clauses, &toks);
        end_comment(&mut clauses, comment);
    }
    doc.push(Doc::Nest(2, clauses));
    Ok(())
}

/// One clause of a rule.
fn clause(doc: &mut Vec<Doc>, toks: &[Tok<'_>]) {
    let Some(keyword) = toks.first() else {
        return;
    };
    let is_condition =
        keyword.is_word("when") && !toks.get(1).is_some_and(|t| t.is_word("unknown"));
    if is_condition {
        emit(doc, keyword, 0, true);
        doc.push(Doc::Space);
        let mut condition = Vec::new();
        disjunction(&mut condition, &tree(&toks[1..]), Operators::Hanging);
        doc.push(Doc::Align(condition));
        return;
    }
    let first_string = toks
        .iter()
        .position(|t| t.token.kind == super::lexer::TokenKind::Str);
    match first_string {
        Some(k) if toks.len() - k > 1 => {
            // Several strings (one message): on the clause's line if they fit, else one per
            // line, two columns further in.
            let mut group = Vec::new();
            plain(&mut group, &toks[..k]);
            let mut strings = Vec::new();
            for tok in &toks[k..] {
                strings.push(Doc::line());
                emit(&mut strings, tok, 0, true);
            }
            group.push(Doc::Nest(2, strings));
            doc.push(Doc::Group(group));
        }
        _ => plain(doc, toks),
    }
}

/// A set, import, facts or table declaration.
fn declaration(doc: &mut Vec<Doc>, toks: &[Tok<'_>]) {
    let Some(keyword) = toks.first() else {
        return;
    };
    let mut group = Vec::new();
    emit(&mut group, keyword, 0, false);
    match keyword.text() {
        "table" if toks.len() > 4 => {
            // table NAME = KIND file [from D], file from D
            for tok in &toks[1..4] {
                group.push(Doc::Space);
                emit(&mut group, tok, 0, true);
            }
            group.push(Doc::Space);
            let mut files = Vec::new();
            for (i, part) in split_commas(&toks[4..]).into_iter().enumerate() {
                if i > 0 {
                    files.push(Doc::line());
                }
                flat_tokens(&mut files, part);
            }
            group.push(Doc::Align(files));
        }
        "import" | "facts" => {
            group.push(Doc::Space);
            let mut list = Vec::new();
            fill(&mut list, &toks[1..]);
            group.push(Doc::Nest(2, list));
        }
        _ if toks.len() > 3 && toks[2].is_punct("=") => {
            // KIND NAME = element, element...
            for tok in &toks[1..3] {
                group.push(Doc::Space);
                emit(&mut group, tok, 0, true);
            }
            let mut list = vec![Doc::line()];
            fill(&mut list, &toks[3..]);
            group.push(Doc::Nest(2, list));
        }
        _ => {
            group.push(Doc::Space);
            flat_tokens(&mut group, &toks[1..]);
        }
    }
    doc.push(Doc::Group(group));
}

/// Comma-separated parts (each with its comma), filling lines: a part starts a new line only
/// when it does not fit on the current one.
fn fill(doc: &mut Vec<Doc>, toks: &[Tok<'_>]) {
    for (i, part) in split_commas(toks).into_iter().enumerate() {
        let mut piece = Vec::new();
        if i > 0 {
            piece.push(Doc::line());
        }
        flat_tokens(&mut piece, part);
        doc.push(Doc::Group(piece));
    }
}

/// Splits at commas outside brackets; each part keeps its comma.
fn split_commas<'t, 'a>(toks: &'t [Tok<'a>]) -> Vec<&'t [Tok<'a>]> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, tok) in toks.iter().enumerate() {
        if tok.is_punct("(") || tok.is_punct("[") {
            depth += 1;
        } else if tok.is_punct(")") || tok.is_punct("]") {
            depth = depth.saturating_sub(1);
        } else if tok.is_punct(",") && depth == 0 {
            parts.push(&toks[start..=i]);
            start = i + 1;
        }
    }
    if start < toks.len() {
        parts.push(&toks[start..]);
    }
    parts
}
