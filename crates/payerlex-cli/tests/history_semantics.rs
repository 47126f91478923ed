//! History semantics through `payerlex check` on JSON Lines, with the shipped packs and the
//! example pack: history is per payer and patient, a replacement (frequency 7) is decided as
//! if the claim it replaces were absent and takes its place, a void (frequency 8) removes the
//! claim from later claims' history, and a late claim that makes an earlier paid line fail a
//! history-reading deny rule lists it under `adjustments`.
//!
//! Each test pairs the claim sequence under test with a control that differs only in the
//! semantics at stake (same payer, no `replaces`, no void), so a test cannot pass because the
//! rule never fires. Claims come from the workspace's builders (`common`, which includes
//! `crates/payerlex/tests/common/builders.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::{claim, line, policies, ClaimSpec, LineSpec, NPI, OTHER_NPI};
use serde_json::{json, Value};

const FULL_REPORT: &str = "CT pelvis. 3D volume rendering performed on an independent workstation under concurrent physician supervision. 3D findings: comminuted acetabular fracture. Required to characterize the fracture for preoperative planning.";

/// The example pack of `examples/general-policies`.
fn example_pack() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/general-policies")
}

/// Runs `payerlex check` on `claims` (in order) and returns one decision per claim; every
/// record must be decided.
fn check(policies: &Path, claims: &[ClaimSpec]) -> Vec<Value> {
    let input: Vec<String> = claims.iter().map(ToString::to_string).collect();
    let output = Command::cargo_bin("payerlex")
        .unwrap()
        .arg("check")
        .arg("--policies")
        .arg(policies)
        .arg("-")
        .write_stdin(input.join("\n"))
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    let records: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), claims.len(), "{stdout}");
    for record in &records {
        assert!(record.get("error").is_none(), "{record}");
    }
    records
}

/// The decision of claim `id`.
fn decision<'a>(records: &'a [Value], id: &str) -> &'a Value {
    records
        .iter()
        .find(|r| r["claim"] == id)
        .unwrap_or_else(|| panic!("no decision for {id}"))
}

/// Line `number`'s outcome and its deny/review findings as `rule CARC`.
fn line_of(records: &[Value], id: &str, number: u64) -> (String, Vec<String>) {
    let line = decision(records, id)["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["number"] == number)
        .unwrap_or_else(|| panic!("{id} has no line {number}"));
    let findings = line["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["outcome"] != "advice")
        .map(|f| format!("{} {}", f["rule"].as_str().unwrap(), f["carc"]))
        .collect();
    (line["outcome"].as_str().unwrap().to_owned(), findings)
}

/// The adjustments of claim `id` as `claim line code rule outcome group carc`.
fn adjustments(records: &[Value], id: &str) -> Vec<String> {
    decision(records, id)
        .get("adjustments")
        .and_then(Value::as_array)
        .map_or_else(Vec::new, |list| {
            list.iter()
                .map(|a| {
                    format!(
                        "{} {} {} {} {} {} {}",
                        a["claim"].as_str().unwrap(),
                        a["line"],
                        a["code"].as_str().unwrap(),
                        a["rule"].as_str().unwrap(),
                        a["outcome"].as_str().unwrap(),
                        a["group"].as_str().unwrap(),
                        a["carc"].as_str().unwrap(),
                    )
                })
                .collect()
        })
}

/// A CT (74177) and a 3D rendering (76377) on `date`, both pointing to the fracture.
fn ct_with_3d(date: &str) -> Vec<LineSpec> {
    vec![
        line("74177").date(date).pointers(&[1]),
        line("76377").date(date).pointers(&[1]),
    ]
}

/// A Medicare claim `id` for `patient` by [`NPI`], with a full 3D report.
fn medicare(id: &str, patient: &str, lines: Vec<LineSpec>) -> ClaimSpec {
    claim("medicare")
        .id(id)
        .patient(patient)
        .diagnoses(&["S32.401A"])
        .report_text(FULL_REPORT)
        .lines(lines)
}

/// An Acme Health claim `id` for `patient`: billed and rendered by a diagnostic radiologist
/// ([`NPI`]), prior authorisation on the claim, a full 3D report; so only history decides.
fn acme(id: &str, patient: &str, lines: Vec<LineSpec>) -> ClaimSpec {
    claim("acme-health")
        .id(id)
        .patient(patient)
        .set(
            "provider",
            json!({ "npi": NPI, "role": "professional", "taxonomy": "2085R0202X" }),
        )
        .set("prior_authorization", json!("ACME-PA-2026-0042"))
        .diagnoses(&["S32.401A"])
        .report_text(FULL_REPORT)
        .lines(lines)
}

/// `spec` as a replacement (frequency 7) of claim `original`.
fn replacing(spec: ClaimSpec, original: &str) -> ClaimSpec {
    spec.set("frequency", json!("7"))
        .set("replaces", json!(original))
}

/// `spec` as a void (frequency 8) of claim `original`.
fn voiding(spec: ClaimSpec, original: &str) -> ClaimSpec {
    spec.set("frequency", json!("8"))
        .set("replaces", json!(original))
}

const ONCE_PER_30: &str = "acme-health.3d-rendering/once-per-30-days \"119\"";
const COMPONENT: &str = "medicare.3d-rendering/component-already-billed \"18\"";

#[test]
fn history_is_per_payer_a_76377_of_one_payer_does_not_count_for_another() {
    let records = check(
        &policies(),
        &[
            // Medicare's 76377 on 2026-02-20 does not count in Acme's 30 days ...
            medicare("M1", "P1", ct_with_3d("2026-02-20")),
            acme("A1", "P1", ct_with_3d("2026-03-02")),
            // ... where Acme's own 76377 would (control).
            acme("A2", "P2", ct_with_3d("2026-02-20")),
            acme("A3", "P2", ct_with_3d("2026-03-02")),
            // Acme's 76377 does not count in Medicare's component edits ...
            acme("A4", "P3", ct_with_3d("2026-03-02")),
            medicare("M2", "P3", ct_with_3d("2026-03-02")),
            // ... where Medicare's own would (control).
            medicare("M3", "P4", ct_with_3d("2026-03-02")),
            medicare("M4", "P4", ct_with_3d("2026-03-02")),
        ],
    );
    assert_eq!(line_of(&records, "A1", 2), ("allow".into(), vec![]));
    assert_eq!(
        line_of(&records, "A3", 2),
        ("deny".into(), vec![ONCE_PER_30.to_owned()])
    );
    assert_eq!(line_of(&records, "M2", 2), ("allow".into(), vec![]));
    let (outcome, findings) = line_of(&records, "M4", 2);
    assert_eq!(outcome, "deny");
    assert!(findings.contains(&COMPONENT.to_owned()), "{findings:?}");
    for id in ["A1", "A3", "M2", "M4"] {
        assert_eq!(adjustments(&records, id), Vec::<String>::new(), "{id}");
    }
}

#[test]
fn a_replacement_is_decided_as_if_the_claim_it_replaces_were_absent() {
    let records = check(
        &policies(),
        &[
            // The same 3D session billed again as a replacement: not a duplicate of itself.
            medicare("M1", "P1", ct_with_3d("2026-03-02")),
            replacing(medicare("M1R", "P1", ct_with_3d("2026-03-02")), "M1"),
            // Control: the same claim sent as a new original is a duplicate component.
            medicare("M2", "P2", ct_with_3d("2026-03-02")),
            medicare("M2B", "P2", ct_with_3d("2026-03-02")),
            // Acme: a replacement moving the 76377 from 02-20 to 03-02 is not its own repeat
            // within 30 days; the same claim as a new original is (control).
            acme("A1", "P3", ct_with_3d("2026-02-20")),
            replacing(acme("A1R", "P3", ct_with_3d("2026-03-02")), "A1"),
            acme("A2", "P4", ct_with_3d("2026-02-20")),
            acme("A2B", "P4", ct_with_3d("2026-03-02")),
        ],
    );
    assert_eq!(line_of(&records, "M1R", 2), ("allow".into(), vec![]));
    let (outcome, findings) = line_of(&records, "M2B", 2);
    assert_eq!(outcome, "deny");
    assert!(findings.contains(&COMPONENT.to_owned()), "{findings:?}");
    assert_eq!(line_of(&records, "A1R", 2), ("allow".into(), vec![]));
    assert_eq!(
        line_of(&records, "A2B", 2),
        ("deny".into(), vec![ONCE_PER_30.to_owned()])
    );
    // The replacement does not adjust the claim it replaces (that claim is gone).
    assert_eq!(adjustments(&records, "A1R"), Vec::<String>::new());
}

#[test]
fn later_claims_see_the_replacement_and_not_the_claim_it_replaced() {
    let records = check(
        &policies(),
        &[
            medicare("M1", "P1", ct_with_3d("2026-03-02")),
            // The replacement corrects the date of service to 03-03.
            replacing(medicare("M1R", "P1", ct_with_3d("2026-03-03")), "M1"),
            medicare("M2", "P1", ct_with_3d("2026-03-02")),
            medicare("M3", "P1", ct_with_3d("2026-03-03")),
        ],
    );
    assert_eq!(line_of(&records, "M1R", 2), ("allow".into(), vec![]));
    assert_eq!(
        line_of(&records, "M2", 2),
        ("allow".into(), vec![]),
        "the original's 03-02 session is gone"
    );
    let (outcome, findings) = line_of(&records, "M3", 2);
    assert_eq!(outcome, "deny", "the replacement's 03-03 session counts");
    assert!(findings.contains(&COMPONENT.to_owned()), "{findings:?}");
}

#[test]
fn a_void_removes_the_claim_from_later_claims_history() {
    let records = check(
        &policies(),
        &[
            medicare("M1", "P1", ct_with_3d("2026-03-02")),
            voiding(medicare("M1V", "P1", ct_with_3d("2026-03-02")), "M1"),
            medicare("M2", "P1", ct_with_3d("2026-03-02")),
            // A CT angiography of the same date and provider: only M2's 76377 is left to adjust.
            medicare("M3", "P1", vec![line("71275").pointers(&[1])]),
            // Control: without the void the second session is a duplicate component.
            medicare("M4", "P2", ct_with_3d("2026-03-02")),
            medicare("M5", "P2", ct_with_3d("2026-03-02")),
        ],
    );
    assert_eq!(line_of(&records, "M2", 2), ("allow".into(), vec![]));
    assert_eq!(
        adjustments(&records, "M3"),
        ["M2 2 76377 medicare.3d-rendering/integral-to-angiography adjust_prior CO 97"]
    );
    let (outcome, findings) = line_of(&records, "M5", 2);
    assert_eq!(outcome, "deny");
    assert!(findings.contains(&COMPONENT.to_owned()), "{findings:?}");
}

#[test]
fn a_late_angiography_adjusts_the_earlier_paid_3d_line_of_the_same_provider_and_payer() {
    let angiography =
        |id: &str, patient: &str| medicare(id, patient, vec![line("71275").pointers(&[1])]);
    let records = check(
        &policies(),
        &[
            medicare("M1", "P1", ct_with_3d("2026-03-02")),
            angiography("M2", "P1"),
            // Another provider's angiography: NCCI edits are per provider.
            medicare("M3", "P2", ct_with_3d("2026-03-02")),
            angiography("M4", "P2").npi(OTHER_NPI),
            // Another payer's 3D line: history is per payer.
            acme("A1", "P3", ct_with_3d("2026-03-02")),
            angiography("M5", "P3"),
        ],
    );
    assert_eq!(line_of(&records, "M1", 2), ("allow".into(), vec![]));
    assert_eq!(line_of(&records, "M2", 1), ("allow".into(), vec![]));
    assert_eq!(
        adjustments(&records, "M2"),
        ["M1 2 76377 medicare.3d-rendering/integral-to-angiography adjust_prior CO 97"]
    );
    let adjustment = &decision(&records, "M2")["adjustments"][0];
    assert_eq!(adjustment["rarc"], json!(["M15"]));
    assert!(adjustment["message"]
        .as_str()
        .unwrap()
        .contains("CT/MR angiography"));
    assert!(adjustment["citation"].as_str().unwrap().contains("NCCI"));
    assert_eq!(adjustments(&records, "M4"), Vec::<String>::new());
    assert_eq!(adjustments(&records, "M5"), Vec::<String>::new());
}

#[test]
fn a_late_76377_adjusts_a_paid_76377_up_to_30_days_after_it() {
    let records = check(
        &policies(),
        &[
            // 04-01 is the 30th day after 03-02: the 03-02 line arriving later uses the benefit.
            acme("A1", "P1", ct_with_3d("2026-04-01")),
            acme("A2", "P1", ct_with_3d("2026-03-02")),
            // 04-02 is the 31st day: outside.
            acme("A3", "P2", ct_with_3d("2026-04-02")),
            acme("A4", "P2", ct_with_3d("2026-03-02")),
        ],
    );
    assert_eq!(line_of(&records, "A2", 2), ("allow".into(), vec![]));
    assert_eq!(
        adjustments(&records, "A2"),
        ["A1 2 76377 acme-health.3d-rendering/once-per-30-days adjust_prior CO 119"]
    );
    assert_eq!(line_of(&records, "A4", 2), ("allow".into(), vec![]));
    assert_eq!(adjustments(&records, "A4"), Vec::<String>::new());
}

#[test]
fn a_late_surgery_adjusts_the_paid_visits_in_its_global_period() {
    let visit = |id: &str, patient: &str, date: &str, modifiers: &[&str]| {
        claim("general-policies")
            .id(id)
            .patient(patient)
            .diagnoses(&["M17.11"])
            .line(line("99213").date(date).modifiers(modifiers).pointers(&[1]))
    };
    let surgery = |id: &str, patient: &str| {
        claim("general-policies")
            .id(id)
            .patient(patient)
            .diagnoses(&["M17.11"])
            .line(line("27447").pointers(&[1]))
    };
    let records = check(
        &example_pack(),
        &[
            // Surgery on 2026-03-02 (090): visits through 2026-05-31 are in its period.
            visit("E1", "P1", "2026-03-10", &[]),
            visit("E2", "P1", "2026-05-31", &[]),
            visit("E3", "P1", "2026-06-01", &[]),
            visit("E4", "P1", "2026-04-15", &["24"]),
            surgery("S1", "P1"),
            // Another provider's surgery does not put the visits in a global period.
            visit("E5", "P2", "2026-03-10", &[]),
            surgery("S2", "P2").npi(OTHER_NPI),
        ],
    );
    for id in ["E1", "E2", "E3", "E4", "E5"] {
        assert_eq!(line_of(&records, id, 1), ("allow".into(), vec![]), "{id}");
    }
    assert_eq!(
        adjustments(&records, "S1"),
        [
            "E1 1 99213 general.global-surgery/em-in-global-period adjust_prior CO 97",
            "E2 1 99213 general.global-surgery/em-in-global-period adjust_prior CO 97",
        ]
    );
    assert_eq!(
        decision(&records, "S1")["adjustments"][0]["rarc"],
        json!(["M144"])
    );
    assert_eq!(adjustments(&records, "S2"), Vec::<String>::new());
}

/// A line a later claim took back (`adjust_prior`) is no longer paid: claims after that do
/// not count it.
#[test]
fn a_line_taken_back_by_a_later_claim_no_longer_counts_as_paid() {
    let records = check(
        &policies(),
        &[
            acme("A1", "P1", ct_with_3d("2026-04-01")),
            // Adjusts A1's 76377 (the 30th day after 03-02).
            acme("A2", "P1", ct_with_3d("2026-03-02")),
            // 04-15: the 30 days before hold only A1's 76377, which was taken back.
            acme("A3", "P1", ct_with_3d("2026-04-15")),
            // Control: without the adjustment, the same 04-15 line is denied by A1's line.
            acme("B1", "P2", ct_with_3d("2026-04-01")),
            acme("B3", "P2", ct_with_3d("2026-04-15")),
        ],
    );
    assert_eq!(
        adjustments(&records, "A2"),
        ["A1 2 76377 acme-health.3d-rendering/once-per-30-days adjust_prior CO 119"]
    );
    assert_eq!(line_of(&records, "A3", 2), ("allow".into(), vec![]));
    assert_eq!(
        line_of(&records, "B3", 2),
        (
            "deny".into(),
            vec!["acme-health.3d-rendering/once-per-30-days \"119\"".to_owned()]
        )
    );
}
