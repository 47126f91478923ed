//! Names across files: what a name at a position refers to, where it is declared (through
//! `import ... from` and `extends`), which rules use a declaration, the outline of a file
//! and its rules for code lenses.
//!
//! Resolution follows the loader's scoping: a name is declared in its own policy or
//! imported from a policy of the same pack or of a pack it extends (own pack first). An
//! import is followed to the policy that declares the name, however many imports deep
//! (bounded, since a broken workspace may import in a circle).

use std::ops::Range;
use std::path::Path;

use super::symbols::{Decl, DeclKind, Ref, RefKind};
use super::workspace::{Location, Workspace};
use crate::facts::ProcedureCode;
use crate::source::Span;
use crate::syntax::ast::SetKind;

/// How many imports deep a name is followed.
const MAX_IMPORT_DEPTH: usize = 16;

/// What an outline entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SymbolKind {
    /// A rule.
    Rule,
    /// A set or phrase list.
    Set,
    /// A table.
    Table,
    /// A stated report fact.
    Fact,
}

/// An entry of a file's outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    /// Its name.
    pub name: String,
    /// What it is.
    pub kind: SymbolKind,
    /// What it declares (`set of procedure codes`, `deny carc B15`).
    pub detail: String,
    /// The whole item.
    pub range: Range<usize>,
    /// The name.
    pub selection: Range<usize>,
}

/// A rule of a file, for "run this rule's pack tests".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleLens {
    /// `policy/rule`.
    pub rule: String,
    /// The rule's name in the file.
    pub range: Range<usize>,
}

/// What is under the cursor.
#[derive(Debug, Clone, Copy)]
pub(super) enum Target<'w> {
    /// A use of a name.
    Use(usize, &'w Ref),
    /// A declaration's name.
    Declaration(usize, &'w Decl),
    /// The file's own `policy NAME`.
    Policy(usize),
    /// A procedure code, with where it is written.
    Code(ProcedureCode, Span),
}

fn range(span: Span) -> Range<usize> {
    span.start..span.end
}

fn within(span: Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

impl Workspace {
    pub(super) fn target(&self, file: usize, offset: usize) -> Option<Target<'_>> {
        let symbols = &self.files[file].symbols;
        if let Some(used) = symbols.refs.iter().find(|r| within(r.span, offset)) {
            return Some(Target::Use(file, used));
        }
        if let Some(decl) = symbols.decls.iter().find(|d| within(d.name_span, offset)) {
            return Some(Target::Declaration(file, decl));
        }
        if symbols
            .policy
            .as_ref()
            .is_some_and(|(_, span)| within(*span, offset))
        {
            return Some(Target::Policy(file));
        }
        let (word, span) = word_at(&self.files[file].text, offset)?;
        let code = ProcedureCode::parse(word)
            .ok()
            .filter(|_| word.len() == 5)?;
        Some(Target::Code(code, span))
    }

    /// Packs whose names a file sees: its own, then each base it extends.
    pub(super) fn chain(&self, file: usize) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut next = self.files[file].pack;
        while let Some(pack) = next {
            if chain.contains(&pack) || chain.len() > self.packs.len() {
                break;
            }
            chain.push(pack);
            next = self.packs[pack]
                .extends
                .as_ref()
                .and_then(|id| self.packs.iter().position(|p| &p.id == id));
        }
        chain
    }

    /// The file declaring policy `name`, as `file` sees it.
    pub(super) fn policy_file(&self, file: usize, name: &str) -> Option<usize> {
        let declares = |i: usize| {
            self.files[i]
                .symbols
                .policy
                .as_ref()
                .is_some_and(|(n, _)| n == name)
        };
        if self.files[file].pack.is_none() {
            return declares(file).then_some(file);
        }
        self.chain(file).into_iter().find_map(|pack| {
            (0..self.files.len()).find(|&i| self.files[i].pack == Some(pack) && declares(i))
        })
    }

    /// The declaration a use of `name` (of `kind`) in `file` refers to.
    pub(super) fn resolve(&self, file: usize, name: &str, kind: RefKind) -> Option<(usize, &Decl)> {
        let mut file = file;
        for _ in 0..MAX_IMPORT_DEPTH {
            let symbols = &self.files[file].symbols;
            let local = symbols.decl(name, |k| {
                matches!(
                    (kind, k),
                    (RefKind::Set, DeclKind::Set(_))
                        | (
                            RefKind::Fact,
                            DeclKind::Set(SetKind::Phrases) | DeclKind::Fact
                        )
                        | (RefKind::Table, DeclKind::Table(_))
                        | (_, DeclKind::Import(_))
                )
            });
            match local {
                Some(Decl {
                    kind: DeclKind::Import(from),
                    ..
                }) => file = self.policy_file(file, from)?,
                Some(decl) => return Some((file, decl)),
                None if kind == RefKind::Fact => return self.fact_in_chain(file, name),
                None => return None,
            }
        }
        None
    }

    /// Report facts are the pack's: any policy of the pack or its bases may declare one.
    fn fact_in_chain(&self, file: usize, name: &str) -> Option<(usize, &Decl)> {
        let chain = self.chain(file);
        (0..self.files.len())
            .filter(|&i| self.files[i].pack.is_some_and(|p| chain.contains(&p)))
            .find_map(|i| {
                let decl = self.files[i].symbols.decl(name, |k| {
                    matches!(k, DeclKind::Set(SetKind::Phrases) | DeclKind::Fact)
                })?;
                Some((i, decl))
            })
    }

    /// The rule `policy/rule` as `file` sees it (itself or a base pack's).
    pub(super) fn rule_decl(&self, file: usize, id: &str) -> Option<(usize, &Decl)> {
        let (policy, rule) = id.split_once('/')?;
        let found = self.policy_file(file, policy)?;
        let decl = self.files[found]
            .symbols
            .decl(rule, |k| *k == DeclKind::Rule)?;
        Some((found, decl))
    }

    /// What a target ultimately declares: the declaration behind a use or an import.
    pub(super) fn declaration_of(&self, target: Target<'_>) -> Option<(usize, &Decl)> {
        match target {
            Target::Use(file, used) => match used.kind {
                RefKind::ReplacedRule => self.rule_decl(file, &used.name),
                RefKind::Policy => None,
                kind => self.resolve(file, &used.name, kind),
            },
            Target::Declaration(file, decl) => match &decl.kind {
                DeclKind::Import(from) => {
                    let source = self.policy_file(file, from)?;
                    self.resolve(source, &decl.name, RefKind::Set)
                        .or_else(|| self.resolve(source, &decl.name, RefKind::Table))
                }
                _ => Some((
                    file,
                    self.files[file]
                        .symbols
                        .decl(&decl.name, |k| *k == decl.kind)?,
                )),
            },
            Target::Policy(_) | Target::Code(..) => None,
        }
    }

    /// Where the name at `offset` of `path` is declared.
    pub fn definition(&self, path: &Path, offset: usize) -> Option<Location> {
        let file = self.file(path)?;
        let target = self.target(file, offset)?;
        if let Target::Use(from, used) = target {
            if used.kind == RefKind::Policy {
                let found = self.policy_file(from, &used.name)?;
                let (_, span) = self.files[found].symbols.policy.as_ref()?;
                return Some(self.location(found, *span));
            }
        }
        let (found, decl) = self.declaration_of(target)?;
        Some(self.location(found, decl.name_span))
    }

    pub(super) fn location(&self, file: usize, span: Span) -> Location {
        Location {
            path: self.files[file].path.clone(),
            range: range(span),
        }
    }

    /// Rules that use the declaration `decl` of `file` (`policy/rule`), with where.
    pub(super) fn users(&self, file: usize, decl: &Decl) -> Vec<(String, Location)> {
        let kind = match decl.kind {
            DeclKind::Set(SetKind::Phrases) => vec![RefKind::Set, RefKind::Fact],
            DeclKind::Set(_) => vec![RefKind::Set],
            DeclKind::Fact => vec![RefKind::Fact],
            DeclKind::Table(_) => vec![RefKind::Table],
            DeclKind::Rule | DeclKind::Import(_) => return Vec::new(),
        };
        let mut users: Vec<(String, Location)> = Vec::new();
        // The declaring file's own rules first.
        let mut order: Vec<usize> = (0..self.files.len()).collect();
        order.sort_by_key(|&i| i != file);
        for i in order {
            let other = &self.files[i];
            let policy = other
                .symbols
                .policy
                .as_ref()
                .map_or("", |(n, _)| n.as_str());
            for used in &other.symbols.refs {
                let Some(rule) = &used.rule else { continue };
                if !kind.contains(&used.kind) || used.name != decl.name {
                    continue;
                }
                let hit = self
                    .resolve(i, &used.name, used.kind)
                    .is_some_and(|(f, d)| f == file && d.name_span == decl.name_span);
                let id = format!("{policy}/{rule}");
                if hit && !users.iter().any(|(u, _)| *u == id) {
                    users.push((id, self.location(i, used.span)));
                }
            }
        }
        users
    }

    /// The outline of a file: rules, sets, tables and facts.
    pub fn symbols(&self, path: &Path) -> Vec<Symbol> {
        let Some(file) = self.file(path) else {
            return Vec::new();
        };
        self.files[file]
            .symbols
            .decls
            .iter()
            .filter_map(|decl| {
                let (kind, detail) = match &decl.kind {
                    DeclKind::Rule => (SymbolKind::Rule, self.rule_summary(file, &decl.name)),
                    DeclKind::Set(kind) => (
                        SymbolKind::Set,
                        format!("{} ({} elements)", kind.keyword(), decl.elements.len()),
                    ),
                    DeclKind::Table(layout) => (SymbolKind::Table, format!("table, {layout}")),
                    DeclKind::Fact => (SymbolKind::Fact, "report fact".to_owned()),
                    DeclKind::Import(_) => return None,
                };
                Some(Symbol {
                    name: decl.name.clone(),
                    kind,
                    detail,
                    range: range(decl.item_span),
                    selection: range(decl.name_span),
                })
            })
            .collect()
    }

    /// The rules of a file, with their ids.
    pub fn rule_lenses(&self, path: &Path) -> Vec<RuleLens> {
        let Some(file) = self.file(path) else {
            return Vec::new();
        };
        let symbols = &self.files[file].symbols;
        let Some((policy, _)) = &symbols.policy else {
            return Vec::new();
        };
        symbols
            .decls
            .iter()
            .filter(|d| d.kind == DeclKind::Rule)
            .map(|d| RuleLens {
                rule: format!("{policy}/{}", d.name),
                range: range(d.name_span),
            })
            .collect()
    }

    /// `deny carc B15 rarc N657` for a rule of a file, from the loaded engine.
    pub(super) fn rule_summary(&self, file: usize, name: &str) -> String {
        let policy = self.files[file]
            .symbols
            .policy
            .as_ref()
            .map_or("", |(n, _)| n.as_str());
        let id = format!("{policy}/{name}");
        let Some(info) = self
            .engine
            .as_ref()
            .and_then(|e| e.packs().flat_map(|p| p.rules()).find(|r| r.id() == id))
        else {
            return "rule".to_owned();
        };
        let mut summary = super::hover::outcome_word(info.outcome()).to_owned();
        if let Some(carc) = info.carc() {
            summary.push_str(&format!(" carc {carc}"));
        }
        let rarcs: Vec<String> = info.rarcs().iter().map(ToString::to_string).collect();
        if !rarcs.is_empty() {
            summary.push_str(&format!(" rarc {}", rarcs.join(", ")));
        }
        summary
    }
}

/// The word (letters, digits, `_`, `.`, `-`) around `offset`, with its span.
pub(super) fn word_at(text: &str, offset: usize) -> Option<(&str, Span)> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word(c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|&(_, c)| !is_word(c))
        .map_or(text.len(), |(i, _)| offset + i);
    (start < end).then(|| (&text[start..end], Span { start, end }))
}
