//! History per (payer, patient) across requests: what the service records, how replacement,
//! void, resubmission, the look-back and the line cap apply, and that concurrent checks of
//! one patient give the results of a sequential run. Each scenario runs on both stores.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use crate::common::*;
use payerlex::{Claim, Decision, Engine, History, InMemoryHistory};
use payerlex_service::decision_log::LogRecord;
use payerlex_service::store::{MemoryStore, SqliteStore, Store};
use payerlex_service::{AppState, Limits};
use serde_json::Value;

const B20: &str = "medicare.3d-rendering/component-billed-by-another-provider";

/// Runs `scenario` once with each store.
async fn on_both_stores<F, Fut>(limits: Limits, scenario: F)
where
    F: Fn(Arc<AppState>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let memory: Arc<dyn Store> = Arc::new(MemoryStore::new(1_000_000).unwrap());
    scenario(state_with(&policies_dir(), memory, limits.clone())).await;
    let dir = tempfile::tempdir().unwrap();
    let sqlite: Arc<dyn Store> =
        Arc::new(SqliteStore::open(&dir.path().join("state.db"), false, 1_000_000).unwrap());
    scenario(state_with(&policies_dir(), sqlite, limits)).await;
}

fn claim(text: &str) -> Claim {
    payerlex::parse_claim(text).unwrap()
}

/// A decision without its time stamp (the only field two runs may differ in).
fn stamped_out(mut decision: Value) -> Value {
    decision.as_object_mut().unwrap().remove("decided_at");
    decision
}

fn edit(example: &str, change: impl FnOnce(&mut Value)) -> String {
    let mut claim: Value = serde_json::from_str(&example_claim(example)).unwrap();
    change(&mut claim);
    claim.to_string()
}

#[tokio::test]
async fn history_is_kept_per_payer_and_patient_across_requests() {
    on_both_stores(Limits::default(), |state| async move {
        // The second reader of P08 is denied B20 after the radiologist billed -26 for the
        // same study and date...
        check(&state, &example_claim("M-hosp-radiologist")).await;
        let decision = check(&state, &example_claim("M-hosp-second-reader"))
            .await
            .json();
        assert!(rules(&decision).contains(&B20.to_owned()), "{decision}");
        // ...not for another patient...
        let other_patient = claim_as("M-hosp-second-reader", "S2", "P08-other", "medicare");
        let decision = check(&state, &other_patient).await.json();
        assert!(!rules(&decision).contains(&B20.to_owned()), "{decision}");
        // ...nor for the same patient with another payer (whose pack has the same rule).
        let other_payer = claim_as("M-hosp-second-reader", "S3", "P08", "summit-care");
        let decision = check(&state, &other_payer).await.json();
        assert_eq!(decision["payer"], "summit-care");
        assert!(!rules(&decision).contains(&B20.replace("medicare", "summit-care")));
        assert!(!rules(&decision).contains(&B20.to_owned()), "{decision}");
    })
    .await;
}

#[tokio::test]
async fn replacement_void_and_look_back_match_the_library_history() {
    on_both_stores(Limits::default(), |state| async move {
        let engine: Engine = state.engines.current().engine.clone();
        let mut library = InMemoryHistory::with_look_back(engine.look_back_days());
        let claims = [
            // An original, then its replacement (frequency 7) with one unit less.
            edit("M-clean", |c| {
                c["id"] = "R-orig".into();
                c["lines"][1]["units"] = 2.into();
            }),
            edit("M-clean", |c| {
                c["id"] = "R-fix".into();
                c["frequency"] = "7".into();
                c["replaces"] = "R-orig".into();
            }),
            // A second claim the same day by another provider, then its void.
            edit("M-hosp-second-reader", |c| {
                c["id"] = "V-1".into();
                c["patient"] = "P01".into();
                c["place_of_service"] = "11".into();
            }),
            edit("M-hosp-second-reader", |c| {
                c["id"] = "V-void".into();
                c["patient"] = "P01".into();
                c["place_of_service"] = "11".into();
                c["frequency"] = "8".into();
                c["replaces"] = "V-1".into();
            }),
            // Four months later: the look-back (90 days, the Medicare pack's global surgery
            // period) drops the March lines.
            edit("M-clean", |c| {
                c["id"] = "L-july".into();
                c["lines"][0]["date"] = "2026-07-01".into();
                c["lines"][1]["date"] = "2026-07-01".into();
            }),
        ];
        assert_eq!(engine.look_back_days(), Some(90));
        for text in &claims {
            let answer = check(&state, text).await;
            assert_eq!(answer.status, axum::http::StatusCode::OK, "{}", answer.body);
            let parsed = claim(text);
            let expected: Decision = engine.check(&parsed, &library).unwrap();
            library.record(&parsed, &expected);
            assert_eq!(
                stamped_out(answer.json()),
                stamped_out(serde_json::to_value(&expected).unwrap()),
                "claim {}",
                parsed.id
            );
            let stored = state.store.prior_lines("medicare", "P01").unwrap();
            assert_eq!(
                stored,
                library.prior_lines("medicare", "P01").into_owned(),
                "after {}",
                parsed.id
            );
        }
        let stored = state.store.prior_lines("medicare", "P01").unwrap();
        let claims_held: Vec<&str> = stored.iter().map(|l| &*l.claim).collect();
        assert_eq!(claims_held, ["L-july", "L-july"]);
    })
    .await;
}

#[tokio::test]
async fn a_claim_sent_again_is_decided_as_the_first_time_and_counted_once() {
    on_both_stores(Limits::default(), |state| async move {
        let first = check(&state, &example_claim("M-hosp-radiologist"))
            .await
            .json();
        let again = check(&state, &example_claim("M-hosp-radiologist"))
            .await
            .json();
        assert_eq!(stamped_out(first.clone()), stamped_out(again));
        assert_eq!(state.store.prior_lines("medicare", "P08").unwrap().len(), 2);
        // Both answers are in the log.
        assert_eq!(state.store.log_records(0, 10).unwrap().len(), 2);
        assert!(first["id"].as_str().unwrap().starts_with("d-"));
    })
    .await;
}

#[tokio::test]
async fn history_keeps_at_most_the_configured_lines_per_patient() {
    let limits = Limits {
        max_history_lines_per_patient: 3,
        ..Limits::default()
    };
    on_both_stores(limits, |state| async move {
        for id in ["H1", "H2", "H3"] {
            check(&state, &claim_as("M-clean", id, "P-cap", "medicare")).await;
        }
        let lines = state.store.prior_lines("medicare", "P-cap").unwrap();
        let held: Vec<(&str, u32)> = lines.iter().map(|l| (&*l.claim, l.number)).collect();
        assert_eq!(held, [("H2", 2), ("H3", 1), ("H3", 2)]);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_checks_of_one_patient_equal_a_sequential_run() {
    on_both_stores(Limits::default(), |state| async move {
        // Professional -26 readings of the same study by different radiologists, and facility
        // claims: each decision depends on which of the others are already in the history.
        let npis = ["1234567893", "1987654328", "1245319599", "1679576722"];
        let mut tasks = Vec::new();
        for n in 0..24 {
            let state = state.clone();
            let base = if n % 3 == 0 {
                "M-hosp-facility"
            } else {
                "M-hosp-second-reader"
            };
            let text = edit(base, |c| {
                c["id"] = format!("K{n}").into();
                c["patient"] = "P-race".into();
                if n % 3 != 0 {
                    c["provider"]["npi"] = npis[n % npis.len()].into();
                }
            });
            tasks.push(tokio::spawn(async move {
                let answer = check(&state, &text).await;
                assert_eq!(answer.status, axum::http::StatusCode::OK, "{}", answer.body);
                answer.json()
            }));
        }
        let mut answered = std::collections::HashMap::new();
        for task in tasks {
            let decision = task.await.unwrap();
            answered.insert(decision["claim"].as_str().unwrap().to_owned(), decision);
        }
        // Replay the log in commit order with the library's own history: every decision and
        // every history read must be what a sequential run gives.
        let engine = state.engines.current().engine.clone();
        let mut library = InMemoryHistory::with_look_back(engine.look_back_days());
        let records = state.store.log_records(0, 100).unwrap();
        assert_eq!(records.len(), 24);
        let mut outcomes = std::collections::BTreeSet::new();
        for stored in records {
            let record: LogRecord = serde_json::from_str(&stored.record).unwrap();
            assert_eq!(
                record.history,
                library.prior_lines("medicare", "P-race").into_owned(),
                "history read by {}",
                record.claim.id
            );
            let expected = engine.check(&record.claim, &library).unwrap();
            library.record(&record.claim, &expected);
            let expected = stamped_out(serde_json::to_value(&expected).unwrap());
            assert_eq!(
                stamped_out(serde_json::to_value(&record.decision).unwrap()),
                expected
            );
            assert_eq!(stamped_out(answered[&record.claim.id].clone()), expected);
            outcomes.insert(rules(&expected).contains(&B20.to_owned()));
        }
        // The scenario does exercise history: some readings were denied for it, some not.
        assert_eq!(outcomes.len(), 2);
    })
    .await;
}

#[tokio::test]
async fn a_batch_decided_in_groups_equals_a_sequential_run() {
    on_both_stores(Limits::default(), |state| async move {
        // Every example claim three times over, patients shared between the copies, so that
        // groups hold several claims of one patient.
        let examples: Vec<String> = example_claims()
            .lines()
            .filter(|l| payerlex::parse_claim(l).is_ok())
            .map(str::to_owned)
            .collect();
        let mut batch = String::new();
        for round in 0..3 {
            for text in &examples {
                batch += &edit_text(text, |c| {
                    let id = c["id"].as_str().unwrap().to_owned();
                    c["id"] = format!("{id}-{round}").into();
                });
                batch.push('\n');
            }
        }
        let answer = call(
            &state,
            axum::http::Method::POST,
            "/v1/check/batch",
            batch.clone(),
        )
        .await;
        let engine = state.engines.current().engine.clone();
        let mut library = InMemoryHistory::with_look_back(engine.look_back_days());
        let answers = answer.lines();
        assert_eq!(answers.len(), examples.len() * 3);
        for (text, answered) in batch.lines().zip(answers) {
            let parsed = claim(text);
            let expected = engine.check(&parsed, &library).unwrap();
            library.record(&parsed, &expected);
            assert_eq!(
                stamped_out(answered),
                stamped_out(serde_json::to_value(&expected).unwrap()),
                "{}",
                parsed.id
            );
        }
        assert_eq!(
            state.store.log_records(0, 1000).unwrap().len(),
            examples.len() * 3
        );
        assert_eq!(
            state.store.prior_lines("medicare", "P08").unwrap(),
            library.prior_lines("medicare", "P08").into_owned()
        );
    })
    .await;
}

fn edit_text(text: &str, change: impl FnOnce(&mut Value)) -> String {
    let mut claim: Value = serde_json::from_str(text).unwrap();
    change(&mut claim);
    claim.to_string()
}
