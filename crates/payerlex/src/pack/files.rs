//! Reading pack files safely: inside the pack folder, regular files only, at most a limit.
//!
//! Policy authors are semi-trusted: a pack must not read the host's files (`../../etc/passwd`,
//! an absolute path, a symbolic link leaving the folder), block the loader (a FIFO), or exhaust
//! memory (`/dev/zero`, a huge file). Every file a pack names is resolved here against its
//! folder, checked to be a regular file before and after it is opened (opened non-blocking, so
//! a FIFO swapped in between cannot block), and read to at most its limit plus one byte. Files
//! the host names itself (`--table NAME=PATH`) skip only the folder rule.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::PackError;

/// Why a pack file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FileFailure {
    /// The path leaves the pack folder.
    Outside(&'static str),
    /// A FIFO, device, socket or folder.
    NotRegular,
    /// Larger than the limit (bytes).
    TooLarge(u64),
    /// The operating system's reason.
    Io(String),
}

impl FileFailure {
    /// The load error for a pack file shown as `path`, whose size limit is `limit`.
    pub(crate) fn into_pack_error(self, path: &str, limit: &'static str) -> PackError {
        match self {
            Self::Outside(reason) => PackError::OutsidePack {
                path: path.to_owned(),
                reason,
            },
            Self::NotRegular => PackError::NotARegularFile {
                path: path.to_owned(),
            },
            Self::TooLarge(value) => PackError::LimitExceeded {
                what: format!("the size of `{path}`"),
                limit,
                value,
            },
            Self::Io(reason) => PackError::Read {
                path: path.to_owned(),
                reason,
            },
        }
    }
}

/// Resolves `relative` inside the pack folder `dir`: no absolute path, no `..`, and after
/// following symbolic links the file is still inside `dir`.
pub(crate) fn resolve_in_pack(dir: &Path, relative: &str) -> Result<PathBuf, FileFailure> {
    let path = Path::new(relative);
    for component in path.components() {
        match component {
            Component::Normal(_) | Component::CurDir => {}
            Component::ParentDir => return Err(FileFailure::Outside("a `..` step")),
            Component::RootDir | Component::Prefix(_) => {
                return Err(FileFailure::Outside("an absolute path"))
            }
        }
    }
    let folder = dir
        .canonicalize()
        .map_err(|e| FileFailure::Io(e.to_string()))?;
    let joined = folder.join(path);
    let resolved = joined
        .canonicalize()
        .map_err(|e| FileFailure::Io(e.to_string()))?;
    if resolved.starts_with(&folder) {
        Ok(resolved)
    } else {
        Err(FileFailure::Outside("a symbolic link out of the folder"))
    }
}

/// Reads a regular file of at most `max` bytes, without blocking on a FIFO and without
/// reading more than `max + 1` bytes of anything.
pub(crate) fn read_regular(path: &Path, max: u64) -> Result<Vec<u8>, FileFailure> {
    let before = std::fs::metadata(path).map_err(|e| FileFailure::Io(e.to_string()))?;
    if !before.is_file() {
        return Err(FileFailure::NotRegular);
    }
    if before.len() > max {
        return Err(FileFailure::TooLarge(max));
    }
    let file = open_nonblocking(path).map_err(|e| FileFailure::Io(e.to_string()))?;
    let after = file
        .metadata()
        .map_err(|e| FileFailure::Io(e.to_string()))?;
    if !after.is_file() {
        return Err(FileFailure::NotRegular);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(after.len().min(max)).unwrap_or(0));
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| FileFailure::Io(e.to_string()))?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > max {
        return Err(FileFailure::TooLarge(max));
    }
    Ok(bytes)
}

/// Reads a pack file named relative to its folder under both rules.
pub(crate) fn read_in_pack(dir: &Path, relative: &str, max: u64) -> Result<Vec<u8>, FileFailure> {
    read_regular(&resolve_in_pack(dir, relative)?, max)
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_folder() {
        let dir = std::env::temp_dir().join(format!("payerlex-files-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("tables")).unwrap();
        std::fs::write(dir.join("tables/t.csv"), "a,b\n").unwrap();
        assert!(resolve_in_pack(&dir, "tables/t.csv").is_ok());
        assert!(resolve_in_pack(&dir, "./tables/t.csv").is_ok());
        assert_eq!(
            resolve_in_pack(&dir, "../x"),
            Err(FileFailure::Outside("a `..` step"))
        );
        assert_eq!(
            resolve_in_pack(&dir, "tables/../tables/t.csv"),
            Err(FileFailure::Outside("a `..` step"))
        );
        assert_eq!(
            resolve_in_pack(&dir, "/etc/passwd"),
            Err(FileFailure::Outside("an absolute path"))
        );
        assert_eq!(read_in_pack(&dir, "tables/t.csv", 4), Ok(b"a,b\n".to_vec()));
        assert_eq!(
            read_in_pack(&dir, "tables/t.csv", 3),
            Err(FileFailure::TooLarge(3))
        );
        assert_eq!(
            read_in_pack(&dir, "tables", 100),
            Err(FileFailure::NotRegular)
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_not_read() {
        assert_eq!(
            read_regular(Path::new("/dev/zero"), 1024),
            Err(FileFailure::NotRegular)
        );
    }
}
