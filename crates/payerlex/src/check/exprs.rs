//! Types conditions and values, resolving set names, attributes and literals.
//!
//! A bare word (`76377`, `26`, `facility`, `2`) has no type of its own: it takes the type of
//! what it is compared with, so authors write `line.code = 76377` and `claim.pos = 22`
//! without quoting. Inside `where`, bare field names (`code`, `units`) are the quantified
//! line's; outside, they must be written `line.code`.

use std::sync::Arc;

use super::literals;
use super::Checker;
use crate::diagnostics::{Problem, SemanticError};
use crate::facts::ProviderRole;
use crate::ir::PlaceSet;
use crate::ir::*;
use crate::source::Span;
use crate::syntax::ast::{self, Expr, ExprKind, Spanned, Value, ValueKind};

/// A value after typing.
pub(super) enum Typed {
    Num(Num),
    Code(CodeOperand),
    Place(PlaceRef),
    Role(LineRef),
    Date(DateValue),
    Duration(Num, DurationUnit),
    Modifiers(LineRef),
    Diagnoses(DiagnosisRef),
    Taxonomy(TaxonomyRef),
    Npi(NpiRef),
    Sex,
    Bool(CondKind),
    Table(Lookup),
    Word(Spanned<String>),
    Invalid,
}

impl Typed {
    pub(super) fn describe(&self) -> &'static str {
        match self {
            Typed::Num(_) => "a number",
            Typed::Code(_) => "a procedure code",
            Typed::Place(_) => "a place of service",
            Typed::Role(_) => "a provider role",
            Typed::Date(_) => "a date",
            Typed::Duration(..) => "a duration",
            Typed::Modifiers(_) => "a list of modifiers",
            Typed::Diagnoses(_) => "a diagnosis",
            Typed::Taxonomy(_) => "a provider taxonomy",
            Typed::Npi(_) => "an NPI",
            Typed::Sex => "the patient's sex",
            Typed::Bool(_) => "a condition",
            Typed::Table(_) => "a table field",
            Typed::Word(_) => "a bare value",
            Typed::Invalid => "an invalid value",
        }
    }
}

/// Where a condition is being checked.
#[derive(Clone, Copy)]
pub(super) struct Ctx {
    /// Inside a quantifier's `where`.
    pub in_where: bool,
}

impl Checker<'_> {
    pub(super) fn cond(&mut self, expr: &Expr, ctx: Ctx) -> Cond {
        let span = expr.span;
        let kind = match &expr.kind {
            ExprKind::Or(parts) => CondKind::Any(parts.iter().map(|p| self.cond(p, ctx)).collect()),
            ExprKind::And(parts) if parts.is_empty() => CondKind::Const(true),
            ExprKind::And(parts) => {
                CondKind::All(parts.iter().map(|p| self.cond(p, ctx)).collect())
            }
            ExprKind::Not(inner) => CondKind::Not(Box::new(self.cond(inner, ctx))),
            ExprKind::Compare { lhs, op, rhs } => self.compare(lhs, *op, rhs, span, ctx),
            ExprKind::In {
                value,
                negated,
                set,
            } => {
                let typed = self.value(value, ctx);
                let kind = self.membership(typed, value.span, set);
                negate_if(*negated, kind, span)
            }
            ExprKind::HasModifier {
                subject,
                negated,
                modifier,
            } => {
                let line = match subject {
                    Some(s) if s.node == "line" => Some(LineRef::Current),
                    Some(s) => {
                        self.problems.push(Problem::error(
                            s.span,
                            SemanticError::NoModifiers {
                                subject: s.node.clone(),
                            },
                            "only lines carry modifiers",
                        ));
                        None
                    }
                    None if ctx.in_where => Some(LineRef::Quantified),
                    None => {
                        self.problems.push(Problem::error(
                            span,
                            SemanticError::WhoseModifier,
                            "outside `where`, name the line",
                        ));
                        None
                    }
                };
                match line {
                    Some(line) => {
                        let kind = self.modifier_membership(line, modifier);
                        negate_if(*negated, kind, span)
                    }
                    None => CondKind::Const(false),
                }
            }
            ExprKind::Quantified { none, source } => {
                if ctx.in_where {
                    self.nested_quantifier(span);
                }
                let source = self.source(source);
                negate_if(*none, CondKind::Exists(Box::new(source)), span)
            }
            ExprKind::TableRow(lookup) => match self.lookup(lookup, ctx, false) {
                Some(lookup) => CondKind::TableRow(lookup),
                None => CondKind::Const(false),
            },
            ExprKind::Flag(path) => match self.path(path, ctx) {
                Typed::Bool(kind) => kind,
                Typed::Invalid => CondKind::Const(false),
                other => {
                    self.problems.push(Problem::error(
                        path.span,
                        SemanticError::NotACondition {
                            what: other.describe(),
                        },
                        "not true or false",
                    ));
                    CondKind::Const(false)
                }
            },
            ExprKind::Known(target) => self.known(target, span, ctx),
        };
        Cond { kind, span }
    }

    pub(super) fn nested_quantifier(&mut self, span: Span) {
        self.problems.push(Problem::error(
            span,
            SemanticError::NestedQuantifier,
            "inside another quantifier's `where`",
        ));
    }

    pub(super) fn source(&mut self, source: &ast::LineSource) -> Source {
        let filter = source
            .filter
            .as_ref()
            .map(|f| Box::new(self.cond(f, Ctx { in_where: true })));
        let mut window: Option<Window> = None;
        let mut provider: Option<ProviderFilter> = None;
        for filter in &source.filters {
            let (new_window, new_provider) = match filter.node {
                ast::SourceFilter::SameDate => (Some(Window::SameDate), None),
                ast::SourceFilter::SameYear => (Some(Window::CalendarYear), None),
                ast::SourceFilter::Window {
                    amount,
                    unit,
                    direction,
                } => {
                    if amount == 0 {
                        if let Some(direction) = direction {
                            self.problems.push(Problem::error(
                                filter.span,
                                SemanticError::EmptyWindow {
                                    unit: match unit {
                                        ast::WindowUnit::Days => "days",
                                        ast::WindowUnit::Months => "months",
                                    },
                                    direction: match direction {
                                        Direction::Before => "before",
                                        Direction::After => "after",
                                    },
                                },
                                "no date",
                            ));
                        }
                    }
                    let window = match unit {
                        ast::WindowUnit::Days => Window::Days {
                            days: amount,
                            direction,
                        },
                        ast::WindowUnit::Months => Window::Months {
                            months: amount,
                            direction,
                        },
                    };
                    (Some(window), None)
                }
                ast::SourceFilter::SameProvider => (None, Some(ProviderFilter::SameBilling)),
                ast::SourceFilter::OtherProvider => (None, Some(ProviderFilter::OtherBilling)),
                ast::SourceFilter::SameRendering => (None, Some(ProviderFilter::SameRendering)),
            };
            if let Some(w) = new_window {
                if window.replace(w).is_some() {
                    self.problems.push(Problem::error(
                        filter.span,
                        SemanticError::SecondWindow,
                        "second date filter",
                    ));
                }
            }
            if let Some(p) = new_provider {
                if provider.replace(p).is_some() {
                    self.problems.push(Problem::error(
                        filter.span,
                        SemanticError::SecondProviderFilter,
                        "second provider filter",
                    ));
                }
            }
        }
        Source {
            selector: source.selector,
            scope: source.scope,
            window: window.unwrap_or(Window::Anytime),
            provider: provider.unwrap_or(ProviderFilter::Any),
            filter,
        }
    }

    fn compare(
        &mut self,
        lhs: &Value,
        op: CompareOp,
        rhs: &Value,
        span: Span,
        ctx: Ctx,
    ) -> CondKind {
        let left = self.value(lhs, ctx);
        let right = self.value(rhs, ctx);
        let equality = matches!(op, CompareOp::Eq | CompareOp::Ne);
        let kind = match (left, right) {
            (Typed::Invalid, _) | (_, Typed::Invalid) => return CondKind::Const(false),
            (Typed::Code(a), Typed::Code(b)) if equality => CondKind::CodeEq { lhs: a, rhs: b },
            (Typed::Code(a), Typed::Word(w)) | (Typed::Word(w), Typed::Code(a)) if equality => {
                match literals::code(&w, &mut self.problems) {
                    Some(c) => CondKind::CodeEq {
                        lhs: a,
                        rhs: CodeOperand::Literal(c),
                    },
                    None => return CondKind::Const(false),
                }
            }
            (Typed::Place(p), Typed::Word(w)) | (Typed::Word(w), Typed::Place(p)) if equality => {
                match literals::place(&w, &mut self.problems) {
                    Some(place) => CondKind::PlaceIn {
                        place: p,
                        set: PlaceSet::from_places([place]),
                    },
                    None => return CondKind::Const(false),
                }
            }
            (Typed::Role(line), Typed::Word(w)) | (Typed::Word(w), Typed::Role(line))
                if equality =>
            {
                match ProviderRole::parse(&w.node) {
                    Some(role) => CondKind::RoleIs { line, role },
                    None => {
                        self.problems.push(Problem::error(
                            w.span,
                            SemanticError::UnknownRole {
                                role: w.node.clone(),
                            },
                            "not a role",
                        ));
                        return CondKind::Const(false);
                    }
                }
            }
            (Typed::Date(a), Typed::Date(b)) => {
                return CondKind::DateCompare { lhs: a, op, rhs: b }
            }
            (Typed::Sex, Typed::Word(w)) | (Typed::Word(w), Typed::Sex) if equality => {
                match crate::facts::Sex::parse(&w.node) {
                    Ok(sex) => CondKind::SexIs(sex),
                    Err(error) => {
                        self.problems.push(Problem::error(
                            w.span,
                            SemanticError::InvalidSex {
                                text: w.node.clone(),
                                error,
                            },
                            "not F, M or U",
                        ));
                        return CondKind::Const(false);
                    }
                }
            }
            (Typed::Taxonomy(whose), Typed::Word(w)) | (Typed::Word(w), Typed::Taxonomy(whose))
                if equality =>
            {
                match literals::taxonomy(&w, &mut self.problems) {
                    Some(t) => CondKind::TaxonomyIn {
                        whose,
                        set: std::sync::Arc::new(TaxonomySet::new(vec![t])),
                    },
                    None => return CondKind::Const(false),
                }
            }
            (Typed::Npi(whose), Typed::Word(w)) | (Typed::Word(w), Typed::Npi(whose))
                if equality =>
            {
                match literals::npi(&w, &mut self.problems) {
                    Some(n) => CondKind::NpiIn {
                        whose,
                        set: std::sync::Arc::new(NpiSet::new(vec![n])),
                    },
                    None => return CondKind::Const(false),
                }
            }
            (Typed::Diagnoses(whose), Typed::Word(w))
            | (Typed::Word(w), Typed::Diagnoses(whose))
                if equality =>
            {
                match literals::diagnosis(&w, &mut self.problems) {
                    Some(d) => CondKind::DiagnosisIn {
                        diagnoses: whose,
                        set: std::sync::Arc::new(DiagnosisSet::new(vec![d], Vec::new())),
                    },
                    None => return CondKind::Const(false),
                }
            }
            (Typed::Duration(..), _) | (_, Typed::Duration(..)) => {
                self.problems.push(Problem::error(
                    span,
                    SemanticError::DateArithmetic {
                        problem: "a duration is compared; add it to or subtract it from a date",
                    },
                    "not a date",
                ));
                return CondKind::Const(false);
            }
            (Typed::Table(lookup), other) => match self.as_num(other) {
                Ok(rhs) => return CondKind::TableCompare { lookup, op, rhs },
                Err(t) => return self.table_mismatch(span, &t),
            },
            (other, Typed::Table(lookup)) => match self.as_num(other) {
                Ok(lhs) => {
                    return CondKind::TableCompare {
                        lookup,
                        op: flip(op),
                        rhs: lhs,
                    }
                }
                Err(t) => return self.table_mismatch(span, &t),
            },
            (left, right) => match (self.as_num(left), self.as_num(right)) {
                (Ok(a), Ok(b)) => return CondKind::Compare { lhs: a, op, rhs: b },
                (Err(l), Err(r)) if matches!((&l, &r), (Typed::Word(_), Typed::Word(_))) => {
                    self.problems.push(Problem::error(
                        span,
                        SemanticError::BareComparison,
                        "nothing from the claim is read",
                    ));
                    return CondKind::Const(false);
                }
                (l, r) => {
                    let (l, r) = (
                        l.err().map_or("a number", |t| t.describe()),
                        r.err().map_or("a number", |t| t.describe()),
                    );
                    let hint = if equality {
                        "both sides must be of one kind: numbers, codes, places, roles or dates"
                            .to_owned()
                    } else {
                        format!("`{}` applies to numbers and dates only", op.symbol())
                    };
                    self.problems.push(Problem::error(
                        span,
                        SemanticError::MismatchedComparison {
                            left: l,
                            right: r,
                            hint: Some(hint),
                        },
                        "mismatched comparison",
                    ));
                    return CondKind::Const(false);
                }
            },
        };
        negate_if(op == CompareOp::Ne, kind, span)
    }

    /// A number from a typed value, or the value back when it is not one.
    pub(super) fn as_num(&mut self, typed: Typed) -> Result<Num, Typed> {
        match typed {
            Typed::Num(n) => Ok(n),
            Typed::Word(w) => match w.node.parse::<i64>() {
                Ok(n) if w.node.bytes().all(|b| b.is_ascii_digit()) => Ok(Num::Const(n)),
                _ => Err(Typed::Word(w)),
            },
            other => Err(other),
        }
    }

    pub(super) fn value(&mut self, value: &Value, ctx: Ctx) -> Typed {
        match &value.kind {
            ValueKind::Word(word) => self.word(word, value.span, ctx),
            ValueKind::Date(text) => {
                let spanned = Spanned {
                    node: text.clone(),
                    span: value.span,
                };
                match literals::date(&spanned, &mut self.problems) {
                    Some(d) => Typed::Date(DateValue::Literal(d)),
                    None => Typed::Invalid,
                }
            }
            ValueKind::Path(path) => self.path(path, ctx),
            ValueKind::TableField(lookup) => match self.lookup(lookup, ctx, true) {
                Some(lookup) => Typed::Table(lookup),
                None => Typed::Invalid,
            },
            ValueKind::Aggregate { kind, source } => {
                if ctx.in_where {
                    self.nested_quantifier(value.span);
                }
                Typed::Num(Num::Aggregate {
                    kind: *kind,
                    source: Box::new(self.source(source)),
                    span: value.span,
                })
            }
            ValueKind::Duration { amount, unit } => {
                let typed = self.value(amount, ctx);
                match self.as_num(typed) {
                    Ok(n) => Typed::Duration(n, *unit),
                    Err(Typed::Invalid) => Typed::Invalid,
                    Err(other) => {
                        self.problems.push(Problem::error(
                            amount.span,
                            SemanticError::ArithmeticNeedsNumbers {
                                what: other.describe(),
                            },
                            "not a number",
                        ));
                        Typed::Invalid
                    }
                }
            }
            ValueKind::Binary { op, lhs, rhs } => {
                let l = self.value(lhs, ctx);
                let r = self.value(rhs, ctx);
                let shift = |base: DateValue, later: bool, amount: Num, unit| {
                    Typed::Date(DateValue::Shift {
                        base: Box::new(base),
                        later,
                        amount: Box::new(amount),
                        unit,
                    })
                };
                let (l, r) = match (l, r, op) {
                    (Typed::Date(d), Typed::Duration(n, unit), ArithOp::Add | ArithOp::Sub) => {
                        return shift(d, *op == ArithOp::Add, n, unit)
                    }
                    (Typed::Duration(n, unit), Typed::Date(d), ArithOp::Add) => {
                        return shift(d, true, n, unit)
                    }
                    (Typed::Date(_), _, _) | (_, Typed::Date(_), _) => {
                        self.problems.push(Problem::error(
                            value.span,
                            SemanticError::DateArithmetic {
                                problem: "a date can only be moved by a duration",
                            },
                            "not a duration",
                        ));
                        return Typed::Invalid;
                    }
                    (l, r, _) => (l, r),
                };
                match (self.as_num(l), self.as_num(r)) {
                    (Ok(a), Ok(b)) => Typed::Num(Num::Binary {
                        op: *op,
                        lhs: Box::new(a),
                        rhs: Box::new(b),
                    }),
                    (Err(Typed::Invalid), _) | (_, Err(Typed::Invalid)) => Typed::Invalid,
                    (l, r) => {
                        let culprit = if l.is_err() { lhs.span } else { rhs.span };
                        let what = l.err().or(r.err()).map_or("this", |t| t.describe());
                        self.problems.push(Problem::error(
                            culprit,
                            SemanticError::ArithmeticNeedsNumbers { what },
                            "not a number",
                        ));
                        Typed::Invalid
                    }
                }
            }
        }
    }
}

pub(super) fn flip(op: CompareOp) -> CompareOp {
    match op {
        CompareOp::Lt => CompareOp::Gt,
        CompareOp::Le => CompareOp::Ge,
        CompareOp::Gt => CompareOp::Lt,
        CompareOp::Ge => CompareOp::Le,
        other => other,
    }
}

pub(super) fn negate_if(negate: bool, kind: CondKind, span: Span) -> CondKind {
    if negate {
        CondKind::Not(Box::new(Cond { kind, span }))
    } else {
        kind
    }
}

/// Shares a fact name.
pub(super) fn fact_name(name: &str) -> Arc<str> {
    Arc::from(name)
}
