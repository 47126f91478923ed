//! `payerlex check`: the JSON Lines contract, error records and exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use assert_cmd::Command;
use common::{claim, line, manifest, write_pack, LineSpec};
use serde_json::Value;

const POLICY: &str = "policy t.p\nversion 1.0.0\nset three_d = 76376, 76377\nset angio = 71275\nrule angio\n  cite \"NCCI PTP indicator 0\"\n  when line.code in three_d and any other line on same date where code in angio\n  deny carc 97 rarc M15 \"bundled into the angiography\"\nrule mue\n  cite \"CMS MUE\"\n  when line.code in three_d and (sum units of lines in claim or history on same date where code = line.code) > 2\n  deny carc 151 rarc N362 \"units over MUE\"\n";

fn pack_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let manifest = manifest("t").version("1.0.0").policies(&["t.policy"]);
    write_pack(dir.path(), "t", &manifest, &[("t.policy", POLICY)]);
    dir
}

/// A record of payer `t` for `patient`, with a fracture diagnosis every line points to.
fn record_of(payer: &str, id: &str, patient: &str, lines: Vec<LineSpec>) -> String {
    claim(payer)
        .id(id)
        .patient(patient)
        .diagnoses(&["S32.401A"])
        .set("prior_authorization", Value::Null)
        .lines(lines.into_iter().map(|l| l.pointers(&[1])))
        .to_string()
}

fn record(id: &str, patient: &str, lines: Vec<LineSpec>) -> String {
    record_of("t", id, patient, lines)
}

fn run(dir: &tempfile::TempDir, input: &str, extra: &[&str]) -> (i32, Vec<Value>, String) {
    let output = Command::cargo_bin("payerlex")
        .unwrap()
        .arg("check")
        .arg("--policies")
        .arg(dir.path())
        .args(extra)
        .arg("-")
        .write_stdin(input.to_owned())
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let records = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (
        output.status.code().unwrap(),
        records,
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn decides_every_record_in_order_with_the_contract_fields() {
    let dir = pack_dir();
    let input = [
        record("C1", "P1", vec![line("71275"), line("76377")]),
        record("C2", "P2", vec![line("76377")]),
    ]
    .join("\n");
    let (code, records, _) = run(&dir, &input, &[]);
    assert_eq!(code, 0);
    assert_eq!(records.len(), 2);
    let first = &records[0];
    assert_eq!(first["claim"], "C1");
    assert_eq!(first["payer"], "t");
    assert_eq!(first["policy"]["pack"], "t");
    assert_eq!(first["policy"]["version"], "1.0.0");
    assert!(first["policy"]["digest"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
    assert_eq!(first["outcome"], "deny");
    assert_eq!(first["lines"][0]["outcome"], "allow");
    assert_eq!(first["lines"][0]["findings"], Value::Array(vec![]));
    let finding = &first["lines"][1]["findings"][0];
    assert_eq!(finding["rule"], "t.p/angio");
    assert_eq!(finding["outcome"], "deny");
    assert_eq!(finding["carc"], "97");
    assert_eq!(finding["rarc"][0], "M15");
    assert_eq!(finding["citation"], "NCCI PTP indicator 0");
    assert_eq!(finding["suggested_code"], Value::Null);
    assert!(
        finding.get("explanation").is_none(),
        "explanations only with --explain"
    );
    assert_eq!(records[1]["outcome"], "allow");
}

#[test]
fn bad_records_become_error_records_and_the_rest_is_decided() {
    let dir = pack_dir();
    let input = [
        record("C1", "P1", vec![line("76377")]),
        "{not json".to_owned(),
        record("C3", "P1", vec![line("7637")]),
        record_of("acme", "C4", "P1", vec![line("76377")]),
        record("C5", "P1", vec![line("76377").modifiers(&["2"])]),
        record("C6", "P1", vec![line("76377").date("2026-02-30")]),
        claim("t")
            .id("C7")
            .diagnoses(&["S32.401A"])
            .line(line("76377").pointers(&[2]))
            .to_string(),
        record("C8", "P1", vec![line("76377")]),
    ]
    .join("\n");
    let (code, records, stderr) = run(&dir, &input, &[]);
    assert_eq!(code, 1);
    assert_eq!(records.len(), 8);
    assert_eq!(records[0]["claim"], "C1");
    let error = |i: usize| records[i]["error"].as_str().unwrap().to_owned();
    assert_eq!(records[1]["record"], 2);
    assert!(error(1).starts_with("invalid claim:"), "{}", error(1));
    assert_eq!(records[2]["record"], 3);
    assert!(
        error(2).starts_with("lines[0].code: invalid procedure code: expected 5 characters"),
        "{}",
        error(2)
    );
    assert!(error(3).contains("unknown payer `acme`"), "{}", error(3));
    assert!(
        error(4).starts_with("lines[0].modifiers[0]: invalid modifier: expected 2"),
        "{}",
        error(4)
    );
    assert!(
        error(5).starts_with("lines[0].date: invalid date: expected a real calendar date"),
        "{}",
        error(5)
    );
    assert!(
        error(6).contains("pointer 2 has no diagnosis"),
        "{}",
        error(6)
    );
    assert_eq!(records[7]["claim"], "C8");
    assert!(
        stderr.contains("6 record(s) rejected, 2 decided"),
        "{stderr}"
    );
}

#[test]
fn earlier_claims_are_the_history_of_later_ones() {
    let dir = pack_dir();
    let input = [
        record("C1", "P1", vec![line("76377").units(2)]),
        record("C2", "P1", vec![line("76377")]),
        record("C3", "P2", vec![line("76377")]),
    ]
    .join("\n");
    let (code, records, _) = run(&dir, &input, &[]);
    assert_eq!(code, 0);
    let outcomes: Vec<&str> = records
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, vec!["allow", "deny", "allow"]);
    assert_eq!(records[1]["lines"][0]["findings"][0]["rule"], "t.p/mue");
}

#[test]
fn explain_adds_the_clause_trace() {
    let dir = pack_dir();
    let input = record("C1", "P1", vec![line("71275"), line("76377")]);
    let (_, records, _) = run(&dir, &input, &["--explain"]);
    let clauses = &records[0]["lines"][1]["findings"][0]["explanation"]["clauses"];
    assert_eq!(clauses[0]["clause"], "line.code in three_d");
    assert_eq!(clauses[0]["value"], true);
    assert_eq!(
        clauses[1]["clause"],
        "any other line on same date where code in angio"
    );
    assert!(clauses[1]["at"]
        .as_str()
        .unwrap()
        .starts_with("t/t.policy:7:"));
}

#[test]
fn policy_errors_exit_2_with_diagnostics_and_nothing_on_stdout() {
    let dir = pack_dir();
    std::fs::write(
        dir.path().join("t/t.policy"),
        POLICY.replace("in angio", "in angoi"),
    )
    .unwrap();
    let (code, records, stderr) = run(&dir, &record("C1", "P1", vec![line("76377")]), &[]);
    assert_eq!(code, 2);
    assert!(records.is_empty());
    assert!(
        stderr.contains("t/t.policy:7:75: error[PLX-C034]: unknown set `angoi`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `angio`?"), "{stderr}");
}

#[test]
fn deny_warnings_turns_warnings_into_a_load_failure() {
    let dir = pack_dir();
    std::fs::write(
        dir.path().join("t/t.policy"),
        format!("{POLICY}set unused = 99213\n"),
    )
    .unwrap();
    let (code, _, _) = run(&dir, &record("C1", "P1", vec![line("76377")]), &[]);
    assert_eq!(code, 0);
    let (code, records, stderr) = run(
        &dir,
        &record("C1", "P1", vec![line("76377")]),
        &["--deny-warnings"],
    );
    assert_eq!(code, 2);
    assert!(records.is_empty());
    assert!(stderr.contains("set `unused` is never used"), "{stderr}");
}

#[test]
fn reads_a_file_argument() {
    let dir = pack_dir();
    let file = dir.path().join("claims.jsonl");
    std::fs::write(&file, record("C1", "P1", vec![line("76377")])).unwrap();
    Command::cargo_bin("payerlex")
        .unwrap()
        .args(["check", "--policies"])
        .arg(dir.path())
        .arg(&file)
        .assert()
        .success();
    Command::cargo_bin("payerlex")
        .unwrap()
        .args(["check", "--policies"])
        .arg(dir.path())
        .arg(dir.path().join("absent.jsonl"))
        .assert()
        .code(2);
}

#[test]
fn table_files_can_be_given_at_load_time() {
    let dir = pack_dir();
    let mue = dir.path().join("t/mue.csv");
    std::fs::write(
        &mue,
        "\"notice\",,,\n\"HCPCS/\nCPT Code\",Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale\n76377,1,3 Date of Service Edit: Clinical,Clinical: Data\n",
    )
    .unwrap();
    let policy = format!(
        "{POLICY}table mue = mue \"mue.csv\"\nrule mue-table\n  cite \"CMS MUE\"\n  when line.code in three_d and (sum units of lines on same date where code = line.code) > mue[line.code].value\n  deny carc 151 rarc N362 \"units over the table's MUE\"\n"
    );
    std::fs::write(dir.path().join("t/t.policy"), policy).unwrap();
    let input = record("C1", "P1", vec![line("76377").units(2)]);
    let (code, records, _) = run(&dir, &input, &[]);
    assert_eq!(code, 0);
    assert_eq!(
        records[0]["lines"][0]["findings"][0]["rule"],
        "t.p/mue-table"
    );
    // A file given with --table replaces the pack's: MUE 2 lets 2 units through.
    let other = dir.path().join("other.csv");
    std::fs::write(
        &other,
        std::fs::read_to_string(&mue)
            .unwrap()
            .replace("76377,1,", "76377,2,"),
    )
    .unwrap();
    let arg = format!("mue={}", other.display());
    let (code, records, _) = run(&dir, &input, &["--table", &arg]);
    assert_eq!(code, 0);
    assert_eq!(records[0]["outcome"], "allow");
    let (code, _, stderr) = run(&dir, &input, &["--table", "mue"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("expected NAME=PATH"), "{stderr}");
    let (code, _, stderr) = run(&dir, &input, &["--table", "mu=/x"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no loaded policy declares a table `mu`"),
        "{stderr}"
    );
}

#[test]
fn oversized_claims_are_rejected_not_evaluated() {
    let dir = pack_dir();
    let lines: Vec<LineSpec> = (1..=1000).map(|_| line("76377")).collect();
    let input = [
        record("C1", "P1", lines),
        record("C2", "P1", vec![line("76377")]),
    ]
    .join("\n");
    let (code, records, _) = run(&dir, &input, &[]);
    assert_eq!(code, 1);
    assert!(
        records[0]["error"]
            .as_str()
            .unwrap()
            .contains("at most 999 lines"),
        "{}",
        records[0]
    );
    assert_eq!(records[1]["claim"], "C2");
    let duplicate = record(
        "C3",
        "P1",
        vec![line("76377"), line("71275"), line("70450").number(1)],
    );
    let (_, records, _) = run(&dir, &duplicate, &[]);
    assert_eq!(
        records[0]["error"],
        "lines[2].number: line number 1 is used twice"
    );
}

/// The CLI serialises records with sonic-rs (faster string escaping); its bytes must be
/// exactly what `serde_json` writes for the same decision, the contract's reference writer.
#[test]
fn records_are_written_byte_for_byte_as_serde_json_writes_them() {
    let claims = common::policies().join("../examples/claims.jsonl");
    let (code, stdout, _) = common::run_payerlex(
        [
            "check".as_ref(),
            "--policies".as_ref(),
            common::policies().as_os_str(),
            "--explain".as_ref(),
            claims.as_os_str(),
        ],
        None,
    );
    assert_eq!(code, 1, "the example claims include denials");
    let mut decisions = 0;
    for line in stdout.lines() {
        if line.starts_with("{\"record\":") {
            let record: Value = serde_json::from_str(line).unwrap();
            assert!(record.get("error").is_some(), "{line}");
            continue;
        }
        let decision: payerlex::Decision = serde_json::from_str(line).unwrap();
        assert_eq!(serde_json::to_string(&decision).unwrap(), line);
        decisions += 1;
    }
    assert!(decisions >= 10, "only {decisions} decisions");
}
