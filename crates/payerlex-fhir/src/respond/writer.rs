//! Decisions out as FHIR R4 `ClaimResponse` resources.
//!
//! One `ClaimResponse` per claim. The mapping (see the crate README):
//! - `outcome`: `complete` when every line is decided (allow or deny: a denial is a finished
//!   adjudication, not a processing error), `partial` when a line is held for review (the
//!   adjudication is not final), `error` when the claim could not be read or checked.
//! - `item[]`: one per line, `itemSequence` = the line number (the FHIR `item.sequence` it came
//!   from). Its `adjudication[]` holds, per deny or review finding, an entry of category
//!   `eligible` whose `reason` carries the CARC, the group code and the RARCs as codings;
//!   then the amount: the payment estimate in USD when there is one, 0 USD for a denied line.
//! - `processNote[]`: every finding's message (deny, review and advice), linked from its item by
//!   `item.noteNumber`.
//! - `error[]` (R4 has no `error.expression`; that came in R5): `code.text` is the element
//!   path and the problem, `itemSequence` the item when the problem is in one.

use super::resource::{
    Adjudication, ClaimResponse, CodeableConcept, Decimal, Extension, Identifier, Item, Money,
    ProcessNote, Reference, ResponseError,
};
use crate::error::{FhirError, Problem, ProblemKind};
use crate::payerlex_api::{
    CheckError, Claim, Date, Decision, Finding, FindingOutcome, Outcome, ProviderRole,
};
use crate::read::validation_problem;
use crate::systems;

/// The X12 claim adjustment group code (CO, PR, OA, PI) of a finding: the rule's own
/// (`deny group PR ...`), CO when the rule does not say.
pub fn group_code(finding: &Finding) -> &'static str {
    finding.group.unwrap_or_default().as_str()
}

/// Writes `ClaimResponse` resources, all stamped with one creation time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseWriter {
    created: String,
}

impl ResponseWriter {
    /// A writer stamping `created` (a FHIR dateTime, e.g. `2026-03-02T10:00:00Z`).
    pub fn new(created: impl Into<String>) -> Self {
        Self {
            created: created.into(),
        }
    }

    /// A writer stamping the current UTC time, to the second.
    pub fn now() -> Self {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let days = i32::try_from(seconds / 86_400).unwrap_or(0);
        let time = seconds % 86_400;
        let date = Date::from_ymd(1970, 1, 1)
            .map_or_else(String::new, |epoch| epoch.add_days(days).to_string());
        Self::new(format!(
            "{date}T{:02}:{:02}:{:02}Z",
            time / 3600,
            time / 60 % 60,
            time % 60
        ))
    }

    /// The response to a decided claim.
    pub fn decision(&self, claim: &Claim, decision: &Decision) -> ClaimResponse {
        let mut notes = Vec::new();
        let items = decision
            .lines
            .iter()
            .map(|line| {
                let mut note_number = Vec::new();
                let mut adjudication = Vec::new();
                for finding in &line.findings {
                    let number = u32::try_from(notes.len() + 1).unwrap_or(u32::MAX);
                    notes.push(ProcessNote {
                        number,
                        kind: "display".to_owned(),
                        text: note_text(finding),
                    });
                    note_number.push(number);
                    if finding.outcome != FindingOutcome::Advice {
                        if let Some(reason) = reason(finding) {
                            adjudication.push(Adjudication {
                                category: eligible(),
                                reason: Some(reason),
                                amount: None,
                            });
                        }
                    }
                }
                let amount = match (&line.estimate, line.outcome) {
                    (_, Outcome::Deny) => Decimal::parse("0.00"),
                    (Some(estimate), _) => Decimal::parse(&estimate.amount.to_string()),
                    (None, _) => None,
                };
                let amount = amount.map(|value| Money {
                    value,
                    currency: "USD".to_owned(),
                });
                if amount.is_some() || adjudication.is_empty() {
                    adjudication.push(Adjudication {
                        category: eligible(),
                        reason: None,
                        amount,
                    });
                }
                Item {
                    item_sequence: line.number,
                    note_number,
                    adjudication,
                }
            })
            .collect();
        let outcome = match decision.outcome {
            Outcome::Allow | Outcome::Deny => "complete",
            Outcome::Review => "partial",
        };
        let policy = &decision.policy;
        ClaimResponse {
            item: items,
            process_note: notes,
            disposition: Some(format!(
                "{}: decided by policy pack {} {} ({})",
                outcome_word(decision.outcome),
                policy.pack,
                policy.version,
                policy.digest
            )),
            ..self.base(Some(claim), Some(&decision.claim), outcome)
        }
    }

    /// The response to a claim that could not be read.
    pub fn error(&self, error: &FhirError) -> ClaimResponse {
        let mut location = Vec::new();
        if let Some(record) = error.record {
            location.push(format!("record {record}"));
        }
        if let Some(entry) = error.entry {
            location.push(format!("Bundle.entry[{entry}]"));
        }
        let where_ = if location.is_empty() {
            String::new()
        } else {
            format!(" ({})", location.join(", "))
        };
        ClaimResponse {
            disposition: Some(format!("the claim could not be read{where_}")),
            error: error.problems.iter().map(response_error).collect(),
            ..self.base(None, error.claim_id.as_deref(), "error")
        }
    }

    /// The response to a claim that was read but that the engine refused (an unknown payer,
    /// or an inconsistent claim).
    pub fn check_error(&self, claim: &Claim, error: &CheckError) -> ClaimResponse {
        let problem = match error {
            CheckError::InvalidClaim(invalid) => validation_problem(invalid, claim),
            other => Problem::new(
                "Claim.insurer",
                ProblemKind::Unsupported {
                    what: other.to_string(),
                },
            ),
        };
        ClaimResponse {
            disposition: Some("the claim could not be checked".to_owned()),
            error: vec![response_error(&problem)],
            ..self.base(Some(claim), Some(&claim.id), "error")
        }
    }

    /// The elements every response has.
    fn base(&self, claim: Option<&Claim>, claim_id: Option<&str>, outcome: &str) -> ClaimResponse {
        let kind = match claim.map(|c| c.provider.role) {
            Some(ProviderRole::Professional) => {
                CodeableConcept::coded(systems::CLAIM_TYPE, "professional")
            }
            Some(ProviderRole::Facility) => {
                CodeableConcept::coded(systems::CLAIM_TYPE, "institutional")
            }
            None => CodeableConcept {
                extension: vec![absent()],
                ..CodeableConcept::default()
            },
        };
        let patient = match claim {
            Some(claim) => Reference {
                identifier: Some(Identifier {
                    value: claim.patient.clone(),
                }),
                ..Reference::default()
            },
            None => absent_reference(),
        };
        let insurer = match claim {
            Some(claim) => Reference {
                display: Some(claim.payer.clone()),
                ..Reference::default()
            },
            None => absent_reference(),
        };
        ClaimResponse {
            resource_type: "ClaimResponse".to_owned(),
            status: "active".to_owned(),
            kind,
            purpose: "claim".to_owned(),
            patient,
            created: self.created.clone(),
            insurer,
            request: claim_id.map(claim_reference),
            outcome: outcome.to_owned(),
            disposition: None,
            item: Vec::new(),
            process_note: Vec::new(),
            error: Vec::new(),
        }
    }
}

fn outcome_word(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Allow => "allow",
        Outcome::Review => "review",
        Outcome::Deny => "deny",
    }
}

fn eligible() -> CodeableConcept {
    CodeableConcept::coded(systems::ADJUDICATION, "eligible")
}

/// A finding's codes: CARC with its group code, then the RARCs. `None` when it has none.
fn reason(finding: &Finding) -> Option<CodeableConcept> {
    let mut concept = CodeableConcept::default();
    if let Some(carc) = &finding.carc {
        concept
            .coding
            .push(super::resource::Coding::new(systems::CARC, carc.as_str()));
        concept.coding.push(super::resource::Coding::new(
            systems::GROUP_CODE,
            group_code(finding),
        ));
    }
    for rarc in finding.rarc.iter() {
        concept
            .coding
            .push(super::resource::Coding::new(systems::RARC, rarc.as_str()));
    }
    (!concept.coding.is_empty()).then_some(concept)
}

/// `deny medicare.3d-rendering/base-study-required: <message>`, plus a suggested code.
fn note_text(finding: &Finding) -> String {
    let outcome = match finding.outcome {
        FindingOutcome::Deny => "deny",
        FindingOutcome::Review => "review",
        FindingOutcome::Advice => "advice",
        FindingOutcome::AdjustPrior => "adjust prior claim",
    };
    let mut text = format!("{outcome} {}: {}", finding.rule, finding.message);
    if let Some(code) = finding.suggested_code {
        text.push_str(&format!(" (suggested code: {code})"));
    }
    text
}

fn response_error(problem: &Problem) -> ResponseError {
    ResponseError {
        item_sequence: problem.item_sequence,
        code: CodeableConcept {
            text: Some(problem.to_string()),
            ..CodeableConcept::default()
        },
    }
}

fn absent() -> Extension {
    Extension {
        url: systems::DATA_ABSENT_REASON.to_owned(),
        value_code: "unknown".to_owned(),
    }
}

fn absent_reference() -> Reference {
    Reference {
        extension: vec![absent()],
        ..Reference::default()
    }
}

/// `Claim/<id>` when the id is a FHIR id, else a logical reference by identifier.
fn claim_reference(id: &str) -> Reference {
    let is_fhir_id = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if is_fhir_id {
        Reference {
            reference: Some(format!("Claim/{id}")),
            ..Reference::default()
        }
    } else {
        Reference {
            identifier: Some(Identifier {
                value: id.to_owned(),
            }),
            ..Reference::default()
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn now_is_a_utc_fhir_datetime() {
        let created = ResponseWriter::now().created;
        let bytes = created.as_bytes();
        assert_eq!(bytes.len(), 20, "{created}");
        assert_eq!(
            (bytes[4], bytes[7], bytes[10], bytes[19]),
            (b'-', b'-', b'T', b'Z')
        );
        assert!(Date::parse(&created[..10]).is_ok(), "{created}");
        assert!(created.as_str() > "2025", "{created}");
    }

    #[test]
    fn decimals_are_plain_numbers_only() {
        for good in ["0.00", "78.83", "12", "-1.5"] {
            assert!(Decimal::parse(good).is_some(), "{good}");
        }
        for bad in ["", "1e5", "01.2", "1.", ".5", "NaN", "1,5"] {
            assert!(Decimal::parse(bad).is_none(), "{bad}");
        }
    }
}
