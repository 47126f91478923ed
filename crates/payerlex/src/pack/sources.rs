//! Reading pack folders into memory.
//!
//! Loading is split from linking so that tests and hosts can hand in packs that never touch
//! the disk ([`PackSources`]), while `--policies DIR` reads every pack folder under DIR.

use std::path::Path;
use std::sync::Arc;

use super::files::{read_in_pack, FileFailure};
use crate::diagnostics::{Diagnostic, PackError};
use crate::limits::Limits;
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

    /// Reads a table file: in memory first, else from the pack folder (inside it, a regular
    /// file of at most `max` bytes).
    pub(crate) fn table_bytes(&self, path: &str, max: u64) -> Result<Vec<u8>, FileFailure> {
        if let Some((_, bytes)) = self.tables.iter().find(|(p, _)| p == path) {
            if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > max {
                return Err(FileFailure::TooLarge(max));
            }
            return Ok(bytes.clone());
        }
        let dir = self.dir.as_ref().ok_or_else(|| {
            FileFailure::Io(format!("`{path}` was not given with the in-memory pack"))
        })?;
        read_in_pack(dir, path, max)
    }

    /// Adds a policy file.
    pub fn with_file(mut self, path: impl Into<String>, text: impl Into<String>) -> Self {
        self.files.push((path.into(), text.into()));
        self
    }

    pub(crate) fn manifest_file(&self) -> Arc<SourceFile> {
        Arc::new(SourceFile::new(
            format!("{}/pack.toml", self.folder),
            Arc::from(self.manifest.as_str()),
        ))
    }

    pub(crate) fn file(&self, path: &str) -> Option<Arc<SourceFile>> {
        self.files.iter().find(|(p, _)| p == path).map(|(p, text)| {
            Arc::new(SourceFile::new(
                format!("{}/{p}", self.folder),
                Arc::from(text.as_str()),
            ))
        })
    }
}

/// Reads one pack folder: `pack.toml` and every `*.policy` file in it, each a regular file
/// inside the folder of at most `limits.policy_file_bytes`, at most `limits.files_per_pack`
/// policy files.
pub fn read_pack_folder_with(
    dir: &Path,
    display: &str,
    limits: &Limits,
) -> Result<PackSources, Box<Diagnostic>> {
    let max = u64::try_from(limits.policy_file_bytes).unwrap_or(u64::MAX);
    let read_text = |name: &str| -> Result<String, Box<Diagnostic>> {
        let shown = format!("{display}/{name}");
        let bytes = read_in_pack(dir, name, max).map_err(|failure| {
            Box::new(Diagnostic::general(
                failure.into_pack_error(&shown, "policy_file_bytes"),
            ))
        })?;
        String::from_utf8(bytes).map_err(|_| {
            Box::new(Diagnostic::general(PackError::Read {
                path: shown.clone(),
                reason: "not UTF-8 text".to_owned(),
            }))
        })
    };
    let manifest = read_text("pack.toml")?;
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
    if names.len() > limits.files_per_pack {
        return Err(Box::new(Diagnostic::general(PackError::LimitExceeded {
            what: format!("the number of `.policy` files in `{display}`"),
            limit: "files_per_pack",
            value: u64::try_from(limits.files_per_pack).unwrap_or(u64::MAX),
        })));
    }
    names.sort();
    for name in names {
        let text = read_text(&name)?;
        pack.files.push((name, text));
    }
    Ok(pack)
}

/// Reads every pack under `dir`: `dir` itself when it holds a `pack.toml`, else each
/// sub-folder that does, under `limits` (see [`read_pack_folder_with`]).
pub fn read_packs_with(dir: &Path, limits: &Limits) -> Result<Vec<PackSources>, Vec<Diagnostic>> {
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
        return read_pack_folder_with(dir, &name, limits)
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
        match read_pack_folder_with(&folder, &name, limits) {
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
