//! The claim a host passes in: lines, codes, modifiers, units, dates, diagnoses, provider,
//! place of service, prior authorisation, and the report facts.
//!
//! These are plain serde types whose fields are validated newtypes, so a `Claim` that exists
//! has well-formed codes; [`Claim::validate`] adds the cross-field checks (pointers into the
//! diagnosis list, unique line numbers) that a single field cannot express.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{
    Authorization, Date, Diagnosis, Frequency, Modifiers, Npi, PlaceOfService, ProcedureCode, Sex,
    Taxonomy,
};

/// Who bills: a physician/practitioner (837P) or a facility (837I).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderRole {
    /// Professional claim (CMS-1500 / 837P).
    Professional,
    /// Institutional claim (UB-04 / 837I).
    Facility,
}

impl ProviderRole {
    /// Parses `professional` or `facility`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "professional" => Some(Self::Professional),
            "facility" => Some(Self::Facility),
            _ => None,
        }
    }

    /// The lower-case name used in policies and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Professional => "professional",
            Self::Facility => "facility",
        }
    }
}

/// The billing provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    /// National Provider Identifier.
    pub npi: Npi,
    /// Professional or facility.
    pub role: ProviderRole,
    /// The billing provider's specialty (X12 2000A PRV03), when stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxonomy: Option<Taxonomy>,
}

/// The provider who performed a service (X12 2310B for the claim, 2420A for a line; FHIR
/// `careTeam`), when it is not the billing provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rendering {
    /// The rendering provider's NPI.
    pub npi: Npi,
    /// Their specialty, when stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxonomy: Option<Taxonomy>,
}

/// One service line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// Line number as billed (LX01), unique within the claim.
    pub number: u32,
    /// Procedure code.
    pub code: ProcedureCode,
    /// Up to four modifiers.
    #[serde(default)]
    pub modifiers: Modifiers,
    /// Units of service.
    pub units: u32,
    /// Date of service.
    pub date: Date,
    /// 1-based pointers into the claim's diagnoses (at most 4).
    #[serde(default)]
    pub diagnosis_pointers: Vec<u8>,
    /// Line-level place of service, overriding the claim's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_of_service: Option<PlaceOfService>,
    /// Line-level rendering provider (2420A), overriding the claim's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rendering: Option<Rendering>,
}

/// What the radiology report documents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// The report text; policies derive facts from it with their phrase lists.
    #[serde(default)]
    pub text: Option<String>,
    /// Facts stated by the caller; a stated fact overrides what the text implies. A fact
    /// stated twice is an error, not "the last one wins".
    #[serde(default, deserialize_with = "super::unique_keys::deserialize")]
    pub facts: BTreeMap<String, bool>,
}

/// A claim to decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// The host's claim identifier.
    pub id: String,
    /// Payer id; picks the policy pack.
    pub payer: String,
    /// Patient identifier; earlier claims of the same patient (to the same payer) form the
    /// history.
    pub patient: String,
    /// The patient's date of birth (X12 DMG02), for age edits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patient_birth_date: Option<Date>,
    /// The patient's sex (X12 DMG03), for sex edits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patient_sex: Option<Sex>,
    /// Billing provider.
    pub provider: Provider,
    /// Claim-level rendering provider (2310B), when not the billing provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rendering: Option<Rendering>,
    /// Claim frequency (CLM05-3): original when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<Frequency>,
    /// The id of the claim a replacement (7) or void (8) takes the place of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<String>,
    /// Claim-level place of service (CLM05-1).
    pub place_of_service: PlaceOfService,
    /// Diagnoses, in pointer order (up to 12).
    #[serde(default)]
    pub diagnoses: Vec<Diagnosis>,
    /// Prior authorisation number, when one was obtained.
    #[serde(default)]
    pub prior_authorization: Option<String>,
    /// Authorisation records from the payer's utilisation-management system.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authorizations: Vec<Authorization>,
    /// Service lines.
    pub lines: Vec<Line>,
    /// The report, when the host has one.
    #[serde(default)]
    pub report: Option<Report>,
    /// Medicare payment locality, for payment estimates (national when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<Locality>,
}

/// A Medicare payment locality (MAC contractor number and locality number).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Locality {
    /// Contractor number, e.g. `01112`.
    pub contractor: String,
    /// Locality number within the contractor, e.g. `05`.
    pub locality: String,
}

/// Most service lines one claim carries (X12 837I allows 999; 837P 50). Rules may look at
/// every line of the claim for each line, so this also bounds a claim's evaluation cost.
pub const MAX_LINES: usize = 999;

/// Most diagnoses one professional claim carries (837P HI segment).
pub const MAX_DIAGNOSES: usize = 12;

impl Provider {
    /// A billing provider without a stated taxonomy.
    pub fn new(npi: Npi, role: ProviderRole) -> Self {
        Self {
            npi,
            role,
            taxonomy: None,
        }
    }
}

impl Line {
    /// A line without modifiers, diagnosis pointers, place of service or rendering provider;
    /// set those fields afterwards as needed.
    pub fn new(number: u32, code: ProcedureCode, units: u32, date: Date) -> Self {
        Self {
            number,
            code,
            modifiers: Modifiers::default(),
            units,
            date,
            diagnosis_pointers: Vec::new(),
            place_of_service: None,
            rendering: None,
        }
    }
}

impl Claim {
    /// A claim with the required fields; every optional field (diagnoses, report, patient
    /// details, authorisations...) starts empty. Set them afterwards as needed.
    pub fn new(
        id: impl Into<String>,
        payer: impl Into<String>,
        patient: impl Into<String>,
        provider: Provider,
        place_of_service: PlaceOfService,
        lines: Vec<Line>,
    ) -> Self {
        Self {
            id: id.into(),
            payer: payer.into(),
            patient: patient.into(),
            patient_birth_date: None,
            patient_sex: None,
            provider,
            rendering: None,
            frequency: None,
            replaces: None,
            place_of_service,
            diagnoses: Vec::new(),
            prior_authorization: None,
            authorizations: Vec::new(),
            lines,
            report: None,
            locality: None,
        }
    }
}
