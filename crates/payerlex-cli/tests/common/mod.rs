//! Helpers shared by the CLI integration tests: the workspace's claim and manifest builders,
//! pack folders on disk, and the shipped packs.
#![allow(dead_code, clippy::unwrap_used)]

// The builders of the library's tests, so a test claim (its NPI, patient, date) is defined
// once for the workspace; they depend on `serde_json` only.
#[path = "../../../payerlex/tests/common/builders.rs"]
mod builders;

use std::path::{Path, PathBuf};

pub use builders::*;

/// Runs `payerlex` with `args` (in `dir` when given): exit code, stdout, stderr.
pub fn run_payerlex<I, S>(args: I, dir: Option<&Path>) -> (i32, String, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut command = assert_cmd::Command::cargo_bin("payerlex").unwrap();
    command.args(args);
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let output = command.output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The shipped `policies/` folder.
pub fn policies() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../policies")
}

/// Writes a pack folder `root/folder` with `manifest` and `files`; returns the folder.
pub fn write_pack(
    root: &Path,
    folder: &str,
    manifest: &ManifestSpec,
    files: &[(&str, &str)],
) -> PathBuf {
    let dir = root.join(folder);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("pack.toml"), manifest.to_string()).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir
}

/// Copies a folder tree (a pack, or all packs) so a test can edit the copy.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
