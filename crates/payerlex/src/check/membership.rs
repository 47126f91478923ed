//! `x in SET` and `has modifier`: resolving named and inline sets of the kind the tested
//! value needs.

use crate::diagnostics::{Problem, SemanticError};
use crate::ir::*;
use crate::source::Span;
use crate::syntax::ast::{self, SetKind, SetRef};

use super::exprs::Typed;
use super::literals;
use super::Checker;

impl Checker<'_> {
    pub(super) fn membership(&mut self, typed: Typed, value_span: Span, set: &SetRef) -> CondKind {
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
                                    SemanticError::TableFieldNotNumber,
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
                        SemanticError::TableFieldInNamedSet,
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
            Typed::Taxonomy(whose) => match self.resolve_set(set, SetKind::Taxonomies) {
                Some(SetValue::Taxonomies(set)) => CondKind::TaxonomyIn { whose, set },
                _ => CondKind::Const(false),
            },
            Typed::Npi(whose) => match self.resolve_set(set, SetKind::Npis) {
                Some(SetValue::Npis(set)) => CondKind::NpiIn { whose, set },
                _ => CondKind::Const(false),
            },
            other => {
                self.problems.push(Problem::error(
                    value_span,
                    SemanticError::NotAMember {
                        what: other.describe(),
                    },
                    "nothing to test",
                ));
                CondKind::Const(false)
            }
        }
    }

    pub(super) fn modifier_membership(&mut self, line: LineRef, set: &SetRef) -> CondKind {
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
                    if self.broken.contains(&name.node) {
                        return None;
                    }
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
                        SemanticError::UnknownSet {
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
                        | (SetValue::Taxonomies(_), SetKind::Taxonomies)
                        | (SetValue::Npis(_), SetKind::Npis)
                );
                if matches {
                    Some(value)
                } else {
                    self.problems.push(Problem::error(
                        name.span,
                        SemanticError::WrongSetKind {
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
