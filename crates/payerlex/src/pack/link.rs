//! Links packs: parses manifests, orders packs so bases come first, checks every policy,
//! applies `extends` (inherit, replace by id, disable), and compiles each pack.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::manifest::Manifest;
use super::sources::PackSources;
use super::Pack;
use crate::check::{check_policy, did_you_mean, PolicyScope};
use crate::compile::compile;
use crate::diagnostics::{Diagnostic, LintWarning, PackError, Problem};
use crate::eval::PolicyRef;
use crate::facts::{Date, DateRange};
use crate::ir::{CheckedPolicy, CheckedRule, FactDecl};
use crate::source::SourceFile;
use crate::source::Span;
use crate::syntax::parse_policy;
use crate::tables::{load_table, TableBytes, TableSlot};

/// Options for loading packs.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Table files given at load time, by table name (`--table mue=PATH`): users download the
    /// quarterly CMS files themselves. Each replaces the file a pack's policy declares.
    pub tables: BTreeMap<String, std::path::PathBuf>,
}

/// A pack whose manifest parsed.
struct ParsedPack<'a> {
    sources: &'a PackSources,
    manifest: Manifest,
    manifest_file: Arc<SourceFile>,
    version: semver::Version,
    effective: DateRange,
}

/// What a linked pack hands to the packs that extend it.
struct Linked {
    policies: Vec<CheckedPolicy>,
    own_policy_names: Vec<String>,
    rules: Vec<CheckedRule>,
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

fn span_of<T>(value: &toml::Spanned<T>) -> Span {
    let r = value.span();
    Span {
        start: r.start,
        end: r.end,
    }
}

fn at(file: &Arc<SourceFile>, span: Span, error: PackError, label: &'static str) -> Diagnostic {
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
    let order = match base_first_order(&parsed, &by_id) {
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
            diagnostics.extend(crate::lint::lint(&crate::lint::PackView {
                rules: &result.rules,
                own_policies: &own_policies,
                range: pack.effective,
            }));
            match compile(&result.rules, &result.facts, &tables, pack.effective) {
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
                            policy: PolicyRef {
                                pack: Arc::from(id.as_str()),
                                version: Arc::from(pack.version.to_string()),
                                digest: Arc::from(digest),
                            },
                            rules: result.rules.clone(),
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
    diagnostics.extend(unknown_table_overrides(&packs, options));
    if diagnostics.iter().any(Diagnostic::is_error) {
        Err(diagnostics)
    } else {
        Ok((packs, diagnostics))
    }
}

fn parse_manifest<'a>(
    sources: &'a PackSources,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<ParsedPack<'a>> {
    let file = sources.manifest_file();
    let manifest: Manifest = match toml::from_str(&sources.manifest) {
        Ok(m) => m,
        Err(e) => {
            let span = e.span().map_or(Span::default(), |r| Span {
                start: r.start,
                end: r.end,
            });
            diagnostics.push(at(
                &file,
                span,
                PackError::InvalidManifest {
                    reason: e.message().to_owned(),
                },
                "here",
            ));
            return None;
        }
    };
    let before = diagnostics.len();
    let id = manifest.id.get_ref();
    if id.is_empty()
        || !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        diagnostics.push(at(
            &file,
            span_of(&manifest.id),
            PackError::InvalidId { id: id.clone() },
            "payer id",
        ));
    }
    let version = semver::Version::parse(manifest.version.get_ref())
        .map_err(|e| {
            diagnostics.push(at(
                &file,
                span_of(&manifest.version),
                PackError::InvalidVersion {
                    text: manifest.version.get_ref().clone(),
                    reason: e.to_string(),
                },
                "not semver",
            ))
        })
        .ok();
    let mut date = |value: &toml::Spanned<String>| {
        Date::parse(value.get_ref())
            .map_err(|e| {
                diagnostics.push(at(
                    &file,
                    span_of(value),
                    PackError::InvalidDate(e),
                    "not a date",
                ))
            })
            .ok()
    };
    let from = date(&manifest.effective);
    let until = manifest.expires.as_ref().map(&mut date);
    let effective = DateRange {
        from: from.unwrap_or(Date::MIN),
        until: until.flatten().unwrap_or(Date::MAX),
    };
    if effective.is_empty() {
        diagnostics.push(at(
            &file,
            span_of(&manifest.effective),
            PackError::EmptyRange,
            "empty date range",
        ));
    }
    if manifest.extends.is_none() {
        if let Some(first) = manifest.disable.first() {
            diagnostics.push(at(
                &file,
                span_of(first),
                PackError::DisableWithoutBase,
                "nothing to disable",
            ));
        }
    }
    for listed in &manifest.policies {
        if sources.file(listed.get_ref()).is_none() {
            let present: Vec<&str> = sources.files.iter().map(|(p, _)| p.as_str()).collect();
            diagnostics.push(at(
                &file,
                span_of(listed),
                PackError::MissingPolicyFile {
                    path: listed.get_ref().clone(),
                    hint: did_you_mean(listed.get_ref(), present.iter().copied()),
                },
                "missing file",
            ));
        }
    }
    for (path, _) in &sources.files {
        if !manifest.policies.iter().any(|p| p.get_ref() == path) {
            diagnostics.push(Diagnostic::in_file(
                Problem::warning(
                    span_of(&manifest.id),
                    LintWarning::UnlistedPolicy { path: path.clone() },
                    "not loaded",
                ),
                &file,
            ));
        }
    }
    if diagnostics[before..].iter().any(Diagnostic::is_error) {
        return None;
    }
    Some(ParsedPack {
        sources,
        manifest,
        manifest_file: file,
        version: version?,
        effective,
    })
}

/// Orders packs so that every base comes before the packs extending it.
fn base_first_order(
    parsed: &[ParsedPack<'_>],
    by_id: &HashMap<&str, usize>,
) -> Result<Vec<usize>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut base_of = vec![None; parsed.len()];
    for (i, pack) in parsed.iter().enumerate() {
        let Some(extends) = &pack.manifest.extends else {
            continue;
        };
        let wanted = extends.pack.get_ref().as_str();
        let Some(&b) = by_id.get(wanted) else {
            errors.push(at(
                &pack.manifest_file,
                span_of(&extends.pack),
                PackError::UnknownBase {
                    pack: wanted.to_owned(),
                    hint: did_you_mean(wanted, by_id.keys().copied()).or_else(|| {
                        Some(
                            "load the base pack too: put its folder under the same `--policies` folder"
                                .into(),
                        )
                    }),
                },
                "unknown pack",
            ));
            continue;
        };
        match semver::VersionReq::parse(extends.version.get_ref()) {
            Err(e) => errors.push(at(
                &pack.manifest_file,
                span_of(&extends.version),
                PackError::InvalidRequirement {
                    text: extends.version.get_ref().clone(),
                    reason: e.to_string(),
                },
                "not a semver requirement",
            )),
            Ok(req) if !req.matches(&parsed[b].version) => errors.push(at(
                &pack.manifest_file,
                span_of(&extends.version),
                PackError::VersionMismatch {
                    pack: wanted.to_owned(),
                    found: parsed[b].version.to_string(),
                    required: extends.version.get_ref().clone(),
                },
                "version mismatch",
            )),
            Ok(_) => base_of[i] = Some(b),
        }
    }
    let mut order = Vec::new();
    let mut state = vec![0u8; parsed.len()]; // 0 new, 1 visiting, 2 done
    for start in 0..parsed.len() {
        let mut chain = Vec::new();
        let mut at_pack = Some(start);
        while let Some(i) = at_pack {
            if state[i] == 2 {
                break;
            }
            if state[i] == 1 || chain.contains(&i) {
                let pack = &parsed[i];
                if let Some(extends) = &pack.manifest.extends {
                    errors.push(at(
                        &pack.manifest_file,
                        span_of(&extends.pack),
                        PackError::Cycle,
                        "cycle",
                    ));
                }
                chain.clear();
                break;
            }
            state[i] = 1;
            chain.push(i);
            at_pack = base_of[i];
        }
        for &i in chain.iter().rev() {
            state[i] = 2;
            order.push(i);
        }
    }
    if errors.is_empty() {
        Ok(order)
    } else {
        Err(errors)
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
    let mut own: Vec<CheckedPolicy> = Vec::new();
    for listed in &pack.manifest.policies {
        let Some(file) = pack.sources.file(listed.get_ref()) else {
            continue;
        };
        let ast = match parse_policy(&file.text) {
            Ok(ast) => ast,
            Err(errors) => {
                diagnostics.extend(errors.into_iter().map(|p| Diagnostic::in_file(p, &file)));
                continue;
            }
        };
        let scope = ChainScope {
            own: &own,
            base: base_policies,
        };
        let (checked, problems) = check_policy(&ast, file.clone(), &scope);
        diagnostics.extend(problems.into_iter().map(|p| Diagnostic::in_file(p, &file)));
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
    for entry in &pack.manifest.disable {
        let id = entry.get_ref();
        match rules.iter().position(|r| &*r.id == id) {
            Some(i) => {
                rules.remove(i);
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
                        rules[i] = rule.clone()
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
    }
    let own_policy_names = own.iter().map(|p| p.name.clone()).collect();
    let mut policies = base_policies.to_vec();
    policies.extend(own);
    Some(Linked {
        policies,
        own_policy_names,
        rules,
        facts,
        digest_input,
    })
}

/// Reads a declared table's files (or the override given at load time) and attaches the data.
fn load_table_files(
    table: &TableSlot,
    sources: &PackSources,
    options: &LoadOptions,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let span = table.files.first().map_or(table.span, |f| f.span);
    let fail = |diagnostics: &mut Vec<Diagnostic>, error: PackError| {
        diagnostics.push(Diagnostic::in_file(
            Problem::error(span, error, "this table"),
            &table.source,
        ));
    };
    let mut loaded: Vec<(String, Vec<u8>, Option<Date>)> = Vec::new();
    if let Some(path) = options.tables.get(&table.name) {
        if table.files.len() > 1 {
            fail(
                diagnostics,
                PackError::TableOverrideOfDatedFiles {
                    table: table.name.clone(),
                    files: table.files.len(),
                },
            );
            return;
        }
        match std::fs::read(path) {
            Ok(bytes) => loaded.push((
                path.display().to_string(),
                bytes,
                table.files.first().and_then(|f| f.from),
            )),
            Err(e) => {
                fail(
                    diagnostics,
                    PackError::TableFileUnreadable {
                        table: table.name.clone(),
                        reason: format!("cannot read `{}`: {e}", path.display()),
                        hint: None,
                    },
                );
                return;
            }
        }
    } else {
        for file in &table.files {
            match sources.table_bytes(&file.path) {
                Ok(bytes) => loaded.push((
                    format!("{}/{}", sources.folder, file.path),
                    bytes,
                    file.from,
                )),
                Err(e) => {
                    fail(
                        diagnostics,
                        PackError::TableFileUnreadable {
                            table: table.name.clone(),
                            reason: e,
                            hint: Some(format!("put the CMS file at that path in the pack, or pass `--table {}=PATH` (`LoadOptions::tables`)", table.name)),
                        },
                    );
                    return;
                }
            }
        }
    }
    let files: Vec<TableBytes<'_>> = loaded
        .iter()
        .map(|(name, bytes, from)| TableBytes {
            name,
            bytes,
            from: *from,
        })
        .collect();
    let mut hasher = Sha256::new();
    for (_, bytes, from) in &loaded {
        hasher.update(from.map(|d| d.to_string()).unwrap_or_default().as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    let digest: [u8; 32] = hasher.finalize().into();
    match load_table(table.kind, &files) {
        Ok(data) => table.attach(data, digest),
        Err(error) => fail(
            diagnostics,
            PackError::TableInvalid {
                table: table.name.clone(),
                layout: table.kind.name(),
                error,
            },
        ),
    }
}

/// Names given with `--table` that no loaded pack declares.
pub(crate) fn unknown_table_overrides(
    packs: &BTreeMap<String, Pack>,
    options: &LoadOptions,
) -> Vec<Diagnostic> {
    let declared: Vec<&str> = packs
        .values()
        .flat_map(|p| p.tables.iter().map(|t| t.name.as_str()))
        .collect();
    options
        .tables
        .keys()
        .filter(|name| !declared.contains(&name.as_str()))
        .map(|name| {
            Diagnostic::general(PackError::UnknownTableOverride {
                name: name.clone(),
                hint: did_you_mean(name, declared.iter().copied()),
            })
        })
        .collect()
}
