//! `payerlex check --input x12`, `--payer-map`, `--output x12-835`: decisions from 837 files,
//! error records with 999 coordinates, 835 adjustment segments, exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../payerlex-x12/tests/fixtures")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn check(args: &[&str], stdin: Option<&str>) -> Run {
    let mut command = Command::cargo_bin("payerlex").unwrap();
    command
        .arg("check")
        .arg("--policies")
        .arg(common::policies())
        .args(args);
    if let Some(input) = stdin {
        command.write_stdin(input.to_owned());
    }
    let output = command.output().unwrap();
    Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn scenarios() -> String {
    fixtures().join("scenarios.x12").display().to_string()
}

fn payer_map() -> String {
    fixtures().join("payers.toml").display().to_string()
}

#[test]
fn decides_an_837_file_with_a_payer_map() {
    let run = check(
        &["--input", "x12", "--payer-map", &payer_map(), &scenarios()],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let decisions = json_lines(&run.stdout);
    assert_eq!(decisions.len(), 16);
    let by_id = |id: &str| decisions.iter().find(|d| d["claim"] == id).unwrap();
    assert_eq!(by_id("M-cta")["payer"], "medicare");
    assert_eq!(by_id("M-cta")["outcome"], "deny");
    assert_eq!(by_id("M-cta")["lines"][1]["findings"][0]["carc"], "97");
    assert_eq!(by_id("A-no-auth")["payer"], "acme-health");
    assert_eq!(by_id("A-no-auth")["outcome"], "deny");
    assert_eq!(
        by_id("A-auth")["outcome"],
        "allow",
        "REF*G1 is the prior authorisation"
    );
    assert_eq!(by_id("S-aneurysm")["payer"], "summit-care");
}

#[test]
fn without_a_payer_map_an_unknown_payer_is_named_where_the_837_names_it() {
    let run = check(&["--input", "x12", &scenarios()], None);
    assert_eq!(run.code, 1);
    let records = json_lines(&run.stdout);
    assert_eq!(records.len(), 16);
    let first = &records[0];
    assert_eq!(first["record"], 1);
    assert_eq!(first["code"], "PLX-R020");
    assert!(
        first["error"]
            .as_str()
            .unwrap()
            .contains("unknown payer `00882`"),
        "{first}"
    );
    assert_eq!(first["segment_id"], "NM1");
    assert_eq!(first["loop"], "2010BB");
    assert_eq!(first["element"], 9);
    assert_eq!(first["value"], "00882");
    assert_eq!(first["claim"], "M-clean");
    assert_eq!(first["transaction"], "0001");
    // ST, BHT, NM1, PER, NM1 (5), HL, PRV, NM1, N3, N4, REF (11), HL, SBR, NM1*IL, DMG, NM1*PR (16).
    assert_eq!(first["segment"], 16);
}

#[test]
fn writes_835_adjustment_segments() {
    let run = check(
        &[
            "--input",
            "x12",
            "--payer-map",
            &payer_map(),
            "--output",
            "x12-835",
            &scenarios(),
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(
        "CLP*M-cta*1~\nSVC*HC:71275******1~\nDTM*472*20260302~\nSVC*HC:76377******1~\nDTM*472*20260302~\nCAS*CO*97~\nLQ*HE*M15~\n"
    ), "{}", run.stdout);
    assert!(run.stdout.contains("CLP*A-no-auth*1~"), "{}", run.stdout);
    assert!(run.stdout.contains("CAS*CO*197~"), "{}", run.stdout);
    assert_eq!(run.stdout.matches("CLP*").count(), 16);
    assert!(
        run.stdout.lines().all(|l| l.ends_with('~')),
        "only X12 on stdout"
    );
}

#[test]
fn json_claims_can_be_written_as_835_and_their_error_records_go_to_stderr() {
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/claims.jsonl");
    let run = check(
        &["--output", "x12-835", &examples.display().to_string()],
        None,
    );
    assert_eq!(run.code, 1, "the last example is malformed");
    assert!(run.stdout.contains("CLP*M-cta*1~"), "{}", run.stdout);
    let errors: Vec<Value> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert_eq!(errors[0]["code"], "PLX-R001");
}

const ISA: &str = "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *260320*1200*^*00501*000000001*0*T*:~";

fn interchange(claims: &str) -> String {
    format!(
        "{ISA}\nGS*HC*S*R*20260320*1200*1*X*005010X222A1~\nST*837*0042*005010X222A1~\nBHT*0019*00*1*20260320*1200*CH~\nNM1*41*2*SUBMITTER*****46*S1~\nPER*IC*OFFICE*TE*5555550100~\nNM1*40*2*RECEIVER*****46*R1~\nHL*1**20*1~\nNM1*85*2*IMAGING*****XX*1234567893~\nN3*1 MAIN~\nN4*TOWN*IL*62701~\nREF*EI*123456789~\nHL*2*1*22*0~\nSBR*P*18*******MB~\nNM1*IL*1*DOE*JANE****MI*P1~\nDMG*D8*19700101*F~\nNM1*PR*2*MEDICARE*****PI*00882~\n{claims}SE*30*0042~\nGE*1*1~\nIEA*1*000000001~\n"
    )
}

#[test]
fn a_malformed_claim_is_an_error_record_with_999_coordinates_and_the_others_are_decided() {
    let claims = "CLM*C1*150***11:B:1*Y*A*Y*Y~\nHI*ABK:S32401A~\nLX*1~\nSV1*HC:7637*100*UN*1***1~\nDTP*472*D8*20260302~\n\
                  CLM*C2*150***11:B:1*Y*A*Y*Y~\nHI*ABK:S32401A~\nLX*1~\nSV1*HC:76377*100*UN*1***1~\nDTP*472*D8*20260302~\n";
    let map = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(map.path(), "\"00882\" = \"medicare\"\n").unwrap();
    let run = check(
        &[
            "--input",
            "x12",
            "--payer-map",
            &map.path().display().to_string(),
            "-",
        ],
        Some(&interchange(claims)),
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("1 record(s) rejected, 1 decided"),
        "{}",
        run.stderr
    );
    let records = json_lines(&run.stdout);
    assert_eq!(records.len(), 2);
    let error = &records[0];
    assert_eq!(error["record"], 1);
    assert_eq!(error["kind"], "invalid_value");
    assert_eq!(error["transaction"], "0042");
    // ST = 1, BHT, NM1, PER, NM1, HL, NM1, N3, N4, REF, HL, SBR, NM1, DMG, NM1, CLM (16), HI, LX, SV1 (19).
    assert_eq!(error["segment"], 19);
    assert_eq!(error["segment_id"], "SV1");
    assert_eq!(error["loop"], "2400");
    assert_eq!(error["element"], 1);
    assert_eq!(error["component"], 2);
    assert_eq!(error["value"], "7637");
    assert_eq!(error["claim"], "C1");
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .starts_with("SV101-2, segment 19, loop 2400: `7637`: invalid procedure code"),
        "{error}"
    );
    assert_eq!(records[1]["claim"], "C2");
    assert_eq!(records[1]["outcome"], "deny", "76377 without a base study");
}

#[test]
fn patient_data_never_reaches_error_records() {
    let claims = "CLM*C1*150***11:B:1*Y*A*Y*Y~\nHI*ABK:S32401A~\nLX*1~\nSV1*HC:76377*100*UN*1***1~\nDTP*472*D8*20261399~\n";
    let input = interchange(claims).replace("DMG*D8*19700101*F", "DMG*D8*19700199*F");
    let run = check(&["--input", "x12", "-"], Some(&input));
    assert_eq!(run.code, 1);
    for secret in ["19700199", "20261399", "DOE", "JANE"] {
        assert!(!run.stdout.contains(secret), "{secret} in {}", run.stdout);
    }
    let record = &json_lines(&run.stdout)[0];
    assert_eq!(record["segment_id"], "DMG");
    assert_eq!(record["loop"], "2010BA");
    assert!(record.get("value").is_none());
}

#[test]
fn a_file_that_is_not_an_interchange_fails_with_a_clear_message() {
    let run = check(&["--input", "x12", "-"], Some("ST*837*1~\nCLM*C1~\n"));
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("does not start with an ISA segment"),
        "{}",
        run.stderr
    );
    let damaged = interchange("").replacen("*00*          *00*", "*00*         *00*", 1);
    let run = check(&["--input", "x12", "-"], Some(&damaged));
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("fixed 106-character layout"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_payer_map_needs_x12_input_and_a_readable_file() {
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/claims.jsonl");
    let run = check(
        &["--payer-map", &payer_map(), &examples.display().to_string()],
        None,
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--payer-map applies to"),
        "{}",
        run.stderr
    );
    let run = check(
        &[
            "--input",
            "x12",
            "--payer-map",
            "/nonexistent/payers.toml",
            &scenarios(),
        ],
        None,
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("cannot read payer map"),
        "{}",
        run.stderr
    );
    let run = check(&["--input", "edifact", &scenarios()], None);
    assert_eq!(run.code, 2, "an unknown format is a usage error");
}
