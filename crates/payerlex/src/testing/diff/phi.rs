//! Withholding patient data from a diff's examples before they are shown.
//!
//! A corpus is real claims: an example taken from it would print the patient's id, birth
//! date, report text and authorisation numbers. Unless the author asks to see them
//! (`payerlex diff --show-phi`), every example (generated ones too: simpler than tracking
//! where each came from, and their values are synthetic anyway) keeps only what the edit
//! reads: claim id, codes, modifiers, units, dates of service, places, providers, diagnosis
//! codes. What was withheld is listed on the example, the patient's age with it, so an age
//! edit still reads.

use super::report::{DiffReport, Example};
use crate::facts::Age;

const WITHHELD: &str = "(withheld)";

impl DiffReport {
    /// Replaces the patient data of every example by placeholders (see the module doc).
    pub fn withhold_phi(&mut self) {
        for change in &mut self.changes {
            if let Some(example) = &mut change.example {
                withhold(example);
            }
        }
    }
}

fn withhold(example: &mut Example) {
    let claim = &mut example.claim;
    let mut withheld = Vec::new();
    if claim.patient != WITHHELD {
        claim.patient = WITHHELD.to_owned();
        withheld.push("patient".to_owned());
    }
    if let Some(birth) = claim.patient_birth_date.take() {
        let first = claim.lines.iter().map(|l| l.date).min();
        let age = first.and_then(|d| Age::between(birth, d)).map(|a| a.years);
        withheld.push(match age {
            Some(years) => format!("patient_birth_date (age {years} on the first date of service)"),
            None => "patient_birth_date".to_owned(),
        });
    }
    if let Some(report) = &mut claim.report {
        if let Some(text) = &mut report.text {
            let chars = text.chars().count();
            *text = WITHHELD.to_owned();
            withheld.push(format!("report.text ({chars} characters)"));
        }
    }
    if let Some(number) = &mut claim.prior_authorization {
        *number = WITHHELD.to_owned();
        withheld.push("prior_authorization".to_owned());
    }
    if !claim.authorizations.is_empty() {
        for authorization in &mut claim.authorizations {
            authorization.number = WITHHELD.to_owned();
        }
        withheld.push("authorizations[].number".to_owned());
    }
    example.withheld = withheld;
}
