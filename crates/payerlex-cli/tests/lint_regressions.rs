//! Static checks compare rules by meaning, not by source text: regressions of false warnings
//! that `--deny-warnings` turned into refused packs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use assert_cmd::Command;

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn manifest(id: &str, extends: &str) -> String {
    format!(
        "id = \"{id}\"\nname = \"{id}\"\nversion = \"1.0.0\"\neffective = \"2025-01-01\"\npolicies = [\"p.policy\"]\n{extends}"
    )
}

/// Issue 8's repro: a pack extending another declares its own set with the base's set name.
/// `line.code in three_d` reads alike in both, but tests different codes, so `many` is not
/// shadowed by `lone`.
#[test]
fn a_same_named_set_of_an_extending_pack_is_not_a_false_shadow() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base/pack.toml", &manifest("base", ""));
    write(
        dir.path(),
        "base/p.policy",
        "policy base.p\nversion 1.0.0\nset three_d = 76376, 76377\nrule lone\n  cite \"c\"\n  when line.code in three_d\n  deny carc 16 \"m\"\n",
    );
    write(
        dir.path(),
        "ext/pack.toml",
        &manifest("ext", "[extends]\npack = \"base\"\nversion = \"^1.0\"\n"),
    );
    write(
        dir.path(),
        "ext/p.policy",
        "policy ext.p\nversion 1.0.0\nset three_d = 70450\nrule many\n  cite \"c\"\n  when line.code in three_d and line.units > 1\n  deny carc 16 \"m\"\n",
    );
    let claim = r#"{"id":"C1","payer":"ext","patient":"P1","provider":{"npi":"1234567893","role":"professional"},"place_of_service":"11","lines":[{"number":1,"code":"70450","units":2,"date":"2026-03-02"}]}"#;
    let output = Command::cargo_bin("payerlex")
        .unwrap()
        .args(["check", "--deny-warnings", "--policies"])
        .arg(dir.path())
        .arg("-")
        .write_stdin(claim)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("shadowed"), "{stderr}");
    let decision: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(decision["lines"][0]["findings"][0]["rule"], "ext.p/many");

    // The real shadow is still found: the same set in both rules.
    write(
        dir.path(),
        "ext/p.policy",
        "policy ext.p\nversion 1.0.0\nimport three_d from base.p\nrule many\n  cite \"c\"\n  when line.code in three_d and line.units > 1\n  deny carc 16 \"m\"\n",
    );
    let output = Command::cargo_bin("payerlex")
        .unwrap()
        .args(["check", "--deny-warnings", "--policies"])
        .arg(dir.path())
        .arg("-")
        .write_stdin(claim)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("warning[PLX-W005]: rule `ext.p/many` is shadowed by `base.p/lone`"),
        "{stderr}"
    );
}
