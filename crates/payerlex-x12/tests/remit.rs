//! Decisions as 835 adjustment segments: SVC per line, CAS with group code and CARC for each
//! deny finding, LQ*HE for remark codes, CLP status 4 when every line is denied.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use payerlex::{Claim, Engine, InMemoryHistory};
use payerlex_x12::{write_adjustments, PayerMap, Reader, Record, RemitError};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The 835 segments of every scenario claim, by claim id.
fn remittances() -> Vec<(String, String)> {
    let engine =
        Engine::load(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../policies")).unwrap();
    let input = std::fs::read(fixtures().join("scenarios.x12")).unwrap();
    let payers = PayerMap::load(fixtures().join("payers.toml")).unwrap();
    let mut history = InMemoryHistory::new();
    Reader::new(&input)
        .unwrap()
        .with_payer_map(&payers)
        .map(|record| {
            let Record::Claim(read) = record else {
                panic!("{record:?}")
            };
            let decision = engine.check(&read.claim, &history).unwrap();
            history.record(&read.claim, &decision);
            let mut out = Vec::new();
            write_adjustments(&mut out, &read.claim, &decision).unwrap();
            (read.claim.id, String::from_utf8(out).unwrap())
        })
        .collect()
}

fn segments_of(all: &[(String, String)], id: &str) -> String {
    all.iter()
        .find(|(claim, _)| claim == id)
        .map(|(_, s)| s.clone())
        .unwrap()
}

#[test]
fn denied_lines_carry_group_code_carc_and_remarks() {
    let all = remittances();
    assert_eq!(
        segments_of(&all, "M-cta"),
        "CLP*M-cta*1~\nSVC*HC:71275******1~\nDTM*472*20260302~\nSVC*HC:76377******1~\nDTM*472*20260302~\nCAS*CO*97~\nLQ*HE*M15~\n"
    );
    assert_eq!(
        segments_of(&all, "M-lone"),
        "CLP*M-lone*4~\nSVC*HC:76377******1~\nDTM*472*20260302~\nCAS*CO*B15~\nLQ*HE*N657~\n",
        "every line denied: CLP02 = 4"
    );
    // Two deny findings of one group share a CAS segment (reason, amount, quantity, reason).
    let second_reader = segments_of(&all, "M-hosp-second-reader");
    assert!(
        second_reader.contains("SVC*HC:76377:26******1~\n"),
        "{second_reader}"
    );
    assert!(
        second_reader.contains("CAS*CO*151***B20~\n"),
        "{second_reader}"
    );
    assert!(
        second_reader.contains("LQ*HE*N362~\nLQ*HE*M80~\n"),
        "{second_reader}"
    );
    // Allowed lines and advice-only lines carry no adjustment.
    assert!(!segments_of(&all, "M-clean").contains("CAS"));
}

#[test]
fn every_segment_is_well_formed_x12() {
    for (id, segments) in remittances() {
        for segment in segments.lines() {
            let body = segment
                .strip_suffix('~')
                .unwrap_or_else(|| panic!("{id}: {segment}"));
            let name = body.split('*').next().unwrap();
            assert!(
                ["CLP", "SVC", "DTM", "CAS", "LQ"].contains(&name),
                "{id}: {segment}"
            );
            assert!(!body.contains('~'), "{id}: {segment}");
        }
    }
}

#[test]
fn a_claim_id_with_a_delimiter_or_another_claim_s_decision_is_refused() {
    let engine =
        Engine::load(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../policies")).unwrap();
    let line = std::fs::read_to_string(fixtures().join("scenarios.jsonl")).unwrap();
    let mut claims: Vec<Claim> = line
        .lines()
        .map(|l| payerlex::parse_claim(l).unwrap())
        .collect();
    let decision = engine.check(&claims[1], &InMemoryHistory::new()).unwrap();
    let mut out = Vec::new();
    assert!(matches!(
        write_adjustments(&mut out, &claims[2], &decision),
        Err(RemitError::Mismatch)
    ));
    claims[1].id = "C*1".to_owned();
    assert!(matches!(
        write_adjustments(&mut out, &claims[1], &decision),
        Err(RemitError::ClaimId)
    ));
    assert!(out.is_empty());
}

#[test]
fn the_group_code_is_the_policy_s() {
    let manifest = "id = \"t\"\nname = \"t\"\nversion = \"1.0.0\"\neffective = \"2025-01-01\"\npolicies = [\"p.policy\"]\n";
    let policy = "policy t.p\nversion 1.0.0\nset three_d = 76376, 76377\n\
                  rule patient-pays\n  cite \"test\"\n  when line.code = 76376\n  deny group PR carc 96 \"not covered: the patient pays\"\n\
                  rule write-off\n  cite \"test\"\n  when line.code = 76377\n  deny carc 97 \"bundled\"\n";
    let engine = Engine::from_sources(&[
        payerlex::PackSources::new("t", manifest).with_file("p.policy", policy)
    ])
    .unwrap();
    let mut claim = payerlex::parse_claim(
        r#"{"id":"G1","payer":"t","patient":"P1","provider":{"npi":"1234567893","role":"professional"},"place_of_service":"11",
            "lines":[{"number":1,"code":"76376","units":1,"date":"2026-03-02"},{"number":2,"code":"76377","units":1,"date":"2026-03-02"}]}"#,
    )
    .unwrap();
    claim.report = None;
    let decision = engine.check(&claim, &InMemoryHistory::new()).unwrap();
    let mut out = Vec::new();
    write_adjustments(&mut out, &claim, &decision).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("SVC*HC:76376******1~\nDTM*472*20260302~\nCAS*PR*96~\n"),
        "{text}"
    );
    assert!(
        text.contains("SVC*HC:76377******1~\nDTM*472*20260302~\nCAS*CO*97~\n"),
        "the default is CO: {text}"
    );
}
