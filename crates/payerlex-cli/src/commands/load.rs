//! Loads `--policies` and prints diagnostics the same way for every subcommand.

use std::path::{Path, PathBuf};

use payerlex::Engine;
use payerlex::LoadOptions;

/// Exit code when policies fail to load.
pub const EXIT_POLICY_ERROR: u8 = 2;

/// Loads packs; on failure prints every diagnostic to stderr and returns `None`.
/// Warnings are printed too; with `deny_warnings` they fail the load.
pub fn load_engine(dir: &Path, deny_warnings: bool) -> Option<Engine> {
    load_engine_with(dir, deny_warnings, &LoadOptions::default())
}

/// Parses `NAME=PATH` for `--table`.
pub fn parse_table_arg(text: &str) -> Result<(String, PathBuf), String> {
    match text.split_once('=') {
        Some((name, path)) if !name.is_empty() && !path.is_empty() => {
            Ok((name.to_owned(), PathBuf::from(path)))
        }
        _ => Err(format!(
            "expected NAME=PATH (e.g. `mue=MCR_MUE_PractitionerServices.csv`), got `{text}`"
        )),
    }
}

/// [`load_engine`] with table files given on the command line.
pub fn load_engine_with(dir: &Path, deny_warnings: bool, options: &LoadOptions) -> Option<Engine> {
    match Engine::load_with(dir, options) {
        Ok(engine) => {
            for warning in engine.warnings() {
                eprintln!("{}", warning.render());
            }
            if deny_warnings && !engine.warnings().is_empty() {
                eprintln!(
                    "error: {} warning(s) and `--deny-warnings` is set",
                    engine.warnings().len()
                );
                return None;
            }
            Some(engine)
        }
        Err(error) => {
            eprintln!("{}", error.render());
            eprintln!("error: {}", error);
            None
        }
    }
}
