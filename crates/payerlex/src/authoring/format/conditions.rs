//! Layout of conditions (`when ...`): operands aligned, `and`/`or` hanging to their left,
//! each parenthesised group and each `where` filter its own group that breaks only when it
//! does not fit.
//!
//! The structure is read from the tokens with the grammar's own precedence (`or` below
//! `and`; a `where` filter takes every `and` after it up to an `or` or the closing
//! parenthesis, as `line_conjunction` does), so the indentation shows what the parser sees.
//! Misreading a construct here could only make a layout less tidy: the formatter changes
//! whitespace alone, and checks that it did.
//!
//! ```text
//!   when line.code in three_d
//!    and any other line in claim or history on same date by same provider
//!          where code = line.code
//!            and (has modifier 26 or has no modifier in components)
//! ```

use super::doc::Doc;
use super::tokens::{emit, flat_tokens, space_between, Tok};

/// A token, or a bracketed group of them.
#[derive(Debug)]
pub(super) enum Node<'t, 'a> {
    /// One token.
    Leaf(&'t Tok<'a>),
    /// `( ... )` or `[ ... ]`.
    Group {
        /// The opening bracket.
        open: &'t Tok<'a>,
        /// What is inside.
        inner: Vec<Node<'t, 'a>>,
        /// The closing bracket (absent only in a file that does not parse).
        close: Option<&'t Tok<'a>>,
    },
}

impl<'t, 'a> Node<'t, 'a> {
    fn first(&self) -> &'t Tok<'a> {
        match self {
            Node::Leaf(tok) => tok,
            Node::Group { open, .. } => open,
        }
    }

    fn last(&self) -> &'t Tok<'a> {
        match self {
            Node::Leaf(tok) => tok,
            Node::Group { close, inner, open } => close
                .or_else(|| inner.last().map(Node::last))
                .unwrap_or(open),
        }
    }

    fn leaf(&self) -> Option<&'t Tok<'a>> {
        match self {
            Node::Leaf(tok) => Some(tok),
            Node::Group { .. } => None,
        }
    }

    fn is_word(&self, word: &str) -> bool {
        self.leaf().is_some_and(|t| t.is_word(word))
    }

    fn is_round(&self) -> bool {
        matches!(self, Node::Group { open, .. } if open.is_punct("("))
    }
}

/// The bracket tree of `toks`.
pub(super) fn tree<'t, 'a>(toks: &'t [Tok<'a>]) -> Vec<Node<'t, 'a>> {
    let mut stack: Vec<(&'t Tok<'a>, Vec<Node<'t, 'a>>)> = Vec::new();
    let mut top: Vec<Node<'t, 'a>> = Vec::new();
    for tok in toks {
        if tok.is_punct("(") || tok.is_punct("[") {
            stack.push((tok, std::mem::take(&mut top)));
        } else if tok.is_punct(")") || tok.is_punct("]") {
            match stack.pop() {
                Some((open, outer)) => {
                    let inner = std::mem::replace(&mut top, outer);
                    top.push(Node::Group {
                        open,
                        inner,
                        close: Some(tok),
                    });
                }
                None => top.push(Node::Leaf(tok)),
            }
        } else {
            top.push(Node::Leaf(tok));
        }
    }
    while let Some((open, outer)) = stack.pop() {
        let inner = std::mem::replace(&mut top, outer);
        top.push(Node::Group {
            open,
            inner,
            close: None,
        });
    }
    top
}

/// How `and` and `or` sit when a condition breaks: hanging left of the operands (after
/// `when` and `where`, where there is room), or at the operands' column (inside
/// parentheses, so that no operator starts left of its own parenthesis).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Operators {
    /// `and` four and `or` three columns left, so the operands after them stay aligned.
    Hanging,
    /// Under the first operand.
    Aligned,
}

impl Operators {
    fn dedent(self, keyword: &str) -> usize {
        match self {
            Operators::Hanging => keyword.len() + 1,
            Operators::Aligned => 0,
        }
    }
}

/// A condition: `or` splits first.
pub(super) fn disjunction(out: &mut Vec<Doc>, nodes: &[Node<'_, '_>], operators: Operators) {
    let splits: Vec<usize> = (0..nodes.len())
        .filter(|&i| is_logical_or(nodes, i))
        .collect();
    if splits.is_empty() {
        conjunction(out, nodes, operators);
        return;
    }
    let mut group = Vec::new();
    let mut start = 0;
    for &split in splits.iter().chain(std::iter::once(&nodes.len())) {
        let mut part = Vec::new();
        conjunction(&mut part, &nodes[start..split], operators);
        group.push(Doc::Group(part));
        if let Some(or) = nodes.get(split).and_then(Node::leaf) {
            let dedent = operators.dedent("or");
            group.push(Doc::hang(dedent));
            emit(&mut group, or, dedent, true);
            group.push(Doc::Space);
        }
        start = split + 1;
    }
    out.push(Doc::Group(group));
}

/// `or` as an operator, not the one of `in claim or history`.
fn is_logical_or(nodes: &[Node<'_, '_>], i: usize) -> bool {
    let word =
        |j: Option<usize>, w: &str| j.and_then(|j| nodes.get(j)).is_some_and(|n| n.is_word(w));
    nodes.get(i).is_some_and(|n| n.is_word("or"))
        && !(word(i.checked_sub(1), "claim") && word(Some(i + 1), "history"))
}

/// A conjunction: operands joined by `and`. An operand with a `where` filter keeps the
/// `and`s after it, as the grammar does.
fn conjunction(out: &mut Vec<Doc>, nodes: &[Node<'_, '_>], operators: Operators) {
    let mut operands: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    let mut absorbing = false;
    for (i, node) in nodes.iter().enumerate() {
        if node.is_word("and") && !absorbing {
            operands.push((start, i));
            start = i + 1;
        }
        if node.is_word("where") {
            absorbing = true;
        }
    }
    operands.push((start, nodes.len()));
    if let [(start, end)] = operands.as_slice() {
        operand(out, &nodes[*start..*end]);
        return;
    }
    let mut group = Vec::new();
    for (k, &(start, end)) in operands.iter().enumerate() {
        if let Some(and) = start
            .checked_sub(1)
            .and_then(|i| nodes.get(i))
            .and_then(Node::leaf)
        {
            if k > 0 {
                let dedent = operators.dedent("and");
                group.push(Doc::hang(dedent));
                emit(&mut group, and, dedent, true);
                group.push(Doc::Space);
            }
        }
        operand(&mut group, &nodes[start..end]);
    }
    out.push(Doc::Group(group));
}

const COMPARISONS: &[&str] = &["=", "!=", "<", "<=", ">", ">="];

/// One operand: `not`s, a parenthesised condition, a quantifier with its filter, a
/// comparison, or a line of tokens.
fn operand(out: &mut Vec<Doc>, nodes: &[Node<'_, '_>]) {
    let nots = nodes.iter().take_while(|n| n.is_word("not")).count();
    if nots > 0 && nots < nodes.len() {
        for node in &nodes[..nots] {
            if let Some(tok) = node.leaf() {
                emit(out, tok, 0, true);
                out.push(Doc::Space);
            }
        }
        operand(out, &nodes[nots..]);
        return;
    }
    let where_at = nodes.iter().position(|n| n.is_word("where"));
    let comparison_at = nodes.iter().position(|n| {
        n.leaf()
            .is_some_and(|t| COMPARISONS.iter().any(|op| t.is_punct(op)))
    });
    let starts_quantifier = nodes
        .first()
        .is_some_and(|n| n.is_word("any") || n.is_word("no"));
    match (nodes, comparison_at) {
        ([group], _) if group.is_round() => parenthesised(out, group),
        _ if starts_quantifier => filtered(out, nodes, where_at),
        (_, Some(op)) if where_at.map_or(true, |w| op < w) => comparison(out, nodes, op),
        _ if where_at.is_some() => filtered(out, nodes, where_at),
        _ => flat(out, nodes),
    }
}

/// `( condition )`, its content aligned after the parenthesis.
fn parenthesised(out: &mut Vec<Doc>, group: &Node<'_, '_>) {
    let Node::Group { open, inner, close } = group else {
        return;
    };
    emit(out, open, 0, true);
    let mut content = Vec::new();
    disjunction(&mut content, inner, Operators::Aligned);
    out.push(Doc::Align(content));
    if let Some(close) = close {
        emit(out, close, 0, true);
    }
}

/// `value OP value`: when it does not fit, the operator starts a line under the left value.
fn comparison(out: &mut Vec<Doc>, nodes: &[Node<'_, '_>], op: usize) {
    let mut group = Vec::new();
    operand(&mut group, &nodes[..op]);
    if let Some(tok) = nodes.get(op).and_then(Node::leaf) {
        group.push(Doc::line());
        emit(&mut group, tok, 0, true);
        group.push(Doc::Space);
    }
    operand(&mut group, &nodes[op + 1..]);
    out.push(Doc::Group(vec![Doc::Align(group)]));
}

/// A quantifier or aggregate with its lines; a `where` filter breaks onto its own line,
/// two columns in, when the whole does not fit.
fn filtered(out: &mut Vec<Doc>, nodes: &[Node<'_, '_>], where_at: Option<usize>) {
    let Some(at) = where_at else {
        flat(out, nodes);
        return;
    };
    let mut group = Vec::new();
    flat(&mut group, &nodes[..at]);
    let mut filter = vec![Doc::line()];
    if let Some(tok) = nodes.get(at).and_then(Node::leaf) {
        emit(&mut filter, tok, 0, true);
        filter.push(Doc::Space);
    }
    let mut condition = Vec::new();
    conjunction(&mut condition, &nodes[at + 1..], Operators::Hanging);
    filter.push(Doc::Align(condition));
    group.push(Doc::Nest(2, filter));
    out.push(Doc::Group(vec![Doc::Align(group)]));
}

/// Nodes on one line; brackets inside keep their own layout.
fn flat(out: &mut Vec<Doc>, nodes: &[Node<'_, '_>]) {
    for (i, node) in nodes.iter().enumerate() {
        if let Some(prev) = i.checked_sub(1).and_then(|p| nodes.get(p)) {
            if space_between(prev.last(), node.first()) {
                out.push(Doc::Space);
            }
        }
        match node {
            Node::Leaf(tok) => emit(out, tok, 0, true),
            Node::Group { .. } if node.is_round() => parenthesised(out, node),
            Node::Group { open, inner, close } => bracketed(out, open, inner, *close),
        }
    }
}

/// `[a, b, c]`: on one line, or one element per line aligned after the bracket.
fn bracketed<'t, 'a>(
    out: &mut Vec<Doc>,
    open: &'t Tok<'a>,
    inner: &[Node<'t, 'a>],
    close: Option<&'t Tok<'a>>,
) {
    emit(out, open, 0, true);
    let mut elements = Vec::new();
    let mut start = 0;
    for (i, node) in inner.iter().enumerate() {
        if node.leaf().is_some_and(|t| t.is_punct(",")) {
            flat(&mut elements, &inner[start..i]);
            flat(&mut elements, &inner[i..=i]);
            elements.push(Doc::line());
            start = i + 1;
        }
    }
    flat(&mut elements, &inner[start..]);
    out.push(Doc::Group(vec![Doc::Align(elements)]));
    if let Some(close) = close {
        emit(out, close, 0, true);
    }
}

/// Tokens without structure (a rule's clause head, say), on one line.
pub(super) fn plain(out: &mut Vec<Doc>, toks: &[Tok<'_>]) {
    flat_tokens(out, toks);
}
