//! A folder of policy packs as an editor sees it: the files on disk, with the text of the
//! documents the author has open in their place, analysed again after every change.
//!
//! Diagnostics are the loader's own (`Engine::from_sources`, the same pipeline `payerlex
//! check` runs, so an author sees exactly what the CLI would print); symbols come from each
//! file's AST; table rows come from the last pack that loaded (an edit that breaks a policy
//! does not make the tables disappear from hovers). Paths are absolute and, where the file
//! exists, canonical, so the server can compare them with the documents' paths.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Severity};
use crate::engine::Engine;
use crate::facts::Date;
use crate::limits::Limits;
use crate::pack::{read_packs_with, LoadOptions, Manifest, PackSources};
use crate::source::SourceFile;
use crate::syntax::parse_policy_with;

use super::symbols::FileSymbols;

/// A problem to show in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDiagnostic {
    /// The file; `None` for a problem not tied to a file (a pack that cannot be found).
    pub path: Option<PathBuf>,
    /// Byte range in the file.
    pub range: Range<usize>,
    /// Error or warning.
    pub severity: Severity,
    /// The stable code (`PLX-C034`).
    pub code: String,
    /// The message, with the label under the span and the hint, as the CLI prints them.
    pub message: String,
}

/// A place in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub path: PathBuf,
    /// Byte range.
    pub range: Range<usize>,
}

/// One pack folder.
#[derive(Debug, Clone)]
pub(super) struct PackInfo {
    /// Its files as read from disk.
    pub sources: PackSources,
    /// Payer id (the folder name when the manifest does not parse).
    pub id: String,
    /// The pack it extends.
    pub extends: Option<String>,
    /// The policy files its manifest lists (the ones the loader reads).
    pub listed: Vec<String>,
}

/// A policy file and its symbols.
#[derive(Debug, Clone)]
pub(super) struct PolicyFile {
    /// Absolute path.
    pub path: PathBuf,
    /// Its pack, unless it is an open file outside every pack.
    pub pack: Option<usize>,
    /// The name diagnostics use (`medicare/3d-rendering.policy`).
    pub display: String,
    /// Current text (the open document's, else the disk's).
    pub text: Arc<str>,
    /// Declarations and uses.
    pub symbols: FileSymbols,
}

/// Policy packs under analysis.
#[derive(Debug)]
pub struct Workspace {
    root: PathBuf,
    pub(super) packs: Vec<PackInfo>,
    pub(super) files: Vec<PolicyFile>,
    open: BTreeMap<PathBuf, String>,
    /// The last engine that loaded, for table rows and rule details.
    pub(super) engine: Option<Engine>,
    diagnostics: Vec<FileDiagnostic>,
    /// Date of service for table lookups in hovers.
    pub(super) date: Date,
    /// Limits the packs are read and loaded under.
    limits: Limits,
}

/// The path as the workspace compares paths.
pub fn normalize(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

impl Workspace {
    /// Reads every pack under `root` (or the pack `root` itself); `date` dates table lookups.
    pub fn load(root: &Path, date: Date) -> Result<Self, Vec<Diagnostic>> {
        Self::load_with(root, date, Limits::default())
    }

    /// [`Workspace::load`] under `limits` (`payerlex lsp --limit NAME=VALUE`).
    pub fn load_with(root: &Path, date: Date, limits: Limits) -> Result<Self, Vec<Diagnostic>> {
        let mut workspace = Workspace {
            root: normalize(root),
            packs: Vec::new(),
            files: Vec::new(),
            open: BTreeMap::new(),
            engine: None,
            diagnostics: Vec::new(),
            date,
            limits,
        };
        workspace.reload()?;
        Ok(workspace)
    }

    /// Reads the packs from disk again (a manifest or a closed file changed), keeping the
    /// open documents' text.
    pub fn reload(&mut self) -> Result<(), Vec<Diagnostic>> {
        let sources = read_packs_with(&self.root, &self.limits)?;
        self.packs = sources
            .into_iter()
            .map(|mut sources| {
                sources.dir = sources.dir.as_deref().map(normalize);
                let manifest = toml::from_str::<Manifest>(&sources.manifest).ok();
                PackInfo {
                    id: manifest
                        .as_ref()
                        .map_or_else(|| sources.folder.clone(), |m| m.id.get_ref().clone()),
                    listed: manifest.as_ref().map_or_else(Vec::new, |m| {
                        m.policies.iter().map(|p| p.get_ref().clone()).collect()
                    }),
                    extends: manifest.and_then(|m| m.extends.map(|e| e.pack.into_inner())),
                    sources,
                }
            })
            .collect();
        self.analyse();
        Ok(())
    }

    /// The folder the packs were read from.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The last engine that loaded (policy errors keep the previous one).
    pub fn engine(&self) -> Option<&Engine> {
        self.engine.as_ref()
    }

    /// Replaces a document's text (the author typed) and analyses again.
    pub fn set_text(&mut self, path: &Path, text: String) {
        self.open.insert(normalize(path), text);
        self.analyse();
    }

    /// Several documents at once, analysed once.
    pub fn set_texts(&mut self, documents: impl IntoIterator<Item = (PathBuf, String)>) {
        for (path, text) in documents {
            self.open.insert(normalize(&path), text);
        }
        self.analyse();
    }

    /// The document was closed: the disk's text counts again.
    pub fn close(&mut self, path: &Path) {
        if self.open.remove(&normalize(path)).is_some() {
            self.analyse();
        }
    }

    /// Every problem found, errors and warnings, per file.
    pub fn diagnostics(&self) -> &[FileDiagnostic] {
        &self.diagnostics
    }

    /// Every policy file known (in packs, and open ones outside them).
    pub fn policy_files(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|f| f.path.as_path())
    }

    /// Every `pack.toml`.
    pub fn manifests(&self) -> impl Iterator<Item = PathBuf> + '_ {
        self.packs
            .iter()
            .filter_map(|p| p.sources.dir.as_ref().map(|d| d.join("pack.toml")))
    }

    /// The current text of a policy file.
    pub fn text(&self, path: &Path) -> Option<&str> {
        self.file(path).map(|i| &*self.files[i].text)
    }

    pub(super) fn file(&self, path: &Path) -> Option<usize> {
        let path = normalize(path);
        self.files.iter().position(|f| f.path == path)
    }

    /// The pack id of a file.
    pub fn pack_of(&self, path: &Path) -> Option<&str> {
        let file = self.file(path)?;
        self.files[file].pack.map(|p| self.packs[p].id.as_str())
    }

    fn analyse(&mut self) {
        let mut files = Vec::new();
        let mut sources = Vec::new();
        for (index, pack) in self.packs.iter().enumerate() {
            let mut edited = pack.sources.clone();
            let dir = edited.dir.clone().unwrap_or_else(|| self.root.clone());
            for (path, text) in &self.open {
                let is_new = path.parent() == Some(dir.as_path())
                    && path.extension().is_some_and(|e| e == "policy");
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                if let (true, Some(name)) = (is_new, name) {
                    match edited.files.iter_mut().find(|(n, _)| *n == name) {
                        Some((_, existing)) => existing.clone_from(text),
                        None => edited.files.push((name, text.clone())),
                    }
                }
            }
            for (name, text) in &edited.files {
                files.push(PolicyFile {
                    path: dir.join(name),
                    pack: Some(index),
                    display: format!("{}/{name}", edited.folder),
                    text: Arc::from(text.as_str()),
                    symbols: FileSymbols::of(text),
                });
            }
            sources.push(edited);
        }
        for (path, text) in &self.open {
            let known = files.iter().any(|f| &f.path == path);
            if !known && path.extension().is_some_and(|e| e == "policy") {
                files.push(PolicyFile {
                    path: path.clone(),
                    pack: None,
                    display: path.display().to_string(),
                    text: Arc::from(text.as_str()),
                    symbols: FileSymbols::of(text),
                });
            }
        }
        let options = LoadOptions {
            limits: self.limits,
            ..LoadOptions::default()
        };
        let loaded = Engine::from_sources_with(&sources, &options);
        let found = match &loaded {
            Ok(engine) => engine.warnings().to_vec(),
            Err(error) => error.diagnostics.clone(),
        };
        if let Ok(engine) = loaded {
            self.engine = Some(engine);
        }
        let mut diagnostics: Vec<FileDiagnostic> =
            found.iter().map(|d| self.file_diagnostic(d)).collect();
        // Files the loader does not read (outside every pack, or not listed in their
        // manifest) still get their syntax errors.
        for file in &files {
            let listed = file
                .pack
                .is_some_and(|p| self.packs[p].listed.contains(&file_name(&file.path)));
            if !listed {
                let source = Arc::new(SourceFile::new(file.display.clone(), file.text.clone()));
                for problem in parse_policy_with(&file.text, &self.limits).errors {
                    let diagnostic = Diagnostic::in_file(problem, &source);
                    let mut shown = self.file_diagnostic(&diagnostic);
                    shown.path = Some(file.path.clone());
                    diagnostics.push(shown);
                }
            }
        }
        self.files = files;
        self.diagnostics = diagnostics;
    }

    fn file_diagnostic(&self, diagnostic: &Diagnostic) -> FileDiagnostic {
        let path = diagnostic.file_name().and_then(|name| {
            let (folder, rest) = name.split_once('/')?;
            let pack = self.packs.iter().find(|p| p.sources.folder == folder)?;
            Some(pack.sources.dir.as_ref()?.join(rest))
        });
        let mut message = diagnostic.message();
        let label = diagnostic.label();
        if !label.is_empty() {
            message.push_str(&format!(" ({label})"));
        }
        if let Some(help) = diagnostic.help() {
            message.push_str(&format!("\nhelp: {help}"));
        }
        FileDiagnostic {
            path,
            range: diagnostic.byte_range().unwrap_or(0..0),
            severity: diagnostic.severity(),
            code: diagnostic.code(),
            message,
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
