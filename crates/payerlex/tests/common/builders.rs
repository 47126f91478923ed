//! Builders for the test inputs every suite needs: claims and lines in the JSON claim contract,
//! and pack manifests. One definition of "a test claim" (its NPI, patient, place, date) for
//! the whole workspace: the CLI's tests include this file too, so it depends on `serde_json`
//! only, never on `payerlex` types.
//!
//! ```ignore
//! let claim = claim("medicare")
//!     .line(line("71275"))
//!     .line(line("76377").modifiers(&["26"]).units(2))
//!     .report_text("3D rendering on an independent workstation.");
//! let manifest = manifest("acme").version("1.0.0").policies(&["imaging.policy"]);
//! ```
#![allow(dead_code)]

use std::fmt;

use serde_json::{json, Map, Value};

/// The billing provider of every test claim (a valid NPI: its check digit holds).
pub const NPI: &str = "1234567893";
/// Another valid NPI, for claims billed by a different provider.
pub const OTHER_NPI: &str = "1245319599";
/// The patient of every test claim.
pub const PATIENT: &str = "P1";
/// The default date of service.
pub const DATE: &str = "2026-03-02";

/// A claim line: `line("76377").modifiers(&["26"]).units(2).date("2026-03-03")`.
#[derive(Debug, Clone)]
pub struct LineSpec {
    number: Option<usize>,
    code: String,
    modifiers: Vec<String>,
    units: u32,
    date: String,
    pointers: Vec<u32>,
    place: Option<String>,
}

/// A line of `code`: one unit on [`DATE`], no modifiers, no diagnosis pointers.
pub fn line(code: &str) -> LineSpec {
    LineSpec {
        number: None,
        code: code.to_owned(),
        modifiers: Vec::new(),
        units: 1,
        date: DATE.to_owned(),
        pointers: Vec::new(),
        place: None,
    }
}

impl LineSpec {
    /// The line number, instead of the line's position in the claim.
    pub fn number(mut self, number: usize) -> Self {
        self.number = Some(number);
        self
    }

    /// The line's modifiers.
    pub fn modifiers(mut self, modifiers: &[&str]) -> Self {
        self.modifiers = modifiers.iter().map(|m| (*m).to_owned()).collect();
        self
    }

    /// Units billed.
    pub fn units(mut self, units: u32) -> Self {
        self.units = units;
        self
    }

    /// Date of service.
    pub fn date(mut self, date: &str) -> Self {
        self.date = date.to_owned();
        self
    }

    /// Diagnosis pointers (1-based).
    pub fn pointers(mut self, pointers: &[u32]) -> Self {
        self.pointers = pointers.to_vec();
        self
    }

    /// The line's own place of service.
    pub fn place(mut self, place: &str) -> Self {
        self.place = Some(place.to_owned());
        self
    }

    /// The line as JSON, numbered `position` unless it has a number of its own.
    pub fn to_json(&self, position: usize) -> Value {
        let mut line = json!({
            "number": self.number.unwrap_or(position),
            "code": self.code,
            "modifiers": self.modifiers,
            "units": self.units,
            "date": self.date,
            "diagnosis_pointers": self.pointers,
        });
        if let Some(place) = &self.place {
            line["place_of_service"] = json!(place);
        }
        line
    }
}

/// A claim: `claim("medicare").id("C2").line(line("76377"))`. Lines are numbered by position
/// unless given a number.
#[derive(Debug, Clone)]
pub struct ClaimSpec {
    fields: Map<String, Value>,
    lines: Vec<LineSpec>,
}

/// A claim `C1` for `payer`: patient [`PATIENT`], billed by [`NPI`] as a professional, in an
/// office (place 11), with no lines yet.
pub fn claim(payer: &str) -> ClaimSpec {
    let spec = ClaimSpec {
        fields: Map::new(),
        lines: Vec::new(),
    };
    spec.id("C1")
        .set("payer", json!(payer))
        .patient(PATIENT)
        .npi(NPI)
        .set("place_of_service", json!("11"))
}

impl ClaimSpec {
    /// Adds a line.
    pub fn line(mut self, line: LineSpec) -> Self {
        self.lines.push(line);
        self
    }

    /// Adds lines.
    pub fn lines(mut self, lines: impl IntoIterator<Item = LineSpec>) -> Self {
        self.lines.extend(lines);
        self
    }

    /// Sets a top-level field (`"locality"`, `"prior_authorization"`, ...).
    pub fn set(mut self, field: &str, value: Value) -> Self {
        self.fields.insert(field.to_owned(), value);
        self
    }

    /// The claim id.
    pub fn id(self, id: &str) -> Self {
        self.set("id", json!(id))
    }

    /// The patient.
    pub fn patient(self, patient: &str) -> Self {
        self.set("patient", json!(patient))
    }

    /// The billing provider's NPI (role professional).
    pub fn npi(self, npi: &str) -> Self {
        self.set("provider", json!({ "npi": npi, "role": "professional" }))
    }

    /// The claim's diagnoses.
    pub fn diagnoses(self, diagnoses: &[&str]) -> Self {
        self.set("diagnoses", json!(diagnoses))
    }

    /// A report with this text.
    pub fn report_text(self, text: &str) -> Self {
        self.set("report", json!({ "text": text }))
    }

    /// The claim as JSON.
    pub fn to_json(&self) -> Value {
        let mut fields = self.fields.clone();
        let lines: Vec<Value> = self
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| l.to_json(i + 1))
            .collect();
        fields.insert("lines".into(), Value::Array(lines));
        Value::Object(fields)
    }
}

/// The claim as one JSON Lines record.
impl fmt::Display for ClaimSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_json())
    }
}

/// A `pack.toml`: `manifest("acme").version("1.0.0").policies(&["imaging.policy"])`.
#[derive(Debug, Clone)]
pub struct ManifestSpec {
    id: String,
    version: String,
    effective: String,
    expires: Option<String>,
    policies: Vec<String>,
    extends: Option<(String, String)>,
    disable: Vec<String>,
}

/// A manifest for pack `id`: version 2026.1.0, effective 2025-01-01, no policies yet.
pub fn manifest(id: &str) -> ManifestSpec {
    ManifestSpec {
        id: id.to_owned(),
        version: "2026.1.0".to_owned(),
        effective: "2025-01-01".to_owned(),
        expires: None,
        policies: Vec::new(),
        extends: None,
        disable: Vec::new(),
    }
}

impl ManifestSpec {
    /// The pack's version (written as given, so an invalid one can be tested).
    pub fn version(mut self, version: &str) -> Self {
        self.version = version.to_owned();
        self
    }

    /// First date of service the pack applies to.
    pub fn effective(mut self, date: &str) -> Self {
        self.effective = date.to_owned();
        self
    }

    /// Last date of service the pack applies to.
    pub fn expires(mut self, date: &str) -> Self {
        self.expires = Some(date.to_owned());
        self
    }

    /// The policy files, in load order.
    pub fn policies(mut self, files: &[&str]) -> Self {
        self.policies = files.iter().map(|f| (*f).to_owned()).collect();
        self
    }

    /// The pack extends `pack` at a version satisfying `requirement`.
    pub fn extends(mut self, pack: &str, requirement: &str) -> Self {
        self.extends = Some((pack.to_owned(), requirement.to_owned()));
        self
    }

    /// Inherited rules switched off.
    pub fn disable(mut self, rules: &[&str]) -> Self {
        self.disable = rules.iter().map(|r| (*r).to_owned()).collect();
        self
    }
}

/// The manifest as TOML. The version line is third, as in the shipped packs, so diagnostics
/// about it point at `pack.toml:3`.
impl fmt::Display for ManifestSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |items: &[String]| {
            items
                .iter()
                .map(|i| format!("{i:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        writeln!(f, "id = {:?}", self.id)?;
        writeln!(f, "name = \"Test payer {}\"", self.id)?;
        writeln!(f, "version = {:?}", self.version)?;
        writeln!(f, "effective = {:?}", self.effective)?;
        if let Some(expires) = &self.expires {
            writeln!(f, "expires = {expires:?}")?;
        }
        writeln!(f, "policies = [{}]", list(&self.policies))?;
        if let Some((pack, requirement)) = &self.extends {
            writeln!(
                f,
                "extends = {{ pack = {pack:?}, version = {requirement:?} }}"
            )?;
        }
        if !self.disable.is_empty() {
            writeln!(f, "disable = [{}]", list(&self.disable))?;
        }
        Ok(())
    }
}
