//! Top-level items: the header, sets, imports, fact declarations, tables and rules with their
//! clauses and outcomes.

use pest::iterators::Pair;

use super::exprs::{build_element, build_expr};
use super::{child, span_of, spanned, Built, Rule};
use crate::diagnostics::InternalError;
use crate::syntax::ast::*;

/// `policy NAME`, `version X`, `effective ...`.
pub(super) type Header = (Spanned<String>, Spanned<String>, Option<EffectiveAst>);

pub(super) fn header(pair: Pair<'_, Rule>, offset: usize) -> Built<Header> {
    let mut name = None;
    let mut version = None;
    let mut effective = None;
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::policy_decl => {
                name = Some(spanned(
                    &child(&mut part.into_inner(), "a policy name")?,
                    offset,
                ))
            }
            Rule::version_decl => {
                version = Some(spanned(
                    &child(&mut part.into_inner(), "a version")?,
                    offset,
                ))
            }
            Rule::effective_clause => effective = Some(build_effective(part, offset)?),
            _ => {}
        }
    }
    match (name, version) {
        (Some(name), Some(version)) => Ok((name, version, effective)),
        _ => Err(InternalError {
            what: "a header without `policy` or `version`",
        }),
    }
}

fn build_effective(pair: Pair<'_, Rule>, offset: usize) -> Built<EffectiveAst> {
    let span = span_of(&pair, offset);
    let mut dates = pair.into_inner();
    let from = spanned(&child(&mut dates, "the date of `effective`")?, offset);
    Ok(EffectiveAst {
        from,
        until: dates.next().map(|p| spanned(&p, offset)),
        span,
    })
}

pub(super) fn items(pair: Pair<'_, Rule>, offset: usize) -> Built<Vec<Item>> {
    let mut items = Vec::new();
    for item in pair.into_inner() {
        items.push(match item.as_rule() {
            Rule::set_decl => Item::Set(build_set(item, offset)?),
            Rule::import_decl => {
                let mut names: Vec<Spanned<String>> =
                    item.into_inner().map(|p| spanned(&p, offset)).collect();
                let from = names.pop().ok_or(InternalError {
                    what: "an import without a policy",
                })?;
                Item::Import(ImportDecl { names, from })
            }
            Rule::facts_decl => {
                Item::Facts(item.into_inner().map(|p| spanned(&p, offset)).collect())
            }
            Rule::rule_decl => Item::Rule(Box::new(build_rule(item, offset)?)),
            Rule::table_decl => Item::Table(build_table(item, offset)?),
            Rule::EOI => continue,
            _ => {
                return Err(InternalError {
                    what: "an item of an unknown kind",
                })
            }
        });
    }
    Ok(items)
}

fn build_table(pair: Pair<'_, Rule>, offset: usize) -> Built<TableDecl> {
    let span = span_of(&pair, offset);
    let mut parts = pair.into_inner();
    let name = spanned(&child(&mut parts, "a table name")?, offset);
    let kind = spanned(&child(&mut parts, "a table layout")?, offset);
    let mut files = Vec::new();
    for part in parts {
        let mut inner = part.into_inner();
        let path = string_value(&child(&mut inner, "a table file path")?, offset);
        files.push(TableFileAst {
            path,
            from: inner.next().map(|d| spanned(&d, offset)),
        });
    }
    Ok(TableDecl {
        name,
        kind,
        files,
        span,
    })
}

fn build_set(pair: Pair<'_, Rule>, offset: usize) -> Built<SetDecl> {
    let span = span_of(&pair, offset);
    let mut parts = pair.into_inner();
    let kind = match child(&mut parts, "a set keyword")?.as_str() {
        "set" => SetKind::Codes,
        "modifiers" => SetKind::Modifiers,
        "places" => SetKind::Places,
        "diagnoses" => SetKind::Diagnoses,
        "phrases" => SetKind::Phrases,
        "taxonomies" => SetKind::Taxonomies,
        "npis" => SetKind::Npis,
        _ => {
            return Err(InternalError {
                what: "an unknown set keyword",
            })
        }
    };
    let name = spanned(&child(&mut parts, "a set name")?, offset);
    let elements = parts
        .map(|e| build_element(e, offset))
        .collect::<Built<Vec<_>>>()?;
    Ok(SetDecl {
        kind,
        name,
        elements,
        span,
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

/// A quoted string's unescaped content (an empty string has no body pair).
pub(super) fn string_value(pair: &Pair<'_, Rule>, offset: usize) -> Spanned<String> {
    let body = pair.clone().into_inner().next().map_or("", |b| b.as_str());
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

fn build_rule(pair: Pair<'_, Rule>, offset: usize) -> Built<RuleDecl> {
    let span = span_of(&pair, offset);
    let mut parts = pair.into_inner();
    let name = spanned(&child(&mut parts, "a rule name")?, offset);
    let mut replaces = None;
    let mut cites = Vec::new();
    let mut effective = Vec::new();
    let mut when = Vec::new();
    let mut on_unknown = Vec::new();
    let mut outcome = None;
    for part in parts {
        match part.as_rule() {
            Rule::replaces_clause => {
                replaces = Some(spanned(
                    &child(&mut part.into_inner(), "the rule `replaces` names")?,
                    offset,
                ));
            }
            Rule::cite_clause => {
                cites.push(text_value(
                    child(&mut part.into_inner(), "the text of `cite`")?,
                    offset,
                ));
            }
            Rule::effective_clause => effective.push(build_effective(part, offset)?),
            Rule::when_clause => {
                when.push(build_expr(
                    child(&mut part.into_inner(), "the condition of `when`")?,
                    offset,
                )?);
            }
            Rule::unknown_clause => {
                let action = child(&mut part.into_inner(), "the action of `when unknown`")?;
                let node = match action.as_str() {
                    "review" => UnknownAction::Review,
                    "deny" => UnknownAction::Deny,
                    "advice" => UnknownAction::Advice,
                    _ => {
                        return Err(InternalError {
                            what: "an unknown `when unknown` action",
                        })
                    }
                };
                on_unknown.push(Spanned {
                    node,
                    span: span_of(&action, offset),
                });
            }
            Rule::deny_out | Rule::review_out | Rule::advice_out => {
                outcome = Some(build_outcome(part, offset)?);
            }
            _ => {
                return Err(InternalError {
                    what: "an unknown rule clause",
                })
            }
        }
    }
    Ok(RuleDecl {
        name,
        replaces,
        cites,
        effective,
        when,
        on_unknown,
        outcome: outcome.ok_or(InternalError {
            what: "a rule without an outcome",
        })?,
        span,
    })
}

fn build_outcome(pair: Pair<'_, Rule>, offset: usize) -> Built<OutcomeAst> {
    let span = span_of(&pair, offset);
    let (kind, keyword) = match pair.as_rule() {
        Rule::deny_out => (OutcomeKind::Deny, "deny"),
        Rule::review_out => (OutcomeKind::Review, "review"),
        _ => (OutcomeKind::Advice, "advice"),
    };
    let kind = Spanned {
        node: kind,
        span: Span {
            start: span.start,
            end: span.start + keyword.len(),
        },
    };
    let mut group = None;
    let mut carc = None;
    let mut rarcs = Vec::new();
    let mut suggest = None;
    let mut message = None;
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::group_clause => {
                group = Some(spanned(
                    &child(&mut part.into_inner(), "a group code")?,
                    offset,
                ))
            }
            Rule::carc_clause => {
                carc = Some(spanned(&child(&mut part.into_inner(), "a CARC")?, offset))
            }
            Rule::rarc_clause => rarcs = part.into_inner().map(|p| spanned(&p, offset)).collect(),
            Rule::suggest_clause => {
                suggest = Some(spanned(
                    &child(&mut part.into_inner(), "a suggested code")?,
                    offset,
                ))
            }
            Rule::text => message = Some(text_value(part, offset)),
            _ => {
                return Err(InternalError {
                    what: "an unknown outcome clause",
                })
            }
        }
    }
    Ok(OutcomeAst {
        kind,
        group,
        carc,
        rarcs,
        suggest,
        message: message.ok_or(InternalError {
            what: "an outcome without a message",
        })?,
    })
}
