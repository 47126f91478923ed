//! The benchmark's baseline: the six rules of `three_d.policy` written by hand in Rust, the
//! way a team would hard-code them. payerlex's compiled policies are measured against it.

use payerlex::Outcome;
use payerlex::{Claim, Modifier, ProcedureCode};

fn packed(code: ProcedureCode) -> u32 {
    code.packed()
}

fn code(text: &str) -> u32 {
    ProcedureCode::parse(text).map(packed).unwrap_or(0)
}

/// Sorted ranges, as a programmer would hard-code them.
pub struct Baseline {
    three_d: [u32; 2],
    base: Vec<(u32, u32)>,
    angio: Vec<(u32, u32)>,
    c76376: u32,
    c76377: u32,
    m26: Option<Modifier>,
    mtc: Option<Modifier>,
}

fn ranges(list: &[(&str, &str)]) -> Vec<(u32, u32)> {
    let mut v: Vec<(u32, u32)> = list.iter().map(|(a, b)| (code(a), code(b))).collect();
    v.sort_unstable();
    v
}

fn in_ranges(ranges: &[(u32, u32)], c: u32) -> bool {
    let i = ranges.partition_point(|&(_, hi)| hi < c);
    ranges.get(i).is_some_and(|&(lo, _)| lo <= c)
}

/// One line's decision.
#[derive(Debug, PartialEq, Eq)]
pub struct LineResult {
    pub number: u32,
    pub outcome: Outcome,
    pub rules: Vec<&'static str>,
}

impl Baseline {
    pub fn new() -> Self {
        Self {
            three_d: [code("76376"), code("76377")],
            base: ranges(&[
                ("70450", "70498"),
                ("71250", "71275"),
                ("72125", "72133"),
                ("72191", "72194"),
                ("73200", "73206"),
                ("73700", "73706"),
                ("74150", "74178"),
                ("70540", "70559"),
                ("71550", "71555"),
                ("72141", "72159"),
                ("72195", "72198"),
                ("76506", "76999"),
            ]),
            angio: ranges(&[
                ("34839", "34839"),
                ("70496", "70496"),
                ("70498", "70498"),
                ("70547", "70549"),
                ("71275", "71275"),
                ("71555", "71555"),
                ("72159", "72159"),
                ("72191", "72191"),
                ("72198", "72198"),
                ("73206", "73206"),
                ("73225", "73225"),
                ("73706", "73706"),
                ("73725", "73725"),
                ("74174", "74175"),
                ("74185", "74185"),
                ("75635", "75635"),
            ]),
            c76376: code("76376"),
            c76377: code("76377"),
            m26: Modifier::parse("26").ok(),
            mtc: Modifier::parse("TC").ok(),
        }
    }

    pub fn check(&self, claim: &Claim) -> Vec<LineResult> {
        // Computed only when a 76377 line needs it, as payerlex does.
        let workstation = || {
            claim
                .report
                .as_ref()
                .map(|r| match r.facts.get("workstation") {
                    Some(v) => *v,
                    None => r.text.as_deref().is_some_and(|t| {
                        let t = t.to_ascii_lowercase();
                        t.contains("independent workstation")
                            || t.contains("dedicated 3d workstation")
                    }),
                })
        };
        claim
            .lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                let c = packed(line.code);
                let mut rules = Vec::new();
                let mut outcome = Outcome::Allow;
                if self.three_d.contains(&c) {
                    let same_day = || claim.lines.iter().filter(move |l| l.date == line.date);
                    let mut deny = |r| {
                        rules.push(r);
                        outcome = Outcome::Deny;
                    };
                    if claim.lines.iter().enumerate().any(|(j, l)| {
                        j != i && l.date == line.date && in_ranges(&self.angio, packed(l.code))
                    }) {
                        deny("integral-to-angiography");
                    }
                    if !same_day().any(|l| in_ranges(&self.base, packed(l.code))) {
                        deny("base-study-required");
                    }
                    if c == self.c76376 && same_day().any(|l| packed(l.code) == self.c76377) {
                        deny("76376-with-76377");
                    }
                    if same_day()
                        .filter(|l| l.code == line.code)
                        .map(|l| l.units)
                        .sum::<u32>()
                        > 2
                    {
                        deny("session-units");
                    }
                    let has = |m: Option<Modifier>| m.is_some_and(|m| line.modifiers.contains(m));
                    if has(self.m26) && has(self.mtc) {
                        deny("both-components");
                    }
                    if c == self.c76377 && workstation() == Some(false) {
                        rules.push("workstation");
                        outcome = outcome.max(Outcome::Review);
                    }
                }
                LineResult {
                    number: line.number,
                    outcome,
                    rules,
                }
            })
            .collect()
    }
}
