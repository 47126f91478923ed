//! Compares two versions of a pack: which kinds of claims change outcome, with the smallest
//! example of each.
//!
//! Three sources of claims, each with its own strength: claims generated from both versions'
//! vocabularies (broad, seeded and reproducible), the exhaustive bounded scope (complete for
//! claims of its shape, see [`super::scope`]), and a replay corpus such as last month's real
//! claims (what will actually happen). Changed lines are grouped by kind (old verdict -> new
//! verdict); each kind keeps its count per source and its smallest example, shrunk further
//! and explained by both versions. Declared expectations ([`Expectations`]) mark the changes an
//! author intends; the rest are undeclared and fail a CI gate.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde::Serialize;

use super::change::{changed_lines, phrases_of, same_verdict, ChangeKind, RuleDelta, Verdict};
use super::expect::Expectations;
use super::scope::{ExhaustiveScope, ScopeLimits, ScopeShape};
use super::shrink::{self, size};
use super::space::Vocabulary;
use super::strategies::{Case, ClaimSpace};
use crate::engine::{Engine, LoadError};
use crate::eval::{decide, CheckOptions, Decision, LineDecision, Outcome};
use crate::facts::{Claim, InMemoryHistory, PriorLine, ProcedureCode};
use crate::pack::{read_pack_folder, Manifest, Pack, PackSources};

/// Why a diff could not run.
#[derive(Debug, Clone, thiserror::Error)]
pub enum DiffError {
    /// A pack version failed to load.
    #[error("`{path}`: {error}")]
    Load {
        /// The folder given.
        path: String,
        /// Every diagnostic.
        error: LoadError,
    },
    /// A folder or manifest could not be read.
    #[error("cannot read `{path}`: {message}")]
    Read {
        /// The path.
        path: String,
        /// Why.
        message: String,
    },
    /// The requested pack is not in the folder.
    #[error("no pack `{id}` under `{path}` (it holds: {available})")]
    NoSuchPack {
        /// The folder.
        path: String,
        /// The pack asked for.
        id: String,
        /// The packs found.
        available: String,
    },
    /// The folder holds several packs and none was chosen.
    #[error("`{path}` holds several packs ({available}); choose one with `--pack ID`")]
    AmbiguousPack {
        /// The folder.
        path: String,
        /// The packs found.
        available: String,
    },
}

/// One loaded version of a pack.
#[derive(Debug, Clone)]
pub struct PackVersion {
    /// The linked, compiled pack.
    pub pack: Pack,
    /// Where it was loaded from.
    pub origin: String,
    /// Load warnings, rendered.
    pub warnings: Vec<String>,
}

fn read_error(path: &Path, message: impl ToString) -> DiffError {
    DiffError::Read {
        path: path.display().to_string(),
        message: message.to_string(),
    }
}

fn folder_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn manifest_of(dir: &Path) -> Result<Manifest, DiffError> {
    let path = dir.join("pack.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| read_error(&path, e))?;
    toml::from_str(&text).map_err(|e| read_error(&path, e.message()))
}

/// A pack folder and the folders of the packs it extends, found among its siblings.
fn pack_chain(dir: &Path) -> Result<Vec<PackSources>, DiffError> {
    let mut sources =
        vec![read_pack_folder(dir, &folder_name(dir)).map_err(|d| read_error(dir, d.message()))?];
    let mut manifest = manifest_of(dir)?;
    let mut seen: HashSet<String> = HashSet::new();
    seen.insert(manifest.id.get_ref().clone());
    let parent = dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    while let Some(extends) = manifest.extends.clone() {
        let wanted = extends.pack.get_ref().clone();
        if !seen.insert(wanted.clone()) {
            break; // a cycle: linking reports it
        }
        let siblings = std::fs::read_dir(&parent).map_err(|e| read_error(&parent, e))?;
        let mut folders: Vec<PathBuf> = siblings
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.join("pack.toml").is_file())
            .collect();
        folders.sort();
        let Some((folder, base)) = folders
            .into_iter()
            .filter_map(|f| manifest_of(&f).ok().map(|m| (f, m)))
            .find(|(_, m)| *m.id.get_ref() == wanted)
        else {
            break; // linking reports the missing base with a hint
        };
        sources.push(
            read_pack_folder(&folder, &folder_name(&folder))
                .map_err(|d| read_error(&folder, d.message()))?,
        );
        manifest = base;
    }
    Ok(sources)
}

impl PackVersion {
    /// Loads a version: `path` is a pack folder (the packs it extends are read from sibling
    /// folders) or a folder of packs (then `pack` names one, unless there is only one).
    pub fn load(path: &Path, pack: Option<&str>) -> Result<Self, DiffError> {
        let shown = path.display().to_string();
        let engine = if path.join("pack.toml").is_file() {
            let sources = pack_chain(path)?;
            Engine::from_sources(&sources)
        } else {
            Engine::load(path)
        }
        .map_err(|error| DiffError::Load {
            path: shown.clone(),
            error,
        })?;
        let own_id = if path.join("pack.toml").is_file() {
            Some(manifest_of(path)?.id.into_inner())
        } else {
            None
        };
        let available = engine
            .packs()
            .map(|p| p.id.clone())
            .collect::<Vec<_>>()
            .join(", ");
        let id = match (pack, own_id) {
            (Some(id), _) => id.to_owned(),
            (None, Some(id)) => id,
            (None, None) => {
                let ids: Vec<&Pack> = engine.packs().collect();
                match ids.as_slice() {
                    [only] => only.id.clone(),
                    _ => {
                        return Err(DiffError::AmbiguousPack {
                            path: shown,
                            available,
                        })
                    }
                }
            }
        };
        let compiled = engine
            .pack(&id)
            .cloned()
            .ok_or_else(|| DiffError::NoSuchPack {
                path: shown.clone(),
                id: id.clone(),
                available,
            })?;
        Ok(Self {
            pack: compiled,
            origin: shown,
            warnings: engine.warnings().iter().map(|w| w.render()).collect(),
        })
    }
}

/// How thoroughly to compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiffOptions {
    /// Generated claims (0 skips generation).
    pub cases: u32,
    /// Seed of the generator: one seed, one set of claims.
    pub seed: u64,
    /// Run the exhaustive bounded scope.
    pub exhaustive: bool,
    /// Its bounds.
    pub limits: ScopeLimits,
    /// Build the scope from every rule of both versions, not only the rules that differ.
    pub all_rules: bool,
    /// Most claims the exhaustive scope may check; a larger scope is checked up to this many
    /// (one-line claims first) and reported incomplete.
    pub max_scope: u64,
    /// Worker threads for the scope (0: one per core).
    pub threads: usize,
    /// Most candidates tried when shrinking one example.
    pub shrink_budget: usize,
}

impl Default for DiffOptions {
    fn default() -> Self {
        Self {
            cases: 1000,
            seed: 0,
            exhaustive: true,
            limits: ScopeLimits::default(),
            all_rules: false,
            max_scope: 10_000_000,
            threads: 0,
            shrink_budget: 2_000,
        }
    }
}

/// Where a changed line was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    Generated = 0,
    Exhaustive = 1,
    Corpus = 2,
}

/// A pack version, as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackSummary {
    /// Pack id.
    pub id: String,
    /// Version.
    pub version: String,
    /// Digest of its files.
    pub digest: String,
    /// Where it was loaded from.
    pub origin: String,
    /// Number of linked rules.
    pub rules: usize,
}

/// Claims of one source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhaseSummary {
    /// Claims compared.
    pub claims: u64,
    /// Lines whose verdict changed.
    pub changed_lines: u64,
    /// Claims not compared (corpus: unreadable, invalid or another payer's).
    pub skipped: u64,
    /// Wall time in milliseconds.
    pub elapsed_ms: u64,
}

/// The exhaustive scope, as run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExhaustiveSummary {
    /// Its dimensions (and size).
    pub shape: Option<ScopeShape>,
    /// `changed` (classes of the rules that differ) or `all` (of every rule).
    pub rules: String,
    /// Claims checked.
    pub checked: u64,
    /// Whether every claim of the scope was checked (a proof for the scope).
    pub complete: bool,
    /// Lines whose verdict changed.
    pub changed_lines: u64,
    /// Wall time in milliseconds.
    pub elapsed_ms: u64,
}

/// The smallest example of a kind of change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Example {
    /// The claim.
    pub claim: Claim,
    /// The patient's earlier lines.
    pub history: Vec<PriorLine>,
    /// Number of the changed line.
    pub line: u32,
    /// How the old version decided the line, explained.
    pub old: LineDecision,
    /// How the new version decided it, explained.
    pub new: LineDecision,
}

/// One kind of change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeReport {
    /// `old verdict -> new verdict`, as `--expect` `kind` matches it.
    pub kind: String,
    /// Old verdict.
    pub from: Verdict,
    /// New verdict.
    pub to: Verdict,
    /// Changed lines of this kind, all sources.
    pub lines: u64,
    /// ... among generated claims.
    pub generated: u64,
    /// ... in the exhaustive scope.
    pub exhaustive: u64,
    /// ... in the corpus.
    pub corpus: u64,
    /// Lines no expectation declares.
    pub undeclared: u64,
    /// Codes of the changed lines (up to 20).
    pub codes: Vec<String>,
    /// The smallest example (an undeclared one when there is one).
    pub example: Option<Example>,
}

/// One declared change and how many changed lines it covered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpectationReport {
    /// The entry, as written.
    pub change: String,
    /// The author's note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Changed lines it declared.
    pub matched: u64,
}

/// The result of a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffReport {
    /// The old version.
    pub old: PackSummary,
    /// The new version.
    pub new: PackSummary,
    /// How their rules relate.
    pub rules: RuleDelta,
    /// Generated claims.
    pub generated: Option<PhaseSummary>,
    /// Generator seed.
    pub seed: u64,
    /// The exhaustive scope.
    pub exhaustive: Option<ExhaustiveSummary>,
    /// The replay corpus.
    pub corpus: Option<PhaseSummary>,
    /// Kinds of change, undeclared first, then most frequent.
    pub changes: Vec<ChangeReport>,
    /// Declared changes.
    pub expectations: Vec<ExpectationReport>,
}

impl DiffReport {
    /// Changed lines that no expectation declares.
    pub fn undeclared(&self) -> u64 {
        self.changes.iter().map(|c| c.undeclared).sum()
    }

    /// Whether anything changed at all.
    pub fn changed(&self) -> bool {
        !self.changes.is_empty()
    }
}

/// A candidate example: undeclared ones first, then smaller, then found earlier.
type ExampleKey = (
    bool,
    (usize, usize, usize, u64, usize, usize, usize, usize),
    (Phase, u64),
);

#[derive(Debug, Clone, Default)]
struct Acc {
    counts: [u64; 3],
    undeclared: u64,
    codes: BTreeSet<ProcedureCode>,
    example: Option<(ExampleKey, Case)>,
}

#[derive(Debug, Default)]
struct Tally {
    kinds: BTreeMap<ChangeKind, Acc>,
    expectations: Vec<u64>,
    changed: [u64; 3],
}

struct Versions<'a> {
    old: &'a Pack,
    new: &'a Pack,
    expect: &'a Expectations,
}

impl Versions<'_> {
    fn decide(&self, case: &Case, explain: bool) -> (Decision, Decision) {
        let options = CheckOptions { explain };
        let old = decide(
            &self.old.program,
            &self.old.policy,
            &case.claim,
            &case.history,
            options,
        );
        let new = decide(
            &self.new.program,
            &self.new.policy,
            &case.claim,
            &case.history,
            options,
        );
        (old, new)
    }

    /// Whether some line of `case` changes as `kind` (and, when `undeclared`, undeclared).
    fn shows(&self, case: &Case, kind: &ChangeKind, undeclared: bool) -> Option<usize> {
        let (old, new) = self.decide(case, false);
        changed_lines(&old, &new)
            .into_iter()
            .find(|(i, k)| {
                k == kind && (!undeclared || self.expect.matching(case, *i, k).is_none())
            })
            .map(|(i, _)| i)
    }
}

impl Tally {
    fn new(expectations: usize) -> Self {
        Self {
            expectations: vec![0; expectations],
            ..Self::default()
        }
    }

    fn observe(&mut self, versions: &Versions<'_>, case: &Case, phase: Phase, seq: u64) {
        let (old, new) = versions.decide(case, false);
        for (i, (a, b)) in old.lines.iter().zip(&new.lines).enumerate() {
            if same_verdict(a, b) {
                continue;
            }
            let kind = ChangeKind::between(a, b);
            let declared = versions.expect.matching(case, i, &kind);
            if let Some(entry) = declared.and_then(|e| self.expectations.get_mut(e)) {
                *entry += 1;
            }
            self.changed[phase as usize] += 1;
            let acc = self.kinds.entry(kind).or_default();
            acc.counts[phase as usize] += 1;
            if declared.is_none() {
                acc.undeclared += 1;
            }
            if acc.codes.len() < 20 {
                acc.codes.insert(a.code);
            }
            let key = (declared.is_some(), size(case), (phase, seq));
            if acc.example.as_ref().map_or(true, |(best, _)| key < *best) {
                acc.example = Some((key, case.clone()));
            }
        }
    }

    fn merge(&mut self, other: Tally) {
        for (kind, acc) in other.kinds {
            let mine = self.kinds.entry(kind).or_default();
            for (m, o) in mine.counts.iter_mut().zip(acc.counts) {
                *m += o;
            }
            mine.undeclared += acc.undeclared;
            mine.codes.extend(acc.codes);
            if let Some((key, case)) = acc.example {
                if mine.example.as_ref().map_or(true, |(best, _)| key < *best) {
                    mine.example = Some((key, case));
                }
            }
        }
        for (m, o) in self.expectations.iter_mut().zip(other.expectations) {
            *m += o;
        }
        for (m, o) in self.changed.iter_mut().zip(other.changed) {
            *m += o;
        }
    }
}

fn summary(pack: &Pack, origin: &str) -> PackSummary {
    PackSummary {
        id: pack.id.clone(),
        version: pack.version.to_string(),
        digest: pack.policy.digest.to_string(),
        origin: origin.to_owned(),
        rules: pack.rules.len(),
    }
}

fn elapsed_ms(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// Compares `old` and `new` on generated claims, the exhaustive scope and `corpus` (claims
/// of either version's payer, replayed in order with the history the old version built).
pub fn diff(
    old: &PackVersion,
    new: &PackVersion,
    corpus: Option<&[Claim]>,
    expect: &Expectations,
    options: &DiffOptions,
) -> DiffReport {
    let versions = Versions {
        old: &old.pack,
        new: &new.pack,
        expect,
    };
    let rules = RuleDelta::between(&old.pack, &new.pack);
    let mut tally = Tally::new(expect.changes.len());
    let generated = (options.cases > 0).then(|| run_generated(&versions, options, &mut tally));
    let exhaustive = options
        .exhaustive
        .then(|| run_exhaustive(&versions, &rules, options, &mut tally));
    let corpus = corpus.map(|claims| run_corpus(&versions, claims, &mut tally));
    let mut changes: Vec<ChangeReport> = tally
        .kinds
        .into_iter()
        .map(|(kind, acc)| {
            let example = acc.example.map(|((declared, _, _), case)| {
                let undeclared = !declared;
                let small = shrink::shrink(
                    &case,
                    |c| versions.shows(c, &kind, undeclared).is_some(),
                    options.shrink_budget,
                );
                explain(&versions, small, &kind, undeclared)
            });
            ChangeReport {
                kind: kind.to_string(),
                lines: acc.counts.iter().sum(),
                generated: acc.counts[Phase::Generated as usize],
                exhaustive: acc.counts[Phase::Exhaustive as usize],
                corpus: acc.counts[Phase::Corpus as usize],
                undeclared: acc.undeclared,
                codes: acc.codes.iter().map(ToString::to_string).collect(),
                example: example.flatten(),
                from: kind.from,
                to: kind.to,
            }
        })
        .collect();
    changes.sort_by(|a, b| {
        (b.undeclared > 0)
            .cmp(&(a.undeclared > 0))
            .then(b.lines.cmp(&a.lines))
            .then(a.kind.cmp(&b.kind))
    });
    let expectations = expect
        .changes
        .iter()
        .zip(&tally.expectations)
        .map(|(e, &matched)| ExpectationReport {
            change: e.label.clone(),
            note: e.note.clone(),
            matched,
        })
        .collect();
    DiffReport {
        old: summary(&old.pack, &old.origin),
        new: summary(&new.pack, &new.origin),
        rules,
        generated,
        seed: options.seed,
        exhaustive,
        corpus,
        changes,
        expectations,
    }
}

fn explain(
    versions: &Versions<'_>,
    case: Case,
    kind: &ChangeKind,
    undeclared: bool,
) -> Option<Example> {
    let index = versions.shows(&case, kind, undeclared)?;
    let (old, new) = versions.decide(&case, true);
    Some(Example {
        line: case.claim.lines.get(index)?.number,
        old: old.lines.get(index)?.clone(),
        new: new.lines.get(index)?.clone(),
        claim: case.claim,
        history: case.history,
    })
}

/// Seeds proptest's ChaCha generator from a number.
pub fn seeded_runner(seed: u64) -> TestRunner {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    )
}

fn run_generated(
    versions: &Versions<'_>,
    options: &DiffOptions,
    tally: &mut Tally,
) -> PhaseSummary {
    let start = Instant::now();
    let space = ClaimSpace::for_packs(&[versions.old, versions.new]);
    let strategy = space.case();
    let mut runner = seeded_runner(options.seed);
    let before = tally.changed[Phase::Generated as usize];
    let mut claims = 0;
    for seq in 0..u64::from(options.cases) {
        let Ok(tree) = strategy.new_tree(&mut runner) else {
            continue;
        };
        tally.observe(versions, &tree.current(), Phase::Generated, seq);
        claims += 1;
    }
    PhaseSummary {
        claims,
        changed_lines: tally.changed[Phase::Generated as usize] - before,
        skipped: 0,
        elapsed_ms: elapsed_ms(start),
    }
}

fn run_exhaustive(
    versions: &Versions<'_>,
    rules: &RuleDelta,
    options: &DiffOptions,
    tally: &mut Tally,
) -> ExhaustiveSummary {
    let start = Instant::now();
    let label = if options.all_rules { "all" } else { "changed" }.to_owned();
    let relevant = |pack: &Pack| {
        let chosen: Vec<_> = pack
            .rules
            .iter()
            .filter(|r| options.all_rules || rules.differs(&r.id))
            .collect();
        let vocabulary =
            Vocabulary::of_rules(chosen.iter().copied(), &[pack.effective], &pack.facts);
        (chosen.len(), vocabulary)
    };
    let (old_count, old_vocabulary) = relevant(versions.old);
    let (new_count, new_vocabulary) = relevant(versions.new);
    if old_count + new_count == 0 {
        // No rule differs: every claim is decided alike, and there is nothing to enumerate.
        return ExhaustiveSummary {
            shape: None,
            rules: label,
            checked: 0,
            complete: true,
            changed_lines: 0,
            elapsed_ms: elapsed_ms(start),
        };
    }
    let mut vocabulary = old_vocabulary.union(new_vocabulary);
    // A table whose file changed: every code whose rows changed becomes its own class, so
    // the scope checks exactly what the new quarterly file changed.
    let mut table_codes_dropped = false;
    for new_table in &versions.new.tables {
        let Some(old_table) = versions
            .old
            .tables
            .iter()
            .find(|t| t.name == new_table.name && t.kind == new_table.kind)
        else {
            continue;
        };
        if old_table.digest() == new_table.digest() {
            continue;
        }
        let changed = crate::tables::changed_codes(old_table, new_table);
        table_codes_dropped |= changed.len() > MAX_CHANGED_TABLE_CODES;
        vocabulary.add_codes(changed.into_iter().take(MAX_CHANGED_TABLE_CODES));
    }
    let phrases = |pack: &Pack| -> BTreeMap<String, BTreeSet<String>> {
        vocabulary
            .facts
            .keys()
            .map(|f| (f.to_string(), phrases_of(&pack.facts, f)))
            .collect()
    };
    let Some(scope) = ExhaustiveScope::new(
        &versions.old.id,
        &vocabulary,
        &phrases(versions.old),
        &phrases(versions.new),
        options.limits,
    ) else {
        return ExhaustiveSummary {
            shape: None,
            rules: label,
            checked: 0,
            complete: false,
            changed_lines: 0,
            elapsed_ms: elapsed_ms(start),
        };
    };
    let total = scope.len();
    let checked = total.min(options.max_scope);
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .max(1) as u64;
    let chunk = checked.div_ceil(threads).max(1);
    // A scope too large to finish is checked at claims spread evenly over it (a stride
    // coprime with its size), not only at its first, one-line claims.
    let stride = coprime_stride(total);
    let expectations = versions.expect.changes.len();
    let partials: Vec<Tally> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let scope = &scope;
                s.spawn(move || {
                    let mut local = Tally::new(expectations);
                    let from = (t * chunk).min(checked);
                    let to = ((t + 1) * chunk).min(checked);
                    for k in from..to {
                        let index = if checked == total {
                            k
                        } else {
                            spread(k, stride, total)
                        };
                        if let Some(case) = scope.case(index) {
                            local.observe(versions, &case, Phase::Exhaustive, index);
                        }
                    }
                    local
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let joined = partials.len() as u64 == threads;
    let before = tally.changed[Phase::Exhaustive as usize];
    for partial in partials {
        tally.merge(partial);
    }
    ExhaustiveSummary {
        shape: Some(scope.shape()),
        rules: label,
        checked,
        complete: joined && checked == total && !table_codes_dropped,
        changed_lines: tally.changed[Phase::Exhaustive as usize] - before,
        elapsed_ms: elapsed_ms(start),
    }
}

/// Most codes of changed table rows put in the exhaustive scope; beyond it the scope is
/// reported incomplete.
const MAX_CHANGED_TABLE_CODES: usize = 256;

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// A stride near `total / golden ratio` that is coprime with `total`, so `k * stride mod
/// total` visits every index once.
fn coprime_stride(total: u64) -> u64 {
    if total < 2 {
        return 1;
    }
    let mut stride = ((total as f64) * 0.618_033_988_75) as u64 | 1;
    while gcd(stride, total) != 1 {
        stride += 1;
    }
    stride
}

fn spread(k: u64, stride: u64, total: u64) -> u64 {
    ((u128::from(k) * u128::from(stride)) % u128::from(total.max(1))) as u64
}

fn run_corpus(versions: &Versions<'_>, claims: &[Claim], tally: &mut Tally) -> PhaseSummary {
    let start = Instant::now();
    let before = tally.changed[Phase::Corpus as usize];
    let mut history = InMemoryHistory::new();
    let (mut compared, mut skipped) = (0, 0);
    for (seq, claim) in claims.iter().enumerate() {
        let ours = claim.payer == versions.old.id || claim.payer == versions.new.id;
        if !ours || claim.validate().is_err() {
            skipped += 1;
            continue;
        }
        let prior = crate::facts::History::prior_lines(&history, &claim.patient).into_owned();
        let case = Case {
            claim: claim.clone(),
            history: prior,
        };
        tally.observe(versions, &case, Phase::Corpus, seq as u64);
        let old = decide(
            &versions.old.program,
            &versions.old.policy,
            claim,
            &case.history,
            CheckOptions::default(),
        );
        history.record(claim, &old);
        compared += 1;
    }
    PhaseSummary {
        claims: compared,
        changed_lines: tally.changed[Phase::Corpus as usize] - before,
        skipped,
        elapsed_ms: elapsed_ms(start),
    }
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn render_line(
    out: &mut String,
    label: &str,
    line: &LineDecision,
    changed: &[super::change::FindingKey],
) {
    let verdict = Verdict::of(line);
    let outcome = Verdict {
        outcome: line.outcome,
        findings: Vec::new(),
    };
    let _ = writeln!(out, "    {label}: {outcome}");
    if line.findings.is_empty() {
        let _ = writeln!(out, "      (no findings)");
    }
    for (finding, key) in line.findings.iter().zip(&verdict.findings) {
        if !changed.contains(key) {
            // Context: both versions give this finding.
            let _ = writeln!(out, "      = {key}");
            continue;
        }
        let _ = writeln!(out, "      * {key}");
        let _ = writeln!(out, "        {}", finding.message);
        if let Some(explanation) = &finding.explanation {
            for clause in &explanation.clauses {
                let value = match clause.value {
                    Some(true) => "true ",
                    Some(false) => "false",
                    None => "unknown",
                };
                let _ = writeln!(out, "        {value}  {}  ({})", clause.clause, clause.at);
            }
            for fact in &explanation.facts {
                let value = fact.value.map_or("unknown".to_owned(), |v| v.to_string());
                let _ = writeln!(out, "        fact {} = {value}: {}", fact.fact, fact.source);
            }
        }
    }
}

impl DiffReport {
    /// The report for a terminal, every kind of change detailed.
    pub fn render_text(&self) -> String {
        self.render_text_limited(usize::MAX)
    }

    /// The report for a terminal, detailing at most `max_kinds` kinds (the rest are counted;
    /// JSON has them all).
    pub fn render_text_limited(&self, max_kinds: usize) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "payerlex diff: {} {} ({}) -> {} {} ({})",
            self.old.id,
            self.old.version,
            self.old.origin,
            self.new.id,
            self.new.version,
            self.new.origin
        );
        let r = &self.rules;
        let mut parts = Vec::new();
        for (what, list) in [
            ("added", &r.added),
            ("removed", &r.removed),
            ("modified", &r.modified),
        ] {
            if !list.is_empty() {
                parts.push(format!("{} {what} ({})", list.len(), list.join(", ")));
            }
        }
        if r.reordered {
            parts.push("rule order changed".into());
        }
        parts.push(format!("{} unchanged", r.unchanged.len()));
        let _ = writeln!(out, "rules: {}", parts.join(", "));
        if let Some(g) = &self.generated {
            let _ = writeln!(
                out,
                "generated:  {} claims (seed {}), {} changed lines, {} ms",
                thousands(g.claims),
                self.seed,
                thousands(g.changed_lines),
                g.elapsed_ms
            );
        }
        if let Some(e) = &self.exhaustive {
            match &e.shape {
                None if e.complete => {
                    let _ = writeln!(out, "exhaustive: no rule differs, so every claim is decided alike (nothing to enumerate)");
                }
                None => {
                    let _ = writeln!(out, "exhaustive: not run");
                }
                Some(shape) => {
                    let status = if e.complete {
                        "complete: no other claim of this shape can change".to_owned()
                    } else if e.checked < shape.claims {
                        format!("INCOMPLETE: stopped after {} claims (raise --max-scope or lower --max-lines)", thousands(e.checked))
                    } else {
                        format!("INCOMPLETE: more than {MAX_CHANGED_TABLE_CODES} codes have changed table rows; the scope holds the first {MAX_CHANGED_TABLE_CODES}")
                    };
                    let _ = writeln!(
                        out,
                        "exhaustive: {} of {} claims ({status}), {} changed lines, {} ms",
                        thousands(e.checked),
                        thousands(shape.claims),
                        thousands(e.changed_lines),
                        e.elapsed_ms
                    );
                    let _ = writeln!(
                        out,
                        "            scope: up to {} lines and {} history lines; classes of the {} rules: {} codes ({}), {} modifier lists, units {:?}, {} dates ({}), {} places, {} diagnosis choices, {} report states",
                        shape.max_lines,
                        shape.max_history,
                        e.rules,
                        shape.codes.len(),
                        shape.codes.join(" "),
                        shape.modifier_lists,
                        shape.units,
                        shape.dates.len(),
                        shape.dates.join(" "),
                        shape.places,
                        shape.diagnoses,
                        shape.reports
                    );
                }
            }
        }
        if let Some(c) = &self.corpus {
            let _ = writeln!(
                out,
                "corpus:     {} claims ({} skipped), {} changed lines, {} ms",
                thousands(c.claims),
                thousands(c.skipped),
                thousands(c.changed_lines),
                c.elapsed_ms
            );
        }
        for (i, e) in self.expectations.iter().enumerate() {
            let note = e
                .note
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "expected #{}: {}{note}: {} changed lines",
                i + 1,
                e.change,
                thousands(e.matched)
            );
            if e.matched == 0 {
                let _ = writeln!(out, "  warning: this declared change did not occur");
            }
        }
        let _ = writeln!(out);
        if self.changes.is_empty() {
            let _ = writeln!(out, "no change found");
            return out;
        }
        let undeclared = self.changes.iter().filter(|c| c.undeclared > 0).count();
        let _ = writeln!(
            out,
            "{} kind(s) of change, {} undeclared ({} undeclared changed lines):",
            self.changes.len(),
            undeclared,
            thousands(self.undeclared())
        );
        let mut transitions: BTreeMap<(Outcome, Outcome), (u64, u64, u64)> = BTreeMap::new();
        for c in &self.changes {
            let t = transitions
                .entry((c.from.outcome, c.to.outcome))
                .or_default();
            t.0 += 1;
            t.1 += c.lines;
            t.2 += c.undeclared;
        }
        for ((from, to), (kinds, lines, undeclared)) in &transitions {
            let name = |o: &Outcome| format!("{o:?}").to_lowercase();
            let _ = writeln!(
                out,
                "  {} -> {}: {} changed lines in {kinds} kind(s), {} undeclared",
                name(from),
                name(to),
                thousands(*lines),
                thousands(*undeclared)
            );
        }
        let _ = writeln!(
            out,
            "(in each example, * marks findings that differ, = findings both versions give)"
        );
        for (i, change) in self.changes.iter().enumerate() {
            if i >= max_kinds {
                let _ = writeln!(
                    out,
                    "\n... and {} more kind(s) (raise --max-kinds, or use --format json)",
                    self.changes.len() - i
                );
                break;
            }
            let _ = writeln!(out, "\n[{}] {}", i + 1, change.kind);
            let status = if change.undeclared == 0 {
                "declared".to_owned()
            } else if change.undeclared == change.lines {
                "UNDECLARED".to_owned()
            } else {
                format!("{} UNDECLARED", thousands(change.undeclared))
            };
            let _ = writeln!(
                out,
                "    {} changed lines (generated {}, exhaustive {}, corpus {}), {status}; codes: {}",
                thousands(change.lines),
                thousands(change.generated),
                thousands(change.exhaustive),
                thousands(change.corpus),
                change.codes.join(" ")
            );
            if let Some(example) = &change.example {
                let claim = serde_json::to_string(&example.claim).unwrap_or_default();
                let _ = writeln!(out, "    smallest example, line {}: {claim}", example.line);
                if !example.history.is_empty() {
                    let history = serde_json::to_string(&example.history).unwrap_or_default();
                    let _ = writeln!(out, "    history: {history}");
                }
                render_line(&mut out, "old", &example.old, &change.from.findings);
                render_line(&mut out, "new", &example.new, &change.to.findings);
            }
        }
        out
    }
}
