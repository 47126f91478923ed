//! Tables in policies: NCCI PTP, MUE, add-on codes, PC/TC from the fee schedule, payment
//! estimates; loading errors; files given at load time.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use payerlex::Outcome;
use payerlex::{Engine, InMemoryHistory};
use payerlex::{LoadOptions, PackSources};

const CMS_FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../payerlex-cms/tests/fixtures"
);
const REAL_MUE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/cms-ncci-mue-practitioner-2026q2/MCR_MUE_PractitionerServices_Eff_04-01-2026.csv"
);

const NCCI: &str = r#"policy t.ncci
version 1.0.0
table ptp = ncci_ptp "ptp.txt"
table mue = mue "mue.csv"
table aoc = add_on_codes "aoc.txt"
table fees = fee_schedule "pprrvu_2025.csv" from 2025-01-01, "pprrvu_2026.csv" from 2026-01-01
table gpci = gpci "gpci.csv"
modifiers ncci_associated = E1, E2, E3, E4, FA, F1, F2, F3, F4, F5, F6, F7, F8, F9, TA, T1, T2, T3, T4, T5, T6, T7, T8, T9, LT, RT, LC, LD, RC, LM, RI, 24, 25, 27, 57, 58, 59, 78, 79, 91, XE, XS, XP, XU

rule ptp-never-together
  cite "NCCI PTP, modifier indicator 0"
  when any other line on same date by same provider where ptp[code, line.code].indicator = 0
  deny carc 236 rarc N20 "column 2 code is not payable with the column 1 code on the same date"

rule ptp-modifier-required
  cite "NCCI PTP, modifier indicator 1"
  when line has no modifier in ncci_associated and any other line on same date by same provider where ptp[code, line.code].indicator = 1
  deny carc 236 rarc N20 "append an NCCI-associated modifier if the services were distinct"

rule mue-per-line
  cite "CMS MUE, MAI 1"
  when mue[line.code].mai = 1 and line.units > mue[line.code].value
  deny carc 151 rarc N362 "units on this line exceed the MUE"

rule mue-per-date
  cite "CMS MUE, MAI 2 and 3"
  when mue[line.code].mai in [2, 3] and (sum units of lines in claim or history on same date where code = line.code) > mue[line.code].value
  deny carc 151 rarc N362 "units on this date exceed the MUE"

rule mue-gap
  cite "CMS MUE"
  when not mue[line.code]
  advice "no MUE for this code in the table: a gap, not a pass"

rule add-on-without-primary
  cite "CMS add-on code edits, type 1"
  when aoc[line.code].type = 1 and no other line in claim or history on same date by same provider where aoc[line.code, code]
  deny carc B15 rarc N122 "bill the add-on code with a listed primary procedure"

rule pctc-26
  cite "CMS PFS PC/TC indicator"
  when line has modifier 26 and fees[line.code].pctc in [0, 3, 4, 5, 7, 9]
  deny carc 4 "modifier 26 is not valid for this code"
"#;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{CMS_FIXTURES}/{name}")).unwrap()
}

fn ncci_pack(policy: &str) -> PackSources {
    PackSources::new(
        "t",
        manifest("t", &["ncci.policy"], "").replace("2025-01-01", "2020-01-01"),
    )
    .with_file("ncci.policy", policy)
    .with_table("ptp.txt", fixture("ptp_practitioner_sample.txt"))
    .with_table(
        "mue.csv",
        include_bytes!("fixtures/mue_sample.csv").to_vec(),
    )
    .with_table("aoc.txt", fixture("aoc_sample.txt"))
    .with_table("pprrvu_2025.csv", fixture("pprrvu_2025_sample.csv"))
    .with_table("pprrvu_2026.csv", fixture("pprrvu_2026_jul_sample.csv"))
    .with_table("gpci.csv", fixture("gpci_2026_sample.csv"))
}

fn ncci() -> Engine {
    Engine::from_sources(&[ncci_pack(NCCI)]).unwrap_or_else(|e| panic!("{}", e.render()))
}

fn rules_on(engine: &Engine, lines: &str, index: usize) -> Vec<String> {
    let mut c = claim(lines, "");
    c.payer = "t".into();
    fired(&engine.check(&c, &InMemoryHistory::new()).unwrap(), index)
}

#[test]
fn ptp_indicator_0_denies_column_2_with_no_bypass() {
    let e = ncci();
    let lines = format!(
        "{},{}",
        line(1, "71275", &[], 1, "2026-03-02"),
        line(2, "76377", &["59"], 1, "2026-03-02")
    );
    assert!(rules_on(&e, &lines, 1).contains(&"t.ncci/ptp-never-together".to_owned()));
    assert!(
        rules_on(&e, &lines, 0)
            .iter()
            .all(|r| !r.starts_with("t.ncci/ptp")),
        "column 1 stands"
    );
    let other_day = format!(
        "{},{}",
        line(1, "71275", &[], 1, "2026-03-01"),
        line(2, "76377", &[], 1, "2026-03-02")
    );
    assert!(rules_on(&e, &other_day, 1)
        .iter()
        .all(|r| !r.starts_with("t.ncci/ptp")));
}

#[test]
fn ptp_indicator_1_is_bypassed_by_associated_modifiers_only() {
    let e = ncci();
    let with = |m: &[&str]| {
        rules_on(
            &e,
            &format!(
                "{},{}",
                line(1, "70544", &[], 1, "2026-03-02"),
                line(2, "76377", m, 1, "2026-03-02")
            ),
            1,
        )
    };
    assert!(with(&[]).contains(&"t.ncci/ptp-modifier-required".to_owned()));
    assert!(!with(&["XS"]).contains(&"t.ncci/ptp-modifier-required".to_owned()));
    assert!(!with(&["59"]).contains(&"t.ncci/ptp-modifier-required".to_owned()));
    for never in ["22", "76", "77"] {
        assert!(
            with(&[never]).contains(&"t.ncci/ptp-modifier-required".to_owned()),
            "{never} never bypasses"
        );
    }
}

#[test]
fn ptp_edits_follow_effective_and_deletion_dates() {
    let e = ncci();
    // 70496/76377: indicator 1 until 2024-06-30, indicator 0 from 2024-07-01.
    let on = |date: &str| {
        rules_on(
            &e,
            &format!(
                "{},{}",
                line(1, "70496", &[], 1, date),
                line(2, "76377", &["XS"], 1, date)
            ),
            1,
        )
    };
    assert!(
        on("2024-06-30")
            .iter()
            .all(|r| !r.starts_with("t.ncci/ptp")),
        "indicator 1 bypassed by XS"
    );
    assert!(on("2024-07-01").contains(&"t.ncci/ptp-never-together".to_owned()));
    // The 76376/76377 indicator 9 tombstone never fires.
    let tomb = rules_on(
        &e,
        &format!(
            "{},{}",
            line(1, "76376", &[], 1, "2026-03-02"),
            line(2, "76377", &[], 1, "2026-03-02")
        ),
        1,
    );
    assert!(
        tomb.iter().all(|r| !r.starts_with("t.ncci/ptp")),
        "{tomb:?}"
    );
}

#[test]
fn mue_by_adjudication_indicator() {
    let e = ncci();
    // MAI 1 (99486 = 4 per line): two lines of 3 each pass, one line of 5 fails.
    assert!(!rules_on(
        &e,
        &format!(
            "{},{}",
            line(1, "99486", &[], 3, "2026-03-02"),
            line(2, "99486", &["76"], 3, "2026-03-02")
        ),
        1
    )
    .contains(&"t.ncci/mue-per-line".to_owned()));
    assert!(rules_on(&e, &line(1, "99486", &[], 5, "2026-03-02"), 0)
        .contains(&"t.ncci/mue-per-line".to_owned()));
    // MAI 3 (76377 = 2 per date): 1 + 2 on separate lines exceeds; every such line is denied.
    let lines = format!(
        "{},{}",
        line(1, "76377", &["26"], 1, "2026-03-02"),
        line(2, "76377", &["TC"], 2, "2026-03-02")
    );
    assert!(rules_on(&e, &lines, 0).contains(&"t.ncci/mue-per-date".to_owned()));
    assert!(rules_on(&e, &lines, 1).contains(&"t.ncci/mue-per-date".to_owned()));
    assert!(!rules_on(&e, &line(1, "76377", &[], 2, "2026-03-02"), 0)
        .contains(&"t.ncci/mue-per-date".to_owned()));
    // MAI 2 (15200 = 1 per date).
    assert!(rules_on(
        &e,
        &format!(
            "{},{}",
            line(1, "15200", &[], 1, "2026-03-02"),
            line(2, "15200", &["59"], 1, "2026-03-02")
        ),
        1
    )
    .contains(&"t.ncci/mue-per-date".to_owned()));
    // MUE 0: not payable at any units.
    assert!(rules_on(&e, &line(1, "G0463", &[], 1, "2026-03-02"), 0)
        .contains(&"t.ncci/mue-per-date".to_owned()));
    // A code absent from the table is a gap (advice), not a pass.
    let gap = rules_on(&e, &line(1, "99999", &[], 1, "2026-03-02"), 0);
    assert_eq!(gap, vec!["t.ncci/mue-gap"]);
}

#[test]
fn mue_per_date_sums_across_claims() {
    let e = ncci();
    let mut history = InMemoryHistory::new();
    let mut first = claim(&line(1, "76377", &["TC"], 2, "2026-03-02"), "");
    first.payer = "t".into();
    let d = e.check(&first, &history).unwrap();
    history.record(&first, &d);
    let mut second = claim(&line(1, "76377", &["26"], 1, "2026-03-02"), "");
    second.payer = "t".into();
    assert!(
        fired(&e.check(&second, &history).unwrap(), 0).contains(&"t.ncci/mue-per-date".to_owned())
    );
}

#[test]
fn type_1_add_on_needs_a_listed_primary() {
    let e = ncci();
    assert!(rules_on(&e, &line(1, "76937", &[], 1, "2026-03-02"), 0)
        .contains(&"t.ncci/add-on-without-primary".to_owned()));
    let with_primary = format!(
        "{},{}",
        line(1, "36556", &[], 1, "2026-03-02"),
        line(2, "76937", &[], 1, "2026-03-02")
    );
    assert!(!rules_on(&e, &with_primary, 1).contains(&"t.ncci/add-on-without-primary".to_owned()));
    // 36555 was a listed primary only until 2018-12-31.
    let deleted = format!(
        "{},{}",
        line(1, "36555", &[], 1, "2026-03-02"),
        line(2, "76937", &[], 1, "2026-03-02")
    );
    assert!(rules_on(&e, &deleted, 1).contains(&"t.ncci/add-on-without-primary".to_owned()));
    // A type 2 add-on (77001) is not edited by this rule.
    assert!(!rules_on(&e, &line(1, "77001", &[], 1, "2026-03-02"), 0)
        .contains(&"t.ncci/add-on-without-primary".to_owned()));
}

#[test]
fn pctc_indicator_from_the_fee_schedule() {
    let e = ncci();
    assert!(
        !rules_on(&e, &line(1, "76377", &["26"], 1, "2026-03-02"), 0)
            .contains(&"t.ncci/pctc-26".to_owned()),
        "PC/TC 1 allows -26"
    );
}

fn estimate(
    e: &Engine,
    code: &str,
    modifiers: &[&str],
    date: &str,
    extra: &str,
) -> payerlex::Estimate {
    let mut c = claim(&line(1, code, modifiers, 1, date), extra);
    c.payer = "t".into();
    let d = e.check(&c, &InMemoryHistory::new()).unwrap();
    d.lines[0]
        .estimate
        .clone()
        .unwrap_or_else(|| panic!("no estimate: {d:?}"))
}

#[test]
fn payment_estimates_follow_the_date_of_service_and_modifier() {
    let e = ncci();
    let amount = |code, m: &[&str], date| estimate(&e, code, m, date, "").amount.to_string();
    assert_eq!(amount("76377", &[], "2025-06-01"), "76.98");
    assert_eq!(amount("76377", &["26"], "2025-06-01"), "36.23");
    assert_eq!(amount("76377", &[], "2026-03-02"), "78.83");
    assert_eq!(amount("76377", &["26"], "2026-03-02"), "37.07");
    assert_eq!(amount("76376", &[], "2025-06-01"), "24.91");
    assert_eq!(amount("76376", &[], "2026-03-02"), "25.38");
    let est = estimate(&e, "76377", &["26"], "2026-03-02", "");
    assert_eq!(est.conversion_factor.to_string(), "33.4009");
    assert_eq!(est.gpci.locality, "national");
    assert!(!est.facility);
    assert_eq!(est.modifier.map(|m| m.to_string()).as_deref(), Some("26"));
}

#[test]
fn estimates_use_the_claims_locality_and_skip_denied_lines() {
    let e = ncci();
    let local = estimate(
        &e,
        "76377",
        &[],
        "2026-03-02",
        r#","locality":{"contractor":"99901","locality":"01"}"#,
    );
    assert_eq!(local.gpci.locality, "99901-01");
    assert_eq!(local.gpci.work.to_string(), "1.050");
    assert_ne!(local.amount.to_string(), "78.83");
    let unknown = estimate(
        &e,
        "76377",
        &[],
        "2026-03-02",
        r#","locality":{"contractor":"00000","locality":"01"}"#,
    );
    assert!(unknown
        .gpci
        .locality
        .starts_with("national (locality 00000-01 not in the GPCI table)"));
    let mut denied = claim(
        &format!(
            "{},{}",
            line(1, "71275", &[], 1, "2026-03-02"),
            line(2, "76377", &[], 1, "2026-03-02")
        ),
        "",
    );
    denied.payer = "t".into();
    let d = e.check(&denied, &InMemoryHistory::new()).unwrap();
    assert_eq!(d.lines[1].outcome, Outcome::Deny);
    assert!(d.lines[1].estimate.is_none());
    let json = serde_json::to_value(&d).unwrap();
    assert!(json["lines"][1].get("estimate").is_none());
    assert!(
        json["lines"][0].get("estimate").is_none(),
        "71275 is not in the fee schedule fixture"
    );
    let json = serde_json::to_value(&local).unwrap();
    assert_eq!(
        json["amount"].as_str(),
        Some(local.amount.to_string().as_str()),
        "amounts are strings, never floats"
    );
}

#[test]
fn lookup_typing_errors_name_the_place() {
    let cases = [
        ("when mue[line.code, code].value > 1", "takes 1 key(s)"),
        ("when mue[line.code].values > 1", "has no field `values`"),
        ("when muee[line.code].value > 1", "unknown table `muee`"),
        (
            "when mue[line.code].value = line.code",
            "compares it with a procedure code",
        ),
        (
            "when mue[line.units].value > 1",
            "table keys are procedure codes",
        ),
    ];
    for (clause, expected) in cases {
        let policy = NCCI.replace("when not mue[line.code]", clause);
        let err = Engine::from_sources(&[ncci_pack(&policy)]).unwrap_err();
        let messages: Vec<String> = err
            .errors()
            .map(|e| format!("{} {}", e.location().unwrap_or_default(), e.message()))
            .collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains(expected) && m.starts_with("t/ncci.policy:")),
            "{clause}: {messages:?}"
        );
    }
    let bad_kind = NCCI.replace("= add_on_codes", "= addon_codes");
    let err = Engine::from_sources(&[ncci_pack(&bad_kind)]).unwrap_err();
    assert!(err
        .errors()
        .any(|e| e.message() == "unknown table layout `addon_codes`"
            && e.help().as_deref() == Some("did you mean `add_on_codes`?")));
}

#[test]
fn a_file_not_in_its_layout_is_refused_with_file_and_line() {
    let pack = ncci_pack(NCCI).with_table("mue.csv", fixture("aoc_sample.txt"));
    let mut pack = pack;
    pack.tables
        .retain(|(p, b)| p != "mue.csv" || b.starts_with(b"CPT"));
    let err = Engine::from_sources(&[pack]).unwrap_err();
    let e = err.errors().next().unwrap();
    assert!(
        e.message()
            .starts_with("table `mue` is not a valid `mue` file: t/mue.csv:"),
        "{}",
        e.message()
    );
    assert_eq!(e.location().as_deref(), Some("t/ncci.policy:4:17"));
}

#[test]
fn missing_files_and_unknown_overrides_are_errors_with_hints() {
    let mut pack = ncci_pack(NCCI);
    pack.tables.retain(|(p, _)| p != "ptp.txt");
    let err = Engine::from_sources(&[pack]).unwrap_err();
    let e = err.errors().next().unwrap();
    assert!(e.message().contains("table `ptp`"), "{}", e.message());
    assert!(e
        .help()
        .as_deref()
        .unwrap_or("")
        .contains("--table ptp=PATH"));
    let mut options = LoadOptions::default();
    options.tables.insert("mu".into(), "/nonexistent".into());
    let err = Engine::from_sources_with(&[ncci_pack(NCCI)], &options).unwrap_err();
    assert!(err.errors().any(|e| e
        .message()
        .contains("no loaded policy declares a table `mu`")
        && e.help().as_deref() == Some("did you mean `mue`?")));
}

/// The real CMS table, given at load time as users do with `--table mue=PATH`.
#[test]
fn real_mue_table_given_at_load_time() {
    if !std::path::Path::new(REAL_MUE).exists() {
        assert!(
            std::env::var("PAYERLEX_REQUIRE_SHARED").is_err(),
            "PAYERLEX_REQUIRE_SHARED is set but {REAL_MUE} is missing"
        );
        eprintln!("skipped: {REAL_MUE} not present");
        return;
    }
    let mut options = LoadOptions::default();
    options.tables.insert("mue".into(), REAL_MUE.into());
    let e = Engine::from_sources_with(&[ncci_pack(NCCI)], &options)
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let mue = e
        .pack("t")
        .unwrap()
        .tables()
        .find(|t| t.name == "mue")
        .unwrap();
    assert_eq!(mue.rows, 15_095);
    // 70450 = 3 (MAI 3) in the real table: 3 units pass, 4 fail.
    assert!(!rules_on(&e, &line(1, "70450", &[], 3, "2026-04-02"), 0)
        .contains(&"t.ncci/mue-per-date".to_owned()));
    assert!(rules_on(&e, &line(1, "70450", &[], 4, "2026-04-02"), 0)
        .contains(&"t.ncci/mue-per-date".to_owned()));
    assert!(rules_on(&e, &line(1, "G0463", &[], 1, "2026-04-02"), 0)
        .contains(&"t.ncci/mue-per-date".to_owned()));
    // 99999 is not a code in the table: a gap.
    assert_eq!(
        rules_on(&e, &line(1, "99999", &[], 1, "2026-04-02"), 0),
        vec!["t.ncci/mue-gap"]
    );
}
