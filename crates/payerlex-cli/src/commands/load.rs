//! Loads `--policies` and prints diagnostics the same way for every subcommand.

use std::path::{Path, PathBuf};

use payerlex::{Engine, Limits, LoadOptions};

/// Exit code when policies fail to load.
pub const EXIT_POLICY_ERROR: u8 = 2;

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

/// `--limit NAME=VALUE` (repeatable), shared by the commands that load packs.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LimitArgs {
    /// Change a load or input limit, as NAME=VALUE (repeatable), e.g.
    /// `--limit policy_file_bytes=4000000`; `payerlex limits` lists them with their defaults.
    #[arg(long = "limit", value_name = "NAME=VALUE", value_parser = parse_limit_arg)]
    pub limits: Vec<String>,
}

impl LimitArgs {
    /// The default limits with every `--limit` applied, in order.
    pub fn limits(&self) -> Limits {
        let mut limits = Limits::default();
        for assignment in &self.limits {
            // Each was checked when the arguments were parsed.
            let _ = limits.set(assignment);
        }
        limits
    }

    /// Load options with these limits and the given table files.
    pub fn load_options(&self, tables: &[(String, PathBuf)]) -> LoadOptions {
        LoadOptions {
            tables: tables.iter().cloned().collect(),
            limits: self.limits(),
        }
    }
}

/// Checks `NAME=VALUE` for `--limit` against the known limits.
fn parse_limit_arg(text: &str) -> Result<String, String> {
    Limits::default()
        .set(text)
        .map(|()| text.to_owned())
        .map_err(|e| e.to_string())
}

/// Loads packs; on failure prints every diagnostic to stderr and returns `None`.
/// Warnings are printed too; with `deny_warnings` they fail the load.
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
