//! Links packs: parses manifests, orders packs so bases come first, checks every policy,
//! applies `extends` (inherit, replace by id, disable), and compiles each pack.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::manifest::Manifest;
use super::order::base_first_order;
use super::sources::PackSources;
use super::table_files::{load_table_files, unknown_table_overrides};
use super::validate_manifest::parse_manifest;
use super::Pack;
use crate::check::{check_policy, did_you_mean, PolicyScope};
use crate::compile::compile;
use crate::diagnostics::{Diagnostic, PackError, Problem};
use crate::eval::DecisionKey;
use crate::eval::PolicyRef;
use crate::facts::DateRange;
use crate::ir::{CheckedPolicy, CheckedRule, FactDecl};
use crate::source::{SourceFile, Span};
use crate::syntax::parse_policy_with;
use crate::tables::TableSlot;

/// Options for loading packs.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Table files given at load time, by table name (`--table mue=PATH`): users download the
    /// quarterly CMS files themselves. Each replaces the file a pack's policy declares.
    pub tables: BTreeMap<String, std::path::PathBuf>,
    /// Limits on policy, pack and table sizes (and, kept by the engine, on records and
    /// history).
    pub limits: crate::limits::Limits,
}

/// A pack whose manifest parsed.
pub(super) struct ParsedPack<'a> {
    pub(super) sources: &'a PackSources,
    pub(super) manifest: Manifest,
    pub(super) manifest_file: Arc<SourceFile>,
    pub(super) version: semver::Version,
    pub(super) effective: DateRange,
}

/// What a linked pack hands to the packs that extend it.
struct Linked {
    policies: Vec<CheckedPolicy>,
    own_policy_names: Vec<String>,
    rules: Vec<CheckedRule>,
    /// Ids of base rules this pack (or a base) disabled or replaced.
    removed_rules: Vec<Arc<str>>,
    facts: Vec<FactDecl>,
    digest_input: Vec<u8>,
}

struct ChainScope<'a> {
    own: &'a [CheckedPolicy],
    base: &'a [CheckedPolicy],
}

impl PolicyScope for ChainScope<'_> {
    fn policy(&self, name: &str) -> Option<&CheckedPolicy> {
        self.own.iter().chain(self.base).find(|p| p.name == name)
    }
    fn policy_names(&self) -> Vec<String> {
        self.own
            .iter()
            .chain(self.base)
            .map(|p| p.name.clone())
            .collect()
    }
}

fn to_u64(value: usize) -> u64 {
    u64::try_from(value).unwrap_or(u64::MAX)
}

pub(super) fn span_of<T>(value: &toml::Spanned<T>) -> Span {
    let r = value.span();
    Span {
        start: r.start,
        end: r.end,
    }
}

pub(super) fn at(
    file: &Arc<SourceFile>,
    span: Span,
    error: PackError,
    label: &'static str,
) -> Diagnostic {
    Diagnostic::in_file(Problem::error(span, error, label), file)
}

/// Linked packs by payer id, and the warnings found.
pub type LinkedPacks = (BTreeMap<String, Pack>, Vec<Diagnostic>);

/// Links and compiles packs. Returns the packs and the warnings, or every error.
pub fn link(
    sources: &[PackSources],
    options: &LoadOptions,
) -> Result<LinkedPacks, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let parsed: Vec<ParsedPack<'_>> = sources
        .iter()
        .filter_map(|s| parse_manifest(s, &mut diagnostics))
        .collect();
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (i, pack) in parsed.iter().enumerate() {
        let id = pack.manifest.id.get_ref().as_str();
        if let Some(&first) = by_id.get(id) {
            diagnostics.push(at(
                &pack.manifest_file,
                span_of(&pack.manifest.id),
                PackError::DuplicateId {
                    id: id.to_owned(),
                    other: parsed[first].manifest_file.name.clone(),
                },
                "duplicate payer id",
            ));
        } else {
            by_id.insert(id, i);
        }
    }
    let order = match base_first_order(&parsed, &by_id, options.limits.extends_depth) {
        Ok(order) => order,
        Err(mut errors) => {
            diagnostics.append(&mut errors);
            return Err(diagnostics);
        }
    };
    let mut linked: HashMap<usize, Linked> = HashMap::new();
    let mut packs = BTreeMap::new();
    for i in order {
        let pack = &parsed[i];
        let base = pack
            .manifest
            .extends
            .as_ref()
            .and_then(|e| by_id.get(e.pack.get_ref().as_str()))
            .and_then(|b| linked.get(b));
        if let Some(result) = link_pack(pack, base, options, &mut diagnostics) {
            let id = pack.manifest.id.get_ref().clone();
            let digest = format!("sha256:{:x}", Sha256::digest(&result.digest_input));
            let tables: Vec<Arc<TableSlot>> = result
                .policies
                .iter()
                .flat_map(|p| p.tables.iter().cloned())
                .collect();
            let own_policies: Vec<&CheckedPolicy> = result
                .policies
                .iter()
                .filter(|p| result.own_policy_names.contains(&p.name))
                .collect();
            diagnostics.extend(crate::syntax::on_enough_stack(|| {
                crate::lint::lint(&crate::lint::PackView {
                    rules: &result.rules,
                    own_policies: &own_policies,
                    range: pack.effective,
                })
            }));
            let compiled = crate::syntax::on_enough_stack(|| {
                compile(&result.rules, &result.facts, &tables, pack.effective)
            });
            match compiled {
                Ok(program) => {
                    packs.insert(
                        id.clone(),
                        Pack {
                            id: id.clone(),
                            name: pack.manifest.name.clone(),
                            version: pack.version.clone(),
                            effective: pack.effective,
                            extends: pack
                                .manifest
                                .extends
                                .as_ref()
                                .map(|e| e.pack.get_ref().clone()),
                            folder: pack.sources.folder.clone(),
                            decision_key: DecisionKey::of(&digest),
                            policy: PolicyRef {
                                pack: Arc::from(id.as_str()),
                                version: Arc::from(pack.version.to_string()),
                                digest: Arc::from(digest),
                            },
                            rules: result.rules.clone(),
                            removed_rules: result.removed_rules.clone(),
                            facts: result.facts.clone(),
                            tables: result
                                .policies
                                .iter()
                                .flat_map(|p| p.tables.iter().cloned())
                                .collect(),
                            program,
                        },
                    );
                }
                Err(e) => diagnostics.push(Diagnostic::general(PackError::TooManyFacts {
                    pack: id.clone(),
                    reason: e.to_string(),
                })),
            }
            linked.insert(i, result);
        }
    }
    // A pack that failed declares no tables: its overrides would all look unknown.
    if !diagnostics.iter().any(Diagnostic::is_error) {
        diagnostics.extend(unknown_table_overrides(&packs, options));
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        Err(diagnostics)
    } else {
        Ok((packs, diagnostics))
    }
}

fn link_pack(
    pack: &ParsedPack<'_>,
    base: Option<&Linked>,
    options: &LoadOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Linked> {
    if pack.manifest.extends.is_some() && base.is_none() {
        return None; // the base failed; its errors are already reported
    }
    let before = diagnostics.len();
    let base_policies: &[CheckedPolicy] = base.map_or(&[], |b| &b.policies);
    let limits = &options.limits;
    if pack.manifest.policies.len() > limits.files_per_pack {
        diagnostics.push(Diagnostic::general(PackError::LimitExceeded {
            what: format!("the number of policy files of `{}`", pack.sources.folder),
            limit: "files_per_pack",
            value: to_u64(limits.files_per_pack),
        }));
        return None;
    }
    // Rules are counted as files parse, before any is checked: a pack of 100,000 rules is
    // refused in the time it takes to parse the files that reach the limit.
    let mut rule_count = base.map_or(0, |b| b.rules.len());
    let mut own: Vec<CheckedPolicy> = Vec::new();
    for listed in &pack.manifest.policies {
        let Some(file) = pack.sources.file(listed.get_ref()) else {
            continue;
        };
        if file.text.len() > limits.policy_file_bytes {
            diagnostics.push(Diagnostic::general(PackError::LimitExceeded {
                what: format!("the size of `{}`", file.name),
                limit: "policy_file_bytes",
                value: to_u64(limits.policy_file_bytes),
            }));
            return None;
        }
        let parsed = parse_policy_with(&file.text, limits);
        if let Some(ast) = &parsed.ast {
            rule_count += ast
                .items
                .iter()
                .filter(|item| matches!(item, crate::syntax::ast::Item::Rule(_)))
                .count();
            if rule_count > limits.rules_per_pack {
                diagnostics.push(Diagnostic::general(PackError::LimitExceeded {
                    what: format!(
                        "the number of rules of pack `{}` (with its bases', up to `{}`)",
                        pack.sources.folder, file.name
                    ),
                    limit: "rules_per_pack",
                    value: to_u64(limits.rules_per_pack),
                }));
                return None;
            }
        }
        let syntax_ok = parsed.errors.is_empty();
        diagnostics.extend(
            parsed
                .errors
                .into_iter()
                .map(|p| Diagnostic::in_file(p, &file)),
        );
        let Some(ast) = parsed.ast else {
            continue;
        };
        let scope = ChainScope {
            own: &own,
            base: base_policies,
        };
        // The items that parsed are checked even when others did not, so an author sees
        // every problem of the file at once.
        let (checked, problems) = crate::syntax::on_enough_stack(|| {
            check_policy(&ast, file.clone(), &scope, &parsed.broken_names)
        });
        diagnostics.extend(problems.into_iter().map(|p| Diagnostic::in_file(p, &file)));
        let checked = checked.filter(|_| syntax_ok);
        if let Some(policy) = checked {
            if scope.policy(&policy.name).is_some() {
                let start = file.text.find(&policy.name).unwrap_or(0);
                diagnostics.push(at(
                    &file,
                    Span {
                        start,
                        end: start + policy.name.len(),
                    },
                    PackError::DuplicatePolicy {
                        name: policy.name.clone(),
                    },
                    "duplicate policy name",
                ));
                continue;
            }
            own.push(policy);
        }
    }
    if diagnostics[before..].iter().any(Diagnostic::is_error) {
        return None;
    }
    for table in own.iter().flat_map(|p| p.tables.iter()) {
        load_table_files(table, pack.sources, options, diagnostics);
    }
    if diagnostics[before..].iter().any(Diagnostic::is_error) {
        return None;
    }
    let mut rules: Vec<CheckedRule> = base.map_or_else(Vec::new, |b| b.rules.clone());
    let mut removed_rules: Vec<Arc<str>> = base.map_or_else(Vec::new, |b| b.removed_rules.clone());
    for entry in &pack.manifest.disable {
        let id = entry.get_ref();
        match rules.iter().position(|r| &*r.id == id) {
            Some(i) => {
                removed_rules.push(rules.remove(i).id);
            }
            None => diagnostics.push(at(
                &pack.manifest_file,
                span_of(entry),
                PackError::UnknownDisabledRule {
                    rule: id.clone(),
                    hint: did_you_mean(
                        id,
                        base.map_or_else(Vec::new, |b| {
                            b.rules.iter().map(|r| &*r.id).collect::<Vec<_>>()
                        }),
                    ),
                },
                "unknown rule",
            )),
        }
    }
    for policy in &own {
        for rule in &policy.rules {
            match &rule.replaces {
                None => rules.push(rule.clone()),
                Some((target, span)) => match rules.iter().position(|r| &*r.id == target) {
                    Some(i) if base.is_some_and(|b| b.rules.iter().any(|r| &*r.id == target)) => {
                        let replaced = std::mem::replace(&mut rules[i], rule.clone());
                        removed_rules.push(replaced.id);
                    }
                    _ => {
                        let candidates: Vec<&str> = base
                            .map_or_else(Vec::new, |b| b.rules.iter().map(|r| &*r.id).collect());
                        let hint = did_you_mean(target, candidates.iter().copied()).or_else(|| Some("`replaces` names a rule (`policy/rule`) of the pack this one extends".into()));
                        diagnostics.push(Diagnostic::in_file(
                            Problem::error(
                                *span,
                                PackError::UnknownReplacedRule {
                                    rule: target.clone(),
                                    hint,
                                },
                                "nothing to replace",
                            ),
                            &rule.source,
                        ));
                    }
                },
            }
        }
    }
    if diagnostics[before..].iter().any(Diagnostic::is_error) {
        return None;
    }
    let mut facts: Vec<FactDecl> = base.map_or_else(Vec::new, |b| b.facts.clone());
    facts.extend(own.iter().flat_map(|p| p.facts.iter().cloned()));
    let mut digest_input = base.map_or_else(Vec::new, |b| b.digest_input.clone());
    digest_input.extend_from_slice(pack.sources.manifest.as_bytes());
    for policy in &own {
        digest_input.extend_from_slice(policy.source.name.as_bytes());
        digest_input.push(0);
        digest_input.extend_from_slice(policy.source.text.as_bytes());
        // The data decides too: a different MUE file must change the digest.
        for table in &policy.tables {
            digest_input.extend_from_slice(table.name.as_bytes());
            digest_input.push(0);
            digest_input.extend_from_slice(table.digest().map_or(&[0u8; 32][..], |d| &d[..]));
        }
    }
    let own_policy_names = own.iter().map(|p| p.name.clone()).collect();
    let mut policies = base_policies.to_vec();
    policies.extend(own);
    Some(Linked {
        policies,
        own_policy_names,
        rules,
        removed_rules,
        facts,
        digest_input,
    })
}
