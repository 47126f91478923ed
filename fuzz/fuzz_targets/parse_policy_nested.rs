//! Deep nesting, which byte-level fuzzing of `parse_policy` almost never builds: the first
//! byte picks a construct (parentheses, `not`, `+ 1`, brackets, `*`, or a mix), the next two a
//! depth of up to 65,535, the rest is the innermost condition. The policy goes through loading
//! (parse, check, link, compile), `fmt` and, when it loads, a decision; every path must answer
//! with a result or a diagnostic, never a panic or a stack overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;
use payerlex::{Engine, InMemoryHistory, PackSources};

const MANIFEST: &str = "id = \"fuzz\"\nname = \"Fuzz\"\nversion = \"1.0.0\"\neffective = \"2025-01-01\"\npolicies = [\"p.policy\"]\n";
const CLAIM: &str = r#"{"id":"C","payer":"fuzz","patient":"P","provider":{"npi":"1234567893","role":"professional"},"place_of_service":"11","diagnoses":["S32.401A"],"lines":[{"number":1,"code":"76377","units":2,"date":"2026-03-02","diagnosis_pointers":[1]}]}"#;

fn condition(kind: u8, depth: usize, inner: &str) -> String {
    match kind % 6 {
        0 => format!("{}{inner}{}", "(".repeat(depth), ")".repeat(depth)),
        1 => format!("{}{inner}", "not ".repeat(depth)),
        2 => format!("line.units{} > 1 and {inner}", " + 1".repeat(depth)),
        3 => format!("line.code in {}76377{}", "[".repeat(depth), "]".repeat(depth)),
        4 => format!("line.units{} > 1", " * 1".repeat(depth)),
        _ => format!("{}{inner}{}", "(not ".repeat(depth), ")".repeat(depth)),
    }
}

fuzz_target!(|data: &[u8]| {
    let (Some(&kind), Some(&lo), Some(&hi)) = (data.first(), data.get(1), data.get(2)) else {
        return;
    };
    let depth = usize::from(lo) | usize::from(hi) << 8;
    let inner = std::str::from_utf8(data.get(3..).unwrap_or(&[])).unwrap_or("line.units > 1");
    let policy = format!(
        "policy p.main\nversion 1.0.0\n\nset s = 76377\n\nrule r\n  cite \"x\"\n  when line.code in s and {}\n  deny carc 97 \"m\"\n",
        condition(kind, depth, inner)
    );
    let _ = payerlex::authoring::format_policy("p.policy", &policy);
    let pack = PackSources::new("fuzz", MANIFEST).with_file("p.policy", policy);
    match Engine::from_sources(&[pack]) {
        Ok(engine) => {
            if let Ok(claim) = payerlex::parse_claim(CLAIM) {
                let _ = engine.check(&claim, &InMemoryHistory::new());
            }
        }
        Err(error) => {
            let _ = error.render();
        }
    }
});
