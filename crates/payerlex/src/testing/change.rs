//! What counts as a change between two decisions of the same claim, and which rules differ
//! between two versions of a pack.
//!
//! A line's *verdict* is what reaches the remittance: its outcome and, for each finding, the
//! rule, the finding's kind, CARC, RARCs and suggested code. Messages and citations are left
//! out on purpose: rewording a message is not a change of outcome. A *kind* of change is a
//! pair of verdicts (old -> new); the diff groups changed lines by kind.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

use crate::eval::{Decision, Finding, FindingOutcome, LineDecision, Outcome};
use crate::facts::DateRange;
use crate::ir::{CheckedRule, Cond, CondKind, FactDecl, Num, Source};
use crate::pack::Pack;
use crate::source::Span;

/// Prefix of the message of a finding whose rule could not be evaluated.
const NOT_EVALUATED: &str = "not evaluated:";

/// One finding, as far as the remittance is concerned.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FindingKey {
    /// `policy/rule`.
    pub rule: String,
    /// `deny`, `review`, `advice` or `not evaluated`.
    pub finding: String,
    /// Claim adjustment reason code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carc: Option<String>,
    /// Remark codes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rarc: Vec<String>,
    /// Suggested replacement code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggest: Option<String>,
}

impl FindingKey {
    /// The key of a finding.
    pub fn of(finding: &Finding) -> Self {
        let finding_kind = match finding.outcome {
            FindingOutcome::Advice if finding.message.starts_with(NOT_EVALUATED) => "not evaluated",
            FindingOutcome::Advice => "advice",
            FindingOutcome::Review => "review",
            FindingOutcome::Deny => "deny",
            FindingOutcome::AdjustPrior => "adjust prior",
        };
        Self {
            rule: finding.rule.to_string(),
            finding: finding_kind.to_owned(),
            carc: finding.carc.map(|c| c.to_string()),
            rarc: finding.rarc.iter().map(|r| r.to_string()).collect(),
            suggest: finding.suggested_code.map(|c| c.to_string()),
        }
    }
}

impl fmt::Display for FindingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.rule, self.finding)?;
        if let Some(carc) = &self.carc {
            write!(f, " carc {carc}")?;
        }
        if !self.rarc.is_empty() {
            write!(f, " rarc {}", self.rarc.join(","))?;
        }
        if let Some(code) = &self.suggest {
            write!(f, " suggest {code}")?;
        }
        Ok(())
    }
}

/// How a line was decided: its outcome and its findings in rule order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Verdict {
    /// The line's outcome.
    pub outcome: Outcome,
    /// Its findings.
    pub findings: Vec<FindingKey>,
}

impl Verdict {
    /// The verdict of a decided line.
    pub fn of(line: &LineDecision) -> Self {
        Self {
            outcome: line.outcome,
            findings: line.findings.iter().map(FindingKey::of).collect(),
        }
    }
}

fn outcome_name(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Allow => "allow",
        Outcome::Review => "review",
        Outcome::Deny => "deny",
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(outcome_name(self.outcome))?;
        if !self.findings.is_empty() {
            let parts: Vec<String> = self.findings.iter().map(ToString::to_string).collect();
            write!(f, " [{}]", parts.join("; "))?;
        }
        Ok(())
    }
}

/// A kind of change: the line's outcome before and after, with the findings that differ.
///
/// Findings both versions give the line are context, not change: they are left out of the
/// kind (and shown in the example's full decisions), so one edited rule yields one kind
/// whatever else fires beside it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ChangeKind {
    /// Old outcome, and the old findings the new version does not give.
    pub from: Verdict,
    /// New outcome, and the new findings the old version did not give.
    pub to: Verdict,
}

impl ChangeKind {
    /// The kind of change between two decisions of one line.
    pub fn between(old: &LineDecision, new: &LineDecision) -> Self {
        let old = Verdict::of(old);
        let mut only_new = Verdict::of(new);
        let mut only_old = Vec::new();
        for finding in old.findings {
            match only_new.findings.iter().position(|f| *f == finding) {
                Some(i) => {
                    only_new.findings.remove(i);
                }
                None => only_old.push(finding),
            }
        }
        Self {
            from: Verdict {
                outcome: old.outcome,
                findings: only_old,
            },
            to: only_new,
        }
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} -> {}", self.from, self.to)
    }
}

fn same_finding(a: &Finding, b: &Finding) -> bool {
    a.rule == b.rule
        && a.outcome == b.outcome
        && a.carc == b.carc
        && a.rarc == b.rarc
        && a.suggested_code == b.suggested_code
        && a.message.starts_with(NOT_EVALUATED) == b.message.starts_with(NOT_EVALUATED)
}

/// Whether two decisions of one line have the same verdict (no allocation).
pub fn same_verdict(a: &LineDecision, b: &LineDecision) -> bool {
    a.outcome == b.outcome
        && a.findings.len() == b.findings.len()
        && a.findings
            .iter()
            .zip(&b.findings)
            .all(|(x, y)| same_finding(x, y))
}

/// The lines (by index) whose verdict differs between two decisions of one claim.
pub fn changed_lines(old: &Decision, new: &Decision) -> Vec<(usize, ChangeKind)> {
    old.lines
        .iter()
        .zip(&new.lines)
        .enumerate()
        .filter(|(_, (a, b))| !same_verdict(a, b))
        .map(|(i, (a, b))| (i, ChangeKind::between(a, b)))
        .collect()
}

/// How the rules of two pack versions relate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RuleDelta {
    /// Rule ids only in the new version.
    pub added: Vec<String>,
    /// Rule ids only in the old version.
    pub removed: Vec<String>,
    /// Rule ids in both whose condition, dates, outcome or report phrases differ.
    pub modified: Vec<String>,
    /// Rule ids decided alike in both versions.
    pub unchanged: Vec<String>,
    /// Whether the rules common to both versions are in a different order.
    pub reordered: bool,
}

impl RuleDelta {
    /// Whether every rule is decided alike (so every claim is).
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.modified.is_empty()
            && !self.reordered
    }

    /// Compares the linked rules of two packs.
    pub fn between(old: &Pack, new: &Pack) -> Self {
        let old_keys: BTreeMap<&str, RuleKey> = old
            .rules
            .iter()
            .map(|r| (&*r.id, RuleKey::of(r, old)))
            .collect();
        let new_keys: BTreeMap<&str, RuleKey> = new
            .rules
            .iter()
            .map(|r| (&*r.id, RuleKey::of(r, new)))
            .collect();
        let mut delta = RuleDelta::default();
        for rule in &new.rules {
            match old_keys.get(&*rule.id) {
                None => delta.added.push(rule.id.to_string()),
                Some(key) if Some(key) != new_keys.get(&*rule.id) => {
                    delta.modified.push(rule.id.to_string())
                }
                Some(_) => delta.unchanged.push(rule.id.to_string()),
            }
        }
        for rule in &old.rules {
            if !new_keys.contains_key(&*rule.id) {
                delta.removed.push(rule.id.to_string());
            }
        }
        let common_old: Vec<&str> = old
            .rules
            .iter()
            .map(|r| &*r.id)
            .filter(|id| new_keys.contains_key(id))
            .collect();
        let common_new: Vec<&str> = new
            .rules
            .iter()
            .map(|r| &*r.id)
            .filter(|id| old_keys.contains_key(id))
            .collect();
        delta.reordered = common_old != common_new;
        delta
    }

    /// Whether rule `id` may decide differently between the versions.
    pub fn differs(&self, id: &str) -> bool {
        self.reordered || !self.unchanged.iter().any(|u| u == id)
    }
}

/// What decides a rule's findings, without source positions or wording.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RuleKey {
    effective: DateRange,
    condition: Cond,
    outcome: (
        crate::ir::OutcomeKind,
        Option<String>,
        Vec<String>,
        Option<String>,
    ),
    phrases: BTreeMap<String, BTreeSet<String>>,
}

impl RuleKey {
    fn of(rule: &CheckedRule, pack: &Pack) -> Self {
        let mut facts = BTreeSet::new();
        facts_read(&rule.condition, &mut facts);
        let phrases = facts
            .into_iter()
            .map(|name| {
                let set = phrases_of(&pack.facts, &name);
                (name, set)
            })
            .collect();
        Self {
            effective: rule.effective.intersect(&pack.effective),
            condition: strip(&rule.condition),
            outcome: (
                rule.outcome.kind,
                rule.outcome.carc.map(|c| c.to_string()),
                rule.outcome.rarcs.iter().map(|r| r.to_string()).collect(),
                rule.outcome.suggest.map(|c| c.to_string()),
            ),
            phrases,
        }
    }
}

/// The phrases (lower case) a pack declares for a fact.
pub fn phrases_of(facts: &[FactDecl], name: &str) -> BTreeSet<String> {
    facts
        .iter()
        .filter(|f| &*f.name == name)
        .flat_map(|f| f.phrases.iter().map(|p| p.to_ascii_lowercase()))
        .collect()
}

fn facts_read(cond: &Cond, out: &mut BTreeSet<String>) {
    fn num(n: &Num, out: &mut BTreeSet<String>) {
        match n {
            Num::Aggregate { source, .. } => src(source, out),
            Num::Binary { lhs, rhs, .. } => {
                num(lhs, out);
                num(rhs, out);
            }
            Num::Const(_) | Num::Units(_) | Num::Age { .. } => {}
        }
    }
    fn src(s: &Source, out: &mut BTreeSet<String>) {
        if let Some(f) = &s.filter {
            facts_read(f, out);
        }
    }
    match &cond.kind {
        CondKind::All(parts) | CondKind::Any(parts) => {
            parts.iter().for_each(|p| facts_read(p, out))
        }
        CondKind::Not(inner) => facts_read(inner, out),
        CondKind::Fact(name) => {
            out.insert(name.to_string());
        }
        CondKind::Compare { lhs, rhs, .. } => {
            num(lhs, out);
            num(rhs, out);
        }
        CondKind::Exists(s) => src(s, out),
        _ => {}
    }
}

/// A copy of a condition with every span zeroed, so that reformatting compares equal.
fn strip(cond: &Cond) -> Cond {
    fn num(n: &Num) -> Num {
        match n {
            Num::Aggregate { kind, source, .. } => Num::Aggregate {
                kind: *kind,
                source: Box::new(src(source)),
                span: Span::default(),
            },
            Num::Binary { op, lhs, rhs } => Num::Binary {
                op: *op,
                lhs: Box::new(num(lhs)),
                rhs: Box::new(num(rhs)),
            },
            other => other.clone(),
        }
    }
    fn src(s: &Source) -> Source {
        Source {
            filter: s.filter.as_ref().map(|f| Box::new(strip(f))),
            ..s.clone()
        }
    }
    let kind = match &cond.kind {
        CondKind::All(parts) => CondKind::All(parts.iter().map(strip).collect()),
        CondKind::Any(parts) => CondKind::Any(parts.iter().map(strip).collect()),
        CondKind::Not(inner) => CondKind::Not(Box::new(strip(inner))),
        CondKind::Compare { lhs, op, rhs } => CondKind::Compare {
            lhs: num(lhs),
            op: *op,
            rhs: num(rhs),
        },
        CondKind::Exists(s) => CondKind::Exists(Box::new(src(s))),
        other => other.clone(),
    };
    Cond {
        kind,
        span: Span::default(),
    }
}
