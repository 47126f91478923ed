//! The 3D rendering PTP rows (domain primer section 2, rules 2-4) in the CMS text layout.
#![allow(clippy::unwrap_used)]

use payerlex_cms::{Date, ModifierIndicator, PtpTable, TableError};

mod common;
use common::{code, day};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/ptp_practitioner_sample.txt"
);

const INDICATOR_0: [&str; 19] = [
    "34839", "70496", "70498", "70547", "70548", "70549", "71275", "71555", "72159", "72191",
    "72198", "73206", "73225", "73706", "73725", "74174", "74175", "74185", "75635",
];
const INDICATOR_1: [&str; 32] = [
    "31627", "70544", "70545", "70546", "74261", "74262", "74263", "75557", "75559", "75561",
    "75563", "75565", "75571", "75572", "75573", "75574", "77046", "77047", "77048", "77049",
    "78012", "78070", "78300", "78429", "78451", "78452", "78800", "78803", "78830", "78831",
    "78832", "93355",
];
const THREE_D: [&str; 2] = ["76376", "76377"];

fn table() -> PtpTable {
    PtpTable::from_path(FIXTURE).unwrap()
}

fn dos() -> Date {
    day("2024-08-01")
}

#[test]
fn counts() {
    let t = table();
    assert_eq!(t.len(), 106);
    assert_eq!(t.pairs(), 104);
}

#[test]
fn integral_to_angiography_indicator_0_is_never_bypassed() {
    let t = table();
    for c1 in INDICATOR_0 {
        for c2 in THREE_D {
            let e = t.edit(code(c1), code(c2), dos()).unwrap();
            assert_eq!(e.indicator, ModifierIndicator::NotAllowed, "{c1}");
            assert_eq!(e.deletion, None);
            assert!(!e.bypassed_by(&["59", "XU", "XS", "25", "RT"]), "{c1}");
        }
    }
}

#[test]
fn indicator_1_is_bypassed_only_by_associated_modifiers() {
    let t = table();
    for c1 in INDICATOR_1 {
        for c2 in THREE_D {
            let e = t.edit(code(c1), code(c2), dos()).unwrap();
            assert_eq!(e.indicator, ModifierIndicator::Allowed, "{c1}");
            assert!(
                e.bypassed_by(&["59"]) && e.bypassed_by(&["26", "XU"]),
                "{c1}"
            );
            assert!(!e.bypassed_by(&["22", "76", "77"]), "{c1}");
            assert!(!e.bypassed_by(&[]), "{c1}");
        }
    }
}

#[test]
fn rows_apply_from_their_effective_date() {
    let t = table();
    assert!(t
        .edit(code("70498"), code("76376"), day("2024-06-30"))
        .is_none());
    assert!(t
        .edit(code("70498"), code("76376"), day("2024-07-01"))
        .is_some());
}

#[test]
fn both_3d_codes_on_one_day_deny_76376() {
    let t = table();
    for dos in [day("2006-01-01"), day("2015-06-15"), dos()] {
        let e = t.edit(code("76377"), code("76376"), dos).unwrap();
        assert_eq!(e.indicator, ModifierIndicator::NotAllowed);
        assert_eq!(&*e.rationale, "Mutually exclusive procedures");
    }
    assert!(t
        .edit(code("76377"), code("76376"), day("2005-12-31"))
        .is_none());
}

#[test]
fn duplicate_pair_returns_the_row_in_force() {
    let t = table();
    let old = t
        .edit(code("70496"), code("76377"), day("2023-05-01"))
        .unwrap();
    assert_eq!(old.indicator, ModifierIndicator::Allowed);
    assert_eq!(old.deletion, Some(day("2024-06-30")));
    assert!(old.in_force_on(day("2024-06-30")) && !old.in_force_on(day("2024-07-01")));
    assert_eq!(
        t.edit(code("70496"), code("76377"), day("2024-06-30"))
            .unwrap()
            .indicator,
        ModifierIndicator::Allowed
    );
    let new = t
        .edit(code("70496"), code("76377"), day("2024-07-01"))
        .unwrap();
    assert_eq!(
        (new.indicator, new.deletion),
        (ModifierIndicator::NotAllowed, None)
    );
    let h = t.history(code("70496"), code("76377"));
    assert_eq!(h.len(), 2);
    assert_eq!(h[0].effective, day("2006-01-01"));
}

#[test]
fn overlapping_duplicates_prefer_the_later_deletion() {
    let t = table();
    for dos in [day("2025-01-01"), day("2025-12-31"), day("2026-01-01")] {
        let e = t.edit(code("71275"), code("76376"), dos).unwrap();
        assert_eq!(
            (e.indicator, e.deletion),
            (ModifierIndicator::NotAllowed, None),
            "{dos}"
        );
    }
}

#[test]
fn indicator_9_tombstone_never_fires() {
    let t = table();
    for dos in [day("2006-01-01"), dos()] {
        assert!(t.edit(code("76376"), code("76377"), dos).is_none());
    }
    let h = t.history(code("76376"), code("76377"));
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].indicator, ModifierIndicator::NotApplicable);
    assert_eq!(h[0].deletion, Some(h[0].effective));
}

#[test]
fn column2_precheck() {
    let t = table();
    assert!(t.has_column2(code("76376")) && t.has_column2(code("76377")));
    for never in [code("70496"), code("99213"), code("G0463")] {
        assert!(!t.has_column2(never));
    }
}

#[test]
fn missing_file_is_an_io_error_naming_the_path() {
    let e = PtpTable::from_path("/nonexistent/ccipra.txt").unwrap_err();
    assert!(matches!(e, TableError::Io { .. }));
    assert_eq!(e.source_name(), "/nonexistent/ccipra.txt");
    assert_eq!(e.line(), None);
}

#[test]
fn a_corrupted_fixture_row_names_file_and_line() {
    let text =
        std::fs::read_to_string(FIXTURE)
            .unwrap()
            .replacen("20240701\t*\t0", "20240701\t*\t7", 1);
    let e = PtpTable::from_bytes(text.as_bytes(), "ptp_practitioner_sample.txt").unwrap_err();
    let line = text.lines().position(|l| l.contains("\t7\t")).unwrap() + 1;
    assert!(
        e.to_string().starts_with(&format!(
            "ptp_practitioner_sample.txt:{line}: bad modifier indicator \"7\""
        )),
        "{e}"
    );
}
