//! Pack tests: example claims with their expected decisions, kept next to the policies they
//! check (`<pack>/tests/*.toml`), and the rule coverage they reach.
//!
//! A policy pack is only as trustworthy as the claims it has been tried on. Keeping the tests
//! in the pack means they travel with it (integrators copy both), are run by `payerlex test`
//! in CI, and say, rule by rule, which edits no example ever made fire. This module is the
//! library side, so hosts can run pack tests too: [`load_suites`] reads and validates the test
//! files (errors name `file:line:col`), [`run`] decides every test claim through the public
//! [`Engine`] and compares, and the result carries per-pack [`PackCoverage`]. Printing is the
//! caller's business.
//!
//! The file format is described in [`format`](mod@format).

mod claim_json;
mod coverage;
mod expectations;
pub mod format;
mod parse;
mod runner;

use std::path::{Path, PathBuf};

pub use coverage::{PackCoverage, RuleCoverage};
pub use format::{parse_test_file, LineExpectation, Location, Step, TestCase, TestFile};
pub use runner::{run, LineFailure, Mismatch, StepFailure, TestResult, TestRun, WhyNot};

use crate::check::did_you_mean;
use crate::Engine;

/// The test files of one pack.
#[derive(Debug, Clone)]
pub struct PackSuite {
    /// Payer id of the pack.
    pub pack: String,
    /// The pack's folder.
    pub folder: PathBuf,
    /// Whether the pack has a `tests/` folder at all.
    pub has_tests_folder: bool,
    /// Its test files, in file-name order.
    pub files: Vec<TestFile>,
}

/// Why pack tests could not be loaded.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum PackTestError {
    /// A test file or folder could not be read.
    #[diagnostic(code("PLX-K001"))]
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A test file is not valid (TOML syntax, unknown key, invalid claim, unknown rule...).
    #[diagnostic(code("PLX-K002"))]
    #[error("{location}: {message}")]
    Invalid {
        /// Where in the file.
        location: Location,
        /// What is wrong.
        message: String,
        /// How to fix it.
        help: Option<String>,
    },
    /// A pack named on the command line is not loaded.
    #[diagnostic(code("PLX-K003"))]
    #[error("no pack `{pack}` is loaded{}", suggestion.as_ref().map(|s| format!(" ({s})")).unwrap_or_default())]
    UnknownPack {
        /// The name asked for.
        pack: String,
        /// A hint.
        suggestion: Option<String>,
    },
}

impl PackTestError {
    /// The stable diagnostic code (`PLX-K...`, listed in `docs/diagnostics.md`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Read { .. } => "PLX-K001",
            Self::Invalid { .. } => "PLX-K002",
            Self::UnknownPack { .. } => "PLX-K003",
        }
    }

    /// The hint for fixing the error, when there is one.
    pub fn help(&self) -> Option<&str> {
        match self {
            Self::Invalid { help, .. } => help.as_deref(),
            _ => None,
        }
    }
}

/// Reads and validates the tests of the packs loaded from `policies` (every pack, or those
/// named in `only` by payer id or folder name).
///
/// `policies` is the folder given to [`Engine::load`]: a pack folder, or a folder of packs.
/// Every error of every file is returned, so an author fixes them in one pass.
pub fn load_suites(
    policies: &Path,
    engine: &Engine,
    only: &[String],
) -> Result<Vec<PackSuite>, Vec<PackTestError>> {
    let mut errors = Vec::new();
    let ids: Vec<&str> = engine.packs().map(|p| p.id.as_str()).collect();
    for name in only {
        if !engine.packs().any(|p| &p.id == name || &p.folder == name) {
            errors.push(PackTestError::UnknownPack {
                pack: name.clone(),
                suggestion: did_you_mean(name, ids.iter().copied()),
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let single_pack = policies.join("pack.toml").is_file();
    let mut suites = Vec::new();
    for pack in engine.packs() {
        if !only.is_empty() && !only.iter().any(|n| n == &pack.id || n == &pack.folder) {
            continue;
        }
        let folder = if single_pack {
            policies.to_path_buf()
        } else {
            policies.join(&pack.folder)
        };
        let tests_dir = folder.join("tests");
        let mut suite = PackSuite {
            pack: pack.id.clone(),
            folder,
            has_tests_folder: tests_dir.is_dir(),
            files: Vec::new(),
        };
        if suite.has_tests_folder {
            match test_files(&tests_dir) {
                Ok(paths) => {
                    for path in paths {
                        match std::fs::read_to_string(&path) {
                            Ok(text) => match parse_test_file(&path, &text, pack) {
                                Ok(file) => suite.files.push(file),
                                Err(mut file_errors) => errors.append(&mut file_errors),
                            },
                            Err(source) => errors.push(PackTestError::Read { path, source }),
                        }
                    }
                }
                Err(error) => errors.push(error),
            }
        }
        suites.push(suite);
    }
    if errors.is_empty() {
        Ok(suites)
    } else {
        Err(errors)
    }
}

/// The `*.toml` files of a tests folder, sorted by name.
fn test_files(dir: &Path) -> Result<Vec<PathBuf>, PackTestError> {
    let entries = std::fs::read_dir(dir).map_err(|source| PackTestError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    Ok(paths)
}
