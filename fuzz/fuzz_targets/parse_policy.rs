//! Policy text from the fuzzer through the parser, the checker, linking and compilation:
//! every stage must return errors, never panic.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use payerlex::check::{check_policy, EmptyScope, SourceFile};
use payerlex::PackSources;
use payerlex::syntax::parse_policy;
use payerlex::Engine;

const MANIFEST: &str = "id = \"fuzz\"\nname = \"Fuzz\"\nversion = \"1.0.0\"\neffective = \"2025-01-01\"\npolicies = [\"p.policy\"]\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(ast) = parse_policy(text) {
        let source = Arc::new(SourceFile {
            name: "p.policy".into(),
            text: Arc::from(text),
        });
        let _ = check_policy(&ast, source, &EmptyScope);
    }
    let pack = PackSources::new("fuzz", MANIFEST).with_file("p.policy", text);
    if let Ok(engine) = Engine::from_sources(&[pack]) {
        // A pack that loads renders its warnings and can decide a claim.
        for w in engine.warnings() {
            let _ = w.render();
        }
    }
});
