//! One FHIR JSON document (a `Claim` or a `Bundle`), its claims, and reference resolution.
//!
//! A document is parsed once into a `serde_json::Value` (serde_json's recursion limit stays
//! on, so nesting cannot overflow the stack) and each claim is then read into the typed
//! structs of [`super::resource`] on its own: a malformed claim in a Bundle becomes that
//! claim's error while its neighbours are still read. References are resolved the way FHIR
//! defines them for a document: `#id` against the claim's `contained` resources, then an
//! exact `Bundle.entry.fullUrl`, then `Type/id` against the entries' type and id (also the
//! tail of an absolute URL).

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::resource;
use crate::error::{sanitized_serde_message, shown_resource_type, FhirError, Problem, ProblemKind};

/// A parsed FHIR document.
#[derive(Debug, Clone)]
pub struct Document {
    entries: Vec<Entry>,
    by_full_url: HashMap<String, usize>,
    by_type_and_id: HashMap<(String, String), usize>,
    is_bundle: bool,
}

#[derive(Debug, Clone)]
struct Entry {
    resource: Value,
    is_claim: bool,
}

/// One `Claim` of a document, not yet mapped.
#[derive(Debug, Clone, Copy)]
pub struct ClaimEntry<'a> {
    document: &'a Document,
    index: usize,
}

/// A resource found by following a reference, with the path its problems are reported at.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Resolved<'a> {
    pub(crate) value: &'a Value,
    pub(crate) resource_type: &'a str,
}

impl Document {
    /// Parses a JSON text holding one `Claim` or one `Bundle`.
    pub fn parse(text: &str) -> Result<Self, FhirError> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            FhirError::single(Problem::new(
                format!("(JSON line {}, column {})", e.line(), e.column()),
                ProblemKind::Json {
                    message: sanitized_serde_message(&e),
                },
            ))
        })?;
        Self::from_value(value)
    }

    /// A document from an already parsed JSON value.
    pub fn from_value(value: Value) -> Result<Self, FhirError> {
        match resource_type(&value) {
            Some("Claim") => Ok(Self {
                entries: vec![Entry {
                    resource: value,
                    is_claim: true,
                }],
                by_full_url: HashMap::new(),
                by_type_and_id: HashMap::new(),
                is_bundle: false,
            }),
            Some("Bundle") => Self::from_bundle(value),
            other => Err(FhirError::single(Problem::new(
                "resourceType",
                ProblemKind::WrongResourceType {
                    expected: "Claim or Bundle",
                    found: shown_resource_type(other.unwrap_or("")),
                },
            ))),
        }
    }

    fn from_bundle(value: Value) -> Result<Self, FhirError> {
        let bundle: resource::Bundle = typed(&value, "Bundle").map_err(FhirError::single)?;
        let mut document = Self {
            entries: Vec::with_capacity(bundle.entry.len()),
            by_full_url: HashMap::new(),
            by_type_and_id: HashMap::new(),
            is_bundle: true,
        };
        for entry in bundle.entry {
            // An entry without a resource (a deleted one in a history Bundle) is kept so the
            // entry indexes in errors match the input.
            let resource = entry.resource.unwrap_or(Value::Null);
            let index = document.entries.len();
            if let Some(url) = entry.full_url {
                document.by_full_url.entry(url).or_insert(index);
            }
            let kind = resource_type(&resource).map(str::to_owned);
            let id = resource
                .get("id")
                .and_then(Value::as_str)
                .map(str::to_owned);
            if let (Some(kind), Some(id)) = (kind.clone(), id) {
                document.by_type_and_id.entry((kind, id)).or_insert(index);
            }
            document.entries.push(Entry {
                resource,
                is_claim: kind.as_deref() == Some("Claim"),
            });
        }
        Ok(document)
    }

    /// Whether the document is a Bundle (claims then carry their entry index).
    pub fn is_bundle(&self) -> bool {
        self.is_bundle
    }

    /// The document's claims, in order.
    pub fn claims(&self) -> impl Iterator<Item = ClaimEntry<'_>> + '_ {
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.is_claim)
            .map(move |(index, _)| ClaimEntry {
                document: self,
                index,
            })
    }

    fn lookup(&self, reference: &str) -> Option<&Value> {
        if let Some(&index) = self.by_full_url.get(reference) {
            return self.entries.get(index).map(|e| &e.resource);
        }
        // `Type/id`, `Type/id/_history/v`, or an absolute URL ending in either.
        let without_history = match reference.find("/_history/") {
            Some(at) => &reference[..at],
            None => reference,
        };
        let mut parts = without_history.rsplit('/');
        let id = parts.next()?;
        let kind = parts.next()?;
        let index = self.by_type_and_id.get(&(kind.to_owned(), id.to_owned()))?;
        self.entries.get(*index).map(|e| &e.resource)
    }
}

impl<'a> ClaimEntry<'a> {
    /// The claim's raw JSON.
    pub fn json(&self) -> &'a Value {
        self.document
            .entries
            .get(self.index)
            .map_or(&Value::Null, |e| &e.resource)
    }

    /// Its `Bundle.entry` index, when the document is a Bundle.
    pub fn entry(&self) -> Option<usize> {
        self.document.is_bundle.then_some(self.index)
    }

    /// `Claim.id`, when it is a string.
    pub fn id(&self) -> Option<&'a str> {
        self.json().get("id").and_then(Value::as_str)
    }

    /// The claim read into the typed structs (structure only; nothing validated yet).
    pub fn resource(&self) -> Result<resource::Claim, FhirError> {
        typed(self.json(), "Claim").map_err(|problem| self.error(vec![problem]))
    }

    /// An error located at this claim.
    pub(crate) fn error(&self, problems: Vec<Problem>) -> FhirError {
        FhirError {
            record: None,
            entry: self.entry(),
            claim_id: self.id().map(str::to_owned),
            problems,
        }
    }

    /// Follows a reference made by this claim: `#id` to a contained resource, else into the
    /// Bundle. `None` when nothing matches.
    pub(crate) fn resolve(&self, reference: &str, contained: &'a [Value]) -> Option<Resolved<'a>> {
        let value = match reference.strip_prefix('#') {
            Some(id) => contained
                .iter()
                .find(|c| c.get("id").and_then(Value::as_str) == Some(id))?,
            None => self.document.lookup(reference)?,
        };
        Some(Resolved {
            value,
            resource_type: resource_type(value).unwrap_or(""),
        })
    }
}

impl<'a> ClaimEntry<'a> {
    /// The claim's patient resource, when its reference resolves to a Patient.
    pub fn patient(&self, claim: &'a resource::Claim) -> Option<resource::Patient> {
        let reference = claim.patient.as_ref()?.reference.as_deref()?;
        let resolved = self.resolve(reference, &claim.contained)?;
        if resolved.resource_type != "Patient" {
            return None;
        }
        typed(resolved.value, "Patient").ok()
    }
}

/// `resourceType` of a JSON value.
fn resource_type(value: &Value) -> Option<&str> {
    value.get("resourceType").and_then(Value::as_str)
}

/// Reads a JSON value into a typed resource; a shape error names its path under `root`.
pub(crate) fn typed<T: DeserializeOwned>(value: &Value, root: &str) -> Result<T, Problem> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let path = if path.is_empty() || path == "." {
            root.to_owned()
        } else {
            format!("{root}.{path}")
        };
        Problem::new(
            path,
            ProblemKind::Json {
                message: sanitized_serde_message(e.inner()),
            },
        )
    })
}
