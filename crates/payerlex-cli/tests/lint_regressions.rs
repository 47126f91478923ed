//! Static checks compare rules by meaning, not by source text: regressions of false warnings
//! that `--deny-warnings` turned into refused packs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use assert_cmd::Command;
use common::{claim, line, manifest, write_pack, ManifestSpec};

fn pack(id: &str) -> ManifestSpec {
    manifest(id).version("1.0.0").policies(&["p.policy"])
}

/// Issue 8's repro: a pack extending another declares its own set with the base's set name.
/// `line.code in three_d` reads alike in both, but tests different codes, so `many` is not
/// shadowed by `lone`.
#[test]
fn a_same_named_set_of_an_extending_pack_is_not_a_false_shadow() {
    let dir = tempfile::tempdir().unwrap();
    write_pack(
        dir.path(),
        "base",
        &pack("base"),
        &[("p.policy", "policy base.p\nversion 1.0.0\nset three_d = 76376, 76377\nrule lone\n  cite \"c\"\n  when line.code in three_d\n  deny carc 16 \"m\"\n")],
    );
    let ext = pack("ext").extends("base", "^1.0");
    write_pack(
        dir.path(),
        "ext",
        &ext,
        &[("p.policy", "policy ext.p\nversion 1.0.0\nset three_d = 70450\nrule many\n  cite \"c\"\n  when line.code in three_d and line.units > 1\n  deny carc 16 \"m\"\n")],
    );
    let claim = claim("ext").line(line("70450").units(2)).to_string();
    let output = Command::cargo_bin("payerlex")
        .unwrap()
        .args(["check", "--deny-warnings", "--policies"])
        .arg(dir.path())
        .arg("-")
        .write_stdin(claim.clone())
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("shadowed"), "{stderr}");
    let decision: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(decision["lines"][0]["findings"][0]["rule"], "ext.p/many");

    // The real shadow is still found: the same set in both rules.
    write_pack(
        dir.path(),
        "ext",
        &ext,
        &[("p.policy", "policy ext.p\nversion 1.0.0\nimport three_d from base.p\nrule many\n  cite \"c\"\n  when line.code in three_d and line.units > 1\n  deny carc 16 \"m\"\n")],
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
