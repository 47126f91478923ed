//! Hover text (Markdown) for what is under the cursor: a set or phrase list (what it holds,
//! where it is declared, which rules use it), a table (layout, files, rows loaded, fields,
//! users), a report fact, a rule (outcome, message, citation, the packs that apply it), a
//! policy, or a procedure code (the sets that hold it, the rules that can fire on it and its
//! rows in the loaded tables, as `payerlex explain` reports them).

use std::fmt::Write as _;
use std::ops::Range;

use super::explain::explain;
use super::navigate::Target;
use super::symbols::{Decl, DeclKind, RefKind};
use super::workspace::Workspace;
use crate::eval::FindingOutcome;
use crate::facts::ProcedureCode;
use crate::source::Span;
use crate::syntax::ast::SetKind;
use crate::tables::TableKind;

/// Elements of a set shown before "and N more".
const ELEMENTS_SHOWN: usize = 40;
/// Rules named before "and N more".
const USERS_SHOWN: usize = 12;

/// Hover text for a span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    /// The span hovered.
    pub range: Range<usize>,
    /// What to show, in Markdown.
    pub markdown: String,
}

pub(super) fn outcome_word(outcome: FindingOutcome) -> &'static str {
    match outcome {
        FindingOutcome::Deny => "deny",
        FindingOutcome::Review => "review",
        FindingOutcome::Advice => "advice",
        FindingOutcome::AdjustPrior => "adjust prior",
    }
}

fn set_words(kind: SetKind) -> &'static str {
    match kind {
        SetKind::Codes => "procedure codes",
        SetKind::Modifiers => "modifiers",
        SetKind::Places => "places of service",
        SetKind::Diagnoses => "diagnosis categories (ICD-10-CM prefixes)",
        SetKind::Phrases => "report phrases",
        SetKind::Taxonomies => "provider taxonomies",
        SetKind::Npis => "NPIs",
    }
}

impl Workspace {
    /// What to show for the position `offset` of `path`.
    pub fn hover(&self, path: &std::path::Path, offset: usize) -> Option<Hover> {
        let file = self.file(path)?;
        let target = self.target(file, offset)?;
        let (span, markdown) = match target {
            Target::Code(code, span) => (span, self.code_hover(file, code)),
            Target::Policy(file) => {
                let (_, span) = self.files[file].symbols.policy.as_ref()?;
                (*span, self.policy_hover(file))
            }
            Target::Use(from, used) if used.kind == RefKind::Policy => {
                let found = self.policy_file(from, &used.name)?;
                (used.span, self.policy_hover(found))
            }
            Target::Use(_, used) => {
                let (found, decl) = self.declaration_of(target)?;
                (used.span, self.decl_hover(found, decl))
            }
            Target::Declaration(_, decl) => {
                let (found, declared) = self.declaration_of(target)?;
                (decl.name_span, self.decl_hover(found, declared))
            }
        };
        Some(Hover {
            range: span.start..span.end,
            markdown,
        })
    }

    fn at(&self, file: usize, span: Span) -> String {
        let text = &self.files[file].text;
        let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
        format!("{}:{line}", self.files[file].display)
    }

    fn policy_name(&self, file: usize) -> &str {
        self.files[file]
            .symbols
            .policy
            .as_ref()
            .map_or("", |(n, _)| n.as_str())
    }

    fn decl_hover(&self, file: usize, decl: &Decl) -> String {
        let mut out = String::new();
        let policy = self.policy_name(file);
        match &decl.kind {
            DeclKind::Set(kind) => {
                let _ = writeln!(
                    out,
                    "**{}** `{}`: {} {} in `{policy}`\n",
                    kind.keyword(),
                    decl.name,
                    decl.elements.len(),
                    set_words(*kind)
                );
                let shown: Vec<&str> = decl
                    .elements
                    .iter()
                    .take(ELEMENTS_SHOWN)
                    .map(String::as_str)
                    .collect();
                let more = decl.elements.len().saturating_sub(ELEMENTS_SHOWN);
                let _ = write!(out, "{}", shown.join(", "));
                if more > 0 {
                    let _ = write!(out, ", and {more} more");
                }
                out.push_str("\n\n");
                if *kind == SetKind::Phrases {
                    let _ = writeln!(
                        out,
                        "Declares the report fact `report.{}`: true when the report text contains one of these phrases (case-insensitive, not negated), unless the claim states it.\n",
                        decl.name
                    );
                }
            }
            DeclKind::Fact => {
                let _ = writeln!(
                    out,
                    "**report fact** `{}` in `{policy}`: stated by the caller (`report.facts`); no phrase list derives it from the report text.\n",
                    decl.name
                );
            }
            DeclKind::Table(layout) => self.table_hover(&mut out, file, decl, layout),
            DeclKind::Rule => self.rule_hover(&mut out, file, decl),
            DeclKind::Import(from) => {
                let _ = writeln!(out, "`{}` imported from `{from}` (not found)\n", decl.name);
            }
        }
        if let Some(doc) = doc_comment(&self.files[file].text, decl.item_span.start) {
            let _ = writeln!(out, "{doc}\n");
        }
        let _ = write!(out, "Declared at `{}`", self.at(file, decl.name_span));
        let users = self.users(file, decl);
        if !matches!(decl.kind, DeclKind::Rule | DeclKind::Import(_)) {
            if users.is_empty() {
                out.push_str(" · used by no rule");
            } else {
                let names: Vec<String> = users
                    .iter()
                    .take(USERS_SHOWN)
                    .map(|(id, _)| format!("`{id}`"))
                    .collect();
                let more = users.len().saturating_sub(USERS_SHOWN);
                let _ = write!(
                    out,
                    " · used by {} rule(s): {}",
                    users.len(),
                    names.join(", ")
                );
                if more > 0 {
                    let _ = write!(out, ", and {more} more");
                }
            }
        }
        out
    }

    fn table_hover(&self, out: &mut String, file: usize, decl: &Decl, layout: &str) {
        let _ = writeln!(
            out,
            "**table** `{}` = `{layout}` in `{}`\n",
            decl.name,
            self.policy_name(file)
        );
        let _ = writeln!(out, "Files: {}\n", decl.elements.join(", "));
        let pack = self.files[file].pack.map(|p| self.packs[p].id.as_str());
        let rows = self
            .engine
            .as_ref()
            .and_then(|e| e.pack(pack?))
            .and_then(|p| p.tables().find(|t| t.name == decl.name).map(|t| t.rows));
        if let Some(rows) = rows {
            let _ = writeln!(out, "{rows} rows loaded.\n");
        }
        if let Some(kind) = TableKind::parse(layout) {
            let fields: Vec<String> = kind
                .fields()
                .iter()
                .map(|(f, _)| format!("`{f}`"))
                .collect();
            let _ = writeln!(
                out,
                "Lookup: {}; fields: {}\n",
                kind.key_help(),
                if fields.is_empty() {
                    "none".to_owned()
                } else {
                    fields.join(", ")
                }
            );
        }
    }

    fn rule_hover(&self, out: &mut String, file: usize, decl: &Decl) {
        let id = format!("{}/{}", self.policy_name(file), decl.name);
        let _ = writeln!(out, "**rule** `{id}`\n");
        let Some(engine) = &self.engine else { return };
        if let Some(info) = engine
            .packs()
            .flat_map(|p| p.rules())
            .find(|r| r.id() == id)
        {
            let mut head = outcome_word(info.outcome()).to_owned();
            if let Some(carc) = info.carc() {
                let _ = write!(head, " carc {carc}");
            }
            let rarcs: Vec<String> = info.rarcs().iter().map(ToString::to_string).collect();
            if !rarcs.is_empty() {
                let _ = write!(head, " rarc {}", rarcs.join(", "));
            }
            let _ = writeln!(out, "{head}: {}\n", info.message());
            if let Some(cite) = info.citation() {
                let _ = writeln!(out, "Cites: {cite}\n");
            }
        }
        let packs: Vec<String> = engine
            .packs()
            .filter(|p| p.rules().any(|r| r.id() == id))
            .map(|p| format!("`{}`", p.id()))
            .collect();
        if !packs.is_empty() {
            let _ = writeln!(out, "Applied by: {}\n", packs.join(", "));
        }
    }

    fn policy_hover(&self, file: usize) -> String {
        let symbols = &self.files[file].symbols;
        let count = |f: fn(&DeclKind) -> bool| symbols.decls.iter().filter(|d| f(&d.kind)).count();
        format!(
            "**policy** `{}` ({})\n\n{} rule(s), {} set(s), {} table(s)",
            self.policy_name(file),
            self.files[file].display,
            count(|k| *k == DeclKind::Rule),
            count(|k| matches!(k, DeclKind::Set(_))),
            count(|k| matches!(k, DeclKind::Table(_)))
        )
    }

    fn code_hover(&self, file: usize, code: ProcedureCode) -> String {
        let mut out = format!("**{code}**\n\n");
        let chain = self.chain(file);
        let mut sets = Vec::new();
        for (i, other) in self.files.iter().enumerate() {
            if i != file && !other.pack.is_some_and(|p| chain.contains(&p)) {
                continue;
            }
            for decl in &other.symbols.decls {
                if decl.kind == DeclKind::Set(SetKind::Codes)
                    && decl.elements.iter().any(|e| element_holds(e, code))
                {
                    sets.push(format!("`{}` ({})", decl.name, self.policy_name(i)));
                }
            }
        }
        if !sets.is_empty() {
            let _ = writeln!(out, "In sets: {}\n", sets.join(", "));
        }
        let pack = self.files[file].pack.map(|p| self.packs[p].id.clone());
        let report = self.engine.as_ref().zip(pack).and_then(|(engine, pack)| {
            explain(engine, &code.to_string(), Some(&pack), self.date).ok()
        });
        let Some(pack) = report.as_ref().and_then(|r| r.packs.first()) else {
            return out;
        };
        let _ = writeln!(
            out,
            "In pack `{}` on {}: {} rule(s) can fire on it.\n",
            pack.pack,
            self.date,
            pack.rules.len()
        );
        if let Some(mue) = &pack.mue {
            let _ = writeln!(
                out,
                "- MUE {} (MAI {}: {})",
                mue.value, mue.mai, mue.mai_text
            );
        }
        if let Some(ptp) = &pack.ptp {
            let _ = writeln!(
                out,
                "- PTP: column 1 of {} pair(s), column 2 of {} pair(s)",
                ptp.column1_of.len(),
                ptp.column2_of.len()
            );
        }
        if let Some(aoc) = &pack.add_on {
            match aoc.add_on_type {
                Some(kind) => {
                    let _ = writeln!(out, "- add-on code, type {kind}");
                }
                None => out.push_str("- not an add-on code\n"),
            }
        }
        if let Some(fees) = &pack.fee_schedule {
            let prices: Vec<String> = fees
                .estimates
                .iter()
                .map(|e| {
                    let name = e
                        .modifier
                        .as_deref()
                        .map_or("global".to_owned(), |m| format!("-{m}"));
                    format!("{name} ${}", e.non_facility)
                })
                .collect();
            let _ = writeln!(
                out,
                "- fee schedule: status {}, PC/TC {} ({}), global {}; {} (national, non-facility)",
                fees.status,
                fees.pctc,
                fees.pctc_text,
                fees.global.as_deref().unwrap_or("-"),
                prices.join(", ")
            );
        }
        out
    }
}

/// Whether a code set element as written (`76377`, `70450..70498`) holds `code`.
fn element_holds(element: &str, code: ProcedureCode) -> bool {
    let parse = |s: &str| ProcedureCode::parse(s).ok();
    match element.split_once("..") {
        Some((lo, hi)) => match (parse(lo), parse(hi)) {
            (Some(lo), Some(hi)) => lo.packed() <= code.packed() && code.packed() <= hi.packed(),
            _ => false,
        },
        None => parse(element) == Some(code),
    }
}

/// The comment lines just above an item (rulers of dashes left out).
fn doc_comment(text: &str, start: usize) -> Option<String> {
    let before = text.get(..start)?;
    let mut lines: Vec<&str> = Vec::new();
    for line in before.lines().rev() {
        let Some(comment) = line.trim_start().strip_prefix('#') else {
            break;
        };
        let comment = comment.trim();
        if !comment.chars().all(|c| c == '-' || c == '=') {
            lines.push(comment);
        }
    }
    lines.reverse();
    let doc = lines.join(" ");
    (!doc.trim().is_empty()).then_some(doc)
}
