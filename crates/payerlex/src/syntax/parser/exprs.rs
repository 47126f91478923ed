//! Conditions, values and line sources: the `when` part of a rule.

use pest::iterators::Pair;

use super::items::string_value;
use super::{child, span_of, spanned, Built, Rule};
use crate::diagnostics::InternalError;
use crate::syntax::ast::*;

pub(super) fn build_expr(pair: Pair<'_, Rule>, offset: usize) -> Built<Expr> {
    let span = span_of(&pair, offset);
    let kind = match pair.as_rule() {
        Rule::expr => return fold(pair, offset, span, ExprKind::Or),
        Rule::conjunction | Rule::line_conjunction => {
            return fold(pair, offset, span, ExprKind::And)
        }
        Rule::negation => {
            let mut nots = 0usize;
            let mut inner = None;
            for part in pair.into_inner() {
                if part.as_rule() == Rule::not_op {
                    nots += 1;
                } else {
                    inner = Some(build_expr(part, offset)?);
                }
            }
            let mut expr = inner.ok_or(InternalError {
                what: "a negation without a condition",
            })?;
            for _ in 0..nots {
                expr = Expr {
                    kind: ExprKind::Not(Box::new(expr)),
                    span,
                };
            }
            return Ok(expr);
        }
        Rule::paren_expr => {
            return build_expr(
                child(&mut pair.into_inner(), "a condition in parentheses")?,
                offset,
            )
        }
        Rule::quantified => {
            let mut parts = pair.into_inner();
            let none = child(&mut parts, "a quantifier")?
                .as_str()
                .starts_with("no");
            let source = build_source(child(&mut parts, "a line source")?, offset)?;
            ExprKind::Quantified { none, source }
        }
        Rule::comparison => {
            let mut parts = pair.into_inner();
            let lhs = build_value(child(&mut parts, "a left operand")?, offset)?;
            let op = match child(&mut parts, "a comparison operator")?.as_str() {
                "!=" => CompareOp::Ne,
                "<=" => CompareOp::Le,
                ">=" => CompareOp::Ge,
                "<" => CompareOp::Lt,
                ">" => CompareOp::Gt,
                "=" => CompareOp::Eq,
                _ => {
                    return Err(InternalError {
                        what: "an unknown comparison operator",
                    })
                }
            };
            let rhs = build_value(child(&mut parts, "a right operand")?, offset)?;
            ExprKind::Compare { lhs, op, rhs }
        }
        Rule::membership => {
            let mut value = None;
            let mut negated = false;
            let mut set = None;
            for part in pair.into_inner() {
                match part.as_rule() {
                    Rule::value => value = Some(build_value(part, offset)?),
                    Rule::negated_in => negated = true,
                    Rule::set_ref => set = Some(build_set_ref(part, offset)?),
                    _ => {}
                }
            }
            match (value, set) {
                (Some(value), Some(set)) => ExprKind::In {
                    value,
                    negated,
                    set,
                },
                _ => {
                    return Err(InternalError {
                        what: "a membership test without its value or set",
                    })
                }
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
                    Rule::set_ref => modifier = Some(build_set_ref(part, offset)?),
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
            ExprKind::HasModifier {
                subject,
                negated,
                modifier: modifier.ok_or(InternalError {
                    what: "`has modifier` without a modifier",
                })?,
            }
        }
        Rule::flag => {
            let inner = child(&mut pair.into_inner(), "a flag")?;
            match inner.as_rule() {
                Rule::table_lookup => ExprKind::TableRow(build_lookup(inner, offset)?),
                _ => ExprKind::Flag(build_path(inner, offset)),
            }
        }
        Rule::known_test => {
            let inner = child(&mut pair.into_inner(), "what `known` tests")?;
            ExprKind::Known(match inner.as_rule() {
                Rule::table_lookup => KnownTarget::Table(build_lookup(inner, offset)?),
                _ => KnownTarget::Path(build_path(inner, offset)),
            })
        }
        _ => {
            return Err(InternalError {
                what: "an unknown kind of condition",
            })
        }
    };
    Ok(Expr { kind, span })
}

fn fold(
    pair: Pair<'_, Rule>,
    offset: usize,
    span: Span,
    make: fn(Vec<Expr>) -> ExprKind,
) -> Built<Expr> {
    let mut parts = pair
        .into_inner()
        .filter(|p| !matches!(p.as_rule(), Rule::kw_and | Rule::kw_or))
        .map(|p| build_expr(p, offset))
        .collect::<Built<Vec<Expr>>>()?;
    match parts.len() {
        0 => Err(InternalError {
            what: "`and`/`or` without operands",
        }),
        1 => parts.pop().ok_or(InternalError {
            what: "`and`/`or` without operands",
        }),
        _ => Ok(Expr {
            kind: make(parts),
            span,
        }),
    }
}

pub(super) fn build_element(pair: Pair<'_, Rule>, offset: usize) -> Built<Element> {
    let inner = child(&mut pair.into_inner(), "a set element")?;
    Ok(match inner.as_rule() {
        Rule::range => {
            let mut ends = inner.into_inner();
            let lo = spanned(&child(&mut ends, "a range's first end")?, offset);
            let hi = spanned(&child(&mut ends, "a range's last end")?, offset);
            Element::Range(lo, hi)
        }
        Rule::string => Element::Phrase(string_value(&inner, offset)),
        _ => Element::Single(spanned(&inner, offset)),
    })
}

fn build_set_ref(pair: Pair<'_, Rule>, offset: usize) -> Built<SetRef> {
    let span = span_of(&pair, offset);
    let inner = child(&mut pair.into_inner(), "a set name or list")?;
    Ok(match inner.as_rule() {
        Rule::inline_list => SetRef::Inline(
            inner
                .into_inner()
                .map(|e| build_element(e, offset))
                .collect::<Built<Vec<_>>>()?,
            span,
        ),
        _ => SetRef::Named(spanned(&inner, offset)),
    })
}

fn build_lookup(pair: Pair<'_, Rule>, offset: usize) -> Built<TableLookupAst> {
    let span = span_of(&pair, offset);
    let mut parts = pair.into_inner();
    let table = spanned(&child(&mut parts, "a table name")?, offset);
    let mut keys = Vec::new();
    let mut field = None;
    for part in parts {
        match part.as_rule() {
            Rule::value => keys.push(build_value(part, offset)?),
            Rule::ident => field = Some(spanned(&part, offset)),
            _ => {}
        }
    }
    Ok(TableLookupAst {
        table,
        keys,
        field,
        span,
    })
}

fn build_source(pair: Pair<'_, Rule>, offset: usize) -> Built<LineSource> {
    let mut source = LineSource {
        selector: Selector::All,
        scope: Scope::Claim,
        filters: Vec::new(),
        filter: None,
        span: span_of(&pair, offset),
    };
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
                let words: Vec<&str> = part.as_str().split_whitespace().collect();
                source.scope = match words.as_slice() {
                    ["in", "history"] => Scope::History,
                    ["in", "claim"] => Scope::Claim,
                    ["in", "claim", "or", "history"] => Scope::ClaimOrHistory,
                    _ => {
                        return Err(InternalError {
                            what: "an unknown line scope",
                        })
                    }
                }
            }
            Rule::source_filter => {
                let filter = child(&mut part.into_inner(), "a line filter")?;
                source.filters.push(Spanned {
                    span: span_of(&filter, offset),
                    node: build_filter(filter)?,
                });
            }
            Rule::where_clause => {
                let conj = child(&mut part.into_inner(), "the condition of `where`")?;
                source.filter = Some(Box::new(build_expr(conj, offset)?));
            }
            _ => {}
        }
    }
    Ok(source)
}

fn build_filter(pair: Pair<'_, Rule>) -> Built<SourceFilter> {
    Ok(match pair.as_rule() {
        Rule::same_date => SourceFilter::SameDate,
        Rule::same_year => SourceFilter::SameYear,
        Rule::same_provider => SourceFilter::SameProvider,
        Rule::other_provider => SourceFilter::OtherProvider,
        Rule::same_rendering => SourceFilter::SameRendering,
        Rule::window => {
            let mut parts = pair.into_inner();
            let amount = child(&mut parts, "a window's length")?
                .as_str()
                .parse::<u32>()
                .map_err(|_| InternalError {
                    what: "a window length the grammar accepted but is not a number",
                })?;
            let unit = match child(&mut parts, "a window's unit")?.as_str() {
                "day" | "days" => WindowUnit::Days,
                _ => WindowUnit::Months,
            };
            let direction = parts.next().map(|d| match d.as_str() {
                "before" => Direction::Before,
                _ => Direction::After,
            });
            SourceFilter::Window {
                amount,
                unit,
                direction,
            }
        }
        _ => {
            return Err(InternalError {
                what: "an unknown line filter",
            })
        }
    })
}

fn build_path(pair: Pair<'_, Rule>, offset: usize) -> Path {
    let span = span_of(&pair, offset);
    let mut path = Path {
        subject: None,
        fields: Vec::new(),
        span,
    };
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::subject => path.subject = Some(spanned(&part, offset)),
            Rule::ident => path.fields.push(spanned(&part, offset)),
            _ => {}
        }
    }
    path
}

fn build_value(pair: Pair<'_, Rule>, offset: usize) -> Built<Value> {
    let span = span_of(&pair, offset);
    let kind = match pair.as_rule() {
        Rule::value | Rule::product => {
            let mut parts = pair.into_inner();
            let mut acc = build_value(child(&mut parts, "an operand")?, offset)?;
            while let Some(op) = parts.next() {
                let op = match op.as_str() {
                    "+" => ArithOp::Add,
                    "-" => ArithOp::Sub,
                    "*" => ArithOp::Mul,
                    _ => {
                        return Err(InternalError {
                            what: "an unknown arithmetic operator",
                        })
                    }
                };
                let rhs = build_value(child(&mut parts, "an operand after an operator")?, offset)?;
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
            return Ok(acc);
        }
        Rule::paren_value => {
            return build_value(
                child(&mut pair.into_inner(), "a value in parentheses")?,
                offset,
            )
        }
        Rule::aggregate => {
            let mut parts = pair.into_inner();
            let kind_pair = child(&mut parts, "an aggregate")?;
            let kind = match child(&mut kind_pair.into_inner(), "an aggregate kind")?.as_rule() {
                Rule::count_codes => AggregateKind::CountDistinctCodes,
                Rule::sum_units => AggregateKind::SumUnits,
                Rule::count_lines => AggregateKind::CountLines,
                _ => {
                    return Err(InternalError {
                        what: "an unknown aggregate",
                    })
                }
            };
            let source = build_source(child(&mut parts, "an aggregate's lines")?, offset)?;
            ValueKind::Aggregate { kind, source }
        }
        Rule::date => ValueKind::Date(pair.as_str().to_owned()),
        Rule::table_lookup => ValueKind::TableField(build_lookup(pair, offset)?),
        Rule::path => {
            let path = build_path(pair, offset);
            match (&path.subject, path.fields.as_slice()) {
                (None, [field]) => ValueKind::Word(field.node.clone()),
                _ => ValueKind::Path(path),
            }
        }
        Rule::duration => {
            let mut parts = pair.into_inner();
            let amount_pair = child(&mut parts, "a duration's amount")?;
            let amount = match amount_pair.as_rule() {
                Rule::number => Value {
                    kind: ValueKind::Word(amount_pair.as_str().to_owned()),
                    span: span_of(&amount_pair, offset),
                },
                _ => build_value(amount_pair, offset)?,
            };
            let unit = match child(&mut parts, "a duration's unit")?.as_str() {
                "day" | "days" => DurationUnit::Days,
                "month" | "months" => DurationUnit::Months,
                _ => DurationUnit::Years,
            };
            ValueKind::Duration {
                amount: Box::new(amount),
                unit,
            }
        }
        Rule::word => ValueKind::Word(pair.as_str().to_owned()),
        _ => {
            return Err(InternalError {
                what: "an unknown kind of value",
            })
        }
    };
    Ok(Value { kind, span })
}
