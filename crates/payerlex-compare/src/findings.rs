//! The common answer every engine's output is reduced to, so agreement can be asserted line by
//! line: the set of (line number, rule, deny|review) triples of a claim. A line without a
//! triple is allowed. payerlex's advice findings ("not evaluated: report required") change no
//! outcome and the other engines have no counterpart, so they are left out.

use std::fmt;

/// The six rules of the benchmark policy, by their policy names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// 3D rendering billed with angiography on the same date.
    IntegralToAngiography,
    /// 3D rendering without a base study on the same date.
    BaseStudyRequired,
    /// 76376 with 76377 on the same date.
    With76377,
    /// More than two units of one 3D code on one date.
    SessionUnits,
    /// Both -26 and -TC on one line.
    BothComponents,
    /// 76377 without a stated or documented independent workstation.
    Workstation,
}

impl Rule {
    /// Every rule, in policy order.
    pub const ALL: [Rule; 6] = [
        Rule::IntegralToAngiography,
        Rule::BaseStudyRequired,
        Rule::With76377,
        Rule::SessionUnits,
        Rule::BothComponents,
        Rule::Workstation,
    ];

    /// The rule's name in the policy, the Rego rules and the JDM table.
    pub fn name(self) -> &'static str {
        match self {
            Rule::IntegralToAngiography => "integral-to-angiography",
            Rule::BaseStudyRequired => "base-study-required",
            Rule::With76377 => "76376-with-76377",
            Rule::SessionUnits => "session-units",
            Rule::BothComponents => "both-components",
            Rule::Workstation => "workstation",
        }
    }

    /// The rule named `name`, with or without payerlex's `policy/` prefix.
    pub fn parse(name: &str) -> Option<Rule> {
        let short = name.rsplit('/').next().unwrap_or(name);
        Rule::ALL.into_iter().find(|r| r.name() == short)
    }
}

/// What a finding does to its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The line is denied.
    Deny,
    /// The line is held for review.
    Review,
}

impl Severity {
    /// Parses `deny` or `review`.
    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "deny" => Some(Severity::Deny),
            "review" => Some(Severity::Review),
            _ => None,
        }
    }
}

/// One rule firing on one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Finding {
    /// Line number as billed.
    pub line: u32,
    /// The rule.
    pub rule: Rule,
    /// Deny or review.
    pub severity: Severity,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {} {} {:?}",
            self.line,
            self.rule.name(),
            self.severity
        )
    }
}

/// A claim's findings, sorted and without duplicates so two engines' sets compare with `==`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindingSet(Vec<Finding>);

impl FindingSet {
    /// Sorts and deduplicates `findings`.
    pub fn new(mut findings: Vec<Finding>) -> Self {
        findings.sort_unstable();
        findings.dedup();
        Self(findings)
    }

    /// The findings, sorted.
    pub fn findings(&self) -> &[Finding] {
        &self.0
    }
}

impl fmt::Display for FindingSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(none)");
        }
        for (i, finding) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{finding}")?;
        }
        Ok(())
    }
}
