//! The text report of `payerlex diff`: a header per source, the kinds of change grouped by
//! outcome transition, and each kind's smallest example with both versions' clause traces.
//!
//! Text is for a person deciding whether a policy change may ship, so it leads with what is
//! undeclared and counts the rest; `--format json` carries the full [`DiffReport`]. Numbers
//! use thousands separators; nothing here reads the clock or the file system, so the same
//! report always renders the same text.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::super::change::{FindingKey, Verdict};
use super::phases::MAX_CHANGED_TABLE_CODES;
use super::report::DiffReport;
use crate::eval::{LineDecision, Outcome};

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn render_line(out: &mut String, label: &str, line: &LineDecision, changed: &[FindingKey]) {
    let verdict = Verdict::of(line);
    let outcome = Verdict {
        outcome: line.outcome,
        findings: Vec::new(),
    };
    let _ = writeln!(out, "    {label}: {outcome}");
    if line.findings.is_empty() {
        let _ = writeln!(out, "      (no findings)");
    }
    for (finding, key) in line.findings.iter().zip(&verdict.findings) {
        if !changed.contains(key) {
            // Context: both versions give this finding.
            let _ = writeln!(out, "      = {key}");
            continue;
        }
        let _ = writeln!(out, "      * {key}");
        let _ = writeln!(out, "        {}", finding.message);
        if let Some(explanation) = &finding.explanation {
            for clause in &explanation.clauses {
                let value = match clause.value {
                    Some(true) => "true ",
                    Some(false) => "false",
                    None => "unknown",
                };
                let _ = writeln!(out, "        {value}  {}  ({})", clause.clause, clause.at);
            }
            for fact in &explanation.facts {
                let value = fact.value.map_or("unknown".to_owned(), |v| v.to_string());
                let _ = writeln!(out, "        fact {} = {value}: {}", fact.fact, fact.source);
            }
        }
    }
}

impl DiffReport {
    /// The report for a terminal, every kind of change detailed.
    pub fn render_text(&self) -> String {
        self.render_text_limited(usize::MAX)
    }

    /// The report for a terminal, detailing at most `max_kinds` kinds (the rest are counted;
    /// JSON has them all).
    pub fn render_text_limited(&self, max_kinds: usize) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "payerlex diff: {} {} ({}) -> {} {} ({})",
            self.old.id,
            self.old.version,
            self.old.origin,
            self.new.id,
            self.new.version,
            self.new.origin
        );
        let r = &self.rules;
        let mut parts = Vec::new();
        for (what, list) in [
            ("added", &r.added),
            ("removed", &r.removed),
            ("modified", &r.modified),
        ] {
            if !list.is_empty() {
                parts.push(format!("{} {what} ({})", list.len(), list.join(", ")));
            }
        }
        if r.reordered {
            parts.push("rule order changed".into());
        }
        parts.push(format!("{} unchanged", r.unchanged.len()));
        let _ = writeln!(out, "rules: {}", parts.join(", "));
        if let Some(g) = &self.generated {
            let _ = writeln!(
                out,
                "generated:  {} claims (seed {}), {} changed lines, {} ms",
                thousands(g.claims),
                self.seed,
                thousands(g.changed_lines),
                g.elapsed_ms
            );
        }
        if let Some(e) = &self.exhaustive {
            match &e.shape {
                None if e.complete => {
                    let _ = writeln!(out, "exhaustive: no rule differs, so every claim is decided alike (nothing to enumerate)");
                }
                None => {
                    let _ = writeln!(out, "exhaustive: not run");
                }
                Some(shape) => {
                    let status = if e.complete {
                        "complete: no other claim of this shape can change".to_owned()
                    } else if e.checked < shape.claims {
                        format!("INCOMPLETE: stopped after {} claims (raise --max-scope or lower --max-lines)", thousands(e.checked))
                    } else {
                        format!("INCOMPLETE: more than {MAX_CHANGED_TABLE_CODES} codes have changed table rows; the scope holds the first {MAX_CHANGED_TABLE_CODES}")
                    };
                    let _ = writeln!(
                        out,
                        "exhaustive: {} of {} claims ({status}), {} changed lines, {} ms",
                        thousands(e.checked),
                        thousands(shape.claims),
                        thousands(e.changed_lines),
                        e.elapsed_ms
                    );
                    let _ = writeln!(
                        out,
                        "            scope: up to {} lines and {} history lines; classes of the {} rules: {} codes ({}), {} modifier lists, units {:?}, {} dates ({}), {} places, {} diagnosis choices, {} report states",
                        shape.max_lines,
                        shape.max_history,
                        e.rules,
                        shape.codes.len(),
                        shape.codes.join(" "),
                        shape.modifier_lists,
                        shape.units,
                        shape.dates.len(),
                        shape.dates.join(" "),
                        shape.places,
                        shape.diagnoses,
                        shape.reports
                    );
                    if let Some(extra) = shape.context_summary() {
                        let _ = writeln!(out, "            {extra}");
                    }
                }
            }
        }
        if let Some(c) = &self.corpus {
            let _ = writeln!(
                out,
                "corpus:     {} claims ({} skipped), {} changed lines, {} ms",
                thousands(c.claims),
                thousands(c.skipped),
                thousands(c.changed_lines),
                c.elapsed_ms
            );
        }
        for (i, e) in self.expectations.iter().enumerate() {
            let note = e
                .note
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "expected #{}: {}{note}: {} changed lines",
                i + 1,
                e.change,
                thousands(e.matched)
            );
            if e.matched == 0 {
                let _ = writeln!(out, "  warning: this declared change did not occur");
            }
        }
        let _ = writeln!(out);
        if self.changes.is_empty() {
            let _ = writeln!(out, "no change found");
            return out;
        }
        let undeclared = self.changes.iter().filter(|c| c.undeclared > 0).count();
        let _ = writeln!(
            out,
            "{} kind(s) of change, {} undeclared ({} undeclared changed lines):",
            self.changes.len(),
            undeclared,
            thousands(self.undeclared())
        );
        let mut transitions: BTreeMap<(Outcome, Outcome), (u64, u64, u64)> = BTreeMap::new();
        for c in &self.changes {
            let t = transitions
                .entry((c.from.outcome, c.to.outcome))
                .or_default();
            t.0 += 1;
            t.1 += c.lines;
            t.2 += c.undeclared;
        }
        for ((from, to), (kinds, lines, undeclared)) in &transitions {
            let name = |o: &Outcome| format!("{o:?}").to_lowercase();
            let _ = writeln!(
                out,
                "  {} -> {}: {} changed lines in {kinds} kind(s), {} undeclared",
                name(from),
                name(to),
                thousands(*lines),
                thousands(*undeclared)
            );
        }
        let _ = writeln!(
            out,
            "(in each example, * marks findings that differ, = findings both versions give)"
        );
        for (i, change) in self.changes.iter().enumerate() {
            if i >= max_kinds {
                let _ = writeln!(
                    out,
                    "\n... and {} more kind(s) (raise --max-kinds, or use --format json)",
                    self.changes.len() - i
                );
                break;
            }
            let _ = writeln!(out, "\n[{}] {}", i + 1, change.kind);
            let status = if change.undeclared == 0 {
                "declared".to_owned()
            } else if change.undeclared == change.lines {
                "UNDECLARED".to_owned()
            } else {
                format!("{} UNDECLARED", thousands(change.undeclared))
            };
            let _ = writeln!(
                out,
                "    {} changed lines (generated {}, exhaustive {}, corpus {}), {status}; codes: {}",
                thousands(change.lines),
                thousands(change.generated),
                thousands(change.exhaustive),
                thousands(change.corpus),
                change.codes.join(" ")
            );
            if let Some(example) = &change.example {
                let claim = serde_json::to_string(&example.claim).unwrap_or_default();
                let _ = writeln!(out, "    smallest example, line {}: {claim}", example.line);
                if !example.withheld.is_empty() {
                    let _ = writeln!(
                        out,
                        "    withheld (--show-phi shows them): {}",
                        example.withheld.join(", ")
                    );
                }
                if !example.history.is_empty() {
                    let history = serde_json::to_string(&example.history).unwrap_or_default();
                    let _ = writeln!(out, "    history: {history}");
                }
                render_line(&mut out, "old", &example.old, &change.from.findings);
                render_line(&mut out, "new", &example.new, &change.to.findings);
            }
        }
        out
    }
}
