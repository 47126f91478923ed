//! Folds decisions into the report while they stream past, in memory bounded by the number of
//! distinct keys rather than the size of the file.
//!
//! Each table keeps at most [`MAX_KEYS_PER_TABLE`] distinct keys; lines of keys first seen
//! after that are added to the table's `other` row, so a file with millions of distinct codes
//! or payers cannot exhaust memory and its totals stay exact. Keys and messages are truncated
//! to a bounded length for the same reason. Claims are counted per row without remembering
//! claim ids: a row remembers the sequence number of the last claim and line it counted, and
//! every claim's lines arrive together, so "claims with such a line" and "each line once" need
//! no sets.

use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

use rust_decimal::Decimal;

use super::model::{
    CarcRow, CodeRow, FixRow, NoteRow, PayerRow, Report, RuleRow, SuggestedCode, Table, Tally,
    Totals,
};
use super::read::{DecisionRecord, FindingOutcome, FindingRecord, LineOutcome, Record};

/// Distinct keys kept per table; later keys go to the table's `other` row.
pub const MAX_KEYS_PER_TABLE: usize = 10_000;
/// Longest key (rule id, code, payer, reason code) kept, in characters.
const MAX_KEY_CHARS: usize = 200;
/// Longest finding message kept, in characters.
const MAX_MESSAGE_CHARS: usize = 1_000;
/// Distinct suggested codes kept per rule; later ones count under `(other)`.
const MAX_SUGGESTED_CODES: usize = 32;
/// Record and line numbers listed for error records and unreadable lines.
const MAX_LISTED_NUMBERS: usize = 20;
/// The message prefix of advice a rule gives when data it needs (usually the report) is missing.
const NOT_EVALUATED_PREFIX: &str = "not evaluated";

/// What a line puts at stake.
#[derive(Debug, Clone, Copy)]
enum Stake {
    /// Allowed (or an unknown outcome): nothing.
    Nothing,
    /// Denied or held, with the amount it would have paid.
    Priced(Decimal),
    /// Denied or held, with no amount on the decision.
    Unpriced,
}

/// Sequence numbers of the claim and line being counted (both start at 1).
#[derive(Debug, Clone, Copy)]
struct Position {
    claim: u64,
    line: u64,
    outcome: LineOutcome,
    stake: Stake,
}

/// A row's tally plus what it needs to count each claim and line once.
#[derive(Debug, Default)]
struct Counter {
    tally: Tally,
    last_claim: u64,
    last_line: u64,
}

impl Counter {
    fn count(&mut self, at: Position) {
        if self.last_line == at.line {
            return;
        }
        self.last_line = at.line;
        if self.last_claim != at.claim {
            self.last_claim = at.claim;
            self.tally.claims += 1;
        }
        self.tally.lines += 1;
        match at.outcome {
            LineOutcome::Deny => self.tally.denied_lines += 1,
            LineOutcome::Review => self.tally.review_lines += 1,
            LineOutcome::Allow | LineOutcome::Other => {}
        }
        match at.stake {
            Stake::Priced(amount) => self.tally.amount = self.tally.amount.saturating_add(amount),
            Stake::Unpriced => self.tally.unpriced_lines += 1,
            Stake::Nothing => {}
        }
    }
}

/// A rule's counter plus its message (and suggested codes, for denials and reviews).
#[derive(Debug, Default)]
struct Annotated {
    counter: Counter,
    message: String,
    suggested: BTreeMap<String, u64>,
}

impl Annotated {
    fn count(&mut self, at: Position, finding: &FindingRecord) {
        if self.message.is_empty() {
            self.message = bounded(&finding.message, MAX_MESSAGE_CHARS);
        }
        let first_time_on_line = self.counter.last_line != at.line;
        self.counter.count(at);
        if let (true, Some(code)) = (first_time_on_line, &finding.suggested_code) {
            let code = bounded(code, MAX_KEY_CHARS);
            let key = if self.suggested.len() < MAX_SUGGESTED_CODES
                || self.suggested.contains_key(&code)
            {
                code
            } else {
                "(other)".to_owned()
            };
            *self.suggested.entry(key).or_default() += 1;
        }
    }
}

/// A map that keeps at most `cap` keys; later keys share the `other` entry.
#[derive(Debug)]
struct Capped<K, V> {
    rows: HashMap<K, V>,
    other: Option<V>,
    cap: usize,
}

impl<K: Hash + Eq, V: Default> Capped<K, V> {
    fn new(cap: usize) -> Self {
        Self {
            rows: HashMap::new(),
            other: None,
            cap,
        }
    }

    fn entry(&mut self, key: K) -> &mut V {
        if self.rows.len() < self.cap || self.rows.contains_key(&key) {
            self.rows.entry(key).or_default()
        } else {
            self.other.get_or_insert_with(V::default)
        }
    }
}

/// `(rule, outcome, group, carc)`.
type RuleKey = (String, &'static str, Option<String>, Option<String>);
/// `(group, carc)`.
type CarcKey = (Option<String>, Option<String>);

/// Streams records into a [`Report`].
#[derive(Debug)]
pub struct Aggregator {
    totals: Totals,
    claims_seen: u64,
    lines_seen: u64,
    by_rule: Capped<RuleKey, Counter>,
    by_carc: Capped<CarcKey, Counter>,
    by_code: Capped<String, Counter>,
    by_payer: Capped<String, Counter>,
    fixes: Capped<String, Annotated>,
    not_evaluated: Capped<String, Annotated>,
    other_advice: Capped<String, Annotated>,
    prior_adjustments: Capped<String, Annotated>,
}

impl Default for Aggregator {
    fn default() -> Self {
        Self::with_key_cap(MAX_KEYS_PER_TABLE)
    }
}

impl Aggregator {
    /// An aggregator keeping at most `cap` distinct keys per table.
    pub fn with_key_cap(cap: usize) -> Self {
        Self {
            totals: Totals::default(),
            claims_seen: 0,
            lines_seen: 0,
            by_rule: Capped::new(cap),
            by_carc: Capped::new(cap),
            by_code: Capped::new(cap),
            by_payer: Capped::new(cap),
            fixes: Capped::new(cap),
            not_evaluated: Capped::new(cap),
            other_advice: Capped::new(cap),
            prior_adjustments: Capped::new(cap),
        }
    }

    /// Counts one record read from input line `line_number`.
    pub fn add(&mut self, line_number: u64, record: &Record) {
        match record {
            Record::Decision(decision) => self.add_decision(decision),
            Record::Error(number) => {
                self.totals.error_records += 1;
                if self.totals.error_record_numbers.len() < MAX_LISTED_NUMBERS {
                    let number = number.unwrap_or(line_number);
                    self.totals.error_record_numbers.push(number);
                }
            }
            Record::Unreadable(_) => {
                self.totals.unreadable_lines += 1;
                if self.totals.unreadable_line_numbers.len() < MAX_LISTED_NUMBERS {
                    self.totals.unreadable_line_numbers.push(line_number);
                }
            }
        }
    }

    fn add_decision(&mut self, decision: &DecisionRecord) {
        self.claims_seen += 1;
        let totals = &mut self.totals;
        totals.claims += 1;
        match decision.outcome {
            LineOutcome::Allow => totals.allowed_claims += 1,
            LineOutcome::Review => totals.review_claims += 1,
            LineOutcome::Deny => totals.denied_claims += 1,
            LineOutcome::Other => {}
        }
        let payer = bounded(&decision.payer, MAX_KEY_CHARS);
        for line in &decision.lines {
            self.lines_seen += 1;
            let stake = match line.outcome {
                LineOutcome::Deny | LineOutcome::Review => match line.amount_at_stake() {
                    Some(amount) => Stake::Priced(amount),
                    None => Stake::Unpriced,
                },
                LineOutcome::Allow | LineOutcome::Other => Stake::Nothing,
            };
            let at = Position {
                claim: self.claims_seen,
                line: self.lines_seen,
                outcome: line.outcome,
                stake,
            };
            self.add_line_totals(at);
            self.by_payer.entry(payer.clone()).count(at);
            self.by_code
                .entry(bounded(&line.code, MAX_KEY_CHARS))
                .count(at);
            for finding in &line.findings {
                self.add_finding(at, finding);
            }
        }
    }

    fn add_line_totals(&mut self, at: Position) {
        let totals = &mut self.totals;
        totals.lines += 1;
        let amount = match at.stake {
            Stake::Priced(amount) => amount,
            Stake::Unpriced => {
                totals.unpriced_lines += 1;
                match at.outcome {
                    LineOutcome::Deny => totals.unpriced_denied_lines += 1,
                    LineOutcome::Review => totals.unpriced_review_lines += 1,
                    LineOutcome::Allow | LineOutcome::Other => {}
                }
                Decimal::ZERO
            }
            Stake::Nothing => Decimal::ZERO,
        };
        match at.outcome {
            LineOutcome::Allow => totals.allowed_lines += 1,
            LineOutcome::Deny => {
                totals.denied_lines += 1;
                totals.denied_amount = totals.denied_amount.saturating_add(amount);
            }
            LineOutcome::Review => {
                totals.review_lines += 1;
                totals.review_amount = totals.review_amount.saturating_add(amount);
            }
            LineOutcome::Other => {}
        }
        totals.amount_at_stake = totals.amount_at_stake.saturating_add(amount);
    }

    fn add_finding(&mut self, at: Position, finding: &FindingRecord) {
        let rule = bounded(&finding.rule, MAX_KEY_CHARS);
        let outcome = match finding.outcome {
            FindingOutcome::Deny => "deny",
            FindingOutcome::Review => "review",
            FindingOutcome::Advice => {
                let table = if finding.message.starts_with(NOT_EVALUATED_PREFIX) {
                    &mut self.not_evaluated
                } else {
                    &mut self.other_advice
                };
                table.entry(rule).count(at, finding);
                return;
            }
            FindingOutcome::AdjustPrior => {
                self.prior_adjustments.entry(rule).count(at, finding);
                return;
            }
            FindingOutcome::Other => {
                self.totals.unrecognised_findings += 1;
                return;
            }
        };
        let group = finding
            .group
            .as_deref()
            .map(|text| bounded(text, MAX_KEY_CHARS));
        let carc = finding
            .carc
            .as_deref()
            .map(|text| bounded(text, MAX_KEY_CHARS));
        self.by_carc.entry((group.clone(), carc.clone())).count(at);
        self.fixes.entry(rule.clone()).count(at, finding);
        self.by_rule.entry((rule, outcome, group, carc)).count(at);
    }

    /// The report: every table sorted by amount at stake, then lines, then key.
    pub fn finish(self) -> Report {
        Report {
            totals: self.totals,
            by_rule: table(
                self.by_rule,
                by_stake,
                |(rule, outcome, group, carc), counter| RuleRow {
                    rule,
                    outcome,
                    group,
                    carc,
                    tally: counter.tally,
                },
            ),
            by_carc: table(self.by_carc, by_stake, |(group, carc), counter| CarcRow {
                group,
                carc,
                tally: counter.tally,
            }),
            by_code: table(self.by_code, by_flagged, |code, counter| CodeRow {
                code,
                tally: counter.tally,
            }),
            by_payer: table(self.by_payer, by_flagged, |payer, counter| PayerRow {
                payer,
                tally: counter.tally,
            }),
            fixes: annotated_table(self.fixes, |rule, annotated| FixRow {
                rule,
                message: annotated.message,
                suggested_codes: suggested_codes(annotated.suggested),
                tally: annotated.counter.tally,
            }),
            not_evaluated: annotated_table(self.not_evaluated, note_row),
            other_advice: annotated_table(self.other_advice, note_row),
            prior_adjustments: annotated_table(self.prior_adjustments, note_row),
        }
    }
}

fn note_row(rule: String, annotated: Annotated) -> NoteRow {
    NoteRow {
        rule,
        message: annotated.message,
        tally: annotated.counter.tally,
    }
}

fn suggested_codes(counts: BTreeMap<String, u64>) -> Vec<SuggestedCode> {
    let mut codes: Vec<SuggestedCode> = counts
        .into_iter()
        .map(|(code, lines)| SuggestedCode { code, lines })
        .collect();
    codes.sort_by_key(|code| Reverse(code.lines));
    codes
}

/// Most at stake first, then most lines.
fn by_stake(a: &Tally, b: &Tally) -> Ordering {
    b.amount.cmp(&a.amount).then(b.lines.cmp(&a.lines))
}

/// Most at stake first, then most denied or held lines, then most lines.
fn by_flagged(a: &Tally, b: &Tally) -> Ordering {
    b.amount
        .cmp(&a.amount)
        .then(b.flagged_lines().cmp(&a.flagged_lines()))
        .then(b.lines.cmp(&a.lines))
}

fn table<K: Ord, Row>(
    capped: Capped<K, Counter>,
    order: fn(&Tally, &Tally) -> Ordering,
    row: impl Fn(K, Counter) -> Row,
) -> Table<Row> {
    let mut entries: Vec<(K, Counter)> = capped.rows.into_iter().collect();
    entries.sort_by(|(key_a, a), (key_b, b)| order(&a.tally, &b.tally).then(key_a.cmp(key_b)));
    Table {
        rows: entries
            .into_iter()
            .map(|(key, counter)| row(key, counter))
            .collect(),
        other: capped.other.map(|counter| counter.tally),
    }
}

fn annotated_table<Row>(
    capped: Capped<String, Annotated>,
    row: impl Fn(String, Annotated) -> Row,
) -> Table<Row> {
    let mut entries: Vec<(String, Annotated)> = capped.rows.into_iter().collect();
    entries.sort_by(|(key_a, a), (key_b, b)| {
        by_stake(&a.counter.tally, &b.counter.tally).then(key_a.cmp(key_b))
    });
    Table {
        rows: entries
            .into_iter()
            .map(|(key, value)| row(key, value))
            .collect(),
        other: capped.other.map(|annotated| annotated.counter.tally),
    }
}

/// `text` cut to at most `max_chars` characters (with `…` when cut).
fn bounded(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        None => text.to_owned(),
        Some((cut, _)) => {
            let mut kept = text[..cut].to_owned();
            kept.pop();
            kept.push('…');
            kept
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::read::RecordReader;
    use super::*;

    fn aggregate(text: &str, cap: usize) -> Report {
        let mut aggregator = Aggregator::with_key_cap(cap);
        let mut reader = RecordReader::new(text.as_bytes());
        while let Some((line, record)) = reader.next_record().unwrap() {
            aggregator.add(line, &record);
        }
        aggregator.finish()
    }

    fn decision(payer: &str, lines: &str) -> String {
        let outcome = if lines.contains(r#""outcome":"deny""#) {
            "deny"
        } else {
            "allow"
        };
        format!(r#"{{"claim":"C","payer":"{payer}","outcome":"{outcome}","lines":[{lines}]}}"#)
    }

    const DENIED_TWICE: &str = r#"{"code":"76377","outcome":"deny","at_stake":{"amount":"10.10"},"findings":[
        {"rule":"p/a","outcome":"deny","carc":"97","message":"fix a"},
        {"rule":"p/b","outcome":"deny","carc":"97","message":"fix b"},
        {"rule":"p/c","outcome":"advice","message":"not evaluated: report required"}]}"#;
    const HELD: &str = r#"{"code":"76376","outcome":"review","estimate":{"amount":"5.05"},"findings":[
        {"rule":"p/r","outcome":"review","carc":null,"suggested_code":"76376","message":"fix r"}]}"#;
    const UNPRICED: &str = r#"{"code":"76377","outcome":"deny","findings":[{"rule":"p/a","outcome":"deny","carc":"97","group":"CO","message":"fix a"}]}"#;

    #[test]
    fn counts_each_line_once_per_row_and_amounts_exactly() {
        let text = [
            decision(
                "p",
                &format!(
                    "{},{}",
                    DENIED_TWICE.replace('\n', ""),
                    HELD.replace('\n', "")
                ),
            ),
            decision("q", UNPRICED),
            r#"{"record":3,"error":"bad"}"#.to_owned(),
        ]
        .join("\n");
        let report = aggregate(&text, 100);
        let totals = &report.totals;
        assert_eq!(
            (
                totals.claims,
                totals.lines,
                totals.denied_lines,
                totals.review_lines
            ),
            (2, 3, 2, 1)
        );
        assert_eq!(totals.amount_at_stake, Decimal::new(1515, 2));
        assert_eq!(totals.denied_amount, Decimal::new(1010, 2));
        assert_eq!(totals.unpriced_lines, 1);
        assert_eq!(totals.error_record_numbers, vec![3]);

        let rules: Vec<(&str, Option<&str>, u64, u64)> = report
            .by_rule
            .rows
            .iter()
            .map(|row| {
                (
                    row.rule.as_str(),
                    row.group.as_deref(),
                    row.tally.lines,
                    row.tally.claims,
                )
            })
            .collect();
        // p/a (CO-97 unpriced) and p/a (97, $10.10) are different rows; the line with both
        // p/a and p/b counts under each.
        assert_eq!(
            rules,
            vec![
                ("p/a", None, 1, 1),
                ("p/b", None, 1, 1),
                ("p/r", None, 1, 1),
                ("p/a", Some("CO"), 1, 1)
            ]
        );
        let carc_97 = &report.by_carc.rows[0];
        assert_eq!(
            (carc_97.carc.as_deref(), carc_97.tally.lines),
            (Some("97"), 1)
        );
        assert_eq!(carc_97.tally.amount, Decimal::new(1010, 2));
        let fix_a = report
            .fixes
            .rows
            .iter()
            .find(|row| row.rule == "p/a")
            .unwrap();
        assert_eq!(
            (
                fix_a.tally.lines,
                fix_a.tally.claims,
                fix_a.tally.unpriced_lines
            ),
            (2, 2, 1)
        );
        let fix_r = report
            .fixes
            .rows
            .iter()
            .find(|row| row.rule == "p/r")
            .unwrap();
        assert_eq!(
            fix_r.suggested_codes,
            vec![SuggestedCode {
                code: "76376".into(),
                lines: 1
            }]
        );
        assert_eq!(report.not_evaluated.rows[0].rule, "p/c");
        let payers: Vec<&str> = report
            .by_payer
            .rows
            .iter()
            .map(|row| row.payer.as_str())
            .collect();
        assert_eq!(payers, vec!["p", "q"]);
    }

    #[test]
    fn keys_beyond_the_cap_go_to_other_and_totals_stay_exact() {
        let text: Vec<String> = (0..5)
            .map(|index| decision(&format!("payer{index}"), UNPRICED))
            .collect();
        let report = aggregate(&text.join("\n"), 3);
        assert_eq!(report.by_payer.rows.len(), 3);
        let other = report.by_payer.other.unwrap();
        assert_eq!((other.lines, other.claims, other.denied_lines), (2, 2, 2));
        assert_eq!(report.totals.denied_lines, 5);
    }

    #[test]
    fn long_keys_are_cut_on_a_character_boundary() {
        assert_eq!(bounded("ééé", 2), "é…");
        assert_eq!(bounded("ab", 2), "ab");
    }
}
