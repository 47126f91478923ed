//! Loading the two versions to compare: a pack folder with the packs it extends (read from
//! sibling folders, as they sit side by side in a policies checkout), or one pack of a folder
//! of packs.
//!
//! Kept apart from the comparison because it is the only part that touches the file system
//! and the only part whose errors are the user's input (a missing folder, an ambiguous
//! choice of pack); the comparison itself cannot fail.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::engine::{Engine, LoadError};
use crate::limits::Limits;
use crate::pack::{read_pack_folder_with, LoadOptions, Manifest, Pack, PackSources};

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
fn pack_chain(dir: &Path, limits: &Limits) -> Result<Vec<PackSources>, DiffError> {
    let mut sources = vec![read_pack_folder_with(dir, &folder_name(dir), limits)
        .map_err(|d| read_error(dir, d.message()))?];
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
            read_pack_folder_with(&folder, &folder_name(&folder), limits)
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
        Self::load_with(path, pack, &LoadOptions::default())
    }

    /// [`PackVersion::load`] under load options (limits, table files).
    pub fn load_with(
        path: &Path,
        pack: Option<&str>,
        options: &LoadOptions,
    ) -> Result<Self, DiffError> {
        let shown = path.display().to_string();
        let engine = if path.join("pack.toml").is_file() {
            let sources = pack_chain(path, &options.limits)?;
            Engine::from_sources_with(&sources, options)
        } else {
            Engine::load_with(path, options)
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
