//! The decision log: one record per decision with what it takes to decide the claim again,
//! and replay, which does.
//!
//! Format version 1, one JSON object per line (the service writes the same records):
//!
//! ```json
//! {"v":1,"claim":{...},"history":[{...}],"decision":{...}}
//! ```
//!
//! `history` holds the patient's earlier lines the engine could read for this claim (the
//! lines within its rules' reach, and the lines of a claim it replaces), so a record replays
//! on its own, without the rest of the log. Replaying decides `claim` against exactly that
//! history with the packs given now and compares the decision's content (outcome, lines,
//! findings, estimates, adjustments, warnings); the id, time and pack digest are reported,
//! not compared, so a replay with a new pack version says *what* changes, and a masked
//! record (the service's exported log) still replays.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::engine::{CheckError, Engine};
use crate::eval::{CheckOptions, Decision};
use crate::facts::{Claim, History, PriorLine};

/// The format version written in `"v"`.
pub const DECISION_LOG_VERSION: u32 = 1;

/// One decision log record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionLogRecord {
    /// Format version ([`DECISION_LOG_VERSION`]).
    pub v: u32,
    /// The claim as decided.
    pub claim: Claim,
    /// The earlier lines the engine could read for it.
    pub history: Vec<PriorLine>,
    /// The decision as made.
    pub decision: Decision,
    /// Fields a masking step changed (the service's exported log); empty for a full record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub masked: Vec<String>,
}

/// A borrowed record, for writing without copying the claim and decision.
#[derive(Debug, Serialize)]
pub struct DecisionLogRecordRef<'a> {
    /// Format version.
    pub v: u32,
    /// The claim as decided.
    pub claim: &'a Claim,
    /// The earlier lines the engine could read for it.
    pub history: &'a [PriorLine],
    /// The decision as made.
    pub decision: &'a Decision,
}

impl<'a> DecisionLogRecordRef<'a> {
    /// A version-1 record.
    pub fn new(claim: &'a Claim, history: &'a [PriorLine], decision: &'a Decision) -> Self {
        Self {
            v: DECISION_LOG_VERSION,
            claim,
            history,
            decision,
        }
    }
}

/// What replaying one record found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replayed {
    /// The decision made now.
    pub decision: Decision,
    /// How its content differs from the recorded one (empty: the same decision).
    pub differences: Vec<String>,
    /// Whether the pack digest differs from the recorded one (a different pack version or
    /// table data decided it now).
    pub digest_changed: bool,
}

/// Why a record cannot be replayed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum ReplayError {
    /// A format version this library does not read.
    #[error("decision log format version {0} is not supported (this payerlex reads version 1)")]
    #[diagnostic(code("PLX-R030"))]
    Version(u32),
    /// The engine refused the claim (no pack for its payer, or it is inconsistent).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Check(#[from] CheckError),
}

/// The history a record carries, read back as a [`History`].
struct Recorded<'a>(&'a [PriorLine]);

impl History for Recorded<'_> {
    fn prior_lines(&self, _payer: &str, _patient: &str) -> Cow<'_, [PriorLine]> {
        Cow::Borrowed(self.0)
    }
}

impl Engine {
    /// The earlier lines of `claim`'s patient this engine can read when deciding it: those
    /// within its rules' reach, and the lines of the claim it replaces. Logging these with a
    /// decision makes the record replayable on its own.
    pub fn history_in_reach(&self, claim: &Claim, history: &dyn History) -> Vec<PriorLine> {
        let mut lines = self.reachable_history(claim, history).into_owned();
        if let Some(replaced) = claim.replaces.as_deref() {
            let all = history.prior_lines(&claim.payer, &claim.patient);
            for line in all.iter().filter(|l| &*l.claim == replaced) {
                if !lines.contains(line) {
                    lines.push(line.clone());
                }
            }
            lines.sort_by_key(|l| l.date);
        }
        lines
    }

    /// Decides a logged claim again against its logged history and compares.
    pub fn replay(&self, record: &DecisionLogRecord) -> Result<Replayed, ReplayError> {
        if record.v != DECISION_LOG_VERSION {
            return Err(ReplayError::Version(record.v));
        }
        let decision = self.check_with(
            &record.claim,
            &Recorded(&record.history),
            CheckOptions::default(),
        )?;
        let differences = differences(&record.decision, &decision);
        Ok(Replayed {
            digest_changed: record.decision.policy.digest != decision.policy.digest,
            decision,
            differences,
        })
    }
}

/// The content of a decision as compared by replay: everything but the id, the time, the
/// pack digest and explanations.
fn content(decision: &Decision) -> serde_json::Value {
    let mut value = serde_json::to_value(decision).unwrap_or(serde_json::Value::Null);
    if let Some(map) = value.as_object_mut() {
        map.remove("id");
        map.remove("decided_at");
        if let Some(policy) = map.get_mut("policy").and_then(|p| p.as_object_mut()) {
            policy.remove("digest");
        }
    }
    if let Some(lines) = value.get_mut("lines").and_then(|l| l.as_array_mut()) {
        for line in lines {
            if let Some(findings) = line.get_mut("findings").and_then(|f| f.as_array_mut()) {
                for finding in findings {
                    if let Some(map) = finding.as_object_mut() {
                        map.remove("explanation");
                    }
                }
            }
        }
    }
    value
}

/// An enum's name as the JSON contract writes it (`deny`, `adjust_prior`).
fn name(value: &impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        _ => "?".to_owned(),
    }
}

/// What differs between the recorded and the new decision, line by line.
fn differences(recorded: &Decision, now: &Decision) -> Vec<String> {
    let mut out = Vec::new();
    if content(recorded) == content(now) {
        return out;
    }
    if recorded.outcome != now.outcome {
        out.push(format!(
            "claim: {} -> {}",
            name(&recorded.outcome),
            name(&now.outcome)
        ));
    }
    for (old, new) in recorded.lines.iter().zip(&now.lines) {
        let rules = |line: &crate::eval::LineDecision| {
            line.findings
                .iter()
                .map(|f| format!("{} {}", f.rule, name(&f.outcome)))
                .collect::<Vec<_>>()
        };
        if old.outcome != new.outcome {
            out.push(format!(
                "line {}: {} -> {}",
                old.number,
                name(&old.outcome),
                name(&new.outcome)
            ));
        }
        let (was, is) = (rules(old), rules(new));
        if was != is {
            out.push(format!(
                "line {}: findings [{}] -> [{}]",
                old.number,
                was.join(", "),
                is.join(", ")
            ));
        }
        if old.estimate != new.estimate {
            out.push(format!("line {}: estimate changed", old.number));
        }
    }
    if recorded.lines.len() != now.lines.len() {
        out.push(format!(
            "lines: {} -> {}",
            recorded.lines.len(),
            now.lines.len()
        ));
    }
    if recorded.adjustments != now.adjustments {
        out.push("adjustments changed".to_owned());
    }
    if recorded.warnings != now.warnings {
        out.push("warnings changed".to_owned());
    }
    if out.is_empty() {
        out.push("finding details changed (messages, citations or codes)".to_owned());
    }
    out
}
