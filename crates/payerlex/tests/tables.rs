//! Tables in policies, beyond what pack-test data says (the lookups themselves are tested as
//! data in `tests/packs/ncci-tables`): payment estimates, errors in table declarations and
//! files, files given at load time, and the real CMS MUE table.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use common::*;
use insta::assert_snapshot;
use payerlex::{Engine, InMemoryHistory, LoadOptions, Outcome, PackSources};
use serde_json::json;

/// The NCCI test pack's policy; its table files are named relative to the pack folder.
const NCCI: &str = include_str!("packs/ncci-tables/ncci.policy");
const PAYER: &str = "ncci-tables";
const MUE_FILE: &str = "tables/mue_sample.csv";
const PTP_FILE: &str = "tables/ptp_practitioner_sample.txt";
const AOC_FIXTURE: &str = "../payerlex-cms/tests/fixtures/aoc_sample.txt";

const REAL_MUE_DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/cms-ncci-mue-practitioner-2026q2"
);
const REAL_MUE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/cms-ncci-mue-practitioner-2026q2/MCR_MUE_PractitionerServices_Eff_04-01-2026.csv"
);

fn pack_folder() -> PathBuf {
    packs_dir().join(PAYER)
}

/// The NCCI test pack with `policy` as its policy file; tables are read from the pack folder
/// unless given in memory.
fn ncci_pack(policy: &str) -> PackSources {
    let manifest = std::fs::read_to_string(pack_folder().join("pack.toml")).unwrap();
    let mut pack = PackSources::new(PAYER, manifest).with_file("ncci.policy", policy);
    pack.dir = Some(pack_folder());
    pack
}

fn ncci() -> Engine {
    Engine::from_sources(&[ncci_pack(NCCI)]).unwrap_or_else(|e| panic!("{}", e.render()))
}

fn load_errors(pack: PackSources, options: &LoadOptions) -> Vec<payerlex::Diagnostic> {
    match Engine::from_sources_with(&[pack], options) {
        Ok(_) => panic!("expected the pack to fail"),
        Err(e) => e.errors().cloned().collect(),
    }
}

fn estimate(e: &Engine, claim: ClaimSpec) -> payerlex::Estimate {
    let d = decide(e, &claim.build());
    d.lines[0]
        .estimate
        .clone()
        .unwrap_or_else(|| panic!("no estimate: {d:?}"))
}

#[test]
fn payment_estimates_follow_the_date_of_service_and_modifier() {
    let e = ncci();
    let amount = |code: &str, m: &[&str], date: &str| {
        let line = line(code).modifiers(m).date(date);
        estimate(&e, claim(PAYER).line(line)).amount.to_string()
    };
    assert_eq!(amount("76377", &[], "2025-06-01"), "76.98");
    assert_eq!(amount("76377", &["26"], "2025-06-01"), "36.23");
    assert_eq!(amount("76377", &[], "2026-03-02"), "78.83");
    assert_eq!(amount("76377", &["26"], "2026-03-02"), "37.07");
    assert_eq!(amount("76376", &[], "2025-06-01"), "24.91");
    assert_eq!(amount("76376", &[], "2026-03-02"), "25.38");
    let est = estimate(&e, claim(PAYER).line(line("76377").modifiers(&["26"])));
    assert_eq!(est.conversion_factor.to_string(), "33.4009");
    assert_eq!(est.gpci.locality, "national");
    assert!(!est.facility);
    assert_eq!(est.modifier.map(|m| m.to_string()).as_deref(), Some("26"));
}

#[test]
fn estimates_use_the_claims_locality_and_skip_denied_lines() {
    let e = ncci();
    let in_locality = |contractor: &str| {
        let locality = json!({ "contractor": contractor, "locality": "01" });
        estimate(
            &e,
            claim(PAYER).line(line("76377")).set("locality", locality),
        )
    };
    let local = in_locality("99901");
    assert_eq!(local.gpci.locality, "99901-01");
    assert_eq!(local.gpci.work.to_string(), "1.050");
    assert_ne!(local.amount.to_string(), "78.83");
    // A locality the GPCI table lacks is refused rather than priced nationally in silence.
    let unknown = claim(PAYER)
        .line(line("76377"))
        .set(
            "locality",
            json!({ "contractor": "00000", "locality": "01" }),
        )
        .build();
    let error = e.check(&unknown, &InMemoryHistory::new()).unwrap_err();
    assert_eq!(error, payerlex::CheckError::UnknownLocality);
    assert_eq!(
        miette::Diagnostic::code(&error).unwrap().to_string(),
        "PLX-R021"
    );
    let malformed = claim(PAYER)
        .line(line("76377"))
        .set(
            "locality",
            json!({ "contractor": "SSN 123-45-6789", "locality": "01" }),
        )
        .build();
    let error = e.check(&malformed, &InMemoryHistory::new()).unwrap_err();
    assert_eq!(
        miette::Diagnostic::code(&error).unwrap().to_string(),
        "PLX-R018"
    );
    assert!(!error.to_string().contains("123-45"));
    let denied = claim(PAYER).lines([line("71275"), line("76377")]).build();
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
    let clauses = [
        "when mue[line.code, code].value > 1",
        "when mue[line.code].values > 1",
        "when muee[line.code].value > 1",
        "when mue[line.code].value = line.code",
        "when mue[line.units].value > 1",
    ];
    let mut report = String::new();
    for clause in clauses {
        let policy = NCCI.replace("when not mue[line.code]", clause);
        assert_ne!(policy, NCCI);
        let errors = load_errors(ncci_pack(&policy), &LoadOptions::default());
        report.push_str(clause);
        report.push('\n');
        for e in &errors {
            let at = e.location().unwrap_or_default();
            report.push_str(&format!("{at} {}\n", e.message()));
        }
        report.push('\n');
    }
    let bad_kind = NCCI.replacen("= add_on_codes", "= addon_codes", 1);
    let errors = load_errors(ncci_pack(&bad_kind), &LoadOptions::default());
    let rendered: Vec<String> = errors.iter().map(|e| e.render()).collect();
    report.push_str(&rendered.join("\n"));
    assert_snapshot!(report);
}

#[test]
fn a_file_not_in_its_layout_is_refused_with_file_and_line() {
    let aoc = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(AOC_FIXTURE)).unwrap();
    let pack = ncci_pack(NCCI).with_table(MUE_FILE, aoc);
    let errors = load_errors(pack, &LoadOptions::default());
    let rendered: Vec<String> = errors.iter().map(|e| e.render()).collect();
    assert_snapshot!(rendered.join("\n"));
}

#[test]
fn missing_files_and_unknown_overrides_are_errors_with_hints() {
    let policy = NCCI.replace(PTP_FILE, "missing_ptp.txt");
    let errors = load_errors(ncci_pack(&policy), &LoadOptions::default());
    let e = &errors[0];
    assert!(e.message().contains("table `ptp`"), "{}", e.message());
    assert!(e.message().contains("missing_ptp.txt"), "{}", e.message());
    assert!(e.help().unwrap_or_default().contains("--table ptp=PATH"));
    let mut options = LoadOptions::default();
    options.tables.insert("mu".into(), "/nonexistent".into());
    let errors = load_errors(ncci_pack(NCCI), &options);
    let e = errors
        .iter()
        .find(|e| {
            e.message()
                .contains("no loaded policy declares a table `mu`")
        })
        .unwrap_or_else(|| panic!("{errors:?}"));
    assert_eq!(e.help().as_deref(), Some("did you mean `mue`?"));
}

/// The real CMS table, given at load time as users do with `--table mue=PATH`.
#[test]
#[ignore = "needs ../shared/data/cms-ncci-mue-practitioner-2026q2 (run with --ignored; .ci/run does)"]
fn real_mue_table_given_at_load_time() {
    assert!(
        Path::new(REAL_MUE).is_file(),
        "{REAL_MUE} is missing: this test needs the shared CMS data ({REAL_MUE_DIR})"
    );
    let mut options = LoadOptions::default();
    options.tables.insert("mue".into(), REAL_MUE.into());
    let e = Engine::from_sources_with(&[ncci_pack(NCCI)], &options)
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let mue = e
        .pack(PAYER)
        .unwrap()
        .tables()
        .find(|t| t.name == "mue")
        .unwrap();
    assert_eq!(mue.rows, 15_095);
    let rules_on = |code: &str, units: u32| {
        let c = claim(PAYER)
            .line(line(code).units(units).date("2026-04-02"))
            .build();
        fired(&decide(&e, &c), 0)
    };
    // 70450 = 3 (MAI 3) in the real table: 3 units pass, 4 fail.
    assert!(!rules_on("70450", 3).contains(&"dsl.ncci/mue-per-date".to_owned()));
    assert!(rules_on("70450", 4).contains(&"dsl.ncci/mue-per-date".to_owned()));
    assert!(rules_on("G0463", 1).contains(&"dsl.ncci/mue-per-date".to_owned()));
    // 99999 is not a code in the table: a gap.
    assert_eq!(rules_on("99999", 1), vec!["dsl.ncci/mue-gap"]);
}

/// A PPRRVU file in the full published layout (all 31 columns, the column titles stacked over
/// two rows as in the CMS CSV), written at run time: one synthetic pricing for 76377.
fn full_layout_pprrvu(conversion_factor: &str) -> String {
    let mut text = String::from(
        "\"payerlex test: full PPRRVU layout, synthetic values\",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n\
         ,,,STATUS,NOT USED FOR,WORK,NON-FAC,NON-FAC,FACILITY,FACILITY,MP,NON-FACILITY,FACILITY,PCTC,GLOB,PRE,INTRA,POST,MULT,BILAT,ASST,CO-,TEAM,ENDO,CONV,PHYSICIAN SUPERVISION OF,CALCULATION,DIAGNOSTIC IMAGING,NON-FACILITY PE USED FOR,FACILITY PE USED FOR,MP USED FOR\n\
         HCPCS,MOD,DESCRIPTION,CODE,MEDICARE PAYMENT,RVU,PE RVU,NA INDICATOR,PE RVU,NA INDICATOR,RVU,TOTAL,TOTAL,IND,DAYS,OP,OP,OP,PROC,SURG,SURG,SURG,SURG,BASE,FACTOR,DIAGNOSTIC PROCEDURES,FLAG,FAMILY INDICATOR,OPPS PAYMENT AMOUNT,OPPS PAYMENT AMOUNT,OPPS PAYMENT AMOUNT\n",
    );
    text.push_str(&format!(
        "76377,,,A,,1.00,1.00,,1.00,,0.00,2.00,2.00,1,XXX,0.00,0.00,0.00,9,9,9,9,9,,{conversion_factor},09,,99,1.00,1.00,0.00\n"
    ));
    text
}

/// `--table fees=PPRRVU.csv` (`LoadOptions::tables`) replaces the pack's dated list of fee
/// schedule files for every date of service, even dates none of the pack's files covers.
#[test]
fn a_fee_schedule_given_at_load_time_replaces_the_dated_list_for_every_date() {
    let path = std::env::temp_dir().join(format!("payerlex-pprrvu-{}.csv", std::process::id()));
    std::fs::write(&path, full_layout_pprrvu("40.0000")).unwrap();
    let mut options = LoadOptions::default();
    options.tables.insert("fees".into(), path.clone());
    let loaded = Engine::from_sources_with(&[ncci_pack(NCCI)], &options);
    let _ = std::fs::remove_file(&path);
    let e = loaded.unwrap_or_else(|e| panic!("{}", e.render()));
    let amount = |date: &str| {
        let est = estimate(&e, claim(PAYER).line(line("76377").date(date)));
        (est.amount.to_string(), est.conversion_factor.to_string())
    };
    // (1.00 + 1.00 + 0.00) x 40 = 80.00, whatever the date; the pack's own files price 2025
    // at 76.98 and 2026 at 78.83 and have nothing before 2025.
    for date in ["2024-06-01", "2025-06-01", "2026-03-02"] {
        assert_eq!(amount(date), ("80.00".into(), "40.0000".into()), "{date}");
    }
    let without = ncci();
    let d = decide(
        &without,
        &claim(PAYER).line(line("76377").date("2024-06-01")).build(),
    );
    assert!(
        d.lines[0].estimate.is_none(),
        "the pack's files start in 2025"
    );
}
