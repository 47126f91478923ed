//! Completion: what may come next at the cursor, read from the text of the line before it.
//!
//! The line is usually incomplete while the author types, so the context is taken from the
//! words before the cursor, not from the AST: after `in` come set names (those declared or
//! imported in the file), after `modifier` modifiers and modifier sets, after `TABLE[...].`
//! that table's columns, after `line.`/`claim.`/`patient.`/`report.` their fields, at the
//! start of a line item or clause keywords, after `table NAME =` the table layouts, and
//! elsewhere in a condition the condition keywords, sets, tables and subjects.

use std::path::Path;

use super::symbols::DeclKind;
use super::workspace::Workspace;
use crate::syntax::ast::SetKind;
use crate::syntax::ITEM_KEYWORDS;
use crate::tables::TableKind;

/// What a completion inserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CompletionKind {
    /// A keyword of the language.
    Keyword,
    /// A set or phrase list.
    Set,
    /// A table.
    Table,
    /// A field of a line, claim, patient, report or table row.
    Field,
    /// A modifier or other literal.
    Value,
}

/// One completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// What is inserted.
    pub label: String,
    /// What it is.
    pub kind: CompletionKind,
    /// A short description.
    pub detail: String,
}

fn item(label: &str, kind: CompletionKind, detail: &str) -> Completion {
    Completion {
        label: label.to_owned(),
        kind,
        detail: detail.to_owned(),
    }
}

const CLAUSE_KEYWORDS: &[(&str, &str)] = &[
    ("cite", "where the rule comes from"),
    ("when", "the condition"),
    (
        "when unknown review",
        "hold for review when data is missing",
    ),
    ("effective", "dates the rule is in force"),
    ("deny", "deny carc C [rarc R] \"message\""),
    ("review", "review [carc C] [suggest CODE] \"message\""),
    ("advice", "advice \"message\""),
    ("and", "continue the condition"),
    ("or", "continue the condition"),
];

const CONDITION_KEYWORDS: &[&str] = &[
    "and",
    "or",
    "not",
    "in",
    "not in",
    "has modifier",
    "has no modifier",
    "any",
    "no",
    "other",
    "earlier",
    "line",
    "lines",
    "count",
    "count distinct codes of",
    "sum units of",
    "where",
    "on same date",
    "in same calendar year",
    "by same provider",
    "by other provider",
    "by same rendering provider",
    "in claim",
    "in history",
    "in claim or history",
    "within",
    "days",
    "months",
    "before",
    "after",
    "known",
    "claim",
    "patient",
    "report",
    "provider",
];

const LINE_FIELDS: &[&str] = &[
    "code",
    "units",
    "date",
    "pos",
    "modifiers",
    "diagnoses",
    "primary_diagnosis",
    "role",
    "npi",
    "provider.npi",
    "rendering.npi",
    "rendering.taxonomy",
    "authorized",
];
const CLAIM_FIELDS: &[&str] = &[
    "pos",
    "role",
    "prior_authorization",
    "diagnoses",
    "principal_diagnosis",
    "provider.npi",
    "provider.taxonomy",
    "provider.role",
];
const PATIENT_FIELDS: &[&str] = &["age", "age_months", "sex"];
const PROVIDER_FIELDS: &[&str] = &["role", "npi", "taxonomy"];

/// Modifiers offered after `modifier` (the pricing, distinct-service, repeat and side ones).
const COMMON_MODIFIERS: &[&str] = &[
    "26", "TC", "25", "59", "XE", "XS", "XP", "XU", "76", "77", "91", "LT", "RT", "50", "51", "22",
    "53", "24", "57", "58", "78", "79",
];

impl Workspace {
    /// What may be typed at `offset` of `path`.
    pub fn completions(&self, path: &Path, offset: usize) -> Vec<Completion> {
        let Some(file) = self.file(path) else {
            return Vec::new();
        };
        let text = &self.files[file].text;
        let offset = offset.min(text.len());
        let Some(before) = text.get(..offset) else {
            return Vec::new();
        };
        let line = before.rsplit('\n').next().unwrap_or("");
        // The line up to the word being typed.
        let typed = line
            .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_')
            .to_owned();
        let words: Vec<&str> = typed.split_whitespace().collect();
        let last = words.last().copied().unwrap_or("");
        use CompletionKind::*;
        if typed.trim().is_empty() {
            return if line.starts_with(char::is_whitespace) {
                CLAUSE_KEYWORDS
                    .iter()
                    .map(|(k, d)| item(k, Keyword, d))
                    .collect()
            } else {
                ITEM_KEYWORDS
                    .iter()
                    .chain(&["policy", "version", "effective"])
                    .map(|k| item(k, Keyword, "declaration"))
                    .collect()
            };
        }
        if let Some(field_of) = typed.strip_suffix('.') {
            return self.fields_after(file, field_of);
        }
        if words.first() == Some(&"table") && words.len() == 3 && last == "=" {
            return TableKind::NAMES
                .iter()
                .map(|n| item(n, Keyword, "table layout"))
                .collect();
        }
        if last == "modifier" {
            let mut out: Vec<Completion> = COMMON_MODIFIERS
                .iter()
                .map(|m| item(m, Value, "modifier"))
                .collect();
            out.push(item("in", Keyword, "a set of modifiers"));
            return out;
        }
        if last == "in" && words.iter().rev().nth(1) == Some(&"modifier") {
            return self.sets_in_scope(file, |k| *k == SetKind::Modifiers);
        }
        if last == "in" {
            return self.sets_in_scope(file, |_| true);
        }
        let mut out: Vec<Completion> = CONDITION_KEYWORDS
            .iter()
            .map(|k| item(k, Keyword, "condition"))
            .collect();
        out.extend(self.sets_in_scope(file, |_| true));
        out.extend(self.tables_in_scope(file));
        out
    }

    /// Fields after `subject.` (or a table lookup's `].`).
    fn fields_after(&self, file: usize, before_dot: &str) -> Vec<Completion> {
        let subject = before_dot
            .rsplit(|c: char| c.is_whitespace() || c == '(')
            .next()
            .unwrap_or("");
        let fields = |list: &[&str]| {
            list.iter()
                .map(|f| item(f, CompletionKind::Field, subject))
                .collect::<Vec<_>>()
        };
        match subject {
            "line" => return fields(LINE_FIELDS),
            "claim" => return fields(CLAIM_FIELDS),
            "patient" => return fields(PATIENT_FIELDS),
            "provider" | "claim.provider" | "line.provider" => return fields(PROVIDER_FIELDS),
            "report" => return self.facts_in_scope(file),
            _ => {}
        }
        // `mue[line.code].`, `ptp[code, line.code].`: the table's columns.
        let Some(table) = before_dot
            .strip_suffix(']')
            .and_then(|inner| inner.rfind('[').map(|open| &inner[..open]))
            .and_then(|head| {
                head.rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .next()
            })
            .filter(|t| !t.is_empty())
        else {
            return Vec::new();
        };
        let Some((_, decl)) = self.resolve(file, table, super::symbols::RefKind::Table) else {
            return Vec::new();
        };
        let DeclKind::Table(layout) = &decl.kind else {
            return Vec::new();
        };
        TableKind::parse(layout)
            .map(|kind| {
                kind.fields()
                    .iter()
                    .map(|(name, _)| item(name, CompletionKind::Field, layout))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Sets declared or imported in the file whose kind `wanted` accepts (imports are
    /// followed to learn their kind).
    fn sets_in_scope(&self, file: usize, wanted: impl Fn(&SetKind) -> bool) -> Vec<Completion> {
        let mut out = Vec::new();
        for decl in &self.files[file].symbols.decls {
            let kind = match &decl.kind {
                DeclKind::Set(kind) => Some(*kind),
                DeclKind::Import(_) => self
                    .resolve(file, &decl.name, super::symbols::RefKind::Set)
                    .and_then(|(_, d)| match d.kind {
                        DeclKind::Set(kind) => Some(kind),
                        _ => None,
                    }),
                _ => None,
            };
            if let Some(kind) = kind.filter(|k| wanted(k)) {
                out.push(item(&decl.name, CompletionKind::Set, kind.keyword()));
            }
        }
        out
    }

    fn tables_in_scope(&self, file: usize) -> Vec<Completion> {
        self.files[file]
            .symbols
            .decls
            .iter()
            .filter_map(|d| match &d.kind {
                DeclKind::Table(layout) => Some(item(&d.name, CompletionKind::Table, layout)),
                _ => None,
            })
            .collect()
    }

    /// Report facts the pack declares (phrase lists and `facts`).
    fn facts_in_scope(&self, file: usize) -> Vec<Completion> {
        let chain = self.chain(file);
        let mut out: Vec<Completion> = Vec::new();
        for (i, other) in self.files.iter().enumerate() {
            if i != file && !other.pack.is_some_and(|p| chain.contains(&p)) {
                continue;
            }
            for decl in &other.symbols.decls {
                let detail = match decl.kind {
                    DeclKind::Set(SetKind::Phrases) => "report fact (phrases)",
                    DeclKind::Fact => "report fact (stated)",
                    _ => continue,
                };
                if !out.iter().any(|c| c.label == decl.name) {
                    out.push(item(&decl.name, CompletionKind::Field, detail));
                }
            }
        }
        out
    }
}
