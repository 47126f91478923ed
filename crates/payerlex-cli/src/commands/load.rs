//! Loads `--policies` and prints diagnostics the same way for every subcommand.

use std::path::Path;

use payerlex::Engine;

/// Exit code when policies fail to load.
pub const EXIT_POLICY_ERROR: u8 = 2;

/// Loads packs; on failure prints every diagnostic to stderr and returns `None`.
/// Warnings are printed too; with `deny_warnings` they fail the load.
pub fn load_engine(dir: &Path, deny_warnings: bool) -> Option<Engine> {
    match Engine::load(dir) {
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
