//! Types conditions and values, resolving set names, attributes and literals.
//!
//! A bare word (`76377`, `26`, `facility`, `2`) has no type of its own: it takes the type of
//! what it is compared with, so authors write `line.code = 76377` and `claim.pos = 22`
//! without quoting. Inside `where`, bare field names (`code`, `units`) are the quantified
//! line's; outside, they must be written `line.code`.

use std::sync::Arc;

use super::literals;
use super::Checker;
use crate::diagnostics::{CheckError, Problem};
use crate::facts::ProviderRole;
use crate::ir::PlaceSet;
use crate::ir::*;
use crate::source::Span;
use crate::syntax::ast::{self, Expr, ExprKind, SetKind, SetRef, Spanned, Value, ValueKind};

/// A value after typing.
enum Typed {
    Num(Num),
    Code(CodeOperand),
    Place(PlaceRef),
    Role,
    Date(DateOperand),
    Modifiers(LineRef),
    Diagnoses(DiagnosisRef),
    Bool(CondKind),
    Table(Lookup),
    Word(Spanned<String>),
    Invalid,
}

impl Typed {
    fn describe(&self) -> &'static str {
        match self {
            Typed::Num(_) => "a number",
            Typed::Code(_) => "a procedure code",
            Typed::Place(_) => "a place of service",
            Typed::Role => "a provider role",
            Typed::Date(_) => "a date",
            Typed::Modifiers(_) => "a list of modifiers",
            Typed::Diagnoses(_) => "a list of diagnoses",
            Typed::Bool(_) => "a condition",
            Typed::Table(_) => "a table field",
            Typed::Word(_) => "a bare value",
            Typed::Invalid => "an invalid value",
        }
    }
}

/// Fields of the quantified line, usable bare inside `where`.
const QUANTIFIED_FIELDS: &[&str] = &["code", "units", "date", "modifiers"];
const LINE_FIELDS: &[&str] = &["code", "units", "date", "pos", "modifiers", "diagnoses"];
const CLAIM_FIELDS: &[&str] = &["pos", "role", "prior_authorization", "diagnoses"];

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
                            CheckError::NoModifiers {
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
                            CheckError::WhoseModifier,
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
                        CheckError::NotACondition {
                            what: other.describe(),
                        },
                        "not true or false",
                    ));
                    CondKind::Const(false)
                }
            },
        };
        Cond { kind, span }
    }

    fn nested_quantifier(&mut self, span: Span) {
        self.problems.push(Problem::error(
            span,
            CheckError::NestedQuantifier,
            "inside another quantifier's `where`",
        ));
    }

    fn source(&mut self, source: &ast::LineSource) -> Source {
        let filter = source
            .filter
            .as_ref()
            .map(|f| Box::new(self.cond(f, Ctx { in_where: true })));
        Source {
            selector: source.selector,
            scope: source.scope,
            same_date: source.same_date,
            same_provider: source.same_provider,
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
            (Typed::Role, Typed::Word(w)) | (Typed::Word(w), Typed::Role) if equality => {
                match ProviderRole::parse(&w.node) {
                    Some(role) => CondKind::RoleIs(role),
                    None => {
                        self.problems.push(Problem::error(
                            w.span,
                            CheckError::UnknownRole {
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
                        CheckError::BareComparison,
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
                        CheckError::MismatchedComparison {
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
    fn as_num(&mut self, typed: Typed) -> Result<Num, Typed> {
        match typed {
            Typed::Num(n) => Ok(n),
            Typed::Word(w) => match w.node.parse::<i64>() {
                Ok(n) if w.node.bytes().all(|b| b.is_ascii_digit()) => Ok(Num::Const(n)),
                _ => Err(Typed::Word(w)),
            },
            other => Err(other),
        }
    }

    fn value(&mut self, value: &Value, ctx: Ctx) -> Typed {
        match &value.kind {
            ValueKind::Word(word) => self.word(word, value.span, ctx),
            ValueKind::Date(text) => {
                let spanned = Spanned {
                    node: text.clone(),
                    span: value.span,
                };
                match literals::date(&spanned, &mut self.problems) {
                    Some(d) => Typed::Date(DateOperand::Literal(d)),
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
            ValueKind::Binary { op, lhs, rhs } => {
                let l = self.value(lhs, ctx);
                let r = self.value(rhs, ctx);
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
                            CheckError::ArithmeticNeedsNumbers { what },
                            "not a number",
                        ));
                        Typed::Invalid
                    }
                }
            }
        }
    }

    fn word(&mut self, word: &str, span: Span, ctx: Ctx) -> Typed {
        if ctx.in_where && QUANTIFIED_FIELDS.contains(&word) {
            return match word {
                "code" => Typed::Code(CodeOperand::Line(LineRef::Quantified)),
                "units" => Typed::Num(Num::Units(LineRef::Quantified)),
                "date" => Typed::Date(DateOperand::Line(LineRef::Quantified)),
                _ => Typed::Modifiers(LineRef::Quantified),
            };
        }
        if LINE_FIELDS.contains(&word) {
            let help = if ctx.in_where {
                format!("lines of other claims do not carry `{word}`; only `code`, `units`, `date` and `modifiers` can be read inside `where`")
            } else {
                format!("outside `where`, write `line.{word}` (or `claim.{word}`)")
            };
            self.problems.push(Problem::error(
                span,
                CheckError::BareField {
                    field: word.to_owned(),
                    hint: Some(help),
                },
                "bare field name",
            ));
            return Typed::Invalid;
        }
        Typed::Word(Spanned {
            node: word.to_owned(),
            span,
        })
    }

    fn path(&mut self, path: &ast::Path, ctx: Ctx) -> Typed {
        let (Some(subject), Some(field)) = (&path.subject, &path.field) else {
            if let Some(field) = &path.field {
                return self.word(&field.node, field.span, ctx);
            }
            self.problems.push(Problem::error(
                path.span,
                CheckError::SubjectWithoutField,
                "incomplete",
            ));
            return Typed::Invalid;
        };
        let f = field.node.as_str();
        let typed = match (subject.node.as_str(), f) {
            ("line", "code") => Some(Typed::Code(CodeOperand::Line(LineRef::Current))),
            ("line", "units") => Some(Typed::Num(Num::Units(LineRef::Current))),
            ("line", "date") => Some(Typed::Date(DateOperand::Line(LineRef::Current))),
            ("line", "pos") => Some(Typed::Place(PlaceRef::Line)),
            ("line", "modifiers") => Some(Typed::Modifiers(LineRef::Current)),
            ("line", "diagnoses") => Some(Typed::Diagnoses(DiagnosisRef::Line)),
            ("claim", "pos") => Some(Typed::Place(PlaceRef::Claim)),
            ("claim" | "provider", "role") => Some(Typed::Role),
            ("claim", "prior_authorization") => Some(Typed::Bool(CondKind::PriorAuthorization)),
            ("claim", "diagnoses") => Some(Typed::Diagnoses(DiagnosisRef::Claim)),
            ("report", _) => {
                if let Some(fact) = self.facts.get(f) {
                    let name = fact.name.clone();
                    self.used.insert(f.to_owned());
                    return Typed::Bool(CondKind::Fact(name));
                }
                let known: Vec<&str> = self.facts.keys().map(|k| k.as_str()).collect();
                let hint = super::suggest::did_you_mean(f, known.iter().copied()).or_else(|| {
                    Some(format!("declare it with `phrases {f} = \"...\"` (derived from the report text) or `facts {f}` (stated by the caller)"))
                });
                self.problems.push(Problem::error(
                    field.span,
                    CheckError::UnknownFact {
                        fact: f.to_owned(),
                        hint,
                    },
                    "not declared",
                ));
                return Typed::Invalid;
            }
            _ => None,
        };
        typed.unwrap_or_else(|| {
            let fields: &[&str] = match subject.node.as_str() {
                "line" => LINE_FIELDS,
                "provider" => &["role"],
                _ => CLAIM_FIELDS,
            };
            let hint = super::suggest::did_you_mean(f, fields.iter().copied());
            self.problems.push(Problem::error(
                field.span,
                CheckError::UnknownField {
                    subject: subject.node.clone(),
                    field: f.to_owned(),
                    hint,
                },
                "unknown field",
            ));
            Typed::Invalid
        })
    }

    fn membership(&mut self, typed: Typed, value_span: Span, set: &SetRef) -> CondKind {
        match typed {
            Typed::Invalid => CondKind::Const(false),
            Typed::Table(lookup) => match set {
                SetRef::Inline(elements, _) => {
                    let mut values = Vec::new();
                    for element in elements {
                        match element {
                            ast::Element::Single(w)
                                if w.node.bytes().all(|b| b.is_ascii_digit()) =>
                            {
                                values.extend(w.node.parse::<i64>().ok());
                            }
                            other => {
                                let span = match other {
                                    ast::Element::Single(w)
                                    | ast::Element::Phrase(w)
                                    | ast::Element::Range(w, _) => w.span,
                                };
                                self.problems.push(Problem::error(
                                    span,
                                    CheckError::TableFieldNotNumber,
                                    "not a number",
                                ));
                            }
                        }
                    }
                    CondKind::TableIn {
                        lookup,
                        values: values.into(),
                    }
                }
                SetRef::Named(name) => {
                    self.problems.push(Problem::error(
                        name.span,
                        CheckError::TableFieldInNamedSet,
                        "named set",
                    ));
                    CondKind::Const(false)
                }
            },
            Typed::Code(CodeOperand::Line(line)) => match self.resolve_set(set, SetKind::Codes) {
                Some(SetValue::Codes(set)) => CondKind::CodeIn { line, set },
                _ => CondKind::Const(false),
            },
            Typed::Modifiers(line) => self.modifier_membership(line, set),
            Typed::Place(place) => match self.resolve_set(set, SetKind::Places) {
                Some(SetValue::Places(set)) => CondKind::PlaceIn { place, set: *set },
                _ => CondKind::Const(false),
            },
            Typed::Diagnoses(diagnoses) => match self.resolve_set(set, SetKind::Diagnoses) {
                Some(SetValue::Diagnoses(set)) => CondKind::DiagnosisIn { diagnoses, set },
                _ => CondKind::Const(false),
            },
            other => {
                self.problems.push(Problem::error(
                    value_span,
                    CheckError::NotAMember {
                        what: other.describe(),
                    },
                    "nothing to test",
                ));
                CondKind::Const(false)
            }
        }
    }

    fn modifier_membership(&mut self, line: LineRef, set: &SetRef) -> CondKind {
        match self.resolve_set(set, SetKind::Modifiers) {
            Some(SetValue::Modifiers(set)) => CondKind::ModifierIn { line, set },
            _ => CondKind::Const(false),
        }
    }

    /// Resolves a named or inline set of the expected kind.
    pub(super) fn resolve_set(&mut self, set: &SetRef, expected: SetKind) -> Option<SetValue> {
        match set {
            SetRef::Inline(elements, _) => {
                Some(literals::set_value(expected, elements, &mut self.problems))
            }
            SetRef::Named(name) => {
                let Some(found) = self.sets.get(&name.node) else {
                    let names: Vec<&str> = self.sets.keys().map(String::as_str).collect();
                    let hint = super::suggest::did_you_mean(&name.node, names.iter().copied())
                        .or_else(|| {
                            Some(format!(
                                "declare it: `{} {} = ...`",
                                expected.keyword(),
                                name.node
                            ))
                        });
                    self.problems.push(Problem::error(
                        name.span,
                        CheckError::UnknownSet {
                            name: name.node.clone(),
                            hint,
                        },
                        "not declared or imported",
                    ));
                    return None;
                };
                let value = found.value.clone();
                self.used.insert(name.node.clone());
                let matches = matches!(
                    (&value, expected),
                    (SetValue::Codes(_), SetKind::Codes)
                        | (SetValue::Modifiers(_), SetKind::Modifiers)
                        | (SetValue::Places(_), SetKind::Places)
                        | (SetValue::Diagnoses(_), SetKind::Diagnoses)
                );
                if matches {
                    Some(value)
                } else {
                    self.problems.push(Problem::error(
                        name.span,
                        CheckError::WrongSetKind {
                            name: name.node.clone(),
                            is: value.describe(),
                            expected: expected.keyword(),
                        },
                        "wrong kind of set",
                    ));
                    None
                }
            }
        }
    }
}

impl Checker<'_> {
    fn table_mismatch(&mut self, span: Span, other: &Typed) -> CondKind {
        self.problems.push(Problem::error(
            span,
            CheckError::TableComparedWith {
                what: other.describe(),
            },
            "mismatched comparison",
        ));
        CondKind::Const(false)
    }

    /// Types `TABLE[key, ...]`, with a field when `want_field`.
    fn lookup(&mut self, ast: &ast::TableLookupAst, ctx: Ctx, want_field: bool) -> Option<Lookup> {
        let Some(table) = self.tables.get(&ast.table.node).cloned() else {
            let names: Vec<&str> = self.tables.keys().map(String::as_str).collect();
            let hint = super::suggest::did_you_mean(&ast.table.node, names.iter().copied())
                .or_else(|| Some("declare it: `table NAME = mue \"tables/mue.csv\"`".into()));
            self.problems.push(Problem::error(
                ast.table.span,
                CheckError::UnknownTable {
                    name: ast.table.node.clone(),
                    hint,
                },
                "not declared or imported",
            ));
            return None;
        };
        self.used.insert(ast.table.node.clone());
        let (min, max) = table.kind.key_counts();
        if ast.keys.len() < min || ast.keys.len() > max {
            self.problems.push(Problem::error(
                ast.span,
                CheckError::WrongKeyCount {
                    layout: table.kind.name(),
                    expected: if min == max {
                        min.to_string()
                    } else {
                        format!("{min} or {max}")
                    },
                    found: ast.keys.len(),
                    hint: Some(table.kind.key_help().to_owned()),
                },
                "wrong number of keys",
            ));
            return None;
        }
        let mut keys = Vec::new();
        for key in &ast.keys {
            match self.value(key, ctx) {
                Typed::Code(operand) => keys.push(operand),
                Typed::Word(w) => keys.push(CodeOperand::Literal(literals::code(
                    &w,
                    &mut self.problems,
                )?)),
                Typed::Invalid => return None,
                other => {
                    self.problems.push(Problem::error(
                        key.span,
                        CheckError::KeyNotCode {
                            what: other.describe(),
                            hint: Some(table.kind.key_help().to_owned()),
                        },
                        "not a code",
                    ));
                    return None;
                }
            }
        }
        let field = match (&ast.field, want_field) {
            (Some(f), _) => match table.kind.fields().iter().find(|(name, _)| *name == f.node) {
                Some((_, field)) => Some(*field),
                None => {
                    let names: Vec<&str> = table.kind.fields().iter().map(|(n, _)| *n).collect();
                    let hint = super::suggest::did_you_mean(&f.node, names.iter().copied())
                        .or_else(|| Some(format!("fields: {}", names.join(", "))));
                    self.problems.push(Problem::error(
                        f.span,
                        CheckError::UnknownTableField {
                            layout: table.kind.name(),
                            field: f.node.clone(),
                            hint,
                        },
                        "unknown field",
                    ));
                    return None;
                }
            },
            (None, true) => {
                let fields = table
                    .kind
                    .fields()
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ");
                self.problems.push(Problem::error(
                    ast.span,
                    CheckError::MissingTableField { fields },
                    "no field",
                ));
                return None;
            }
            (None, false) => None,
        };
        Some(Lookup { table, keys, field })
    }
}

fn flip(op: CompareOp) -> CompareOp {
    match op {
        CompareOp::Lt => CompareOp::Gt,
        CompareOp::Le => CompareOp::Ge,
        CompareOp::Gt => CompareOp::Lt,
        CompareOp::Ge => CompareOp::Le,
        other => other,
    }
}

fn negate_if(negate: bool, kind: CondKind, span: Span) -> CondKind {
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
