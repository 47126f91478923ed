//! The shipped `medicare` pack's fee-schedule families beyond what pack tests can say: a
//! surgery that arrives after its visit was paid reports the visit as `adjust_prior`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use payerlex::{Engine, FindingOutcome, InMemoryHistory, Outcome};

fn engine() -> Engine {
    load(&policies_dir())
}

/// Decides `first`, records it in the patient's history, then decides `second` against it.
fn after(engine: &Engine, first: &ClaimSpec, second: &ClaimSpec) -> payerlex::Decision {
    let mut history = InMemoryHistory::new();
    let first = first.build();
    let decided = engine.check(&first, &history).unwrap();
    assert_eq!(decided.outcome, Outcome::Allow, "{decided:?}");
    history.record(&first, &decided);
    engine.check(&second.build(), &history).unwrap()
}

#[test]
fn a_surgery_after_its_paid_visit_adjusts_the_visit() {
    let engine = engine();
    // The visit the day before a 090 surgery (synthetic 09001), paid when it arrived alone.
    let visit = claim("medicare")
        .id("VISIT")
        .line(line("99213").date("2026-03-01"));
    let surgery = claim("medicare")
        .id("SURGERY")
        .line(line("09001").date("2026-03-02"));
    let d = after(&engine, &visit, &surgery);
    assert_eq!(d.lines[0].outcome, Outcome::Allow);
    assert_eq!(d.adjustments.len(), 1, "{:?}", d.adjustments);
    let adjustment = &d.adjustments[0];
    assert_eq!((adjustment.claim.as_str(), adjustment.line), ("VISIT", 1));
    assert_eq!(adjustment.code.to_string(), "99213");
    assert_eq!(adjustment.finding.outcome, FindingOutcome::AdjustPrior);
    assert_eq!(
        &*adjustment.finding.rule,
        "medicare.global-surgery/em-in-global-period"
    );
    assert_eq!(
        adjustment.finding.carc.map(|c| c.to_string()).as_deref(),
        Some("97")
    );
}

#[test]
fn no_adjustment_for_a_decision_visit_or_a_code_without_a_global_period() {
    let engine = engine();
    // 57 marks the visit where the decision to operate was made: it stays paid.
    let visit = claim("medicare")
        .id("VISIT")
        .line(line("99213").date("2026-03-01").modifiers(&["57"]));
    let surgery = claim("medicare")
        .id("SURGERY")
        .line(line("09001").date("2026-03-02"));
    assert!(after(&engine, &visit, &surgery).adjustments.is_empty());
    // 09005 is ZZZ: no global period of its own.
    let visit = claim("medicare")
        .id("VISIT")
        .line(line("99213").date("2026-03-02"));
    let add_on = claim("medicare")
        .id("ADDON")
        .line(line("09005").date("2026-03-02"));
    assert!(after(&engine, &visit, &add_on).adjustments.is_empty());
}

/// Amounts of the synthetic PPRRVU rows at the 2026 conversion factor (33.4009), national,
/// non-facility: 09001 16.00 RVUs = 534.41; 09002 5.00 = 167.00; 09003 2.00 = 66.80;
/// 09004 16.00 = 534.41 (MULT PROC 0).
fn amounts(decision: &payerlex::Decision) -> Vec<String> {
    decision
        .lines
        .iter()
        .map(|l| {
            l.estimate
                .as_ref()
                .map_or("-".into(), |e| e.amount.to_string())
        })
        .collect()
}

fn rates(decision: &payerlex::Decision, line: usize) -> Vec<(payerlex::AdjustmentKind, String)> {
    decision.lines[line]
        .estimate
        .as_ref()
        .map(|e| {
            e.adjustments
                .iter()
                .map(|a| (a.kind, a.rate.to_string()))
                .collect()
        })
        .unwrap_or_default()
}

fn carc_59_lines(decision: &payerlex::Decision) -> Vec<usize> {
    decision
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            l.findings.iter().any(|f| {
                f.carc.map(|c| c.to_string()).as_deref() == Some("59")
                    && f.outcome == FindingOutcome::Advice
            })
        })
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn bilateral_modifier_50_pays_150_or_200_percent_of_one_unit() {
    use payerlex::AdjustmentKind::Bilateral;
    let engine = engine();
    let d = decide(
        &engine,
        &claim("medicare")
            .line(line("09001").modifiers(&["50"]))
            .build(),
    );
    assert_eq!(d.lines[0].outcome, Outcome::Allow);
    // BILAT SURG 1: 534.41 x 150% = 801.615 -> 801.62.
    assert_eq!(amounts(&d), ["801.62"]);
    assert_eq!(rates(&d, 0), [(Bilateral, "150".to_owned())]);
    let d = decide(
        &engine,
        &claim("medicare")
            .line(line("09003").modifiers(&["50"]))
            .build(),
    );
    // BILAT SURG 3: each side at 100%: 66.80 x 200%.
    assert_eq!(amounts(&d), ["133.60"]);
    // Without 50 the line is priced as billed.
    let d = decide(&engine, &claim("medicare").line(line("09001")).build());
    assert_eq!(amounts(&d), ["534.41"]);
    assert!(rates(&d, 0).is_empty());
}

#[test]
fn multiple_procedures_rank_by_amount_and_reduce_the_others_to_50_percent() {
    use payerlex::AdjustmentKind::MultipleProcedure;
    let engine = engine();
    let d = decide(
        &engine,
        &claim("medicare")
            .lines([line("09003"), line("09001"), line("09002"), line("09004")])
            .build(),
    );
    assert_eq!(d.outcome, Outcome::Allow, "a reduction is not a denial");
    // 09001 ranks first (534.41); 09002 167.00 -> 83.50; 09003 66.80 -> 33.40; 09004 has
    // MULT PROC 0: not reduced, not ranked.
    assert_eq!(amounts(&d), ["33.40", "534.41", "83.50", "534.41"]);
    assert_eq!(rates(&d, 1), [(MultipleProcedure, "100".to_owned())]);
    assert_eq!(rates(&d, 0), [(MultipleProcedure, "50".to_owned())]);
    assert!(rates(&d, 3).is_empty());
    assert_eq!(carc_59_lines(&d), [0, 2]);
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["lines"][2]["outcome"], "allow");
    assert_eq!(
        json["lines"][2]["estimate"]["adjustments"][0],
        serde_json::json!({"kind": "multiple_procedure", "rate": "50", "amount": "83.50"})
    );
    assert!(json["lines"][3]["estimate"].get("adjustments").is_none());
}

#[test]
fn multiple_procedure_ties_go_to_the_lower_line_number_and_bilateral_comes_first() {
    let engine = engine();
    let d = decide(
        &engine,
        &claim("medicare")
            .lines([
                line("09002"),
                line("09001"),
                line("09001").modifiers(&["76"]),
            ])
            .build(),
    );
    // Lines 2 and 3 tie at 534.41: line 2 is paid in full; 534.41 x 50% = 267.205 -> 267.21.
    assert_eq!(amounts(&d), ["83.50", "534.41", "267.21"]);
    assert_eq!(carc_59_lines(&d), [0, 2]);
    // A bilateral 09002 would not outrank 09001 (09002 has BILAT SURG 0 and is denied with
    // 50); a bilateral 09001 is ranked on its 150% amount: 801.62 first, 09001 second.
    let d = decide(
        &engine,
        &claim("medicare")
            .lines([line("09001"), line("09001").modifiers(&["50", "76"])])
            .build(),
    );
    assert_eq!(amounts(&d), ["267.21", "801.62"]);
    assert_eq!(carc_59_lines(&d), [0]);
}

#[test]
fn lines_of_other_dates_and_denied_lines_are_not_ranked() {
    let engine = engine();
    // 09002 with 62 is denied (co-surgeons not permitted): 09003 is then the only procedure.
    let d = decide(
        &engine,
        &claim("medicare")
            .lines([line("09002").modifiers(&["62"]), line("09003")])
            .build(),
    );
    assert_eq!(d.lines[0].outcome, Outcome::Deny);
    assert_eq!(amounts(&d), ["-", "66.80"]);
    assert!(carc_59_lines(&d).is_empty());
    // Two dates: each procedure is alone on its date.
    let d = decide(
        &engine,
        &claim("medicare")
            .lines([line("09003"), line("09002").date("2026-03-03")])
            .build(),
    );
    assert_eq!(amounts(&d), ["66.80", "167.00"]);
    assert!(carc_59_lines(&d).is_empty());
}

/// The reference interpreter prices the same adjustments (its own ranking and rounding).
#[test]
fn the_reference_interpreter_prices_the_same_adjustments() {
    let engine = engine();
    let pack = engine.pack("medicare").unwrap();
    let claims = [
        claim("medicare").lines([line("09003"), line("09001"), line("09002"), line("09004")]),
        claim("medicare").lines([
            line("09002"),
            line("09001"),
            line("09001").modifiers(&["76"]),
        ]),
        claim("medicare").lines([line("09001"), line("09001").modifiers(&["50", "76"])]),
        claim("medicare").lines([
            line("09003").modifiers(&["50"]),
            line("09002").modifiers(&["62"]),
        ]),
        claim("medicare").lines([line("09003"), line("09002").date("2026-03-03")]),
    ];
    let mut adjusted = 0;
    for spec in claims {
        let claim = spec.build();
        let history = InMemoryHistory::new();
        let fast = serde_json::to_string(&engine.check(&claim, &history).unwrap()).unwrap();
        let reference = serde_json::to_string(
            &payerlex::testing::reference_check(pack, &claim, &history).unwrap(),
        )
        .unwrap();
        assert_eq!(fast, reference);
        adjusted += usize::from(fast.contains("\"adjustments\""));
    }
    assert_eq!(
        adjusted, 4,
        "every claim but the one of two dates has adjustments"
    );
}

/// `--table fees=PPRRVU.csv` (`LoadOptions::tables`): a full-layout fee schedule file drives
/// the families for every date and replaces the pack's sample rows.
#[test]
fn a_full_fee_schedule_given_at_load_time_drives_the_families() {
    let header = "\"synthetic PPRRVU in the full published layout\",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n\
        HCPCS,MOD,DESCRIPTION,STATUS CODE,NOT USED FOR MEDICARE PAYMENT,WORK RVU,NON-FAC PE RVU,NON-FAC NA INDICATOR,FACILITY PE RVU,FACILITY NA INDICATOR,MP RVU,NON-FACILITY TOTAL,FACILITY TOTAL,PCTC IND,GLOB DAYS,PRE OP,INTRA OP,POST OP,MULT PROC,BILAT SURG,ASST SURG,CO-SURG,TEAM SURG,ENDO BASE,CONV FACTOR,PHYSICIAN SUPERVISION OF DIAGNOSTIC PROCEDURES,CALCULATION FLAG,DIAGNOSTIC IMAGING FAMILY INDICATOR,NON-FACILITY PE USED FOR OPPS PAYMENT AMOUNT,FACILITY PE USED FOR OPPS PAYMENT AMOUNT,MP USED FOR OPPS PAYMENT AMOUNT\n";
    // 09101: 090 global, MULT PROC 2, BILAT SURG 0, ASST SURG 1; CF 40.
    let rows = "09101,,,A,,5.00,4.00,,4.00,,1.00,10.00,10.00,0,090,0.10,0.80,0.10,2,0,1,0,0,,40.0000,09,,99,4.00,4.00,1.00\n";
    let path =
        std::env::temp_dir().join(format!("payerlex-full-pprrvu-{}.csv", std::process::id()));
    std::fs::write(&path, format!("{header}{rows}")).unwrap();
    let mut options = payerlex::LoadOptions::default();
    options.tables.insert("fees".into(), path.clone());
    let loaded = Engine::load_with(policies_dir(), &options);
    let _ = std::fs::remove_file(&path);
    let engine = loaded.unwrap_or_else(|e| panic!("{}", e.render()));
    for date in ["2025-06-02", "2026-03-02"] {
        let day_before = if date.starts_with("2025") {
            "2025-06-01"
        } else {
            "2026-03-01"
        };
        let d = decide(
            &engine,
            &claim("medicare")
                .lines([
                    line("99213").date(day_before),
                    line("09101").date(date),
                    line("09101").date(date).modifiers(&["50"]),
                    line("09101").date(date).modifiers(&["80"]),
                ])
                .build(),
        );
        let rules = |i: usize| fired(&d, i);
        assert!(
            rules(0).contains(&"medicare.global-surgery/em-in-global-period".to_owned()),
            "{date}"
        );
        assert!(
            rules(2)
                .contains(&"medicare.surgery-indicators/bilateral-modifier-not-allowed".to_owned()),
            "{date}"
        );
        assert!(
            rules(3).contains(&"medicare.surgery-indicators/assistant-not-paid".to_owned()),
            "{date}"
        );
        assert_eq!(
            amounts(&d)[1],
            "400.00",
            "{date}: 10.00 RVUs x 40, the file's own CF"
        );
    }
    // The pack's sample rows are replaced: 09001 has no row in the given file.
    let d = decide(&engine, &claim("medicare").line(line("09001")).build());
    assert_eq!(amounts(&d), ["-"]);
}
