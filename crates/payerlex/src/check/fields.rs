//! Names in conditions: bare words (typed by what they are compared with, or the quantified
//! line's fields inside `where`) and `subject.field` paths (`line.code`, `claim.pos`,
//! `report.FACT`).

use crate::diagnostics::{CheckError, Problem};
use crate::ir::*;
use crate::source::{Span, Spanned};
use crate::syntax::ast;

use super::exprs::{Ctx, Typed, CLAIM_FIELDS, LINE_FIELDS, QUANTIFIED_FIELDS};
use super::Checker;

impl Checker<'_> {
    pub(super) fn word(&mut self, word: &str, span: Span, ctx: Ctx) -> Typed {
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

    pub(super) fn path(&mut self, path: &ast::Path, ctx: Ctx) -> Typed {
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
}
