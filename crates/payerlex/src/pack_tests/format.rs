//! The pack test file format (`<pack>/tests/*.toml`), and its parser.
//!
//! Test files are TOML so that a coder can read and write them without learning another
//! syntax, and claims use the field names of the JSON claim contract so a claim can move
//! between a test and `payerlex check` unchanged. Every value keeps its position, so every
//! error names `file:line:col`.
//!
//! ```toml
//! # Fields every claim (and every line) of this file starts from; a test overrides them.
//! [defaults.claim]
//! patient = "P1"
//! provider = { npi = "1234567893", role = "professional" }
//! place_of_service = "11"
//! [defaults.line]
//! units = 1
//! date = "2026-03-02"
//!
//! [[test]]
//! name = "3D with a CT angiography the same day is denied"
//! claim.lines = [{ code = "71275" }, { code = "76377" }]
//! expect.1 = "allow"
//! expect.2 = { outcome = "deny", carc = "97", rules = ["integral-to-angiography"] }
//!
//! [[test]]
//! name = "units are summed across the patient's claims"
//! [[test.history]]                     # decided first, in order; joins the patient's history
//! lines = [{ code = "74177" }, { code = "76377", units = 2 }]
//! expect.2 = "allow"                   # optional for history claims
//! [test.claim]                         # the claim under test
//! lines = [{ code = "76377", modifiers = ["76"] }]
//! [test.expect]
//! 1 = { outcome = "deny", carc = "151", rarc = ["N362"] }
//! ```
//!
//! - A test has a `name`, the decided `claim`, and `expect`: one entry per line number of the
//!   claim (every line must have one), either an outcome (`"allow"`, `"review"`, `"deny"`) or
//!   a table with `outcome` and optionally `carc`, `rarc`, `rules`, `absent`, `suggest`.
//! - `carc`, `rarc`, `rules` and `suggest` are subset matches, as in Cedar's `run-tests`: the
//!   line must have a finding with that CARC, those RARCs, those rules (any outcome, advice
//!   and "not evaluated" included) and that suggested code; other findings may exist too.
//!   `absent` lists rules that must *not* produce a finding on the line (near misses).
//!   Rules are named by full id (`medicare.3d-rendering/biopsy-mapping`) or by rule name
//!   when only one rule of the pack has it.
//! - `history` claims are decided first, in order, and each joins the patient's history, as
//!   in a batch run; they may carry their own `expect`. Each test starts with no history.
//! - Defaults: `id` is `history-N` / `claim`, `payer` is the pack's id, a line's `number` is
//!   its position (1-based); the rest comes from `[defaults]` or the claim itself.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::PackTestError;
use crate::check::did_you_mean;
use crate::facts::{Carc, Claim, ClaimError, ProcedureCode, Rarc};
use crate::pack::Pack;
use crate::Outcome;

/// A place in a test file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as found under the policies folder.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// One parsed test file.
#[derive(Debug, Clone)]
pub struct TestFile {
    /// The file.
    pub path: PathBuf,
    /// The pack whose tests these are.
    pub pack: String,
    /// Its tests, in file order.
    pub tests: Vec<TestCase>,
}

/// One test: claims decided in order, the last one being the claim under test.
#[derive(Debug, Clone)]
pub struct TestCase {
    /// The test's name.
    pub name: String,
    /// Where the test is (its `name`).
    pub location: Location,
    /// History claims, then the claim under test.
    pub steps: Vec<Step>,
}

/// One claim of a test and what its decision must be.
#[derive(Debug, Clone)]
pub struct Step {
    /// The claim.
    pub claim: Claim,
    /// Where the claim is written.
    pub location: Location,
    /// Expected line decisions; `None` for a history claim that is only decided.
    pub expect: Option<Vec<LineExpectation>>,
}

/// What one line's decision must be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineExpectation {
    /// Line number.
    pub line: u32,
    /// Where the expectation is written.
    pub location: Location,
    /// The line's outcome.
    pub outcome: Outcome,
    /// A finding on the line must carry this CARC.
    pub carc: Option<Carc>,
    /// Findings on the line must carry these RARCs.
    pub rarc: Vec<Rarc>,
    /// Rules (full ids) that must produce a finding on the line.
    pub rules: Vec<Arc<str>>,
    /// Rules (full ids) that must not produce a finding on the line.
    pub absent: Vec<Arc<str>>,
    /// A finding on the line must suggest this code.
    pub suggest: Option<ProcedureCode>,
}

/// Parses and validates one test file of `pack`. Returns every error found.
pub fn parse_test_file(
    path: &Path,
    text: &str,
    pack: &Pack,
) -> Result<TestFile, Vec<PackTestError>> {
    let ctx = Ctx {
        path,
        text,
        pack,
        errors: Vec::new(),
    };
    ctx.file()
}

type Value<'i> = Spanned<DeValue<'i>>;

struct Ctx<'a> {
    path: &'a Path,
    text: &'a str,
    pack: &'a Pack,
    errors: Vec<PackTestError>,
}

/// Fields given for claims and lines before each test's own.
#[derive(Default)]
struct Defaults<'t, 'i> {
    claim: Vec<(&'t str, &'t Value<'i>)>,
    line: Vec<(&'t str, &'t Value<'i>)>,
}

/// A claim as JSON, with the position of each field for error messages.
struct JsonClaim {
    value: serde_json::Value,
    /// JSON path (`lines[0].code`) to source span, longest paths last.
    spans: Vec<(String, Range<usize>)>,
}

const TEST_KEYS: &[&str] = &["name", "history", "claim", "expect"];
const EXPECT_KEYS: &[&str] = &["outcome", "carc", "rarc", "rules", "absent", "suggest"];

impl<'a> Ctx<'a> {
    fn location(&self, span: &Range<usize>) -> Location {
        let before = self.text.get(..span.start).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Location {
            file: self.path.to_path_buf(),
            line,
            column,
        }
    }

    fn error(&mut self, span: &Range<usize>, message: impl Into<String>, help: Option<String>) {
        let location = self.location(span);
        self.errors.push(PackTestError::Invalid {
            location,
            message: message.into(),
            help,
        });
    }

    fn file(mut self) -> Result<TestFile, Vec<PackTestError>> {
        let text = self.text;
        let root = match DeTable::parse(text) {
            Ok(root) => root,
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let message = format!("invalid TOML: {}", e.message().trim_end());
                self.error(&span, message, None);
                return Err(self.errors);
            }
        };
        let root_span = root.span();
        let root = root.into_inner();
        self.check_keys(&root, &["defaults", "test"], "a test file", None);
        let defaults = self.defaults(&root);
        let mut tests = Vec::new();
        match get(&root, "test") {
            None => self.error(
                &root_span,
                "the file has no tests",
                Some("add a `[[test]]` table with `name`, `claim` and `expect`".into()),
            ),
            Some(value) => {
                match value.get_ref() {
                    DeValue::Array(items) => {
                        let mut names: BTreeMap<String, Range<usize>> = BTreeMap::new();
                        for item in items.iter() {
                            if let Some(test) = self.test(item, &defaults) {
                                if let Some(first) = names.get(&test.name) {
                                    let first = self.location(first);
                                    self.error(
                                    &item.span(),
                                    format!("two tests are named `{}`", test.name),
                                    Some(format!("the first is at line {}; test names are unique in a file", first.line)),
                                );
                                } else {
                                    names.insert(test.name.clone(), item.span());
                                }
                                tests.push(test);
                            }
                        }
                    }
                    _ => self.error(
                        &value.span(),
                        "`test` must be an array of tables",
                        Some("write each test as `[[test]]`".into()),
                    ),
                }
            }
        }
        if self.errors.is_empty() {
            Ok(TestFile {
                path: self.path.to_path_buf(),
                pack: self.pack.id.clone(),
                tests,
            })
        } else {
            Err(self.errors)
        }
    }

    fn check_keys(
        &mut self,
        table: &DeTable<'_>,
        allowed: &[&str],
        what: &str,
        help: Option<&str>,
    ) {
        for (key, _) in table.iter() {
            let name = key.get_ref().as_ref();
            if !allowed.contains(&name) {
                let hint =
                    did_you_mean(name, allowed.iter().copied()).or_else(|| help.map(str::to_owned));
                self.error(&key.span(), format!("unknown key `{name}` in {what}"), hint);
            }
        }
    }

    fn defaults<'t, 'i>(&mut self, root: &'t DeTable<'i>) -> Defaults<'t, 'i> {
        let mut defaults = Defaults::default();
        let Some(value) = get(root, "defaults") else {
            return defaults;
        };
        let Some(table) = self.table(value, "`defaults`") else {
            return defaults;
        };
        self.check_keys(
            table,
            &["claim", "line"],
            "`defaults`",
            Some("`defaults` holds a `claim` and a `line` table"),
        );
        if let Some(claim) = get(table, "claim").and_then(|v| self.table(v, "`defaults.claim`")) {
            for (key, value) in claim.iter() {
                let name = key.get_ref().as_ref();
                if name == "lines" || name == "id" {
                    self.error(
                        &key.span(),
                        format!("`{name}` cannot have a default"),
                        Some("give each claim its own".into()),
                    );
                    continue;
                }
                defaults.claim.push((name, value));
            }
        }
        if let Some(line) = get(table, "line").and_then(|v| self.table(v, "`defaults.line`")) {
            for (key, value) in line.iter() {
                let name = key.get_ref().as_ref();
                if name == "number" {
                    self.error(
                        &key.span(),
                        "`number` cannot have a default",
                        Some("line numbers default to the line's position".into()),
                    );
                    continue;
                }
                defaults.line.push((name, value));
            }
        }
        defaults
    }

    fn table<'t, 'i>(&mut self, value: &'t Value<'i>, what: &str) -> Option<&'t DeTable<'i>> {
        match value.get_ref() {
            DeValue::Table(table) => Some(table),
            other => {
                self.error(
                    &value.span(),
                    format!("{what} must be a table, found {}", other.type_str()),
                    None,
                );
                None
            }
        }
    }

    fn test(&mut self, item: &Value<'_>, defaults: &Defaults<'_, '_>) -> Option<TestCase> {
        let before = self.errors.len();
        let table = self.table(item, "a test")?;
        self.check_keys(table, TEST_KEYS, "a test", None);
        let name = match get(table, "name") {
            Some(value) => match value.get_ref() {
                DeValue::String(s) if !s.trim().is_empty() => Some((s.to_string(), value.span())),
                _ => {
                    self.error(
                        &value.span(),
                        "a test's `name` must be a non-empty string",
                        None,
                    );
                    None
                }
            },
            None => {
                self.error(
                    &item.span(),
                    "this test has no `name`",
                    Some("add `name = \"what the test shows\"`".into()),
                );
                None
            }
        };
        let mut steps = Vec::new();
        if let Some(history) = get(table, "history") {
            match history.get_ref() {
                DeValue::Array(claims) => {
                    for (i, claim) in claims.iter().enumerate() {
                        if let Some(step) =
                            self.step(claim, defaults, &format!("history-{}", i + 1), None)
                        {
                            steps.push(step);
                        }
                    }
                }
                _ => self.error(
                    &history.span(),
                    "`history` must be an array of claims",
                    Some("write each earlier claim as `[[test.history]]`".into()),
                ),
            }
        }
        match (get(table, "claim"), get(table, "expect")) {
            (Some(claim), Some(expect)) => {
                if let Some(step) = self.step(claim, defaults, "claim", Some(expect)) {
                    steps.push(step);
                }
            }
            (None, _) => self.error(
                &item.span(),
                "this test has no `claim`",
                Some("add the claim under test as `[test.claim]` or `claim.lines = [...]`".into()),
            ),
            (Some(claim), None) => self.error(
                &claim.span(),
                "this test has no `expect`",
                Some("add one expected outcome per line: `expect.1 = \"allow\"`".into()),
            ),
        }
        let (name, span) = name?;
        if self.errors.len() > before {
            return None;
        }
        Some(TestCase {
            name,
            location: self.location(&span),
            steps,
        })
    }

    /// A claim and its expectations (`expect` given for the claim under test; read from the
    /// claim table for history claims).
    fn step(
        &mut self,
        value: &Value<'_>,
        defaults: &Defaults<'_, '_>,
        id: &str,
        expect: Option<&Value<'_>>,
    ) -> Option<Step> {
        let table = self.table(value, "a claim")?;
        let own_expect = get(table, "expect");
        if let (Some(inner), Some(_)) = (own_expect, expect) {
            self.error(
                &inner.span(),
                "`expect` of the claim under test belongs to the test",
                Some("write it as `expect.N = ...` or `[test.expect]`, not inside `claim`".into()),
            );
            return None;
        }
        let json = self.claim_json(value.span(), table, defaults, id)?;
        let claim = self.claim(&json)?;
        let expectations = match expect.or(own_expect) {
            Some(expect) => Some(self.expectations(expect, &claim)?),
            None => None,
        };
        Some(Step {
            claim,
            location: self.location(&value.span()),
            expect: expectations,
        })
    }

    fn claim_json(
        &mut self,
        span: Range<usize>,
        table: &DeTable<'_>,
        defaults: &Defaults<'_, '_>,
        id: &str,
    ) -> Option<JsonClaim> {
        let mut object = serde_json::Map::new();
        let mut spans = vec![(String::new(), span.clone())];
        let mut lines = None;
        let own = table.iter().map(|(k, v)| (k.get_ref().as_ref(), v));
        for (key, value) in defaults.claim.iter().copied().chain(own) {
            match key {
                "expect" => {}
                "lines" => lines = Some(value),
                _ => {
                    object.insert(key.to_owned(), self.json(value)?);
                    spans.push((key.to_owned(), value.span()));
                }
            }
        }
        object
            .entry("id")
            .or_insert_with(|| serde_json::Value::String(id.to_owned()));
        match object.get("payer") {
            None => {
                object.insert(
                    "payer".into(),
                    serde_json::Value::String(self.pack.id.clone()),
                );
            }
            Some(serde_json::Value::String(payer)) if *payer == self.pack.id => {}
            Some(_) => {
                let at = spans
                    .iter()
                    .find(|(k, _)| k == "payer")
                    .map_or(span.clone(), |(_, s)| s.clone());
                self.error(
                    &at,
                    format!(
                        "the tests of pack `{}` decide claims for payer `{}`",
                        self.pack.id, self.pack.id
                    ),
                    Some("remove `payer`: it defaults to the pack's id".into()),
                );
                return None;
            }
        }
        if let Some(lines) = lines {
            let DeValue::Array(items) = lines.get_ref() else {
                self.error(
                    &lines.span(),
                    "`lines` must be an array of line tables",
                    None,
                );
                return None;
            };
            let mut array = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let line = self.table(item, "a claim line")?;
                let mut fields = serde_json::Map::new();
                spans.push((format!("lines[{i}]"), item.span()));
                let own = line.iter().map(|(k, v)| (k.get_ref().as_ref(), v));
                for (key, value) in defaults.line.iter().copied().chain(own) {
                    fields.insert(key.to_owned(), self.json(value)?);
                    spans.push((format!("lines[{i}].{key}"), value.span()));
                }
                fields
                    .entry("number")
                    .or_insert_with(|| serde_json::Value::from(i + 1));
                array.push(serde_json::Value::Object(fields));
            }
            object.insert("lines".into(), serde_json::Value::Array(array));
        }
        Some(JsonClaim {
            value: serde_json::Value::Object(object),
            spans,
        })
    }

    fn json(&mut self, value: &Value<'_>) -> Option<serde_json::Value> {
        Some(match value.get_ref() {
            DeValue::String(s) => serde_json::Value::String(s.to_string()),
            DeValue::Integer(i) => {
                let digits = i.as_str().replace('_', "");
                match i64::from_str_radix(&digits, i.radix()) {
                    Ok(n) => serde_json::Value::from(n),
                    Err(_) => {
                        self.error(&value.span(), "integer out of range", None);
                        return None;
                    }
                }
            }
            DeValue::Float(f) => {
                let number = f
                    .as_str()
                    .replace('_', "")
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64);
                match number {
                    Some(n) => serde_json::Value::Number(n),
                    None => {
                        self.error(&value.span(), "this number cannot be used in a claim", None);
                        return None;
                    }
                }
            }
            DeValue::Boolean(b) => serde_json::Value::Bool(*b),
            // Unquoted TOML dates (`date = 2026-03-02`) are accepted as the date text.
            DeValue::Datetime(d) => serde_json::Value::String(d.to_string()),
            DeValue::Array(items) => {
                let mut array = Vec::new();
                for item in items.iter() {
                    array.push(self.json(item)?);
                }
                serde_json::Value::Array(array)
            }
            DeValue::Table(table) => {
                let mut object = serde_json::Map::new();
                for (key, item) in table.iter() {
                    object.insert(key.get_ref().to_string(), self.json(item)?);
                }
                serde_json::Value::Object(object)
            }
        })
    }

    fn claim(&mut self, json: &JsonClaim) -> Option<Claim> {
        let span_of = |path: &str| {
            json.spans
                .iter()
                .filter(|(p, _)| {
                    p.is_empty()
                        || path == p
                        || path.starts_with(&format!("{p}."))
                        || path.starts_with(&format!("{p}["))
                })
                .max_by_key(|(p, _)| p.len())
                .map_or(0..0, |(_, s)| s.clone())
        };
        let claim: Claim = match serde_path_to_error::deserialize(json.value.clone()) {
            Ok(claim) => claim,
            Err(e) => {
                let path = e.path().to_string();
                let message = e.into_inner().to_string();
                let span = span_of(&path);
                let message = if path == "." || path == "?" || path.is_empty() {
                    format!("invalid claim: {message}")
                } else {
                    format!("invalid claim: {path}: {message}")
                };
                self.error(
                    &span,
                    message,
                    Some(
                        "claims use the fields of the JSON claim contract (see the README)".into(),
                    ),
                );
                return None;
            }
        };
        if let Err(e) = claim.validate() {
            let path = match &e {
                ClaimError::DuplicateLineNumber { index, .. } => format!("lines[{index}].number"),
                ClaimError::MissingDiagnosis { index, .. }
                | ClaimError::TooManyPointers { index, .. } => {
                    format!("lines[{index}].diagnosis_pointers")
                }
                ClaimError::TooManyDiagnoses { .. } => "diagnoses".to_owned(),
                _ => String::new(),
            };
            self.error(&span_of(&path), format!("invalid claim: {e}"), None);
            return None;
        }
        Some(claim)
    }

    fn expectations(&mut self, value: &Value<'_>, claim: &Claim) -> Option<Vec<LineExpectation>> {
        let before = self.errors.len();
        let table = self.table(value, "`expect`")?;
        let mut expectations: Vec<LineExpectation> = Vec::new();
        for (key, item) in table.iter() {
            let text = key.get_ref().as_ref();
            let Some(line) = text
                .parse::<u32>()
                .ok()
                .filter(|n| claim.lines.iter().any(|l| l.number == *n))
            else {
                let numbers: Vec<String> =
                    claim.lines.iter().map(|l| l.number.to_string()).collect();
                self.error(
                    &key.span(),
                    format!("`expect.{text}` names no line of the claim"),
                    Some(format!(
                        "`expect` is keyed by line number; the claim's lines are {}",
                        numbers.join(", ")
                    )),
                );
                continue;
            };
            if let Some(expectation) = self.expectation(line, item) {
                expectations.push(expectation);
            }
        }
        for line in &claim.lines {
            if !expectations.iter().any(|e| e.line == line.number) && self.errors.len() == before {
                self.error(
                    &value.span(),
                    format!("no expectation for line {} ({})", line.number, line.code),
                    Some(format!(
                        "every line needs one: `expect.{} = \"allow\"`",
                        line.number
                    )),
                );
            }
        }
        expectations.sort_by_key(|e| e.line);
        (self.errors.len() == before).then_some(expectations)
    }

    fn expectation(&mut self, line: u32, value: &Value<'_>) -> Option<LineExpectation> {
        let location = self.location(&value.span());
        let mut expectation = LineExpectation {
            line,
            location,
            outcome: Outcome::Allow,
            carc: None,
            rarc: Vec::new(),
            rules: Vec::new(),
            absent: Vec::new(),
            suggest: None,
        };
        match value.get_ref() {
            DeValue::String(s) => {
                expectation.outcome = self.outcome(s, &value.span())?;
                Some(expectation)
            }
            DeValue::Table(table) => {
                let before = self.errors.len();
                self.check_keys(table, EXPECT_KEYS, "an expectation", None);
                match get(table, "outcome") {
                    Some(v) => match v.get_ref() {
                        DeValue::String(s) => expectation.outcome = self.outcome(s, &v.span())?,
                        _ => self.error(
                            &v.span(),
                            "`outcome` must be `\"allow\"`, `\"review\"` or `\"deny\"`",
                            None,
                        ),
                    },
                    None => self.error(
                        &value.span(),
                        "this expectation has no `outcome`",
                        Some("add `outcome = \"allow\"` (or review, deny)".into()),
                    ),
                }
                if let Some(v) = get(table, "carc") {
                    let text = self.string(v, "`carc`")?;
                    match Carc::parse(&text) {
                        Ok(carc) => expectation.carc = Some(carc),
                        Err(e) => self.error(&v.span(), e.to_string(), None),
                    }
                }
                if let Some(v) = get(table, "rarc") {
                    for (text, span) in self.strings(v, "`rarc`")? {
                        match Rarc::parse(&text) {
                            Ok(rarc) => expectation.rarc.push(rarc),
                            Err(e) => self.error(&span, e.to_string(), None),
                        }
                    }
                }
                if let Some(v) = get(table, "rules") {
                    expectation.rules = self.rules(v, "`rules`")?;
                }
                if let Some(v) = get(table, "absent") {
                    expectation.absent = self.rules(v, "`absent`")?;
                }
                if let Some(v) = get(table, "suggest") {
                    let text = self.string(v, "`suggest`")?;
                    match ProcedureCode::parse(&text) {
                        Ok(code) => expectation.suggest = Some(code),
                        Err(e) => self.error(&v.span(), e.to_string(), None),
                    }
                }
                (self.errors.len() == before).then_some(expectation)
            }
            other => {
                self.error(
                    &value.span(),
                    format!(
                        "an expectation is an outcome or a table, found {}",
                        other.type_str()
                    ),
                    Some("write `\"deny\"` or `{ outcome = \"deny\", carc = \"97\" }`".into()),
                );
                None
            }
        }
    }

    fn outcome(&mut self, text: &str, span: &Range<usize>) -> Option<Outcome> {
        match text {
            "allow" => Some(Outcome::Allow),
            "review" => Some(Outcome::Review),
            "deny" => Some(Outcome::Deny),
            _ => {
                let hint = did_you_mean(text, ["allow", "review", "deny"]);
                self.error(
                    span,
                    format!("unknown outcome `{text}`"),
                    hint.or_else(|| Some("outcomes are `allow`, `review` and `deny`".into())),
                );
                None
            }
        }
    }

    fn string(&mut self, value: &Value<'_>, what: &str) -> Option<String> {
        match value.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            // `carc = 97` is as clear as `carc = "97"`.
            DeValue::Integer(i) => Some(i.as_str().to_owned()),
            other => {
                self.error(
                    &value.span(),
                    format!("{what} must be a string, found {}", other.type_str()),
                    None,
                );
                None
            }
        }
    }

    /// A string or an array of strings.
    fn strings(&mut self, value: &Value<'_>, what: &str) -> Option<Vec<(String, Range<usize>)>> {
        match value.get_ref() {
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    out.push((self.string(item, what)?, item.span()));
                }
                Some(out)
            }
            _ => Some(vec![(self.string(value, what)?, value.span())]),
        }
    }

    fn rules(&mut self, value: &Value<'_>, what: &str) -> Option<Vec<Arc<str>>> {
        let mut ids = Vec::new();
        for (name, span) in self.strings(value, what)? {
            match resolve_rule(self.pack, &name) {
                Ok(id) => ids.push(id),
                Err((message, help)) => self.error(&span, message, help),
            }
        }
        Some(ids)
    }
}

/// A rule of the pack by full id (`policy/rule`) or by rule name when it is unique.
fn resolve_rule(pack: &Pack, name: &str) -> Result<Arc<str>, (String, Option<String>)> {
    if name.contains('/') {
        return match pack.rules.iter().find(|r| &*r.id == name) {
            Some(rule) => Ok(rule.id.clone()),
            None => Err((
                format!("pack `{}` has no rule `{name}`", pack.id),
                did_you_mean(name, pack.rules.iter().map(|r| &*r.id)),
            )),
        };
    }
    let matches: Vec<&Arc<str>> = pack
        .rules
        .iter()
        .filter(|r| r.name == name)
        .map(|r| &r.id)
        .collect();
    match matches.as_slice() {
        [id] => Ok((*id).clone()),
        [] => Err((
            format!("pack `{}` has no rule named `{name}`", pack.id),
            did_you_mean(name, pack.rules.iter().map(|r| r.name.as_str())),
        )),
        many => Err((
            format!("several rules of pack `{}` are named `{name}`", pack.id),
            Some(format!(
                "name one by its full id: {}",
                many.iter()
                    .map(|id| format!("`{id}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        )),
    }
}

fn get<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Option<&'t Value<'i>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(_, v)| v)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::pack::PackSources;
    use crate::Engine;

    const POLICY: &str = "policy t.p\nversion 1.0.0\nset three_d = 76376, 76377\nrule lone\n  cite \"x\"\n  when line.code in three_d and no other line on same date\n  deny carc B15 rarc N657 \"bill the base study\"\n";

    fn engine() -> Engine {
        let pack = PackSources::new("t", "id = \"t\"\nname = \"T\"\nversion = \"1.0.0\"\neffective = \"2025-01-01\"\npolicies = [\"p.policy\"]\n")
            .with_file("p.policy", POLICY);
        Engine::from_sources(&[pack]).unwrap()
    }

    fn parse(text: &str) -> Result<TestFile, Vec<PackTestError>> {
        let engine = engine();
        parse_test_file(Path::new("t/tests/a.toml"), text, engine.pack("t").unwrap())
    }

    const HEADER: &str = "[defaults.claim]\npatient = \"P1\"\nprovider = { npi = \"1234567893\", role = \"professional\" }\nplace_of_service = \"11\"\n[defaults.line]\nunits = 1\ndate = 2026-03-02\n";

    #[test]
    fn parses_defaults_history_and_expectations() {
        let text = format!(
            "{HEADER}\n[[test]]\nname = \"a\"\nclaim.lines = [{{ code = \"76377\" }}]\nexpect.1 = {{ outcome = \"deny\", carc = 'B15', rarc = \"N657\", rules = [\"lone\"] }}\n\n[[test]]\nname = \"b\"\n[[test.history]]\nlines = [{{ code = \"76377\" }}]\nexpect.1 = \"deny\"\n[test.claim]\nlines = [{{ code = \"76377\", units = 2 }}]\n[test.expect]\n1 = \"deny\"\n"
        );
        let file = parse(&text).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(file.tests.len(), 2);
        let a = &file.tests[0];
        assert_eq!(a.location.line, 10);
        let expect = a.steps[0].expect.as_ref().unwrap();
        assert_eq!(expect[0].carc.unwrap().as_str(), "B15");
        assert_eq!(&*expect[0].rules[0], "t.p/lone");
        assert_eq!(a.steps[0].claim.payer, "t");
        assert_eq!(a.steps[0].claim.lines[0].date.to_string(), "2026-03-02");
        let b = &file.tests[1];
        assert_eq!(b.steps.len(), 2);
        assert_eq!(b.steps[0].claim.id, "history-1");
        assert!(b.steps[0].expect.is_some());
        assert_eq!(b.steps[1].claim.lines[0].units, 2);
    }

    fn first_error(text: &str) -> String {
        let errors = parse(text).unwrap_err();
        errors[0].to_string()
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let bad_toml = first_error("[[test]]\nname = \"a\nclaim = 1\n");
        assert!(bad_toml.starts_with("t/tests/a.toml:2:"), "{bad_toml}");
        let text = format!("{HEADER}\n[[test]]\nname = \"a\"\nclaim.lines = [{{ code = \"7637\" }}]\nexpect.1 = \"deny\"\n");
        let bad_code = first_error(&text);
        assert!(bad_code.starts_with("t/tests/a.toml:11:"), "{bad_code}");
        assert!(bad_code.contains("lines[0].code"), "{bad_code}");
        let text = format!("{HEADER}\n[[test]]\nname = \"a\"\nclaim.lines = [{{ code = \"76377\" }}]\nexpect.1 = {{ outcome = \"deny\", rules = [\"lonely\"] }}\n");
        let bad_rule = first_error(&text);
        assert!(bad_rule.starts_with("t/tests/a.toml:12:"), "{bad_rule}");
        assert!(bad_rule.contains("no rule named `lonely`"), "{bad_rule}");
        let text = format!("{HEADER}\n[[test]]\nname = \"a\"\nclaim.lines = [{{ code = \"76377\" }}, {{ code = \"74177\" }}]\nexpect.1 = \"denied\"\n");
        let errors = parse(&text).unwrap_err();
        assert!(
            errors[0].to_string().contains("unknown outcome `denied`"),
            "{}",
            errors[0]
        );
        assert_eq!(errors[0].help(), Some("did you mean `deny`?"));
    }

    #[test]
    fn every_line_needs_an_expectation() {
        let text = format!("{HEADER}\n[[test]]\nname = \"a\"\nclaim.lines = [{{ code = \"76377\" }}, {{ code = \"74177\" }}]\nexpect.1 = \"deny\"\n");
        assert!(first_error(&text).contains("no expectation for line 2 (74177)"));
        let text = format!("{HEADER}\n[[test]]\nname = \"a\"\nclaim.lines = [{{ code = \"76377\" }}]\nexpect.3 = \"deny\"\n");
        assert!(first_error(&text).contains("`expect.3` names no line"));
    }

    #[test]
    fn unknown_keys_and_foreign_payers_are_rejected() {
        let text = format!("{HEADER}\n[[test]]\nname = \"a\"\nclaims.lines = [{{ code = \"76377\" }}]\nexpect.1 = \"deny\"\n");
        let errors = parse(&text).unwrap_err();
        assert!(
            errors
                .iter()
                .any(|e| e.to_string().contains("unknown key `claims`")),
            "{errors:?}"
        );
        let text = format!("{HEADER}\n[[test]]\nname = \"a\"\nclaim.payer = \"other\"\nclaim.lines = [{{ code = \"76377\" }}]\nexpect.1 = \"deny\"\n");
        assert!(first_error(&text).contains("decide claims for payer `t`"));
    }
}
