//! The few FHIR R4 elements payerlex reads, as plain serde structs.
//!
//! Full FHIR model crates generate every resource and data type (hundreds of thousands of
//! lines, gigabytes of RAM to compile); payerlex needs a dozen elements of `Claim` and three
//! small resources, so they are written here by hand. Every element is optional or defaulted:
//! FHIR cardinality is checked by the mapper, which can then report *all* missing elements
//! with their paths instead of serde stopping at the first. Unknown elements (extensions,
//! `meta`, `text`, primitive `_element` siblings) are ignored.

use serde::Deserialize;
use serde_json::Value;

/// `Coding`: one code in one system.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Coding {
    /// Code system URI.
    pub system: Option<String>,
    /// The code.
    pub code: Option<String>,
}

/// `CodeableConcept`: codings of one concept.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CodeableConcept {
    /// The codings.
    #[serde(default)]
    pub coding: Vec<Coding>,
}

impl CodeableConcept {
    /// The first coding's code in one of `systems`, with its index.
    pub fn code_in(&self, systems: &[&str]) -> Option<(usize, &str)> {
        self.coding.iter().enumerate().find_map(|(i, c)| {
            let in_system = c.system.as_deref().is_some_and(|s| systems.contains(&s));
            match (in_system, c.code.as_deref()) {
                (true, Some(code)) => Some((i, code)),
                _ => None,
            }
        })
    }

    /// Whether any coding has `code` (in any system).
    pub fn has_code(&self, code: &str) -> bool {
        self.coding.iter().any(|c| c.code.as_deref() == Some(code))
    }
}

/// `Identifier`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Identifier {
    /// Its type (v2-0203 `MB` member number, `MC` Medicare number, ...).
    #[serde(rename = "type")]
    pub kind: Option<CodeableConcept>,
    /// The namespace.
    pub system: Option<String>,
    /// The value.
    pub value: Option<String>,
}

/// `Reference`: a literal reference, a logical one (identifier), or a display.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Reference {
    /// `#id` (contained), `Type/id`, or an absolute URL / `urn:uuid:` matching a `fullUrl`.
    pub reference: Option<String>,
    /// A logical reference.
    pub identifier: Option<Identifier>,
    /// Text for the referenced resource.
    pub display: Option<String>,
}

/// `Period`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Period {
    /// Start (date or dateTime).
    pub start: Option<String>,
    /// End (date or dateTime).
    pub end: Option<String>,
}

/// `Quantity` (only the value matters for units of service).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Quantity {
    /// The value, a FHIR decimal.
    pub value: Option<serde_json::Number>,
}

/// `Attachment` (for a report sent as text).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    /// MIME type; payerlex reads `text/plain`.
    pub content_type: Option<String>,
    /// Base64 content.
    pub data: Option<String>,
}

/// `Claim.related`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Related {
    /// The related claim.
    pub claim: Option<Reference>,
    /// How it relates (`replaces`, `prior`, `associated`).
    pub relationship: Option<CodeableConcept>,
    /// The related claim's file or case number.
    pub reference: Option<Identifier>,
}

/// `Claim.careTeam`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CareTeam {
    /// Its sequence, pointed to by `item.careTeamSequence`.
    pub sequence: Option<u32>,
    /// The practitioner.
    pub provider: Option<Reference>,
    /// `primary`, `performing`, `supervisor`, ...
    pub role: Option<CodeableConcept>,
    /// The member's specialty (NUCC taxonomy).
    pub qualification: Option<CodeableConcept>,
}

/// `Claim.supportingInfo` (the report).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SupportingInfo {
    /// `info`, `attachment`, ...
    pub category: Option<CodeableConcept>,
    /// Text.
    pub value_string: Option<String>,
    /// An attached document.
    pub value_attachment: Option<Attachment>,
}

/// `Claim.diagnosis`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnosis {
    /// Its sequence, pointed to by `item.diagnosisSequence`.
    pub sequence: Option<u32>,
    /// The code.
    pub diagnosis_codeable_concept: Option<CodeableConcept>,
    /// A Condition instead of a code (not read).
    pub diagnosis_reference: Option<Reference>,
    /// `principal`, `admitting`, ...
    #[serde(default, rename = "type")]
    pub kind: Vec<CodeableConcept>,
}

/// `Claim.insurance`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Insurance {
    /// Prior authorisation numbers.
    #[serde(default)]
    pub pre_auth_ref: Vec<String>,
}

/// `Claim.item`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    /// Item number.
    pub sequence: Option<u32>,
    /// Care team members for this item.
    #[serde(default)]
    pub care_team_sequence: Vec<u32>,
    /// Diagnoses for this item.
    #[serde(default)]
    pub diagnosis_sequence: Vec<u32>,
    /// The procedure code.
    pub product_or_service: Option<CodeableConcept>,
    /// Modifiers.
    #[serde(default)]
    pub modifier: Vec<CodeableConcept>,
    /// Date of service.
    pub serviced_date: Option<String>,
    /// Dates of service.
    pub serviced_period: Option<Period>,
    /// Place of service.
    pub location_codeable_concept: Option<CodeableConcept>,
    /// Units.
    pub quantity: Option<Quantity>,
}

/// The `Claim` resource, the elements payerlex reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Claim {
    /// Logical id.
    pub id: Option<String>,
    /// Resources carried inside the claim, resolved by `#id`.
    #[serde(default)]
    pub contained: Vec<Value>,
    /// Business identifiers.
    #[serde(default)]
    pub identifier: Vec<Identifier>,
    /// `active`, `cancelled`, `draft`, `entered-in-error`.
    pub status: Option<String>,
    /// `professional`, `institutional`, ...
    #[serde(rename = "type")]
    pub kind: Option<CodeableConcept>,
    /// The patient.
    pub patient: Option<Reference>,
    /// The billing provider.
    pub provider: Option<Reference>,
    /// The payer.
    pub insurer: Option<Reference>,
    /// Prior or replaced claims.
    #[serde(default)]
    pub related: Vec<Related>,
    /// Practitioners.
    #[serde(default)]
    pub care_team: Vec<CareTeam>,
    /// Supporting information (the report).
    #[serde(default)]
    pub supporting_info: Vec<SupportingInfo>,
    /// Diagnoses.
    #[serde(default)]
    pub diagnosis: Vec<Diagnosis>,
    /// Coverages (prior authorisation numbers).
    #[serde(default)]
    pub insurance: Vec<Insurance>,
    /// Service lines.
    #[serde(default)]
    pub item: Vec<Item>,
}

/// The `Patient` resource, the elements payerlex reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Patient {
    /// Member ids and other identifiers.
    #[serde(default)]
    pub identifier: Vec<Identifier>,
    /// `male`, `female`, `other`, `unknown`.
    pub gender: Option<String>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub birth_date: Option<String>,
}

/// `Practitioner.qualification`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Qualification {
    /// The qualification (NUCC taxonomy).
    pub code: Option<CodeableConcept>,
}

/// A `Practitioner` or `Organization`: a provider or the insurer.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Party {
    /// NPI and other identifiers.
    #[serde(default)]
    pub identifier: Vec<Identifier>,
    /// Organisation name (insurer only).
    pub name: Option<String>,
    /// Practitioner qualifications (billing taxonomy).
    #[serde(default)]
    pub qualification: Vec<Qualification>,
}

/// `Bundle.entry`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BundleEntry {
    /// The entry's absolute URL (or `urn:uuid:`).
    pub full_url: Option<String>,
    /// The resource.
    pub resource: Option<Value>,
}

/// The `Bundle` resource.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Bundle {
    /// Entries.
    #[serde(default)]
    pub entry: Vec<BundleEntry>,
}
