//! Fee schedule fixtures (2025 and July 2026 PPRRVU rows for 76376/76377) and the primer's
//! national Medicare amounts, reproduced exactly.
#![allow(clippy::unwrap_used)]

use std::str::FromStr;

use payerlex_cms::{
    estimate, FeeSchedule, GlobalPeriod, GpciTable, MultiYearSchedule, ProcedureCode,
};
use rust_decimal::Decimal;

mod common;
use common::{code, day};

const PPRRVU_2025: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/pprrvu_2025_sample.csv"
);
const PPRRVU_2026: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/pprrvu_2026_jul_sample.csv"
);
const GPCI_2026: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/gpci_2026_sample.csv"
);

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn y2025() -> FeeSchedule {
    FeeSchedule::from_path(PPRRVU_2025, day("2025-01-01")).unwrap()
}

fn y2026() -> FeeSchedule {
    FeeSchedule::from_path(PPRRVU_2026, day("2026-01-01")).unwrap()
}

fn national(s: &FeeSchedule, code: ProcedureCode, modifier: Option<&str>) -> Decimal {
    estimate(s, None, code, modifier, false).unwrap().amount
}

#[test]
fn schedules_load_with_their_conversion_factors() {
    let (a, b) = (y2025(), y2026());
    assert_eq!((a.len(), a.conversion_factor()), (6, d("32.3465")));
    assert_eq!((b.len(), b.conversion_factor()), (8, d("33.4009")));
    for s in [&a, &b] {
        for code in [code("76376"), code("76377")] {
            for m in [None, Some("26"), Some("TC")] {
                let r = s.get(code, m).unwrap();
                assert_eq!(
                    (r.pctc, r.global, r.status),
                    (1, Some(GlobalPeriod::Xxx), 'A')
                );
            }
        }
    }
    let r = b.get(code("76377"), Some("26")).unwrap();
    assert_eq!(
        (r.work, r.pe_nonfacility, r.mp),
        (d("0.77"), d("0.29"), d("0.05"))
    );
}

#[test]
fn primer_amounts_2025() {
    let s = y2025();
    assert_eq!(national(&s, code("76377"), None), d("76.98"));
    assert_eq!(national(&s, code("76377"), Some("26")), d("36.23"));
    assert_eq!(national(&s, code("76376"), None), d("24.91"));
    // Totals from the primer (0.28 / 0.49, 1.26) priced the same way.
    assert_eq!(national(&s, code("76376"), Some("26")), d("9.06"));
    assert_eq!(national(&s, code("76376"), Some("TC")), d("15.85"));
    assert_eq!(national(&s, code("76377"), Some("TC")), d("40.76"));
}

#[test]
fn primer_amounts_2026() {
    let s = y2026();
    assert_eq!(national(&s, code("76377"), None), d("78.83"));
    // 1.11 x 33.4009 = 37.074999: one rounding at the end gives the primer's 37.07.
    assert_eq!(national(&s, code("76377"), Some("26")), d("37.07"));
    assert_eq!(national(&s, code("76376"), None), d("25.38"));
}

#[test]
fn estimate_reports_its_inputs() {
    let e = estimate(&y2026(), None, code("76377"), Some("26"), false).unwrap();
    assert_eq!(
        (e.work_rvu, e.pe_rvu, e.mp_rvu),
        (d("0.77"), d("0.29"), d("0.05"))
    );
    assert_eq!(
        (e.gpci_work, e.gpci_pe, e.gpci_mp),
        (Decimal::ONE, Decimal::ONE, Decimal::ONE)
    );
    assert_eq!(e.conversion_factor, d("33.4009"));
    assert!(!e.facility && !e.setting_na);
    assert_eq!(e.status, 'A');
    assert!(estimate(&y2026(), None, code("76377"), Some("53"), false).is_none());
    assert!(estimate(&y2026(), None, code("99213"), None, false).is_none());
}

#[test]
fn facility_setting_uses_facility_pe() {
    let s = y2026();
    let nf = estimate(&s, None, code("99999"), None, false).unwrap();
    let f = estimate(&s, None, code("99999"), None, true).unwrap();
    assert_eq!((nf.pe_rvu, nf.amount), (d("2.00"), d("103.54"))); // 3.10 x 33.4009
    assert_eq!((f.pe_rvu, f.amount), (d("0.50"), d("53.44"))); // 1.60 x 33.4009
    let na = estimate(&s, None, code("99999"), Some("53"), true).unwrap();
    assert!(na.setting_na);
    // The 3D codes: facility PE = non-facility PE in the fixtures.
    assert_eq!(
        estimate(&s, None, code("76377"), None, true)
            .unwrap()
            .amount,
        d("78.83")
    );
}

#[test]
fn locality_gpcis() {
    let g = GpciTable::from_path(GPCI_2026).unwrap();
    assert_eq!(g.len(), 3);
    let city = g.get("99901", "01").unwrap();
    assert_eq!(
        (city.work, city.pe, city.mp),
        (d("1.050"), d("1.100"), d("0.900"))
    );
    // The with-floor work GPCI is the one used.
    let rest = g.get("99901", "99").unwrap();
    assert_eq!(rest.work, d("1.000"));
    assert_eq!(rest.name, "REST OF TEST STATE*");
    let s = y2026();
    // (0.77 x 1.05 + 1.52 x 1.10 + 0.07 x 0.90) x 33.4009 = 2.5435 x 33.4009 = 84.955189...
    assert_eq!(
        estimate(&s, Some(city), code("76377"), None, false)
            .unwrap()
            .amount,
        d("84.96")
    );
    // (0.77 + 1.52 x 0.90 + 0.07 x 0.80) x 33.4009 = 2.194 x 33.4009 = 73.281574...
    assert_eq!(
        estimate(&s, Some(rest), code("76377"), None, false)
            .unwrap()
            .amount,
        d("73.28")
    );
    let statewide = g.get("99902", "00").unwrap();
    assert_eq!(
        estimate(&s, Some(statewide), code("76377"), None, false)
            .unwrap()
            .amount,
        d("78.83")
    );
}

#[test]
fn multi_year_picks_by_date_of_service() {
    let mut m = MultiYearSchedule::new();
    m.insert(y2026());
    m.insert(y2025());
    assert_eq!(m.len(), 2);
    assert!(m.for_date(day("2024-12-31")).is_none());
    assert_eq!(
        m.for_date(day("2025-01-01")).unwrap().conversion_factor(),
        d("32.3465")
    );
    assert_eq!(
        m.for_date(day("2025-12-31")).unwrap().conversion_factor(),
        d("32.3465")
    );
    assert_eq!(
        m.for_date(day("2026-01-01")).unwrap().conversion_factor(),
        d("33.4009")
    );
    let e = m
        .estimate_on(day("2025-06-15"), None, code("76377"), Some("26"), false)
        .unwrap();
    assert_eq!(e.amount, d("36.23"));
    let e = m
        .estimate_on(day("2026-08-15"), None, code("76377"), Some("26"), false)
        .unwrap();
    assert_eq!(e.amount, d("37.07"));

    let mut ended = MultiYearSchedule::new();
    ended.insert(y2025().with_effective_to(day("2025-12-31")));
    assert!(ended.for_date(day("2025-12-31")).is_some());
    assert!(ended.for_date(day("2026-02-01")).is_none());
}

#[test]
fn midpoints_round_half_up() {
    let csv = "HCPCS,MOD,DESCRIPTION,STATUS CODE,WORK RVU,NON-FAC PE RVU,FACILITY PE RVU,MP RVU,PCTC IND,GLOB DAYS,CONV FACTOR\n\
               11111,,,A,0.125,0,0,0,0,XXX,1.0000\n\
               22222,,,A,0.135,0,0,0,0,XXX,1.0000\n";
    let s = FeeSchedule::from_bytes(csv.as_bytes(), "mid.csv", day("2025-01-01")).unwrap();
    assert_eq!(national(&s, code("11111"), None), d("0.13")); // banker's rounding would give 0.12
    assert_eq!(national(&s, code("22222"), None), d("0.14"));
}
