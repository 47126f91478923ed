//! Deciding one claim the way the service promises: against one engine, under the patient's
//! lock, with the history as stored, and durable before it is answered.
//!
//! The steps, all on a blocking thread (SQLite and the engine are synchronous):
//! lock the (payer, patient) stripe; read the patient's history (without the claim's own
//! earlier submission, see [`crate::store::HistoryUpdate`]); decide; stamp `decided_at`;
//! commit the history update and the full log record in one transaction; release the lock;
//! append the masked record to the log file; count the decision. A batch decides its
//! records in groups ([`decide_group`]): the same steps for each, under the locks of every
//! patient of the group and in one transaction, so that the group costs one write to disk.

use crate::decision_log::{full_json, masked_json, LogRecordRef};
use crate::engine_slot::LoadedEngine;
use crate::payerlex_api::{CheckError, CheckOptions, Claim, Decision, Outcome, Timestamp};
use crate::state::AppState;
use crate::store::{Commit, Direct, HistorySnapshot, HistoryUpdate, StoreError, StoreTx};

/// Why a claim was not decided.
#[derive(Debug, thiserror::Error)]
pub enum CheckFailure {
    /// The claim cannot be decided (unknown payer, inconsistent claim): the client's problem.
    #[error(transparent)]
    Claim(#[from] CheckError),
    /// The state store failed: nothing was recorded.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The decision could not be serialised for the log.
    #[error("decision log record: {0}")]
    Log(#[from] serde_json::Error),
}

/// The lower-case name of an outcome, as in the JSON contract.
pub fn outcome_name(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Allow => "allow",
        Outcome::Review => "review",
        Outcome::Deny => "deny",
    }
}

/// Decides `claim` with `loaded` and records it (blocking).
pub fn decide_and_record(
    state: &AppState,
    loaded: &LoadedEngine,
    claim: &Claim,
    options: CheckOptions,
) -> Result<Decision, CheckFailure> {
    let result = {
        let _patient = state.locks.lock(&claim.payer, &claim.patient);
        decide_in(&mut Direct(&*state.store), state, loaded, claim, options)
    };
    report(state, &result);
    result.map(|(decision, _)| decision)
}

/// Decides `claims` in order as one group, for a batch: under the locks of all their
/// patients and in one store transaction, so that one write to disk makes the whole group
/// durable; each claim sees the history the earlier ones left, as when decided one by one.
/// When the transaction fails, no claim of the group is recorded and each answers the store
/// failure.
pub fn decide_group(
    state: &AppState,
    loaded: &LoadedEngine,
    claims: &[Claim],
    options: CheckOptions,
) -> Vec<Result<Decision, CheckFailure>> {
    let mut results = Vec::with_capacity(claims.len());
    let outcome = {
        let _patients = state.locks.lock_all(
            claims
                .iter()
                .map(|c| (c.payer.as_str(), c.patient.as_str())),
        );
        state.store.transaction(&mut |tx| {
            results.clear();
            for claim in claims {
                match decide_in(tx, state, loaded, claim, options) {
                    Err(CheckFailure::Store(error)) => return Err(error),
                    other => results.push(other),
                }
            }
            Ok(())
        })
    };
    if let Err(error) = outcome {
        let reason = error.to_string();
        results = claims
            .iter()
            .map(|_| Err(CheckFailure::Store(StoreError::RolledBack(reason.clone()))))
            .collect();
    }
    results
        .into_iter()
        .map(|result| {
            report(state, &result);
            result.map(|(decision, _)| decision)
        })
        .collect()
}

/// After the commit: the masked log line and the metrics.
fn report(state: &AppState, result: &Result<(Decision, String), CheckFailure>) {
    match result {
        Ok((decision, full)) => {
            if let Some(file) = &state.log_file {
                let written = masked_json(full, &state.store.mask_key())
                    .map_err(std::io::Error::other)
                    .and_then(|line| file.append(&line));
                if written.is_err() {
                    state.metrics.log_write_failures.inc();
                }
            }
            state
                .metrics
                .decisions
                .with_label_values(&[outcome_name(decision.outcome), &decision.payer])
                .inc();
        }
        Err(failure) => {
            let reason = match failure {
                CheckFailure::Claim(CheckError::UnknownPayer { .. }) => "unknown_payer",
                CheckFailure::Claim(_) => "invalid_claim",
                CheckFailure::Store(_) => "store",
                CheckFailure::Log(_) => "log",
            };
            state.metrics.rejected.with_label_values(&[reason]).inc();
        }
    }
}

/// Reads the history, decides, and commits through `store` (the caller holds the patient's
/// lock); returns the decision and its full log record.
fn decide_in(
    store: &mut dyn StoreTx,
    state: &AppState,
    loaded: &LoadedEngine,
    claim: &Claim,
    options: CheckOptions,
) -> Result<(Decision, String), CheckFailure> {
    let mut prior = store.prior_lines(&claim.payer, &claim.patient)?;
    prior.retain(|line| *line.claim != *claim.id);
    let history = HistorySnapshot::new(&claim.payer, &claim.patient, &prior);
    let mut decision = loaded.engine.check_with(claim, &history, options)?;
    decision.decided_at = Some(Timestamp::now());
    let full = full_json(&LogRecordRef::new(claim, &prior, &decision))?;
    let update = HistoryUpdate::of(
        claim,
        &decision,
        loaded.engine.look_back_days(),
        state.limits.max_history_lines_per_patient,
    );
    let decision_id = decision.id.to_string();
    let decided_at = decision
        .decided_at
        .map(|t| t.to_string())
        .unwrap_or_default();
    store.commit(&Commit {
        update: &update,
        decision_id: &decision_id,
        decided_at: &decided_at,
        claim: &claim.id,
        outcome: outcome_name(decision.outcome),
        record: &full,
    })?;
    Ok((decision, full))
}
