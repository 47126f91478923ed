//! The parser of pack test files: TOML with positions kept, walked table by table so every
//! problem is reported with its `file:line:col` and parsing carries on to the next one.
//!
//! `toml`'s span-keeping `DeTable` is used rather than serde derive: derive stops at the first
//! error and loses where a value was written. This file walks the file's structure (defaults,
//! tests, history and claims); building claims from TOML is `claim_json.rs`, reading
//! expectations is `expectations.rs`. All three extend the one [`Ctx`] that collects errors.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::format::{Location, Step, TestCase, TestFile};
use super::PackTestError;
use crate::check::did_you_mean;
use crate::pack::Pack;

pub(super) type Value<'i> = Spanned<DeValue<'i>>;

/// The file being parsed and the errors found so far.
pub(super) struct Ctx<'a> {
    pub(super) path: &'a Path,
    pub(super) text: &'a str,
    pub(super) pack: &'a Pack,
    pub(super) errors: Vec<PackTestError>,
}

/// Fields given for claims and lines before each test's own.
#[derive(Default)]
pub(super) struct Defaults<'t, 'i> {
    pub(super) claim: Vec<(&'t str, &'t Value<'i>)>,
    pub(super) line: Vec<(&'t str, &'t Value<'i>)>,
}

const TEST_KEYS: &[&str] = &["name", "history", "claim", "expect"];

impl<'a> Ctx<'a> {
    pub(super) fn new(path: &'a Path, text: &'a str, pack: &'a Pack) -> Self {
        Self {
            path,
            text,
            pack,
            errors: Vec::new(),
        }
    }

    pub(super) fn location(&self, span: &Range<usize>) -> Location {
        let before = self.text.get(..span.start).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Location {
            file: self.path.to_path_buf(),
            line,
            column,
        }
    }

    pub(super) fn error(
        &mut self,
        span: &Range<usize>,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let location = self.location(span);
        self.errors.push(PackTestError::Invalid {
            location,
            message: message.into(),
            help,
        });
    }

    pub(super) fn file(mut self) -> Result<TestFile, Vec<PackTestError>> {
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

    pub(super) fn check_keys(
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

    pub(super) fn table<'t, 'i>(
        &mut self,
        value: &'t Value<'i>,
        what: &str,
    ) -> Option<&'t DeTable<'i>> {
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
}

pub(super) fn get<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Option<&'t Value<'i>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(_, v)| v)
}
