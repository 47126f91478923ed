//! Names in conditions: bare words (typed by what they are compared with, or the quantified
//! line's fields inside `where`) and `subject.field` paths (`line.code`, `claim.pos`,
//! `line.rendering.taxonomy`, `patient.age`, `report.FACT`).
//!
//! Every field a policy can read is listed here, once, with its type; the same table answers
//! "did you mean" and says which fields a line of another claim still carries inside `where`.

use crate::diagnostics::{Problem, SemanticError};
use crate::ir::*;
use crate::source::{Span, Spanned};
use crate::syntax::ast;

use super::exprs::{Ctx, Typed};
use super::Checker;

/// Fields of a line, as dotted paths (`line.X` outside `where`, bare `X` inside).
pub(super) const LINE_FIELDS: &[&str] = &[
    "code",
    "units",
    "date",
    "pos",
    "modifiers",
    "diagnoses",
    "primary_diagnosis",
    "role",
    "npi",
    "rendering.npi",
    "rendering.taxonomy",
    "authorized",
];

/// Fields of the claim (`claim.X`).
pub(super) const CLAIM_FIELDS: &[&str] = &[
    "pos",
    "role",
    "prior_authorization",
    "diagnoses",
    "principal_diagnosis",
    "provider.npi",
    "provider.taxonomy",
    "provider.role",
];

/// Fields of the billing provider (`provider.X`, the same as `claim.provider.X`).
const PROVIDER_FIELDS: &[&str] = &["role", "npi", "taxonomy"];

/// Fields of the patient (`patient.X`).
const PATIENT_FIELDS: &[&str] = &["age", "age_months", "sex"];

/// A line's field, for the current or the quantified line.
fn line_field(line: LineRef, field: &str) -> Option<Typed> {
    Some(match field {
        "code" => Typed::Code(CodeOperand::Line(line)),
        "units" => Typed::Num(Num::Units(line)),
        "date" => Typed::Date(DateValue::Line(line)),
        "pos" => Typed::Place(PlaceRef::Line(line)),
        "modifiers" => Typed::Modifiers(line),
        "diagnoses" => Typed::Diagnoses(DiagnosisRef::Line(line)),
        "primary_diagnosis" => Typed::Diagnoses(DiagnosisRef::Primary(line)),
        "role" => Typed::Role(line),
        "npi" | "provider.npi" => Typed::Npi(NpiRef::Billing(line)),
        "rendering.npi" => Typed::Npi(NpiRef::Rendering(line)),
        "rendering.taxonomy" => Typed::Taxonomy(TaxonomyRef::Rendering(line)),
        "authorized" if line == LineRef::Current => Typed::Bool(CondKind::Authorized),
        _ => return None,
    })
}

fn claim_field(field: &str) -> Option<Typed> {
    Some(match field {
        "pos" => Typed::Place(PlaceRef::Claim),
        "role" | "provider.role" => Typed::Role(LineRef::Current),
        "prior_authorization" => Typed::Bool(CondKind::PriorAuthorization),
        "diagnoses" => Typed::Diagnoses(DiagnosisRef::Claim),
        "principal_diagnosis" => Typed::Diagnoses(DiagnosisRef::Principal),
        "provider.npi" => Typed::Npi(NpiRef::Billing(LineRef::Current)),
        "provider.taxonomy" => Typed::Taxonomy(TaxonomyRef::Billing),
        _ => return None,
    })
}

fn patient_field(field: &str) -> Option<Typed> {
    Some(match field {
        "age" => Typed::Num(Num::Age { months: false }),
        "age_months" => Typed::Num(Num::Age { months: true }),
        "sex" => Typed::Sex,
        _ => return None,
    })
}

impl Checker<'_> {
    pub(super) fn word(&mut self, word: &str, span: Span, ctx: Ctx) -> Typed {
        self.bare_field(word, span, ctx).unwrap_or_else(|| {
            Typed::Word(Spanned {
                node: word.to_owned(),
                span,
            })
        })
    }

    /// A bare (dotted) field: the quantified line's inside `where`; an error outside, when it
    /// names a line field; `None` when it is a plain value (`76377`, `26`, `F`).
    fn bare_field(&mut self, field: &str, span: Span, ctx: Ctx) -> Option<Typed> {
        if ctx.in_where {
            if let Some(typed) = line_field(LineRef::Quantified, field) {
                return Some(typed);
            }
        }
        let head = field.split('.').next().unwrap_or(field);
        let is_line_field = LINE_FIELDS
            .iter()
            .any(|f| *f == field || f.split('.').next() == Some(head));
        if !is_line_field {
            return None;
        }
        let help = if ctx.in_where {
            format!(
                "lines of other claims do not carry `{field}`; inside `where` a line has {}",
                LINE_FIELDS[..LINE_FIELDS.len() - 1].join(", ")
            )
        } else {
            format!("outside `where`, write `line.{field}` (or `claim.{field}`)")
        };
        self.problems.push(Problem::error(
            span,
            SemanticError::BareField {
                field: field.to_owned(),
                hint: Some(help),
            },
            "bare field name",
        ));
        Some(Typed::Invalid)
    }

    pub(super) fn path(&mut self, path: &ast::Path, ctx: Ctx) -> Typed {
        let dotted = path
            .fields
            .iter()
            .map(|f| f.node.as_str())
            .collect::<Vec<_>>()
            .join(".");
        let Some(subject) = &path.subject else {
            return self.word(&dotted, path.span, ctx);
        };
        let Some(first) = path.fields.first() else {
            self.problems.push(Problem::error(
                path.span,
                SemanticError::SubjectWithoutField,
                "incomplete",
            ));
            return Typed::Invalid;
        };
        let field_span = Span {
            start: first.span.start,
            end: path.fields.last().map_or(first.span.end, |f| f.span.end),
        };
        let (typed, known): (Option<Typed>, &[&str]) = match subject.node.as_str() {
            "line" => (line_field(LineRef::Current, &dotted), LINE_FIELDS),
            "claim" => (claim_field(&dotted), CLAIM_FIELDS),
            "provider" => (claim_field(&format!("provider.{dotted}")), PROVIDER_FIELDS),
            "patient" => (patient_field(&dotted), PATIENT_FIELDS),
            _ => return self.report_fact(&dotted, field_span),
        };
        typed.unwrap_or_else(|| {
            let hint = super::suggest::did_you_mean(&dotted, known.iter().copied())
                .or_else(|| Some(format!("`{}` has {}", subject.node, known.join(", "))));
            self.problems.push(Problem::error(
                field_span,
                SemanticError::UnknownField {
                    subject: subject.node.clone(),
                    field: dotted.clone(),
                    hint,
                },
                "unknown field",
            ));
            Typed::Invalid
        })
    }

    /// `report.FACT`: a fact a policy of this pack declares.
    fn report_fact(&mut self, fact: &str, span: Span) -> Typed {
        if let Some(decl) = self.facts.get(fact) {
            let name = decl.name.clone();
            self.used.insert(fact.to_owned());
            return Typed::Bool(CondKind::Fact(name));
        }
        if self.broken.iter().any(|b| b == fact) {
            return Typed::Invalid;
        }
        let known: Vec<&str> = self.facts.keys().map(|k| k.as_str()).collect();
        let hint = super::suggest::did_you_mean(fact, known.iter().copied()).or_else(|| {
            Some(format!("declare it with `phrases {fact} = \"...\"` (derived from the report text) or `facts {fact}` (stated by the caller)"))
        });
        self.problems.push(Problem::error(
            span,
            SemanticError::UnknownFact {
                fact: fact.to_owned(),
                hint,
            },
            "not declared",
        ));
        Typed::Invalid
    }

    /// `known(X)`: what X's presence depends on.
    pub(super) fn known(&mut self, target: &ast::KnownTarget, span: Span, ctx: Ctx) -> CondKind {
        let typed = match target {
            ast::KnownTarget::Table(lookup) => match self.lookup(lookup, ctx, true) {
                Some(lookup) => return CondKind::Known(Probe::Table(lookup)),
                None => return CondKind::Const(false),
            },
            ast::KnownTarget::Path(path) => self.path(path, ctx),
        };
        let probe = match typed {
            Typed::Invalid => return CondKind::Const(false),
            Typed::Bool(CondKind::Fact(name)) => Probe::Fact(name),
            Typed::Num(Num::Age { .. }) => Probe::BirthDate,
            Typed::Sex => Probe::Sex,
            Typed::Taxonomy(whose) => Probe::Taxonomy(whose),
            Typed::Diagnoses(DiagnosisRef::Principal) => Probe::PrincipalDiagnosis,
            Typed::Diagnoses(DiagnosisRef::Primary(line)) => Probe::PrimaryDiagnosis(line),
            other => {
                self.problems.push(Problem::error(
                    span,
                    SemanticError::AlwaysKnown {
                        what: other.describe(),
                    },
                    "always known",
                ));
                return CondKind::Const(false);
            }
        };
        CondKind::Known(probe)
    }
}
