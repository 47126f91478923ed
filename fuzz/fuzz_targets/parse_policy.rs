//! Policy text from the fuzzer through the parser, the checker, linking and compilation:
//! every stage must return errors, never panic.
//!
//! The text goes in as the one policy file of an in-memory pack, through the public
//! `Engine::from_sources`, which runs every stage in order (the checker only on text that
//! parses, compilation only on a pack that checks and links).
#![no_main]

use libfuzzer_sys::fuzz_target;
use payerlex::{Engine, PackSources};

const MANIFEST: &str = "id = \"fuzz\"\nname = \"Fuzz\"\nversion = \"1.0.0\"\neffective = \"2025-01-01\"\npolicies = [\"p.policy\"]\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // `fmt` walks the same AST: it must refuse what it cannot format, never panic.
    let _ = payerlex::authoring::format_policy("p.policy", text);
    let pack = PackSources::new("fuzz", MANIFEST).with_file("p.policy", text);
    match Engine::from_sources(&[pack]) {
        // A pack that loads renders its warnings.
        Ok(engine) => {
            for w in engine.warnings() {
                let _ = w.render();
            }
        }
        // A pack that does not renders every diagnostic with its source line.
        Err(error) => {
            let _ = error.render();
        }
    }
});
