//! Stage 2: resolve names, validate literals and type every condition.
//!
//! Input is an AST from the syntax stage; output is a [`CheckedPolicy`] (when there are no
//! errors) plus every [`Problem`] found, errors and warnings alike, so an author fixes a file
//! in one pass.

mod exprs;
mod fields;
mod literals;
mod lookups;
mod membership;
mod suggest;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

pub use suggest::did_you_mean;

use crate::diagnostics::{LintWarning, Problem, SemanticError, Severity};
use crate::ir::*;
use crate::source::{SourceFile, Span};

use crate::facts::{is_published_carc, is_published_rarc, Carc, Date, DateRange, GroupCode, Rarc};
use crate::syntax::ast::{EffectiveAst, Item, PolicyAst, RuleDecl, Spanned, UnknownAction};
use crate::tables::TableSlot;
use crate::tables::{TableFile, TableKind};

/// Policies an `import` may name: those checked before this one.
pub trait PolicyScope {
    /// A checked policy by name.
    fn policy(&self, name: &str) -> Option<&CheckedPolicy>;
    /// Every name in scope, for suggestions.
    fn policy_names(&self) -> Vec<String>;
}

struct ScopedSet {
    value: SetValue,
    span: Span,
    local: bool,
}

pub(crate) struct Checker<'a> {
    scope: &'a dyn PolicyScope,
    broken: &'a [String],
    sets: HashMap<String, ScopedSet>,
    facts: BTreeMap<String, FactDecl>,
    used: HashSet<String>,
    tables: HashMap<String, Arc<TableSlot>>,
    local_tables: Vec<Arc<TableSlot>>,
    source: Arc<SourceFile>,
    problems: Vec<Problem>,
}

/// Checks one parsed policy. Returns the policy when it has no errors, and every problem.
///
/// `broken` names the items of the file that did not parse: uses of those names are not
/// reported again as unknown (the syntax error already is).
pub fn check_policy(
    ast: &PolicyAst,
    source: Arc<SourceFile>,
    scope: &dyn PolicyScope,
    broken: &[String],
) -> (Option<CheckedPolicy>, Vec<Problem>) {
    let mut checker = Checker {
        scope,
        broken,
        sets: HashMap::new(),
        facts: BTreeMap::new(),
        used: HashSet::new(),
        tables: HashMap::new(),
        local_tables: Vec::new(),
        source: source.clone(),
        problems: Vec::new(),
    };
    let version = match semver::Version::parse(&ast.version.node) {
        Ok(v) => Some(v),
        Err(e) => {
            checker.problems.push(Problem::error(
                ast.version.span,
                SemanticError::InvalidVersion {
                    text: ast.version.node.clone(),
                    reason: e.to_string(),
                },
                "not semver",
            ));
            None
        }
    };
    let effective = ast
        .effective
        .as_ref()
        .map_or(DateRange::ALWAYS, |e| checker.effective(e));
    for item in &ast.items {
        match item {
            Item::Import(import) => checker.import(import),
            Item::Set(set) => checker.declare_set(set),
            Item::Facts(names) => checker.declare_facts(names),
            Item::Table(table) => checker.declare_table(table),
            Item::Rule(_) => {}
        }
    }
    let mut rules: Vec<CheckedRule> = Vec::new();
    let mut rule_names: HashMap<&str, Span> = HashMap::new();
    for item in &ast.items {
        let Item::Rule(rule) = item else { continue };
        if let Some(first) = rule_names.insert(&rule.name.node, rule.name.span) {
            let (line, _) = source.line_col(first.start);
            checker.problems.push(Problem::error(
                rule.name.span,
                SemanticError::DuplicateRule {
                    name: rule.name.node.clone(),
                    first_line: line,
                },
                "second declaration",
            ));
            continue;
        }
        if let Some(checked) = checker.rule(rule, &ast.name.node, effective, &source) {
            rules.push(checked);
        }
    }
    if broken.is_empty() {
        checker.warn_unused();
    }
    let local_sets: Vec<NamedSet> = ast
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Set(set) => checker.sets.get(&set.name.node).map(|s| NamedSet {
                name: set.name.node.clone(),
                value: s.value.clone(),
                span: s.span,
            }),
            _ => None,
        })
        .collect();
    let has_errors = checker
        .problems
        .iter()
        .any(|p| p.severity == Severity::Error);
    let policy = match version {
        Some(version) if !has_errors => Some(CheckedPolicy {
            name: ast.name.node.clone(),
            version,
            effective,
            sets: local_sets,
            facts: checker.facts.values().cloned().collect(),
            rules,
            tables: checker.local_tables.clone(),
            source,
        }),
        _ => None,
    };
    (policy, checker.problems)
}

impl Checker<'_> {
    fn effective(&mut self, clause: &EffectiveAst) -> DateRange {
        let from = literals::date(&clause.from, &mut self.problems).unwrap_or(Date::MIN);
        let until = clause
            .until
            .as_ref()
            .and_then(|u| literals::date(u, &mut self.problems))
            .unwrap_or(Date::MAX);
        let range = DateRange { from, until };
        if range.is_empty() {
            self.problems.push(Problem::error(
                clause.span,
                SemanticError::EmptyEffectiveRange,
                "`until` is before `effective`",
            ));
        }
        range
    }

    fn import(&mut self, import: &crate::syntax::ast::ImportDecl) {
        let Some(policy) = self.scope.policy(&import.from.node) else {
            let names = self.scope.policy_names();
            let hint = did_you_mean(&import.from.node, names.iter().map(String::as_str)).or_else(|| {
                Some("imports name a policy listed earlier in this pack's manifest or in a pack it extends".into())
            });
            self.problems.push(Problem::error(
                import.from.span,
                SemanticError::UnknownPolicy {
                    name: import.from.node.clone(),
                    hint,
                },
                "not loaded before this one",
            ));
            return;
        };
        for name in &import.names {
            if let Some(table) = policy.tables.iter().find(|t| t.name == name.node) {
                self.insert_table(name, table.clone());
                continue;
            }
            match policy.sets.iter().find(|s| s.name == name.node) {
                Some(set) => {
                    if let SetValue::Phrases(phrases) = &set.value {
                        self.add_fact(&name.node, phrases.clone());
                    }
                    self.insert_set(name, set.value.clone(), false);
                }
                None => {
                    let hint =
                        did_you_mean(&name.node, policy.sets.iter().map(|s| s.name.as_str()));
                    self.problems.push(Problem::error(
                        name.span,
                        SemanticError::UnknownImport {
                            policy: policy.name.clone(),
                            name: name.node.clone(),
                            hint,
                        },
                        "not found there",
                    ));
                }
            }
        }
    }

    fn insert_set(&mut self, name: &Spanned<String>, value: SetValue, local: bool) {
        if self.tables.contains_key(&name.node) {
            self.problems.push(Problem::error(
                name.span,
                SemanticError::NameIsTable {
                    name: name.node.clone(),
                },
                "duplicate name",
            ));
            return;
        }
        if let Some(previous) = self.sets.get(&name.node) {
            let imported = !previous.local;
            self.problems.push(Problem::error(
                name.span,
                SemanticError::DuplicateSet {
                    name: name.node.clone(),
                    imported,
                },
                "duplicate name",
            ));
            return;
        }
        self.sets.insert(
            name.node.clone(),
            ScopedSet {
                value,
                span: name.span,
                local,
            },
        );
    }

    fn insert_table(&mut self, name: &Spanned<String>, table: Arc<TableSlot>) {
        if self.tables.contains_key(&name.node) || self.sets.contains_key(&name.node) {
            self.problems.push(Problem::error(
                name.span,
                SemanticError::DuplicateTable {
                    name: name.node.clone(),
                },
                "duplicate name",
            ));
            return;
        }
        self.tables.insert(name.node.clone(), table);
    }

    fn declare_table(&mut self, decl: &crate::syntax::ast::TableDecl) {
        let Some(kind) = TableKind::parse(&decl.kind.node) else {
            let hint = did_you_mean(&decl.kind.node, TableKind::NAMES.iter().copied())
                .or_else(|| Some(format!("layouts: {}", TableKind::NAMES.join(", "))));
            self.problems.push(Problem::error(
                decl.kind.span,
                SemanticError::UnknownLayout {
                    layout: decl.kind.node.clone(),
                    hint,
                },
                "not a layout payerlex reads",
            ));
            return;
        };
        let mut files = Vec::new();
        for file in &decl.files {
            let from = file
                .from
                .as_ref()
                .and_then(|d| literals::date(d, &mut self.problems));
            if file.from.is_some() && !kind.dated_files() {
                self.problems.push(Problem::error(
                    file.path.span,
                    SemanticError::UndatedLayout {
                        layout: kind.name(),
                    },
                    "`from` not allowed",
                ));
            }
            if kind.dated_files() && from.is_none() && file.from.is_none() {
                self.problems.push(Problem::error(
                    file.path.span,
                    SemanticError::FeeScheduleNeedsDate,
                    "no start date",
                ));
            }
            files.push(TableFile {
                path: file.path.node.clone(),
                from,
                span: file.path.span,
            });
        }
        let slot = Arc::new(TableSlot::new(
            decl.name.node.clone(),
            kind,
            files,
            self.source.clone(),
            decl.span,
        ));
        self.local_tables.push(slot.clone());
        self.insert_table(&decl.name, slot);
    }

    fn declare_set(&mut self, set: &crate::syntax::ast::SetDecl) {
        let value = literals::set_value(set.kind, &set.elements, &mut self.problems);
        if let SetValue::Phrases(phrases) = &value {
            self.add_fact(&set.name.node, phrases.clone());
        }
        self.insert_set(&set.name, value, true);
    }

    fn declare_facts(&mut self, names: &[Spanned<String>]) {
        for name in names {
            self.add_fact(&name.node, Arc::from(Vec::<String>::new()));
            self.used.insert(name.node.clone());
        }
    }

    fn add_fact(&mut self, name: &str, phrases: Arc<[String]>) {
        self.facts.insert(
            name.to_owned(),
            FactDecl {
                name: exprs::fact_name(name),
                phrases,
            },
        );
    }

    fn warn_unused(&mut self) {
        let mut unused: Vec<(&String, &ScopedSet)> = self
            .sets
            .iter()
            .filter(|(name, set)| set.local && !self.used.contains(*name))
            .collect();
        unused.sort_by_key(|(_, s)| s.span.start);
        let warnings: Vec<Problem> = unused
            .into_iter()
            .map(|(name, set)| {
                Problem::warning(
                    set.span,
                    LintWarning::UnusedSet { name: name.clone() },
                    "unused",
                )
            })
            .collect();
        self.problems.extend(warnings);
    }

    fn rule(
        &mut self,
        rule: &RuleDecl,
        policy: &str,
        policy_range: DateRange,
        source: &Arc<SourceFile>,
    ) -> Option<CheckedRule> {
        let before = self.problems.len();
        for extra in rule.cites.iter().skip(1) {
            self.problems.push(Problem::error(
                extra.span,
                SemanticError::SecondCite,
                "second citation",
            ));
        }
        if rule.cites.is_empty() {
            self.problems.push(Problem::warning(
                rule.name.span,
                LintWarning::NoCitation {
                    rule: rule.name.node.clone(),
                },
                "no `cite`",
            ));
        }
        for extra in rule.effective.iter().skip(1) {
            self.problems.push(Problem::error(
                extra.span,
                SemanticError::SecondEffective,
                "second clause",
            ));
        }
        let own_range = rule
            .effective
            .first()
            .map_or(DateRange::ALWAYS, |e| self.effective(e));
        let effective = own_range.intersect(&policy_range);
        if effective.is_empty() && !own_range.is_empty() {
            if let Some(clause) = rule.effective.first() {
                self.problems.push(Problem::warning(
                    clause.span,
                    LintWarning::RuleOutsidePolicy,
                    "never in force",
                ));
            }
        }
        let condition = match rule.when.as_slice() {
            [] => {
                self.problems.push(Problem::error(
                    rule.name.span,
                    SemanticError::MissingWhen {
                        rule: rule.name.node.clone(),
                    },
                    "no condition",
                ));
                None
            }
            [when, extra @ ..] => {
                for e in extra {
                    self.problems.push(Problem::error(
                        e.span,
                        SemanticError::SecondWhen,
                        "second condition",
                    ));
                }
                Some(self.cond(when, exprs::Ctx { in_where: false }))
            }
        };
        let outcome = self.outcome(rule);
        for extra in rule.on_unknown.iter().skip(1) {
            self.problems.push(Problem::error(
                extra.span,
                SemanticError::SecondUnknownClause,
                "second clause",
            ));
        }
        let on_unknown = match rule.on_unknown.first().map(|a| a.node) {
            None | Some(UnknownAction::Advice) => OnUnknown::Advice,
            Some(UnknownAction::Review) => OnUnknown::Review,
            Some(UnknownAction::Deny) => OnUnknown::Deny,
        };
        let has_errors = self.problems[before..]
            .iter()
            .any(|p| p.severity == Severity::Error);
        match (condition, outcome) {
            (Some(condition), Some(outcome)) if !has_errors => Some(CheckedRule {
                id: Arc::from(format!("{policy}/{}", rule.name.node)),
                name: rule.name.node.clone(),
                replaces: rule.replaces.as_ref().map(|r| (r.node.clone(), r.span)),
                citation: rule.cites.first().map(|c| Arc::from(c.node.as_str())),
                effective,
                condition,
                on_unknown,
                outcome,
                span: rule.span,
                source: source.clone(),
            }),
            _ => None,
        }
    }

    fn outcome(&mut self, rule: &RuleDecl) -> Option<RuleOutcome> {
        let ast = &rule.outcome;
        let before = self.problems.len();
        let carc = ast.carc.as_ref().and_then(|c| {
            let carc = Carc::parse(&c.node)
                .map_err(|e| {
                    self.problems.push(Problem::error(
                        c.span,
                        SemanticError::InvalidCarc(e),
                        "not a CARC",
                    ))
                })
                .ok()?;
            if !is_published_carc(&c.node) {
                self.problems.push(Problem::error(
                    c.span,
                    SemanticError::UnpublishedCarc {
                        code: c.node.clone(),
                    },
                    "not a published CARC",
                ));
            }
            Some(carc)
        });
        let rarcs: Vec<Rarc> = ast
            .rarcs
            .iter()
            .filter_map(|r| {
                let rarc = Rarc::parse(&r.node)
                    .map_err(|e| {
                        self.problems.push(Problem::error(
                            r.span,
                            SemanticError::InvalidRarc(e),
                            "not a RARC",
                        ))
                    })
                    .ok()?;
                if !is_published_rarc(&r.node) {
                    self.problems.push(Problem::error(
                        r.span,
                        SemanticError::UnpublishedRarc {
                            code: r.node.clone(),
                        },
                        "not a published RARC",
                    ));
                }
                Some(rarc)
            })
            .collect();
        let group = ast.group.as_ref().and_then(|g| {
            GroupCode::parse(&g.node)
                .map_err(|e| {
                    self.problems.push(Problem::error(
                        g.span,
                        SemanticError::InvalidGroup(e),
                        "not a group code",
                    ))
                })
                .ok()
        });
        let suggest = ast
            .suggest
            .as_ref()
            .and_then(|s| literals::code(s, &mut self.problems));
        if ast.message.node.trim().is_empty() {
            self.problems.push(Problem::error(
                ast.message.span,
                SemanticError::EmptyMessage,
                "nothing to tell the biller",
            ));
        }
        if self.problems[before..]
            .iter()
            .any(|p| p.severity == Severity::Error)
        {
            return None;
        }
        Some(RuleOutcome {
            kind: ast.kind.node,
            group: group.unwrap_or_default(),
            carc,
            rarcs: rarcs.into(),
            suggest,
            message: Arc::from(ast.message.node.as_str()),
        })
    }
}
