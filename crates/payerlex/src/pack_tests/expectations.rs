//! Expectations in test files: one per line of the claim under test, an outcome or a table
//! of subset matches (CARC, RARCs, rules that fire, rules that must not, a suggested code).
//!
//! Rules may be named by full id or by a rule name unique in the pack; both are resolved here
//! against the loaded pack, so a typo is an error with a did-you-mean at load time instead of
//! an expectation that can never hold.

use std::ops::Range;
use std::sync::Arc;

use toml::de::DeValue;

use super::format::LineExpectation;
use super::parse::{get, Ctx, Value};
use crate::check::did_you_mean;
use crate::facts::{Carc, Claim, ProcedureCode, Rarc};
use crate::pack::Pack;
use crate::Outcome;

const EXPECT_KEYS: &[&str] = &["outcome", "carc", "rarc", "rules", "absent", "suggest"];

impl Ctx<'_> {
    pub(super) fn expectations(
        &mut self,
        value: &Value<'_>,
        claim: &Claim,
    ) -> Option<Vec<LineExpectation>> {
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
    // A rule the pack disabled or replaced can still be named (to assert it does not fire).
    let removed = |id: &Arc<str>| id.rsplit('/').next() == Some(name) || &**id == name;
    if let Some(id) = pack.removed_rules.iter().find(|id| removed(id)) {
        if !pack.rules.iter().any(|r| r.name == name || &*r.id == name) {
            return Ok(id.clone());
        }
    }
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
