//! The scope's dimensions as `payerlex diff` reports them: how many classes of each kind
//! the enumeration combines, so a reader can see what "complete" was complete over.

use serde::Serialize;

use super::ExhaustiveScope;

/// The scope's dimensions, for reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScopeShape {
    /// Claims in the scope (saturates at `u64::MAX`).
    pub claims: u64,
    /// Most lines per claim.
    pub max_lines: usize,
    /// Most history lines.
    pub max_history: usize,
    /// Code classes (one representative each).
    pub codes: Vec<String>,
    /// Modifier lists per line.
    pub modifier_lists: usize,
    /// Units values.
    pub units: Vec<u32>,
    /// Dates of service.
    pub dates: Vec<String>,
    /// Place-of-service choices (claim x line).
    pub places: usize,
    /// Diagnosis lists (x pointer choices).
    pub diagnoses: usize,
    /// Report states (no report, and every combination of fact states).
    pub reports: usize,
    /// Claim-level contexts (role, place, diagnoses, prior authorisation, report).
    pub contexts: u64,
    /// Variants of one line.
    pub line_variants: u64,
    /// History variants.
    pub histories: u64,
    /// Patients: birth date classes (ages at and around each threshold, and none) x sexes.
    pub patients: usize,
    /// Billing providers: NPI classes x taxonomy classes.
    pub providers: usize,
    /// Authorisation classes (none, covering, wrong dates, wrong code, too few units...).
    pub authorizations: usize,
    /// Rendering providers per line (none, or NPI class x taxonomy class).
    pub renderings: usize,
    /// Dates of later lines relative to the first (window edges).
    pub relative_dates: usize,
    /// History dates (absolute, and relative to the first line at window edges).
    pub history_dates: usize,
    /// History line profiles (plain, or one of place, role, rendering, diagnosis varied).
    pub history_profiles: usize,
}

impl ExhaustiveScope {
    /// The scope's dimensions.
    pub fn shape(&self) -> ScopeShape {
        ScopeShape {
            claims: self.len(),
            max_lines: self.max_lines,
            max_history: self.max_history,
            codes: self.codes.iter().map(ToString::to_string).collect(),
            modifier_lists: self.modifier_lists.len(),
            units: self.units.clone(),
            dates: self.dates.iter().map(ToString::to_string).collect(),
            places: self.claim_places.len() * self.line_places.len(),
            diagnoses: self.diagnosis_lists.len() * self.pointer_masks.len(),
            reports: self.report_count() as usize,
            contexts: self.context_count(),
            line_variants: self.line_count(0),
            histories: self.history_count(),
            patients: self.extras.patients(),
            providers: self.extras.providers(),
            authorizations: self.extras.authorization_classes(),
            renderings: self.extras.renderings.len(),
            relative_dates: self.later_line_dates.len() - self.first_line_dates.len(),
            history_dates: self.history_dates.len(),
            history_profiles: self.extras.history_profiles.len(),
        }
    }
}

impl ScopeShape {
    /// The dimensions of general payer policies that this scope enumerates, in words; `None`
    /// when it enumerates none of them.
    pub fn context_summary(&self) -> Option<String> {
        // (count, count when the dimension is not enumerated, what it counts)
        let parts: Vec<String> = [
            (self.patients, 1, "patients (age x sex)"),
            (self.providers, 1, "billing providers"),
            (self.renderings, 1, "rendering providers per line"),
            (self.authorizations, 1, "authorisation classes"),
            (self.relative_dates, 0, "window-edge dates for later lines"),
            (self.history_profiles, 1, "history line profiles"),
        ]
        .iter()
        .filter(|(n, plain, _)| n > plain)
        .map(|(n, _, what)| format!("{n} {what}"))
        .collect();
        (!parts.is_empty()).then(|| format!("also: {}", parts.join(", ")))
    }
}
