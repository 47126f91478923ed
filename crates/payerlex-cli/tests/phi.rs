//! No patient data in any output: claims carrying distinctive PHI strings in every field
//! (valid claims, and claims where each field in turn holds PHI instead of a valid value)
//! go through `check`, `check --explain`, `test` and `diff --corpus`; none of the strings may
//! appear on stdout or stderr. Reliability reproducers c03 and c04.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use assert_cmd::Command;
use serde_json::{json, Value};

/// Strings that must never come back.
const PHI: [&str; 8] = [
    "ZQPATIENT",
    "John Zqdoe",
    "123-45-6789",
    "1961-07-04",
    "ZQAUTH",
    "ZQREPORT",
    "ZQKEY",
    "ZQFREE",
];

fn base() -> Value {
    json!({
        "id": "CLAIM-1", "payer": "medicare", "patient": "ZQPATIENT",
        "patient_birth_date": "1961-07-04",
        "provider": {"npi": "1234567893", "role": "professional"},
        "place_of_service": "11", "diagnoses": ["S32.401A"],
        "prior_authorization": "ZQAUTH-1",
        "authorizations": [{"number": "ZQAUTH-2", "codes": ["76377"], "from": "2026-01-01", "to": "2026-12-31"}],
        "lines": [
            {"number": 1, "code": "72192", "units": 1, "date": "2026-03-02", "diagnosis_pointers": [1]},
            {"number": 2, "code": "76377", "units": 1, "date": "2026-03-02", "diagnosis_pointers": [1]}
        ],
        "report": {"text": "ZQREPORT Patient John Zqdoe SSN 123-45-6789 born 1961-07-04. 3D rendering on an independent workstation under concurrent physician supervision."}
    })
}

/// The valid claim, then one claim per field holding PHI where a value belongs.
fn claims() -> Vec<String> {
    // Valid claims: the base, and one stating a fact under a key made of patient data.
    let mut stated = base();
    stated["report"]["facts"] = json!({"ZQKEY John Zqdoe": true});
    let mut out = vec![base(), stated];
    type Edit = Box<dyn Fn(&mut Value)>;
    let edits: Vec<(&str, Edit)> = vec![
        (
            "code",
            Box::new(|c| c["lines"][0]["code"] = json!("SSN 123-45-6789")),
        ),
        (
            "modifier",
            Box::new(|c| c["lines"][0]["modifiers"] = json!(["ZQFREE"])),
        ),
        (
            "units",
            Box::new(|c| c["lines"][0]["units"] = json!("123-45-6789")),
        ),
        (
            "date",
            Box::new(|c| c["lines"][0]["date"] = json!("1961-07-04 ZQFREE")),
        ),
        (
            "diagnosis",
            Box::new(|c| c["diagnoses"] = json!(["C71.9 123-45-6789"])),
        ),
        (
            "npi",
            Box::new(|c| c["provider"]["npi"] = json!("123-45-6789")),
        ),
        (
            "role",
            Box::new(|c| c["provider"]["role"] = json!("John Zqdoe")),
        ),
        (
            "place",
            Box::new(|c| c["place_of_service"] = json!("ZQFREE")),
        ),
        ("payer", Box::new(|c| c["payer"] = json!("SSN 123-45-6789"))),
        ("payer-ssn", Box::new(|c| c["payer"] = json!("123-45-6789"))),
        (
            "birth",
            Box::new(|c| c["patient_birth_date"] = json!("1961-07-04x")),
        ),
        ("sex", Box::new(|c| c["patient_sex"] = json!("John Zqdoe"))),
        (
            "fact",
            Box::new(|c| c["report"]["facts"] = json!({"independent_workstation": "123-45-6789"})),
        ),
        (
            "fact-key",
            Box::new(|c| c["report"]["facts"] = json!({"ZQKEY 123-45-6789": 1})),
        ),
        (
            "unknown-field",
            Box::new(|c| c["ZQKEY John Zqdoe"] = json!(true)),
        ),
        (
            "locality",
            Box::new(|c| c["locality"] = json!({"contractor": "123-45-6789", "locality": "05"})),
        ),
        (
            "taxonomy",
            Box::new(|c| c["provider"]["taxonomy"] = json!("ZQFREE 123")),
        ),
        (
            "authorization",
            Box::new(|c| c["authorizations"][0]["from"] = json!("1961-07-04 ZQFREE")),
        ),
        (
            "pointer",
            Box::new(|c| c["lines"][0]["diagnosis_pointers"] = json!(["123-45-6789"])),
        ),
        (
            "not-json",
            Box::new(|c| *c = json!("ZQFREE John Zqdoe 123-45-6789")),
        ),
    ];
    for (_, edit) in &edits {
        let mut claim = base();
        edit(&mut claim);
        out.push(claim);
    }
    let mut lines: Vec<String> = out.iter().map(Value::to_string).collect();
    // Broken JSON around PHI, and bytes that are not UTF-8.
    lines.push("{\"id\":\"X\",\"patient\":\"ZQPATIENT John Zqdoe".to_owned());
    lines.push("ZQFREE 123-45-6789 \u{00e9}".to_owned());
    lines
}

fn assert_no_phi(what: &str, text: &str) {
    for phi in PHI {
        assert!(!text.contains(phi), "{what} shows `{phi}`:\n{text}");
    }
}

fn run(args: &[&str], stdin: Option<String>) -> (String, String) {
    let mut command = Command::cargo_bin("payerlex").unwrap();
    command.args(args);
    if let Some(input) = stdin {
        command.write_stdin(input);
    }
    let output = command.output().unwrap();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn check_and_check_explain_never_show_patient_data() {
    let input = claims().join("\n") + "\n";
    let policies = common::policies();
    let policies = policies.to_str().unwrap();
    for extra in [&[][..], &["--explain"][..]] {
        let mut args = vec!["check", "--policies", policies];
        args.extend_from_slice(extra);
        args.push("-");
        let (stdout, stderr) = run(&args, Some(input.clone()));
        let records: Vec<Value> = stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(records.len(), claims().len(), "one record per line");
        assert!(
            records[0]["outcome"].is_string(),
            "the valid claim is decided"
        );
        assert!(
            records[1]["warnings"]
                .to_string()
                .contains("report.facts.?"),
            "{}",
            records[1]
        );
        for record in &records[2..] {
            assert!(
                record["code"].is_string(),
                "every other record is an error record: {record}"
            );
        }
        assert_no_phi(&format!("check {extra:?} stdout"), &stdout);
        assert_no_phi(&format!("check {extra:?} stderr"), &stderr);
    }
}

#[test]
fn pack_tests_never_show_patient_data() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("medicare");
    common::copy_dir(&common::policies().join("medicare"), &pack);
    // A failing test whose claim carries patient data.
    std::fs::write(
        pack.join("tests").join("zz-phi.toml"),
        r#"[defaults.claim]
provider = { npi = "1234567893", role = "professional" }
place_of_service = "11"
diagnoses = ["S32.401A"]

[defaults.line]
units = 1
date = "2026-03-02"
diagnosis_pointers = [1]

[[test]]
name = "a failing test with patient data"
claim.patient = "ZQPATIENT"
claim.patient_birth_date = "1961-07-04"
claim.prior_authorization = "ZQAUTH-1"
claim.report = { text = "ZQREPORT Patient John Zqdoe SSN 123-45-6789" }
claim.lines = [{ code = "72192" }, { code = "76377" }]
expect.1 = "deny"
expect.2 = "deny"
"#,
    )
    .unwrap();
    let (stdout, stderr) = run(
        &[
            "test",
            "--policies",
            dir.path().to_str().unwrap(),
            "medicare",
        ],
        None,
    );
    assert!(
        stdout.contains("a failing test with patient data")
            || stderr.contains("a failing test with patient data"),
        "the test ran and failed:\n{stdout}\n{stderr}"
    );
    assert_no_phi("test stdout", &stdout);
    assert_no_phi("test stderr", &stderr);
}

#[test]
fn diff_with_a_corpus_withholds_patient_data_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old");
    let new = dir.path().join("new");
    common::copy_dir(&common::policies().join("medicare"), &old);
    common::copy_dir(&common::policies().join("medicare"), &new);
    let policy = new.join("3d-rendering.policy");
    let text = std::fs::read_to_string(&policy).unwrap();
    let changed = text.replacen("70547..70549, 71275,", "70547..70549,", 1);
    assert_ne!(changed, text, "the policy still lists 71275 this way");
    std::fs::write(&policy, changed).unwrap();
    let mut claim = base();
    claim["lines"][0]["code"] = json!("71275");
    let corpus = dir.path().join("corpus.jsonl");
    std::fs::write(&corpus, format!("{claim}\n")).unwrap();
    let args = |show: bool| {
        let mut args = vec![
            "diff".to_owned(),
            old.to_str().unwrap().to_owned(),
            new.to_str().unwrap().to_owned(),
            "--corpus".to_owned(),
            corpus.to_str().unwrap().to_owned(),
            "--cases".to_owned(),
            "0".to_owned(),
            "--max-lines".to_owned(),
            "1".to_owned(),
        ];
        if show {
            args.push("--show-phi".to_owned());
        }
        args
    };
    let masked = args(false);
    let masked: Vec<&str> = masked.iter().map(String::as_str).collect();
    let (stdout, stderr) = run(&masked, None);
    assert!(
        stdout.contains("CLAIM-1"),
        "the corpus example is shown by its id:\n{stdout}"
    );
    assert!(stdout.contains("withheld"), "{stdout}");
    assert_no_phi("diff stdout", &stdout);
    assert_no_phi("diff stderr", &stderr);
    let shown = args(true);
    let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
    let (stdout, _) = run(&shown, None);
    assert!(
        stdout.contains("ZQPATIENT"),
        "--show-phi shows it:\n{stdout}"
    );
}
