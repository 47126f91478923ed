//! The table of diagnostic codes in `docs/diagnostics.md` lists exactly the codes the source
//! defines (`code("PLX-...")` on an error variant), each code defined once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::manifest;

fn codes_in(text: &str, marker: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(marker) {
        let after = &rest[i + marker.len()..];
        let code: String = after.chars().take(8).collect();
        let shaped = code.len() == 8
            && code.starts_with("PLX-")
            && code[4..5].bytes().all(|b| b.is_ascii_uppercase())
            && code[5..].bytes().all(|b| b.is_ascii_digit());
        if shaped {
            out.push(code);
        }
        rest = after;
    }
    out
}

fn source_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_code_is_documented_once_and_every_documented_code_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    source_files(&root.join("src"), &mut files);
    // The Arrow batch API's codes (its own workspace, documented in the same list).
    source_files(&root.join("../payerlex-arrow/src"), &mut files);
    let mut defined: BTreeMap<String, usize> = BTreeMap::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for code in codes_in(&text, "code(\"") {
            *defined.entry(code).or_default() += 1;
        }
    }
    assert!(defined.len() > 50, "found only {} codes", defined.len());
    let twice: Vec<&String> = defined
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(c, _)| c)
        .collect();
    assert!(twice.is_empty(), "codes defined more than once: {twice:?}");
    let doc = std::fs::read_to_string(root.join("../../docs/diagnostics.md")).unwrap();
    let documented: Vec<String> = codes_in(&doc, "| `");
    let mut sorted = documented.clone();
    sorted.dedup();
    assert_eq!(sorted.len(), documented.len(), "a code is listed twice");
    let defined: Vec<String> = defined.into_keys().collect();
    assert_eq!(documented, defined, "docs/diagnostics.md is out of date");
}

#[test]
fn rendered_diagnostics_and_error_records_carry_their_code() {
    let pack = manifest("t").policies(&["p.policy"]).pack("t").with_file(
        "p.policy",
        "policy t.p\nversion 1.0.0\nrule r\n  cite \"x\"\n  when line.code in nowhere\n  deny carc 97 \"m\"\n",
    );
    let error = payerlex::Engine::from_sources(&[pack]).unwrap_err();
    let first = error.errors().next().unwrap();
    assert_eq!(first.code(), "PLX-C034");
    assert!(first
        .render()
        .starts_with("t/p.policy:5:21: error[PLX-C034]: unknown set `nowhere`"));
    let bad = payerlex::parse_claim("{\"id\":1}").unwrap_err();
    let record = payerlex::ErrorRecord::new(3, &bad);
    assert_eq!(record.code, "PLX-R001");
}
