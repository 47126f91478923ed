//! Declared intended changes (`payerlex diff --expect FILE`).
//!
//! A pull request to a pack carries the impact its author intends, for example "76377 billed
//! with 73706 moves from allow to deny". The diff then fails only on changed lines no entry
//! declares, so CI enforces that a policy change does what it says and nothing else.
//!
//! ```toml
//! [[change]]
//! code = "76377"          # the changed line's code: a code, a range "70450..70498", or a list
//! with = ["73706"]        # codes billed with it: on another line, or in the patient's history
//! from = "allow"          # old outcome of the line
//! to = "deny"             # new outcome of the line
//! rule = "medicare.3d-rendering/integral-to-angiography"  # a rule whose finding changes
//! note = "NCCI 2026Q2 adds 73706 to the angiography edit"
//!
//! [[change]]
//! kind = "deny [a/r deny carc 16] -> allow"   # or the exact kind line `payerlex diff` prints
//! ```
//!
//! Every field is optional; an entry matches a changed line when all its fields match.

use serde::Deserialize;

use super::change::{ChangeKind, Verdict};
use super::strategies::Case;
use crate::eval::Outcome;
use crate::facts::ProcedureCode;
use crate::ir::CodeSet;

/// Why an expectations file is unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExpectError {
    /// Not valid TOML, or fields this format does not have.
    #[error("invalid expectations file: {0}")]
    Format(String),
    /// A code or range that is not a procedure code.
    #[error("change #{entry}: `{text}` is not a procedure code or range")]
    Code {
        /// 1-based entry number.
        entry: usize,
        /// The text.
        text: String,
    },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    #[serde(default)]
    code: Option<OneOrMany>,
    #[serde(default)]
    with: Vec<String>,
    #[serde(default)]
    from: Option<Outcome>,
    #[serde(default)]
    to: Option<Outcome>,
    #[serde(default)]
    rule: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    change: Vec<RawEntry>,
}

/// One declared change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedChange {
    /// The changed line's code must be in this set (any code when `None`).
    pub code: Option<CodeSet>,
    /// Codes that must appear on another line of the claim or in the patient's history.
    pub with: Vec<ProcedureCode>,
    /// The line's old outcome.
    pub from: Option<Outcome>,
    /// The line's new outcome.
    pub to: Option<Outcome>,
    /// A rule whose finding on the line differs.
    pub rule: Option<String>,
    /// The exact kind as printed.
    pub kind: Option<String>,
    /// The author's note, echoed in reports.
    pub note: Option<String>,
    /// How the entry was written, for reports.
    pub label: String,
}

/// A parsed expectations file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expectations {
    /// Declared changes, in file order.
    pub changes: Vec<ExpectedChange>,
}

fn parse_code_set(entry: usize, texts: &[String]) -> Result<CodeSet, ExpectError> {
    let mut ranges = Vec::new();
    for text in texts {
        let error = || ExpectError::Code {
            entry,
            text: text.clone(),
        };
        let (lo, hi) = match text.split_once("..") {
            Some((lo, hi)) => (lo.trim(), hi.trim()),
            None => (text.trim(), text.trim()),
        };
        let lo = ProcedureCode::parse(lo).map_err(|_| error())?;
        let hi = ProcedureCode::parse(hi).map_err(|_| error())?;
        if lo > hi {
            return Err(error());
        }
        ranges.push((lo, hi));
    }
    Ok(CodeSet::from_ranges(ranges))
}

impl Expectations {
    /// Parses the TOML format above.
    pub fn parse(text: &str) -> Result<Self, ExpectError> {
        let raw: RawFile = toml::from_str(text)
            .map_err(|e| ExpectError::Format(e.to_string().trim().to_owned()))?;
        let mut changes = Vec::new();
        for (i, entry) in raw.change.into_iter().enumerate() {
            let number = i + 1;
            let code_texts = match &entry.code {
                None => None,
                Some(OneOrMany::One(t)) => Some(vec![t.clone()]),
                Some(OneOrMany::Many(list)) => Some(list.clone()),
            };
            let code = code_texts
                .as_deref()
                .map(|t| parse_code_set(number, t))
                .transpose()?;
            let with = entry
                .with
                .iter()
                .map(|t| {
                    ProcedureCode::parse(t.trim()).map_err(|_| ExpectError::Code {
                        entry: number,
                        text: t.clone(),
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let mut label = Vec::new();
            if let Some(t) = &code_texts {
                label.push(t.join(", "));
            }
            if !with.is_empty() {
                label.push(format!("with {}", entry.with.join(", ")));
            }
            if entry.from.is_some() || entry.to.is_some() {
                let name = |o: Option<Outcome>| {
                    o.map_or("*".to_owned(), |o| format!("{o:?}").to_lowercase())
                };
                label.push(format!("{} -> {}", name(entry.from), name(entry.to)));
            }
            if let Some(rule) = &entry.rule {
                label.push(format!("rule {rule}"));
            }
            if let Some(kind) = &entry.kind {
                label.push(format!("kind `{kind}`"));
            }
            changes.push(ExpectedChange {
                code,
                with,
                from: entry.from,
                to: entry.to,
                rule: entry.rule,
                kind: entry.kind.map(|k| k.trim().to_owned()),
                note: entry.note,
                label: if label.is_empty() {
                    "any change".into()
                } else {
                    label.join(" ")
                },
            });
        }
        Ok(Self { changes })
    }

    /// The first entry (index) that declares line `line` of `case` changing as `kind`.
    pub fn matching(&self, case: &Case, line: usize, kind: &ChangeKind) -> Option<usize> {
        self.changes
            .iter()
            .position(|e| e.matches(case, line, kind))
    }
}

fn finding_of<'a>(verdict: &'a Verdict, rule: &str) -> Option<&'a super::change::FindingKey> {
    verdict.findings.iter().find(|f| f.rule == rule)
}

impl ExpectedChange {
    /// Whether this entry declares line `line` of `case` changing as `kind`.
    pub fn matches(&self, case: &Case, line: usize, kind: &ChangeKind) -> bool {
        let Some(this) = case.claim.lines.get(line) else {
            return false;
        };
        if self
            .code
            .as_ref()
            .is_some_and(|set| !set.contains(this.code))
        {
            return false;
        }
        let others: Vec<ProcedureCode> = case
            .claim
            .lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != line)
            .map(|(_, l)| l.code)
            .chain(case.history.iter().map(|l| l.code))
            .collect();
        if !self.with.iter().all(|c| others.contains(c)) {
            return false;
        }
        if self.from.is_some_and(|o| o != kind.from.outcome)
            || self.to.is_some_and(|o| o != kind.to.outcome)
        {
            return false;
        }
        if let Some(rule) = &self.rule {
            if finding_of(&kind.from, rule) == finding_of(&kind.to, rule) {
                return false;
            }
        }
        if let Some(text) = &self.kind {
            if *text != kind.to_string() {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_entries_and_rejects_unknown_fields() {
        let e = Expectations::parse(
            "[[change]]\ncode = \"76377\"\nwith = [\"73706\"]\nfrom = \"allow\"\nto = \"deny\"\n\n[[change]]\ncode = [\"70450..70498\", \"76376\"]\n",
        )
        .unwrap();
        assert_eq!(e.changes.len(), 2);
        assert_eq!(e.changes[0].from, Some(Outcome::Allow));
        assert!(e.changes[1]
            .code
            .as_ref()
            .unwrap()
            .contains(ProcedureCode::parse("70460").unwrap()));
        assert!(matches!(
            Expectations::parse("[[change]]\ncodes = \"1\"\n"),
            Err(ExpectError::Format(_))
        ));
        assert!(matches!(
            Expectations::parse("[[change]]\ncode = \"7637\"\n"),
            Err(ExpectError::Code { entry: 1, .. })
        ));
    }
}
