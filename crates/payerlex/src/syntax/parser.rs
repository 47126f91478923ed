//! Walks pest's parse tree into the AST, chunk by chunk.

use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pair;
use pest::Parser as _;

use super::ast::*;
use super::chunks::{split, Chunk};
use super::error::SyntaxError;

#[derive(pest_derive::Parser)]
#[grammar = "syntax/grammar.pest"]
struct PolicyParser;

/// Parses a whole policy file, collecting one syntax error per broken chunk.
pub fn parse_policy(source: &str) -> Result<PolicyAst, Vec<SyntaxError>> {
    let (header_chunk, item_chunks) = split(source);
    let mut errors = Vec::new();
    let header = parse_chunk(header_chunk, Rule::header_chunk)
        .map(|pair| build_header(pair, header_chunk.offset))
        .map_err(|e| errors.push(e))
        .ok();
    let mut items = Vec::new();
    for chunk in item_chunks {
        match parse_chunk(chunk, Rule::item_chunk) {
            Ok(pair) => items.extend(build_items(pair, chunk.offset)),
            Err(error) => errors.push(error),
        }
    }
    match header {
        Some((name, version, effective)) if errors.is_empty() => Ok(PolicyAst {
            name,
            version,
            effective,
            items,
        }),
        _ => Err(errors),
    }
}

fn parse_chunk(chunk: Chunk<'_>, rule: Rule) -> Result<Pair<'_, Rule>, SyntaxError> {
    let mut pairs = PolicyParser::parse(rule, chunk.text).map_err(|e| syntax_error(&e, chunk))?;
    pairs.next().ok_or_else(|| SyntaxError {
        message: "empty input".into(),
        span: Span {
            start: chunk.offset,
            end: chunk.offset,
        },
        help: None,
    })
}

fn syntax_error(error: &pest::error::Error<Rule>, chunk: Chunk<'_>) -> SyntaxError {
    let pos = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let rest = chunk.text.get(pos..).unwrap_or("");
    let found: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(24)
        .collect();
    let span = Span {
        start: chunk.offset + pos,
        end: chunk.offset + pos + found.len().max(1).min(rest.len().max(1)),
    };
    let mut expected: Vec<&str> = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().filter_map(|r| describe(*r)).collect()
        }
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    expected.sort_unstable();
    expected.dedup();
    let found_text = if found.is_empty() {
        "the end of the item".to_owned()
    } else {
        format!("`{found}`")
    };
    let message = if expected.is_empty() {
        format!("unexpected {found_text}")
    } else {
        format!("expected {}, found {found_text}", expected.join(" or "))
    };
    let help = hint_for(chunk.text, &expected);
    SyntaxError {
        message,
        span,
        help,
    }
}

fn hint_for(chunk: &str, expected: &[&str]) -> Option<String> {
    let first = chunk.split_whitespace().next().unwrap_or("");
    if first == "rule" && expected.iter().any(|e| e.contains("outcome")) {
        return Some(
            "a rule ends with an outcome: `deny carc N \"message\"`, `review \"message\"` or `advice \"message\"`"
                .into(),
        );
    }
    if first == "policy" || first == "version" || first == "effective" {
        return Some(
            "a policy file starts with `policy NAME`, `version X.Y.Z` and optionally `effective YYYY-MM-DD`"
                .into(),
        );
    }
    if expected.iter().any(|e| e.contains("condition")) {
        return Some("conditions combine with `and`, `or`, `not` and parentheses".into());
    }
    None
}

fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::ident => "a name",
        Rule::policy_name => "a policy name",
        Rule::rule_name => "a rule name",
        Rule::rule_ref => "a rule id such as `medicare.3d/base-study-required`",
        Rule::version => "a version such as `2026.1.0`",
        Rule::date => "a date (YYYY-MM-DD)",
        Rule::word => "a value",
        Rule::string | Rule::text => "a quoted message",
        Rule::cmp_op => "a comparison (`=`, `!=`, `<`, `<=`, `>`, `>=`)",
        Rule::add_op | Rule::mul_op => "an operator",
        Rule::expr | Rule::negation | Rule::conjunction => "a condition",
        Rule::value => "a value",
        Rule::set_ref | Rule::inline_list => "a set name or `[...]`",
        Rule::element | Rule::range => "a set element",
        Rule::set_kind => "`set`, `modifiers`, `places`, `diagnoses` or `phrases`",
        Rule::policy_decl => "`policy NAME`",
        Rule::version_decl => "`version X.Y.Z`",
        Rule::effective_clause => "`effective YYYY-MM-DD`",
        Rule::deny_out | Rule::review_out | Rule::advice_out => {
            "an outcome (`deny`, `review`, `advice`)"
        }
        Rule::cite_clause => "`cite`",
        Rule::when_clause => "`when`",
        Rule::carc_clause => "`carc CODE`",
        Rule::rarc_clause => "`rarc CODE`",
        Rule::suggest_clause => "`suggest CODE`",
        Rule::replaces_clause => "`replaces`",
        Rule::where_clause => "`where`",
        Rule::scope => "`in claim`, `in history` or `in claim or history`",
        Rule::source_filter | Rule::same_date | Rule::same_provider => {
            "`on same date` or `by same provider`"
        }
        Rule::selector => "`other` or `earlier`",
        Rule::aggregate | Rule::aggregate_kind => {
            "`count`, `count distinct codes of` or `sum units of`"
        }
        Rule::quantifier => "`any` or `no`",
        Rule::EOI => "the end of the item",
        Rule::table_kind => {
            "a table layout (`ncci_ptp`, `mue`, `add_on_codes`, `fee_schedule`, `gpci`)"
        }
        Rule::table_file => "a quoted file path",
        Rule::table_lookup => "a table lookup such as `mue[line.code].value`",
        Rule::path | Rule::subject => "`line.`, `claim.` or `report.` field",
        _ => return None,
    })
}

fn span_of(pair: &Pair<'_, Rule>, offset: usize) -> Span {
    let s = pair.as_span();
    Span {
        start: offset + s.start(),
        end: offset + s.end(),
    }
}

fn spanned(pair: &Pair<'_, Rule>, offset: usize) -> Spanned<String> {
    Spanned {
        node: pair.as_str().to_owned(),
        span: span_of(pair, offset),
    }
}

type Header = (Spanned<String>, Spanned<String>, Option<EffectiveAst>);

fn build_header(pair: Pair<'_, Rule>, offset: usize) -> Header {
    let mut name = Spanned {
        node: String::new(),
        span: Span::default(),
    };
    let mut version = name.clone();
    let mut effective = None;
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::policy_decl => {
                if let Some(p) = part.into_inner().next() {
                    name = spanned(&p, offset);
                }
            }
            Rule::version_decl => {
                if let Some(p) = part.into_inner().next() {
                    version = spanned(&p, offset);
                }
            }
            Rule::effective_clause => effective = Some(build_effective(part, offset)),
            _ => {}
        }
    }
    (name, version, effective)
}

fn build_effective(pair: Pair<'_, Rule>, offset: usize) -> EffectiveAst {
    let span = span_of(&pair, offset);
    let mut dates = pair.into_inner().map(|p| spanned(&p, offset));
    let from = dates.next().unwrap_or(Spanned {
        node: String::new(),
        span,
    });
    EffectiveAst {
        from,
        until: dates.next(),
        span,
    }
}

fn build_items(pair: Pair<'_, Rule>, offset: usize) -> Vec<Item> {
    pair.into_inner()
        .filter_map(|item| match item.as_rule() {
            Rule::set_decl => Some(Item::Set(build_set(item, offset))),
            Rule::import_decl => {
                let mut names: Vec<Spanned<String>> =
                    item.into_inner().map(|p| spanned(&p, offset)).collect();
                let from = names.pop()?;
                Some(Item::Import(ImportDecl { names, from }))
            }
            Rule::facts_decl => Some(Item::Facts(
                item.into_inner().map(|p| spanned(&p, offset)).collect(),
            )),
            Rule::rule_decl => Some(Item::Rule(Box::new(build_rule(item, offset)))),
            Rule::table_decl => Some(Item::Table(build_table(item, offset))),
            _ => None,
        })
        .collect()
}

fn build_table(pair: Pair<'_, Rule>, offset: usize) -> TableDecl {
    let span = span_of(&pair, offset);
    let empty = Spanned {
        node: String::new(),
        span,
    };
    let mut table = TableDecl {
        name: empty.clone(),
        kind: empty,
        files: Vec::new(),
        span,
    };
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::ident => table.name = spanned(&part, offset),
            Rule::table_kind => table.kind = spanned(&part, offset),
            Rule::table_file => {
                let mut inner = part.into_inner();
                if let Some(path) = inner.next() {
                    table.files.push(TableFileAst {
                        path: string_value(&path, offset),
                        from: inner.next().map(|d| spanned(&d, offset)),
                    });
                }
            }
            _ => {}
        }
    }
    table
}

fn build_lookup(pair: Pair<'_, Rule>, offset: usize) -> TableLookupAst {
    let span = span_of(&pair, offset);
    let mut parts = pair.into_inner();
    let table = parts.next().map_or(
        Spanned {
            node: String::new(),
            span,
        },
        |t| spanned(&t, offset),
    );
    let mut keys = Vec::new();
    let mut field = None;
    for part in parts {
        match part.as_rule() {
            Rule::value => keys.push(build_value(part, offset)),
            Rule::ident => field = Some(spanned(&part, offset)),
            _ => {}
        }
    }
    TableLookupAst {
        table,
        keys,
        field,
        span,
    }
}

fn build_set(pair: Pair<'_, Rule>, offset: usize) -> SetDecl {
    let span = span_of(&pair, offset);
    let mut kind = SetKind::Codes;
    let mut name = Spanned {
        node: String::new(),
        span,
    };
    let mut elements = Vec::new();
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::set_kind => {
                kind = match part.as_str() {
                    "modifiers" => SetKind::Modifiers,
                    "places" => SetKind::Places,
                    "diagnoses" => SetKind::Diagnoses,
                    "phrases" => SetKind::Phrases,
                    _ => SetKind::Codes,
                }
            }
            Rule::ident => name = spanned(&part, offset),
            Rule::element => elements.extend(build_element(part, offset)),
            _ => {}
        }
    }
    SetDecl {
        kind,
        name,
        elements,
        span,
    }
}

fn build_element(pair: Pair<'_, Rule>, offset: usize) -> Option<Element> {
    let inner = pair.into_inner().next()?;
    Some(match inner.as_rule() {
        Rule::range => {
            let mut ends = inner.into_inner().map(|p| spanned(&p, offset));
            let lo = ends.next()?;
            let hi = ends.next()?;
            Element::Range(lo, hi)
        }
        Rule::string => Element::Phrase(string_value(&inner, offset)),
        _ => Element::Single(spanned(&inner, offset)),
    })
}

fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn string_value(pair: &Pair<'_, Rule>, offset: usize) -> Spanned<String> {
    let body = pair
        .clone()
        .into_inner()
        .next()
        .map(|b| b.as_str())
        .unwrap_or("");
    Spanned {
        node: unescape(body),
        span: span_of(pair, offset),
    }
}

fn text_value(pair: Pair<'_, Rule>, offset: usize) -> Spanned<String> {
    let span = span_of(&pair, offset);
    let node = pair
        .into_inner()
        .map(|s| string_value(&s, offset).node)
        .collect::<Vec<_>>()
        .join("");
    Spanned { node, span }
}

fn build_rule(pair: Pair<'_, Rule>, offset: usize) -> RuleDecl {
    let span = span_of(&pair, offset);
    let mut rule = RuleDecl {
        name: Spanned {
            node: String::new(),
            span,
        },
        replaces: None,
        cites: Vec::new(),
        effective: Vec::new(),
        when: Vec::new(),
        outcome: OutcomeAst {
            kind: Spanned {
                node: OutcomeKind::Advice,
                span,
            },
            carc: None,
            rarcs: Vec::new(),
            suggest: None,
            message: Spanned {
                node: String::new(),
                span,
            },
        },
        span,
    };
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::rule_name => rule.name = spanned(&part, offset),
            Rule::replaces_clause => {
                rule.replaces = part.into_inner().next().map(|p| spanned(&p, offset));
            }
            Rule::cite_clause => {
                if let Some(text) = part.into_inner().next() {
                    rule.cites.push(text_value(text, offset));
                }
            }
            Rule::effective_clause => rule.effective.push(build_effective(part, offset)),
            Rule::when_clause => {
                if let Some(expr) = part.into_inner().next() {
                    rule.when.push(build_expr(expr, offset));
                }
            }
            Rule::deny_out | Rule::review_out | Rule::advice_out => {
                rule.outcome = build_outcome(part, offset);
            }
            _ => {}
        }
    }
    rule
}

fn build_outcome(pair: Pair<'_, Rule>, offset: usize) -> OutcomeAst {
    let span = span_of(&pair, offset);
    let kind = match pair.as_rule() {
        Rule::deny_out => OutcomeKind::Deny,
        Rule::review_out => OutcomeKind::Review,
        _ => OutcomeKind::Advice,
    };
    let keyword_len = match kind {
        OutcomeKind::Deny => 4,
        OutcomeKind::Review => 6,
        OutcomeKind::Advice => 6,
    };
    let mut outcome = OutcomeAst {
        kind: Spanned {
            node: kind,
            span: Span {
                start: span.start,
                end: span.start + keyword_len,
            },
        },
        carc: None,
        rarcs: Vec::new(),
        suggest: None,
        message: Spanned {
            node: String::new(),
            span,
        },
    };
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::carc_clause => {
                outcome.carc = part.into_inner().next().map(|p| spanned(&p, offset))
            }
            Rule::rarc_clause => {
                outcome.rarcs = part.into_inner().map(|p| spanned(&p, offset)).collect()
            }
            Rule::suggest_clause => {
                outcome.suggest = part.into_inner().next().map(|p| spanned(&p, offset))
            }
            Rule::text => outcome.message = text_value(part, offset),
            _ => {}
        }
    }
    outcome
}

fn build_expr(pair: Pair<'_, Rule>, offset: usize) -> Expr {
    let span = span_of(&pair, offset);
    match pair.as_rule() {
        Rule::expr => fold(pair, offset, span, ExprKind::Or),
        Rule::conjunction | Rule::line_conjunction => fold(pair, offset, span, ExprKind::And),
        Rule::negation => {
            let mut nots = 0usize;
            let mut inner = None;
            for part in pair.into_inner() {
                if part.as_rule() == Rule::not_op {
                    nots += 1;
                } else {
                    inner = Some(build_expr(part, offset));
                }
            }
            let mut expr = inner.unwrap_or(Expr {
                kind: ExprKind::And(Vec::new()),
                span,
            });
            for _ in 0..nots {
                expr = Expr {
                    kind: ExprKind::Not(Box::new(expr)),
                    span,
                };
            }
            expr
        }
        Rule::paren_expr => match pair.into_inner().next() {
            Some(inner) => build_expr(inner, offset),
            None => Expr {
                kind: ExprKind::And(Vec::new()),
                span,
            },
        },
        Rule::quantified => {
            let mut parts = pair.into_inner();
            let none = parts.next().is_some_and(|q| q.as_str().starts_with("no"));
            let source = parts
                .next()
                .map(|s| build_source(s, offset))
                .unwrap_or_else(|| empty_source(span));
            Expr {
                kind: ExprKind::Quantified { none, source },
                span,
            }
        }
        Rule::comparison => {
            let mut parts = pair.into_inner();
            let lhs = parts.next().map(|p| build_value(p, offset));
            let op = parts.next().map(|p| match p.as_str() {
                "!=" => CompareOp::Ne,
                "<=" => CompareOp::Le,
                ">=" => CompareOp::Ge,
                "<" => CompareOp::Lt,
                ">" => CompareOp::Gt,
                _ => CompareOp::Eq,
            });
            let rhs = parts.next().map(|p| build_value(p, offset));
            match (lhs, op, rhs) {
                (Some(lhs), Some(op), Some(rhs)) => Expr {
                    kind: ExprKind::Compare { lhs, op, rhs },
                    span,
                },
                _ => Expr {
                    kind: ExprKind::And(Vec::new()),
                    span,
                },
            }
        }
        Rule::membership => {
            let mut value = None;
            let mut negated = false;
            let mut set = None;
            for part in pair.into_inner() {
                match part.as_rule() {
                    Rule::value => value = Some(build_value(part, offset)),
                    Rule::negated_in => negated = true,
                    Rule::set_ref => set = Some(build_set_ref(part, offset)),
                    _ => {}
                }
            }
            match (value, set) {
                (Some(value), Some(set)) => Expr {
                    kind: ExprKind::In {
                        value,
                        negated,
                        set,
                    },
                    span,
                },
                _ => Expr {
                    kind: ExprKind::And(Vec::new()),
                    span,
                },
            }
        }
        Rule::has_modifier => {
            let mut subject = None;
            let mut negated = false;
            let mut modifier = None;
            for part in pair.into_inner() {
                match part.as_rule() {
                    Rule::subject => subject = Some(spanned(&part, offset)),
                    Rule::negated_has => negated = true,
                    Rule::set_ref => modifier = Some(build_set_ref(part, offset)),
                    Rule::word => {
                        let s = span_of(&part, offset);
                        modifier = Some(SetRef::Inline(
                            vec![Element::Single(spanned(&part, offset))],
                            s,
                        ))
                    }
                    _ => {}
                }
            }
            Expr {
                kind: ExprKind::HasModifier {
                    subject,
                    negated,
                    modifier: modifier.unwrap_or(SetRef::Inline(Vec::new(), span)),
                },
                span,
            }
        }
        Rule::flag
            if pair.clone().into_inner().next().map(|p| p.as_rule())
                == Some(Rule::table_lookup) =>
        {
            match pair.into_inner().next() {
                Some(lookup) => Expr {
                    kind: ExprKind::TableRow(build_lookup(lookup, offset)),
                    span,
                },
                None => Expr {
                    kind: ExprKind::And(Vec::new()),
                    span,
                },
            }
        }
        Rule::flag => {
            let path = pair
                .into_inner()
                .next()
                .map(|p| build_path(p, offset))
                .unwrap_or(Path {
                    subject: None,
                    field: None,
                    span,
                });
            Expr {
                kind: ExprKind::Flag(path),
                span,
            }
        }
        _ => Expr {
            kind: ExprKind::And(Vec::new()),
            span,
        },
    }
}

fn fold(pair: Pair<'_, Rule>, offset: usize, span: Span, make: fn(Vec<Expr>) -> ExprKind) -> Expr {
    let mut parts: Vec<Expr> = pair
        .into_inner()
        .filter(|p| !matches!(p.as_rule(), Rule::kw_and | Rule::kw_or))
        .map(|p| build_expr(p, offset))
        .collect();
    if parts.len() == 1 {
        if let Some(only) = parts.pop() {
            return only;
        }
    }
    Expr {
        kind: make(parts),
        span,
    }
}

fn build_set_ref(pair: Pair<'_, Rule>, offset: usize) -> SetRef {
    let span = span_of(&pair, offset);
    match pair.into_inner().next() {
        Some(inner) if inner.as_rule() == Rule::inline_list => SetRef::Inline(
            inner
                .into_inner()
                .filter_map(|e| build_element(e, offset))
                .collect(),
            span,
        ),
        Some(inner) => SetRef::Named(spanned(&inner, offset)),
        None => SetRef::Inline(Vec::new(), span),
    }
}

fn empty_source(span: Span) -> LineSource {
    LineSource {
        selector: Selector::All,
        scope: Scope::Claim,
        same_date: false,
        same_provider: false,
        filter: None,
        span,
    }
}

fn build_source(pair: Pair<'_, Rule>, offset: usize) -> LineSource {
    let mut source = empty_source(span_of(&pair, offset));
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::selector => {
                source.selector = if part.as_str().starts_with("other") {
                    Selector::Other
                } else {
                    Selector::Earlier
                }
            }
            Rule::scope => {
                let text: String = part
                    .as_str()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                source.scope = match text.as_str() {
                    "in history" => Scope::History,
                    "in claim" => Scope::Claim,
                    _ => Scope::ClaimOrHistory,
                }
            }
            Rule::source_filter => {
                for filter in part.into_inner() {
                    match filter.as_rule() {
                        Rule::same_date => source.same_date = true,
                        Rule::same_provider => source.same_provider = true,
                        _ => {}
                    }
                }
            }
            Rule::where_clause => {
                if let Some(conj) = part.into_inner().next() {
                    source.filter = Some(Box::new(build_expr(conj, offset)));
                }
            }
            _ => {}
        }
    }
    source
}

fn build_path(pair: Pair<'_, Rule>, offset: usize) -> Path {
    let span = span_of(&pair, offset);
    let mut path = Path {
        subject: None,
        field: None,
        span,
    };
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::subject => path.subject = Some(spanned(&part, offset)),
            Rule::ident => path.field = Some(spanned(&part, offset)),
            _ => {}
        }
    }
    path
}

fn build_value(pair: Pair<'_, Rule>, offset: usize) -> Value {
    let span = span_of(&pair, offset);
    match pair.as_rule() {
        Rule::value | Rule::product => {
            let mut parts = pair.into_inner();
            let mut acc = match parts.next() {
                Some(first) => build_value(first, offset),
                None => Value {
                    kind: ValueKind::Word(String::new()),
                    span,
                },
            };
            while let (Some(op), Some(rhs)) = (parts.next(), parts.next()) {
                let op = match op.as_str() {
                    "+" => ArithOp::Add,
                    "-" => ArithOp::Sub,
                    _ => ArithOp::Mul,
                };
                let rhs = build_value(rhs, offset);
                let joined = Span {
                    start: acc.span.start,
                    end: rhs.span.end,
                };
                acc = Value {
                    kind: ValueKind::Binary {
                        op,
                        lhs: Box::new(acc),
                        rhs: Box::new(rhs),
                    },
                    span: joined,
                };
            }
            acc
        }
        Rule::paren_value => match pair.into_inner().next() {
            Some(inner) => build_value(inner, offset),
            None => Value {
                kind: ValueKind::Word(String::new()),
                span,
            },
        },
        Rule::aggregate => {
            let mut parts = pair.into_inner();
            let kind = parts
                .next()
                .and_then(|k| k.into_inner().next())
                .map(|k| match k.as_rule() {
                    Rule::count_codes => AggregateKind::CountDistinctCodes,
                    Rule::sum_units => AggregateKind::SumUnits,
                    _ => AggregateKind::CountLines,
                })
                .unwrap_or(AggregateKind::CountLines);
            let source = parts
                .next()
                .map(|s| build_source(s, offset))
                .unwrap_or_else(|| empty_source(span));
            Value {
                kind: ValueKind::Aggregate { kind, source },
                span,
            }
        }
        Rule::date => Value {
            kind: ValueKind::Date(pair.as_str().to_owned()),
            span,
        },
        Rule::table_lookup => Value {
            kind: ValueKind::TableField(build_lookup(pair, offset)),
            span,
        },
        Rule::path => {
            let path = build_path(pair, offset);
            match (&path.subject, &path.field) {
                (None, Some(field)) => Value {
                    kind: ValueKind::Word(field.node.clone()),
                    span,
                },
                _ => Value {
                    kind: ValueKind::Path(path),
                    span,
                },
            }
        }
        _ => Value {
            kind: ValueKind::Word(pair.as_str().to_owned()),
            span,
        },
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"policy medicare.3d-rendering
version 2026.1.0
effective 2026-01-01

set three_d     = 76376, 76377
set base_study  = 70450..70498, 71250..71275, G0288
phrases workstation = "independent workstation", "dedicated 3d workstation"

rule integral-to-angiography
  cite "NCCI PTP, modifier indicator 0"
  when line.code in three_d and any line on same date where code in [70496, 70498]
  deny carc 97 rarc M15 "3D rendering is included in CT/MR angiography"
"#;

    #[test]
    fn parses_the_sample() {
        let ast = parse_policy(SAMPLE).unwrap();
        assert_eq!(ast.name.node, "medicare.3d-rendering");
        assert_eq!(ast.version.node, "2026.1.0");
        assert_eq!(ast.items.len(), 4);
        let Item::Rule(rule) = &ast.items[3] else {
            panic!("expected a rule")
        };
        assert_eq!(rule.name.node, "integral-to-angiography");
        assert_eq!(rule.outcome.carc.as_ref().unwrap().node, "97");
        let ExprKind::And(parts) = &rule.when[0].kind else {
            panic!("expected and: {:?}", rule.when[0].kind)
        };
        assert!(matches!(
            parts[1].kind,
            ExprKind::Quantified { none: false, .. }
        ));
    }

    #[test]
    fn collects_one_error_per_broken_item() {
        let src = "policy p\nversion 1.0.0\nset a = 1,\nrule r\n  when line.units > \n  deny carc 4 \"m\"\nset ok = 1\n";
        let errors = parse_policy(src).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].message.contains("expected"),
            "{}",
            errors[0].message
        );
    }
}
