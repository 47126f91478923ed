//! `payerlex diff`: planted changes are found with a minimal example, equivalent
//! reformatting is not a change, expectations gate CI, exit codes follow the contract.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::{claim, copy_dir, line, manifest, ManifestSpec};
use insta::assert_snapshot;
use serde_json::Value;
use tempfile::TempDir;

/// Pack `acme` at `version`, its rules in `imaging.policy`.
fn acme(version: &str) -> ManifestSpec {
    manifest("acme")
        .version(version)
        .policies(&["imaging.policy"])
}

const POLICY: &str = r#"policy acme.imaging
version 1.0.0
effective 2025-01-01

set three_d = 76376, 76377
set angiography = 70496, 70498, 73706
set base_study = 70450..70498, 73700..73706
modifiers components = 26, TC

rule lone
  cite "CPT: report 3D rendering with its base study"
  when line.code in three_d and no line on same date where code in base_study
  deny carc 16 rarc N657 "bill the base study of the same session"

rule angio
  cite "NCCI PTP, modifier indicator 0"
  effective 2026-01-01
  when line.code in three_d and any other line on same date where code in angiography
  deny carc 97 rarc M15 "3D rendering is included in the angiography"

rule both-components
  cite "PFS RVU README, PC/TC indicator 1"
  when line.code in three_d and line has modifier 26 and line has modifier TC
  deny carc 4 "bill -26 or -TC, not both"
"#;

/// The same rules, reformatted: comments, reordered and renamed sets, reworded messages,
/// other line breaks, a new pack version.
const REFORMATTED: &str = r#"# Acme imaging edits, reformatted for review.
policy acme.imaging
version 1.0.0
effective 2025-01-01

# Angiography codes that include 3D rendering.
set angio_studies = 73706,
  70498,      # CTA abdomen
  70496
set three_d = 76377, 76376
set base_study = 73700..73706, 70450..70498
modifiers pc_tc = TC, 26

rule lone
  cite "CPT: report 3D rendering with its base study"
  when line.code in three_d
   and no line on same date where code in base_study
  deny carc 16 rarc N657
    "bill the CT/MRI base study of the same session (reworded)"

rule angio
  cite "NCCI PTP, modifier indicator 0"
  effective 2026-01-01
  when line.code in three_d
   and any other line on same date where code in angio_studies
  deny carc 97 rarc M15 "included in the angiography"

rule both-components
  cite "PFS RVU README, PC/TC indicator 1"
  when line.code in three_d
   and line has modifier 26
   and line has modifier TC
  deny carc 4 "either -26 or -TC"
"#;

fn write_pack(root: &Path, folder: &str, manifest: &ManifestSpec, policy: &str) -> PathBuf {
    common::write_pack(root, folder, manifest, &[("imaging.policy", policy)])
}

/// OLD and NEW pack folders of `acme` under a temp dir.
fn versions(old: &str, new: &str) -> (TempDir, PathBuf, PathBuf) {
    let tmp = TempDir::new().unwrap();
    let old_dir = write_pack(&tmp.path().join("old"), "acme", &acme("1.0.0"), old);
    let new_dir = write_pack(&tmp.path().join("new"), "acme", &acme("1.0.0"), new);
    (tmp, old_dir, new_dir)
}

fn diff(args: &[&str]) -> (i32, String, String) {
    diff_in(Path::new("."), args)
}

/// Runs `payerlex diff` from `dir`, so paths in its output can be relative.
fn diff_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::cargo_bin("payerlex")
        .unwrap()
        .current_dir(dir)
        .arg("diff")
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn diff_json(old: &Path, new: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args = vec![
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--format",
        "json",
    ];
    if !extra.contains(&"--cases") {
        args.extend(["--cases", "300"]);
    }
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = diff(&args);
    let json = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\n{stderr}"));
    (code, json)
}

fn rules_of(verdict: &Value) -> Vec<(String, Option<String>)> {
    verdict["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["carc"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

fn codes(example: &Value) -> Vec<String> {
    example["claim"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["code"].as_str().unwrap().to_owned())
        .collect()
}

fn assert_minimal(example: &Value) {
    let claim = &example["claim"];
    assert!(
        example["history"].as_array().unwrap().is_empty(),
        "history kept: {example}"
    );
    assert!(claim["report"].is_null(), "report kept: {example}");
    assert!(
        claim["diagnoses"].as_array().unwrap().is_empty(),
        "diagnoses kept: {example}"
    );
    for line in claim["lines"].as_array().unwrap() {
        assert_eq!(line["units"], 1, "units not shrunk: {example}");
    }
}

#[test]
fn finds_a_code_removed_from_a_set_with_a_two_line_example() {
    let new = POLICY.replace(
        "set angiography = 70496, 70498, 73706",
        "set angiography = 70496, 70498",
    );
    let (_tmp, old, new) = versions(POLICY, &new);
    let (code, report) = diff_json(&old, &new, &[]);
    assert_eq!(code, 1, "{report:#}");
    let changes = report["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{report:#}");
    let change = &changes[0];
    assert_eq!(change["from"]["outcome"], "deny");
    assert_eq!(change["to"]["outcome"], "allow");
    assert_eq!(
        rules_of(&change["from"]),
        vec![("acme.imaging/angio".to_owned(), Some("97".to_owned()))]
    );
    assert!(rules_of(&change["to"]).is_empty());
    assert!(change["exhaustive"].as_u64().unwrap() > 0);
    let example = &change["example"];
    assert_minimal(example);
    let mut example_codes = codes(example);
    example_codes.sort();
    assert_eq!(example_codes.len(), 2, "{example}");
    assert_eq!(example_codes[0], "73706", "{example}");
    assert!(example_codes[1].starts_with("7637"), "{example}");
    for line in example["claim"]["lines"].as_array().unwrap() {
        assert!(line["modifiers"].as_array().unwrap().is_empty());
    }
    // The exhaustive scope ran to completion: "no other change" is proven for its shape.
    assert_eq!(report["exhaustive"]["complete"], true);
    assert!(report["exhaustive"]["shape"]["claims"].as_u64().unwrap() > 0);
}

#[test]
fn finds_a_changed_carc() {
    let new = POLICY.replace("deny carc 4 \"bill", "deny carc 16 \"bill");
    let (_tmp, old, new) = versions(POLICY, &new);
    let (code, report) = diff_json(&old, &new, &[]);
    assert_eq!(code, 1);
    let changes = report["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{report:#}");
    let change = &changes[0];
    assert_eq!(change["from"]["outcome"], "deny");
    assert_eq!(change["to"]["outcome"], "deny");
    assert_eq!(
        rules_of(&change["from"]),
        vec![(
            "acme.imaging/both-components".to_owned(),
            Some("4".to_owned())
        )]
    );
    assert_eq!(
        rules_of(&change["to"]),
        vec![(
            "acme.imaging/both-components".to_owned(),
            Some("16".to_owned())
        )]
    );
    let example = &change["example"];
    assert_minimal(example);
    assert_eq!(
        codes(example).len(),
        1,
        "one 3D line carrying 26 and TC suffices: {example}"
    );
    let mods = example["claim"]["lines"][0]["modifiers"]
        .as_array()
        .unwrap();
    assert_eq!(mods.len(), 2);
    assert_eq!(
        report["rules"]["modified"],
        serde_json::json!(["acme.imaging/both-components"])
    );
}

#[test]
fn finds_a_moved_effective_date_on_the_boundary_days() {
    let new = POLICY.replace("  effective 2026-01-01\n", "  effective 2026-02-01\n");
    let (_tmp, old, new) = versions(POLICY, &new);
    let (code, report) = diff_json(&old, &new, &[]);
    assert_eq!(code, 1);
    let changes = report["changes"].as_array().unwrap();
    // Every change is the angio rule's finding going away; a line that another rule still
    // denies shows as its own kind (deny -> deny), so look at the kind that frees the line.
    assert!(
        changes.iter().all(|c| c["kind"]
            .as_str()
            .unwrap()
            .starts_with("deny [acme.imaging/angio")),
        "{report:#}"
    );
    let freed: Vec<&serde_json::Value> = changes
        .iter()
        .filter(|c| c["kind"].as_str().unwrap().ends_with("-> allow"))
        .collect();
    assert_eq!(freed.len(), 1, "{report:#}");
    let example = &freed[0]["example"];
    assert_minimal(example);
    let date = example["claim"]["lines"][0]["date"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        ("2026-01-01".."2026-02-01").contains(&date.as_str()),
        "{date}"
    );
    // Only dates in January 2026 changed: the scope's dates around both boundaries show it.
    let dates: Vec<&str> = report["exhaustive"]["shape"]["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    for d in ["2025-12-31", "2026-01-01", "2026-01-31", "2026-02-01"] {
        assert!(dates.contains(&d), "{dates:?}");
    }
}

#[test]
fn finds_a_change_inherited_through_an_extends_version_bump() {
    let tmp = TempDir::new().unwrap();
    let base = |version: &str, carc: &str| {
        (
            manifest("base")
                .version(version)
                .policies(&["imaging.policy"]),
            POLICY
                .replace("version 1.0.0", &format!("version {version}"))
                .replace(
                    "deny carc 16 rarc N657",
                    &format!("deny carc {carc} rarc N657"),
                ),
        )
    };
    let ext_manifest = |req: &str| acme("2.0.0").extends("base", req);
    let ext_policy = "policy acme.extra\nversion 2.0.0\nrule note\n  cite \"acme\"\n  when line.code = 76377\n  advice \"acme reviews 76377 monthly\"\n";
    let (m, p) = base("1.0.0", "16");
    write_pack(&tmp.path().join("old"), "base", &m, &p);
    let old = write_pack(
        &tmp.path().join("old"),
        "acme",
        &ext_manifest("^1.0"),
        ext_policy,
    );
    let (m, p) = base("1.1.0", "B15");
    write_pack(&tmp.path().join("new"), "base", &m, &p);
    let new = write_pack(
        &tmp.path().join("new"),
        "acme",
        &ext_manifest("^1.1"),
        ext_policy,
    );
    let (code, report) = diff_json(&old, &new, &[]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["old"]["id"], "acme");
    let changes = report["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{report:#}");
    assert_eq!(
        rules_of(&changes[0]["from"]),
        vec![("acme.imaging/lone".to_owned(), Some("16".to_owned()))]
    );
    assert_eq!(
        rules_of(&changes[0]["to"]),
        vec![("acme.imaging/lone".to_owned(), Some("B15".to_owned()))]
    );
    assert_eq!(
        codes(&changes[0]["example"]).len(),
        1,
        "a lone 3D line suffices"
    );
}

#[test]
fn reformatted_equivalent_pack_is_no_change_within_the_exhaustive_scope() {
    let (tmp, old, new) = versions(POLICY, REFORMATTED);
    let (code, report) = diff_json(&old, &new, &[]);
    assert_eq!(code, 0, "{report:#}");
    assert!(report["changes"].as_array().unwrap().is_empty());
    assert_eq!(
        report["rules"]["unchanged"].as_array().unwrap().len(),
        3,
        "{report:#}"
    );
    // Enumerating every rule's classes (not just changed ones) proves it for the scope.
    let (code, report) = diff_json(&old, &new, &["--all-rules", "--cases", "0"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(report["changes"].as_array().unwrap().is_empty());
    let exhaustive = &report["exhaustive"];
    assert_eq!(exhaustive["complete"], true);
    assert!(
        exhaustive["checked"].as_u64().unwrap() > 1000,
        "{exhaustive}"
    );
    assert_eq!(exhaustive["checked"], exhaustive["shape"]["claims"]);
    let (code, text, _) = diff_in(tmp.path(), &["old/acme", "new/acme", "--all-rules"]);
    assert_eq!(code, 0);
    assert_snapshot!(without_timings(&text));
}

/// The text report with its wall times blanked (`13 ms` -> `<t> ms`): the rest is determined
/// by the packs and the seed.
fn without_timings(text: &str) -> String {
    text.lines()
        .map(|line| {
            let words: Vec<&str> = line.split(' ').collect();
            let kept: Vec<&str> = words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let before_ms = words.get(i + 1).is_some_and(|n| n.starts_with("ms"));
                    let number = !w.is_empty() && w.chars().all(|c| c.is_ascii_digit() || c == ',');
                    if before_ms && number {
                        "<t>"
                    } else {
                        w
                    }
                })
                .collect();
            kept.join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_text_report_shows_each_kind_with_its_smallest_explained_example() {
    let new = POLICY.replace(
        "set angiography = 70496, 70498, 73706",
        "set angiography = 70496, 70498",
    );
    let (tmp, _old, _new) = versions(POLICY, &new);
    let (code, text, stderr) = diff_in(tmp.path(), &["old/acme", "new/acme", "--cases", "300"]);
    assert_eq!(code, 1, "{stderr}");
    assert_snapshot!(without_timings(&text));
}

#[test]
fn expectations_declare_intended_changes_and_fail_on_the_rest() {
    let new = POLICY
        .replace(
            "set angiography = 70496, 70498, 73706",
            "set angiography = 70496, 70498",
        )
        .replace("deny carc 4 \"bill", "deny carc 16 \"bill");
    let (tmp, old, new) = versions(POLICY, &new);
    let both = tmp.path().join("both.toml");
    std::fs::write(
        &both,
        "[[change]]\ncode = \"76376..76377\"\nwith = [\"73706\"]\nfrom = \"deny\"\nto = \"allow\"\nnote = \"73706 leaves the edit\"\n\n[[change]]\nrule = \"acme.imaging/both-components\"\n",
    )
    .unwrap();
    let (code, report) = diff_json(&old, &new, &["--expect", both.to_str().unwrap()]);
    assert_eq!(code, 0, "{report:#}");
    // Three kinds: each edit alone, and both on one line (26+TC billed with 73706).
    assert_eq!(report["changes"].as_array().unwrap().len(), 3, "{report:#}");
    assert!(report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["undeclared"] == 0));
    assert!(report["expectations"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["matched"].as_u64().unwrap() > 0));
    let one = tmp.path().join("one.toml");
    std::fs::write(
        &one,
        "[[change]]\nrule = \"acme.imaging/both-components\"\nfrom = \"deny\"\nto = \"deny\"\n",
    )
    .unwrap();
    let (code, report) = diff_json(&old, &new, &["--expect", one.to_str().unwrap()]);
    assert_eq!(code, 1);
    let undeclared: Vec<&Value> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["undeclared"].as_u64().unwrap() > 0)
        .collect();
    assert_eq!(undeclared.len(), 1);
    assert_eq!(rules_of(&undeclared[0]["from"])[0].0, "acme.imaging/angio");
    // A kind line copied from the output declares it too.
    let kind = undeclared[0]["kind"].as_str().unwrap().to_owned();
    let by_kind = tmp.path().join("kind.toml");
    std::fs::write(
        &by_kind,
        format!(
            "[[change]]\nkind = {kind:?}\n\n[[change]]\nrule = \"acme.imaging/both-components\"\n"
        ),
    )
    .unwrap();
    let (code, _) = diff_json(&old, &new, &["--expect", by_kind.to_str().unwrap()]);
    assert_eq!(code, 0);
}

#[test]
fn replays_a_corpus_and_is_reproducible() {
    let new = POLICY.replace(
        "set angiography = 70496, 70498, 73706",
        "set angiography = 70496, 70498",
    );
    let (tmp, old, new) = versions(POLICY, &new);
    let corpus = tmp.path().join("claims.jsonl");
    let record = |id: &str, codes: &[&str]| {
        claim("acme")
            .id(id)
            .patient(&format!("P-{id}"))
            .lines(codes.iter().map(|c| line(c)))
            .to_string()
    };
    let text = [
        record("A", &["73706", "76377"]),
        record("B", &["70450", "76377"]),
        "not json".to_owned(),
    ]
    .join("\n");
    std::fs::write(&corpus, text).unwrap();
    let args = ["--corpus", corpus.to_str().unwrap(), "--seed", "7"];
    let (code, first) = diff_json(&old, &new, &args);
    assert_eq!(code, 1);
    assert_eq!(first["corpus"]["claims"], 2);
    assert_eq!(first["corpus"]["changed_lines"], 1);
    assert_eq!(first["changes"][0]["corpus"], 1);
    let (_, second) = diff_json(&old, &new, &args);
    let strip = |mut v: Value| {
        for phase in ["generated", "exhaustive", "corpus"] {
            v[phase]["elapsed_ms"] = Value::Null;
        }
        v
    };
    assert_eq!(strip(first), strip(second), "same seed, same report");
}

#[test]
fn unusable_inputs_exit_2() {
    let (tmp, old, _new) = versions(POLICY, POLICY);
    let missing = tmp.path().join("missing");
    let (code, _, stderr) = diff(&[old.to_str().unwrap(), missing.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    let broken = write_pack(
        &tmp.path().join("broken"),
        "acme",
        &acme("1.0.0"),
        &POLICY.replace(
            "line.code in three_d and line",
            "line.code in thre_d and line",
        ),
    );
    let (code, _, stderr) = diff(&[old.to_str().unwrap(), broken.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("three_d"),
        "did-you-mean expected: {stderr}"
    );
    let bad_expect = tmp.path().join("bad.toml");
    std::fs::write(&bad_expect, "[[change]]\ncodes = \"76377\"\n").unwrap();
    let (code, _, stderr) = diff(&[
        old.to_str().unwrap(),
        old.to_str().unwrap(),
        "--expect",
        bad_expect.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn folders_of_packs_take_a_pack_id() {
    let new = POLICY.replace("deny carc 4 \"bill", "deny carc 16 \"bill");
    let (tmp, _old, _new) = versions(POLICY, &new);
    let old_root = tmp.path().join("old");
    let new_root = tmp.path().join("new");
    let (code, report) = diff_json(&old_root, &new_root, &["--pack", "acme"]);
    assert_eq!(code, 1);
    assert_eq!(report["changes"].as_array().unwrap().len(), 1);
    let (code, _, stderr) = diff(&[
        old_root.to_str().unwrap(),
        new_root.to_str().unwrap(),
        "--pack",
        "nope",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no pack `nope`"), "{stderr}");
}

/// The shipped medicare pack (with its CMS tables) copied twice.
fn medicare_versions() -> (TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let shipped = common::policies().join("medicare");
    let (old, new) = (
        tmp.path().join("old/medicare"),
        tmp.path().join("new/medicare"),
    );
    copy_dir(&shipped, &old);
    copy_dir(&shipped, &new);
    (tmp, old, new)
}

#[test]
fn the_scope_targets_the_changed_rows_of_a_new_table_file() {
    // 76937 lost its listed primary 36556 in the new add-on file: a change the table's sample of
    // codes alone might miss; the scope must hold the changed rows' codes and be complete.
    let (_tmp, old, new) = medicare_versions();
    let aoc = new.join("tables/aoc_sample.txt");
    let text = std::fs::read_to_string(&aoc).unwrap();
    let changed: String = text
        .lines()
        .filter(|l| !l.starts_with("76937\t36556"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(changed, text);
    std::fs::write(&aoc, changed).unwrap();
    let (code, report) = diff_json(
        &old,
        &new,
        &["--cases", "50", "--max-lines", "2", "--max-history", "0"],
    );
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        report["exhaustive"]["complete"], true,
        "{:#}",
        report["exhaustive"]
    );
    let kinds: Vec<&str> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds
            .iter()
            .any(|k| k.starts_with("allow") && k.contains("add-on-without-primary")),
        "{kinds:?}"
    );
}

#[test]
fn identical_packs_with_tables_are_no_change() {
    let (_tmp, old, new) = medicare_versions();
    let (code, report) = diff_json(&old, &new, &["--cases", "200"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        report["rules"]["modified"],
        serde_json::json!([]),
        "tables compare by content, not identity"
    );
}

#[test]
fn a_new_table_file_is_a_change_of_the_rules_that_read_it() {
    let (_tmp, old, new) = medicare_versions();
    let mue = new.join("tables/mue_practitioner_sample.csv");
    let text = std::fs::read_to_string(&mue).unwrap();
    assert!(text.contains("\n93000,3,"));
    std::fs::write(&mue, text.replace("\n93000,3,", "\n93000,2,")).unwrap();
    let (code, report) = diff_json(
        &old,
        &new,
        &["--cases", "200", "--max-lines", "1", "--max-history", "0"],
    );
    assert_eq!(code, 1, "{report:#}");
    let modified: Vec<&str> = report["rules"]["modified"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        modified.contains(&"medicare.ncci/mue-date-of-service"),
        "{modified:?}"
    );
    assert!(
        !modified.contains(&"medicare.3d-rendering/integral-to-angiography"),
        "{modified:?}"
    );
    let kinds: Vec<&str> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.iter().any(|k| k.starts_with("allow")
            && k.contains("mue-date-of-service")
            && k.ends_with("carc 151 rarc N362]")),
        "{kinds:?}"
    );
    let example = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"].as_str().unwrap().contains("mue-date-of-service"))
        .unwrap();
    assert_eq!(example["example"]["claim"]["lines"][0]["code"], "93000");
    assert_eq!(example["example"]["claim"]["lines"][0]["units"], 3);
}
