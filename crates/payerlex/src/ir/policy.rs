//! A checked policy and its rules: what the checker produces and every later stage reads.

use std::sync::Arc;

use super::cond::Cond;
use super::ops::OutcomeKind;
use super::sets::{CodeSet, DiagnosisSet, ModifierSet, NpiSet, PlaceSet, TaxonomySet};
use crate::facts::{Carc, DateRange, GroupCode, ProcedureCode, Rarc};
use crate::source::{SourceFile, Span};
use crate::tables::TableSlot;

/// A named set as declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetValue {
    /// Procedure codes.
    Codes(Arc<CodeSet>),
    /// Modifiers.
    Modifiers(Arc<ModifierSet>),
    /// Places of service.
    Places(Arc<PlaceSet>),
    /// Diagnosis categories.
    Diagnoses(Arc<DiagnosisSet>),
    /// Report phrases (declares the report fact of the same name).
    Phrases(Arc<[String]>),
    /// Provider taxonomies.
    Taxonomies(Arc<TaxonomySet>),
    /// Provider NPIs.
    Npis(Arc<NpiSet>),
}

impl SetValue {
    /// What the set holds, for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Self::Codes(_) => "a set of procedure codes",
            Self::Modifiers(_) => "a set of modifiers",
            Self::Places(_) => "a set of places of service",
            Self::Diagnoses(_) => "a set of diagnoses",
            Self::Phrases(_) => "a phrase list",
            Self::Taxonomies(_) => "a set of taxonomies",
            Self::Npis(_) => "a set of NPIs",
        }
    }
}

/// A named set of a checked policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedSet {
    /// Its name.
    pub name: String,
    /// Its value.
    pub value: SetValue,
    /// Where it was declared.
    pub span: Span,
}

/// A checked policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedPolicy {
    /// `policy NAME`.
    pub name: String,
    /// `version`.
    pub version: semver::Version,
    /// `effective` range (open when absent).
    pub effective: DateRange,
    /// Declared sets (not imported ones), in source order.
    pub sets: Vec<NamedSet>,
    /// Report facts this policy reads, with their phrase lists (empty: caller-stated only).
    pub facts: Vec<FactDecl>,
    /// Rules in source order.
    pub rules: Vec<CheckedRule>,
    /// Tables declared by this policy (data attached when the pack loads).
    pub tables: Vec<Arc<TableSlot>>,
    /// The source file.
    pub source: Arc<SourceFile>,
}

/// A report fact known to a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactDecl {
    /// The fact's name (`independent_workstation`).
    pub name: Arc<str>,
    /// Phrases that make it true when found in the report text (case-insensitive).
    pub phrases: Arc<[String]>,
}

/// A checked rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedRule {
    /// `policy/rule`.
    pub id: Arc<str>,
    /// The rule's own name.
    pub name: String,
    /// `replaces policy/rule`, with where it was written.
    pub replaces: Option<(String, Span)>,
    /// The citation.
    pub citation: Option<Arc<str>>,
    /// Dates in force: the rule's own range within the policy's.
    pub effective: DateRange,
    /// The condition.
    pub condition: Cond,
    /// What the rule does when its condition is unknown (missing data).
    pub on_unknown: OnUnknown,
    /// The outcome.
    pub outcome: RuleOutcome,
    /// The whole rule.
    pub span: Span,
    /// Its file.
    pub source: Arc<SourceFile>,
}

/// What a rule does when its condition holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleOutcome {
    /// Deny, review or advice.
    pub kind: OutcomeKind,
    /// Claim adjustment reason code.
    pub carc: Option<Carc>,
    /// Remark codes.
    pub rarcs: Arc<[Rarc]>,
    /// Suggested replacement code (review).
    pub suggest: Option<ProcedureCode>,
    /// Message to the biller.
    pub message: Arc<str>,
    /// Who bears the adjustment on a remittance (CO, PR, OA, PI); CO unless the rule says.
    pub group: GroupCode,
}

/// What a rule does when its condition cannot be decided for lack of data (`when unknown ...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum OnUnknown {
    /// "Not evaluated" advice naming what is missing (the default).
    #[default]
    Advice,
    /// Hold the line for review.
    Review,
    /// Deny the line: with the rule's CARC when it denies, else CARC 16 (lacks information).
    Deny,
}
