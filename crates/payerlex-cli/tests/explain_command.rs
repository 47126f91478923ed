//! `payerlex explain`: the rules of a pack that can fire on a code and the code's rows in the
//! pack's CMS tables, as text and JSON, on the shipped policies.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use assert_cmd::Command;
use serde_json::Value;

fn explain(args: &[&str]) -> (i32, String, String) {
    let output = Command::cargo_bin("payerlex")
        .unwrap()
        .arg("explain")
        .arg("--policies")
        .arg(common::policies())
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, stdout, stderr) = explain(&all);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

fn rule_ids(pack: &Value) -> Vec<String> {
    pack["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_3d_code_for_medicare_in_2026() {
    let report = json(&["76377", "--payer", "medicare", "--date", "2026-03-02"]);
    assert_eq!(report["code"], "76377");
    let pack = &report["packs"][0];
    assert_eq!(pack["pack"], "medicare");
    let rules = rule_ids(pack);
    for expected in [
        "medicare.3d-rendering/base-study-required",
        "medicare.3d-rendering/integral-to-angiography",
        "medicare.3d-rendering/units-over-mue",
        "medicare.3d-documentation/workstation-not-documented",
    ] {
        assert!(
            rules.contains(&expected.to_owned()),
            "{expected} missing: {rules:?}"
        );
    }
    // Rules the code alone rules out: the general NCCI edits leave the 3D codes to their own
    // policy, 76376's own edit names another code, and the PC/TC edits need another PC/TC.
    for absent in [
        "medicare.ncci/ptp-not-allowed",
        "medicare.ncci/mue-gap",
        "medicare.ncci/add-on-without-primary",
        "medicare.ncci/modifier-26-not-valid",
        "medicare.3d-rendering/bundled-into-76377",
    ] {
        assert!(
            !rules.contains(&absent.to_owned()),
            "{absent} listed: {rules:?}"
        );
    }
    let base = &pack["rules"][0];
    assert_eq!(base["rule"], "medicare.3d-rendering/base-study-required");
    assert_eq!(base["outcome"], "deny");
    assert_eq!(base["carc"], "B15");
    assert_eq!(base["rarc"][0], "N657");
    assert!(base["message"]
        .as_str()
        .unwrap()
        .starts_with("3D rendering is paid only"));
    assert!(base["citation"]
        .as_str()
        .unwrap()
        .starts_with("CPT instructions"));
    assert!(base["when"]
        .as_str()
        .unwrap()
        .starts_with("line.code in three_d and no line"));

    assert_eq!(pack["mue"]["value"], 2);
    assert_eq!(pack["mue"]["mai"], 3);
    let column2: Vec<&str> = pack["ptp"]["column2_of"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert!(column2.contains(&"71275"), "{column2:?}");
    assert_eq!(pack["ptp"]["column1_of"][0]["code"], "76376");
    assert_eq!(pack["ptp"]["column1_of"][0]["indicator"], 0);
    assert_eq!(pack["add_on"]["add_on_type"], Value::Null);
    let fees = &pack["fee_schedule"];
    assert_eq!(fees["pctc"], 1);
    assert_eq!(fees["status"], "A");
    assert_eq!(fees["global"], "XXX");
    let amounts: Vec<(&Value, &str)> = fees["estimates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (&e["modifier"], e["non_facility"].as_str().unwrap()))
        .collect();
    assert_eq!(
        amounts,
        [
            (&Value::Null, "78.83"),
            (&Value::from("26"), "37.07"),
            (&Value::from("TC"), "41.75")
        ]
    );
}

#[test]
fn the_date_picks_the_fee_schedule_release() {
    let report = json(&["76377", "--payer", "medicare", "--date", "2025-06-01"]);
    let estimates = &report["packs"][0]["fee_schedule"]["estimates"];
    assert_eq!(estimates[0]["non_facility"], "76.98");
    assert_eq!(estimates[1]["non_facility"], "36.23");
}

#[test]
fn an_extending_pack_adds_its_own_rules() {
    let report = json(&["76377", "--payer", "acme-health", "--date", "2026-03-02"]);
    let rules = rule_ids(&report["packs"][0]);
    assert!(rules.contains(&"acme-health.3d-rendering/prior-authorization-required".to_owned()));
    assert!(rules.contains(&"medicare.3d-rendering/base-study-required".to_owned()));
    assert!(!rules.contains(&"acme-health.3d-rendering/integral-to-base-study".to_owned()));
    // Without --payer, every pack.
    let all = json(&["76377", "--date", "2026-03-02"]);
    assert_eq!(all["packs"].as_array().unwrap().len(), 3);
}

#[test]
fn a_code_outside_the_3d_rules_gets_the_general_edits() {
    let report = json(&["71275", "--payer", "medicare", "--date", "2026-03-02"]);
    let rules = rule_ids(&report["packs"][0]);
    assert!(
        rules.contains(&"medicare.ncci/ptp-not-allowed".to_owned()),
        "{rules:?}"
    );
    assert!(
        !rules.iter().any(|r| r.starts_with("medicare.3d-")),
        "{rules:?}"
    );
}

#[test]
fn text_output_names_rules_tables_and_prices() {
    let (code, stdout, stderr) = explain(&["76377", "--payer", "medicare", "--date", "2026-03-02"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("76377 for medicare 2026.1.0 on 2026-03-02"),
        "{stdout}"
    );
    assert!(stdout.contains("deny   medicare.3d-rendering/base-study-required carc B15 rarc N657"));
    assert!(
        stdout.contains("MUE        2 (MAI 3: 3 Date of Service Edit: Clinical)"),
        "{stdout}"
    );
    assert!(stdout.contains("PC/TC 1"), "{stdout}");
    assert!(stdout.contains("global          $78.83"), "{stdout}");
    assert!(stdout.contains("-26             $37.07"), "{stdout}");
}

#[test]
fn bad_codes_and_payers_are_refused() {
    let (code, _, stderr) = explain(&["7637"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("`7637` is not a procedure code"),
        "{stderr}"
    );
    let (code, _, stderr) = explain(&["76377", "--payer", "acme"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no pack for payer `acme`"), "{stderr}");
}
