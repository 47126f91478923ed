//! Reading pack folders into memory.
//!
//! Loading is split from linking so that tests and hosts can hand in packs that never touch
//! the disk ([`PackSources`]), while `--policies DIR` reads every pack folder under DIR.

use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, PackError};
use crate::source::SourceFile;

/// The files of one pack, in memory.
#[derive(Debug, Clone)]
pub struct PackSources {
    /// Folder name, used in file names shown to the author (`medicare/pack.toml`).
    pub folder: String,
    /// `pack.toml` text.
    pub manifest: String,
    /// Policy files by path relative to the folder (`3d-rendering.policy`).
    pub files: Vec<(String, String)>,
    /// Table files given in memory, by path relative to the folder.
    pub tables: Vec<(String, Vec<u8>)>,
    /// The folder on disk, where table files not given in memory are read from.
    pub dir: Option<std::path::PathBuf>,
}

impl PackSources {
    /// A pack from strings.
    pub fn new(folder: impl Into<String>, manifest: impl Into<String>) -> Self {
        Self {
            folder: folder.into(),
            manifest: manifest.into(),
            files: Vec::new(),
            tables: Vec::new(),
            dir: None,
        }
    }

    /// Adds a table file's bytes (instead of reading it from the pack folder).
    pub fn with_table(mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        self.tables.push((path.into(), bytes.into()));
        self
    }

    /// Reads a table file: in memory first, else from the pack folder.
    pub(crate) fn table_bytes(&self, path: &str) -> Result<Vec<u8>, String> {
        if let Some((_, bytes)) = self.tables.iter().find(|(p, _)| p == path) {
            return Ok(bytes.clone());
        }
        let dir = self
            .dir
            .as_ref()
            .ok_or_else(|| format!("`{path}` was not given with the in-memory pack"))?;
        std::fs::read(dir.join(path))
            .map_err(|e| format!("cannot read `{}`: {e}", dir.join(path).display()))
    }

    /// Adds a policy file.
    pub fn with_file(mut self, path: impl Into<String>, text: impl Into<String>) -> Self {
        self.files.push((path.into(), text.into()));
        self
    }

    pub(crate) fn manifest_file(&self) -> Arc<SourceFile> {
        Arc::new(SourceFile {
            name: format!("{}/pack.toml", self.folder),
            text: Arc::from(self.manifest.as_str()),
        })
    }

    pub(crate) fn file(&self, path: &str) -> Option<Arc<SourceFile>> {
        self.files.iter().find(|(p, _)| p == path).map(|(p, text)| {
            Arc::new(SourceFile {
                name: format!("{}/{p}", self.folder),
                text: Arc::from(text.as_str()),
            })
        })
    }
}

/// Reads one pack folder: `pack.toml` and every `*.policy` file in it.
pub fn read_pack_folder(dir: &Path, display: &str) -> Result<PackSources, Box<Diagnostic>> {
    let manifest_path = dir.join("pack.toml");
    let manifest = std::fs::read_to_string(&manifest_path).map_err(|e| {
        Box::new(Diagnostic::general(PackError::Read {
            path: manifest_path.display().to_string(),
            reason: e.to_string(),
        }))
    })?;
    let mut pack = PackSources::new(display, manifest);
    pack.dir = Some(dir.to_path_buf());
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Box::new(Diagnostic::general(PackError::Read {
            path: dir.display().to_string(),
            reason: e.to_string(),
        }))
    })?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".policy"))
        .collect();
    names.sort();
    for name in names {
        let path = dir.join(&name);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::general(PackError::Read {
                path: path.display().to_string(),
                reason: e.to_string(),
            })
        })?;
        pack.files.push((name, text));
    }
    Ok(pack)
}

/// Reads every pack under `dir`: `dir` itself when it holds a `pack.toml`, else each
/// sub-folder that does.
pub fn read_packs(dir: &Path) -> Result<Vec<PackSources>, Vec<Diagnostic>> {
    if !dir.is_dir() {
        return Err(vec![Diagnostic::general(PackError::NotAFolder {
            path: dir.display().to_string(),
        })]);
    }
    if dir.join("pack.toml").is_file() {
        let name = dir.file_name().map_or_else(
            || dir.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        return read_pack_folder(dir, &name)
            .map(|p| vec![p])
            .map_err(|e| vec![*e]);
    }
    let mut folders: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| {
            vec![Diagnostic::general(PackError::Read {
                path: dir.display().to_string(),
                reason: e.to_string(),
            })]
        })?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("pack.toml").is_file())
        .collect();
    folders.sort();
    if folders.is_empty() {
        return Err(vec![Diagnostic::general(PackError::NoPacks {
            path: dir.display().to_string(),
        })]);
    }
    let mut packs = Vec::new();
    let mut errors = Vec::new();
    for folder in folders {
        let name = folder
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        match read_pack_folder(&folder, &name) {
            Ok(pack) => packs.push(pack),
            Err(e) => errors.push(*e),
        }
    }
    if errors.is_empty() {
        Ok(packs)
    } else {
        Err(errors)
    }
}
