//! The code system URIs payerlex reads and writes.
//!
//! FHIR names a code's system by URI, and the same code set travels under several: HCPCS is
//! written with the CMS release page (CARIN Blue Button), the Blue Button code system, or its
//! OID. Each accepted spelling is listed here, so "which systems count as HCPCS" is answered in
//! one place and documented in the crate README.

/// CPT (AMA).
pub const CPT: &str = "http://www.ama-assn.org/go/cpt";

/// Procedure codes: CPT and the spellings of HCPCS Level II in use.
pub const PROCEDURE: &[&str] = &[
    CPT,
    "https://bluebutton.cms.gov/resources/codesystem/hcpcs",
    "urn:oid:2.16.840.1.113883.6.285",
    "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
    "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
];

/// ICD-10-CM diagnoses.
pub const ICD10_CM: &[&str] = &["http://hl7.org/fhir/sid/icd-10-cm"];

/// National Provider Identifier.
pub const NPI: &str = "http://hl7.org/fhir/sid/us-npi";

/// NUCC provider taxonomy.
pub const NUCC_TAXONOMY: &[&str] = &["http://nucc.org/provider-taxonomy"];

/// CMS place of service codes: the CMS code set page (CARIN, Da Vinci), HL7 terminology, and
/// Blue Button's variable.
pub const PLACE_OF_SERVICE: &[&str] = &[
    "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set",
    "http://terminology.hl7.org/CodeSystem/CMSPlaceofServiceCodes",
    "https://bluebutton.cms.gov/resources/variables/line_place_of_srvc_cd",
];

/// `Claim.type`.
pub const CLAIM_TYPE: &str = "http://terminology.hl7.org/CodeSystem/claim-type";

/// `Claim.supportingInfo.category`.
pub const INFORMATION_CATEGORY: &[&str] =
    &["http://terminology.hl7.org/CodeSystem/claiminformationcategory"];

/// Care team roles that make a member the rendering provider (HL7 `primary`, CARIN
/// `performing`), matched by code in any system.
pub const RENDERING_ROLES: &[&str] = &["primary", "performing"];

/// Patient identifier types (HL7 v2 table 0203) that are a member id, in preference order:
/// member number, Medicare, Medicaid, subscriber number.
pub const MEMBER_ID_TYPES: &[&str] = &["MB", "MC", "MA", "SN"];

/// X12 claim adjustment reason codes.
pub const CARC: &str = "https://x12.org/codes/claim-adjustment-reason-codes";

/// X12 claim adjustment group codes.
pub const GROUP_CODE: &str = "https://x12.org/codes/claim-adjustment-group-codes";

/// X12 remittance advice remark codes.
pub const RARC: &str = "https://x12.org/codes/remittance-advice-remark-codes";

/// HL7 adjudication categories (`submitted`, `eligible`, `benefit`, ...).
pub const ADJUDICATION: &str = "http://terminology.hl7.org/CodeSystem/adjudication";

/// The extension that says why a required element has no value.
pub const DATA_ABSENT_REASON: &str = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";
