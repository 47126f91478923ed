//! Turns literal text into validated facts, reporting format errors at the literal's span.

use std::sync::Arc;

use crate::diagnostics::{Problem, SemanticError};
use crate::facts::{Date, Diagnosis, Modifier, Npi, PlaceOfService, ProcedureCode, Taxonomy};
use crate::ir::{CodeSet, DiagnosisSet, ModifierSet, NpiSet, PlaceSet, SetValue, TaxonomySet};
use crate::source::Span;
use crate::syntax::ast::{Element, SetKind, Spanned};

/// Parses a code literal.
pub fn code(text: &Spanned<String>, problems: &mut Vec<Problem>) -> Option<ProcedureCode> {
    ProcedureCode::parse(&text.node)
        .map_err(|e| {
            problems.push(Problem::error(
                text.span,
                SemanticError::InvalidCode(e),
                "not a procedure code",
            ))
        })
        .ok()
}

/// Parses a modifier literal.
pub fn modifier(text: &Spanned<String>, problems: &mut Vec<Problem>) -> Option<Modifier> {
    Modifier::parse(&text.node)
        .map_err(|e| {
            problems.push(Problem::error(
                text.span,
                SemanticError::InvalidModifier(e),
                "not a modifier",
            ))
        })
        .ok()
}

/// Parses a provider taxonomy literal.
pub fn taxonomy(text: &Spanned<String>, problems: &mut Vec<Problem>) -> Option<Taxonomy> {
    Taxonomy::parse(&text.node)
        .map_err(|e| {
            problems.push(Problem::error(
                text.span,
                SemanticError::InvalidTaxonomy(e),
                "not a taxonomy code",
            ))
        })
        .ok()
}

/// Parses an NPI literal.
pub fn npi(text: &Spanned<String>, problems: &mut Vec<Problem>) -> Option<Npi> {
    Npi::parse(&text.node)
        .map_err(|e| {
            problems.push(Problem::error(
                text.span,
                SemanticError::InvalidNpi(e),
                "not an NPI",
            ))
        })
        .ok()
}

/// Parses a place-of-service literal.
pub fn place(text: &Spanned<String>, problems: &mut Vec<Problem>) -> Option<PlaceOfService> {
    PlaceOfService::parse(&text.node)
        .map_err(|e| {
            problems.push(Problem::error(
                text.span,
                SemanticError::InvalidPlace(e),
                "not a place of service",
            ))
        })
        .ok()
}

/// Parses a date literal.
pub fn date(text: &Spanned<String>, problems: &mut Vec<Problem>) -> Option<Date> {
    Date::parse(&text.node)
        .map_err(|e| {
            problems.push(Problem::error(
                text.span,
                SemanticError::InvalidDate(e),
                "not a date",
            ))
        })
        .ok()
}

pub fn diagnosis(text: &Spanned<String>, problems: &mut Vec<Problem>) -> Option<Diagnosis> {
    Diagnosis::parse_prefix(&text.node)
        .map_err(|e| {
            problems.push(Problem::error(
                text.span,
                SemanticError::InvalidDiagnosis(e),
                "not an ICD-10-CM code or category",
            ))
        })
        .ok()
}

fn wrong_element(span: Span, kind: SetKind, problems: &mut Vec<Problem>) {
    let hint = match kind {
        SetKind::Phrases => "phrase lists hold quoted phrases: \"independent workstation\"",
        SetKind::Codes | SetKind::Diagnoses => "write codes bare, and ranges as `70450..70498`",
        _ => "write values bare, without quotes or ranges",
    };
    problems.push(Problem::error(
        span,
        SemanticError::WrongElement {
            keyword: kind.keyword(),
            hint: Some(hint.to_owned()),
        },
        "unexpected element",
    ));
}

/// Builds a set value of `kind` from its elements.
pub fn set_value(kind: SetKind, elements: &[Element], problems: &mut Vec<Problem>) -> SetValue {
    match kind {
        SetKind::Codes => {
            let mut ranges = Vec::new();
            for element in elements {
                match element {
                    Element::Single(text) => {
                        if let Some(c) = code(text, problems) {
                            ranges.push((c, c));
                        }
                    }
                    Element::Range(lo, hi) => {
                        if let (Some(a), Some(b)) = (code(lo, problems), code(hi, problems)) {
                            if a.shape() != b.shape() {
                                problems.push(Problem::error(
                                    Span {
                                        start: lo.span.start,
                                        end: hi.span.end,
                                    },
                                    SemanticError::MixedRange {
                                        lo: lo.node.clone(),
                                        hi: hi.node.clone(),
                                    },
                                    "ends differ in shape",
                                ));
                            } else if a > b {
                                problems.push(Problem::error(
                                    Span {
                                        start: lo.span.start,
                                        end: hi.span.end,
                                    },
                                    SemanticError::EmptyRange {
                                        lo: lo.node.clone(),
                                        hi: hi.node.clone(),
                                    },
                                    "first end is after the last",
                                ));
                            } else {
                                ranges.push((a, b));
                            }
                        }
                    }
                    Element::Phrase(p) => wrong_element(p.span, kind, problems),
                }
            }
            SetValue::Codes(Arc::new(CodeSet::from_ranges(ranges)))
        }
        SetKind::Modifiers | SetKind::Places => {
            let mut modifiers = Vec::new();
            let mut places = Vec::new();
            for element in elements {
                match element {
                    Element::Single(text) if kind == SetKind::Modifiers => {
                        modifiers.extend(modifier(text, problems));
                    }
                    Element::Single(text) => places.extend(place(text, problems)),
                    Element::Range(lo, _) => wrong_element(lo.span, kind, problems),
                    Element::Phrase(p) => wrong_element(p.span, kind, problems),
                }
            }
            if kind == SetKind::Modifiers {
                SetValue::Modifiers(Arc::new(ModifierSet::from_modifiers(modifiers)))
            } else {
                SetValue::Places(Arc::new(PlaceSet::from_places(places)))
            }
        }
        SetKind::Diagnoses => {
            let mut prefixes = Vec::new();
            let mut ranges = Vec::new();
            for element in elements {
                match element {
                    Element::Single(text) => prefixes.extend(diagnosis(text, problems)),
                    Element::Range(lo, hi) => {
                        if let (Some(a), Some(b)) =
                            (diagnosis(lo, problems), diagnosis(hi, problems))
                        {
                            if a.normalized().len() != b.normalized().len() || a > b {
                                problems.push(Problem::error(
                                    Span {
                                        start: lo.span.start,
                                        end: hi.span.end,
                                    },
                                    SemanticError::BadDiagnosisRange {
                                        lo: lo.node.clone(),
                                        hi: hi.node.clone(),
                                    },
                                    "ends must have the same length, first <= last",
                                ));
                            } else {
                                ranges.push((a, b));
                            }
                        }
                    }
                    Element::Phrase(p) => wrong_element(p.span, kind, problems),
                }
            }
            SetValue::Diagnoses(Arc::new(DiagnosisSet::new(prefixes, ranges)))
        }
        SetKind::Taxonomies | SetKind::Npis => {
            let mut taxonomies = Vec::new();
            let mut npis = Vec::new();
            for element in elements {
                match element {
                    Element::Single(t) if kind == SetKind::Taxonomies => {
                        taxonomies.extend(taxonomy(t, problems))
                    }
                    Element::Single(t) => npis.extend(npi(t, problems)),
                    Element::Range(lo, _) => wrong_element(lo.span, kind, problems),
                    Element::Phrase(p) => wrong_element(p.span, kind, problems),
                }
            }
            if kind == SetKind::Taxonomies {
                SetValue::Taxonomies(Arc::new(TaxonomySet::new(taxonomies)))
            } else {
                SetValue::Npis(Arc::new(NpiSet::new(npis)))
            }
        }
        SetKind::Phrases => {
            let mut phrases = Vec::new();
            for element in elements {
                match element {
                    Element::Phrase(p) if p.node.trim().is_empty() => problems.push(
                        Problem::error(p.span, SemanticError::EmptyPhrase, "matches every report"),
                    ),
                    Element::Phrase(p) => phrases.push(p.node.clone()),
                    Element::Single(t) => wrong_element(t.span, kind, problems),
                    Element::Range(lo, _) => wrong_element(lo.span, kind, problems),
                }
            }
            SetValue::Phrases(phrases.into())
        }
    }
}
