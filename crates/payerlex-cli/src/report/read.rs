//! Reads `payerlex check` output (JSON Lines) one record at a time, with bounded memory.
//!
//! The structs here name only the fields the report uses and ignore every other field, so the
//! report keeps reading decisions as the JSON contract grows additively (`at_stake`, finding
//! `group`, new finding outcomes such as `adjust_prior`). They are the report's own, not the
//! library's types: the report parses what `check` printed, possibly by another version of
//! payerlex, and needs none of the library's validation.
//!
//! A record longer than [`MAX_RECORD_BYTES`] is skipped without being held in memory. A line
//! that is neither a decision nor an error record is reported as unreadable with its line
//! number and column only: serde's messages can quote input values, and a decision may carry
//! claim identifiers, so nothing of the line's content is echoed.

use std::io::{self, BufRead, Read};

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};

/// The longest record read; longer lines are skipped and counted as unreadable.
pub const MAX_RECORD_BYTES: usize = 64 * 1024 * 1024;

/// A line's or claim's outcome. Unknown spellings (a newer contract) are kept as `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LineOutcome {
    /// Pay.
    Allow,
    /// Hold for a coder.
    Review,
    /// Do not pay.
    Deny,
    /// An outcome this version does not know.
    #[serde(other)]
    Other,
}

/// What a finding asks for. Unknown spellings are kept as `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingOutcome {
    /// Deny the line.
    Deny,
    /// Hold the line for review.
    Review,
    /// Information only.
    Advice,
    /// Adjust a line of an earlier claim.
    AdjustPrior,
    /// An outcome this version does not know.
    #[serde(other)]
    Other,
}

/// A decided claim: the fields the report aggregates.
#[derive(Debug, Deserialize)]
pub struct DecisionRecord {
    /// Payer id.
    pub payer: String,
    /// The claim's outcome.
    pub outcome: LineOutcome,
    /// The claim's lines.
    pub lines: Vec<LineRecord>,
}

/// One decided line.
#[derive(Debug, Deserialize)]
pub struct LineRecord {
    /// Procedure code.
    pub code: String,
    /// The line's outcome.
    pub outcome: LineOutcome,
    /// Rules that fired or could not be evaluated.
    #[serde(default)]
    pub findings: Vec<FindingRecord>,
    /// The payment estimate (lines not denied, when the pack has a fee schedule).
    #[serde(default)]
    pub estimate: Option<Amount>,
    /// What a denied or held line would have paid.
    #[serde(default)]
    pub at_stake: Option<Amount>,
}

impl LineRecord {
    /// The amount a denied or held line puts at stake: `at_stake`, else the estimate.
    pub fn amount_at_stake(&self) -> Option<Decimal> {
        self.at_stake
            .as_ref()
            .or(self.estimate.as_ref())
            .map(|amount| amount.amount)
    }
}

/// One finding on a line.
#[derive(Debug, Deserialize)]
pub struct FindingRecord {
    /// `policy/rule`.
    pub rule: String,
    /// Deny, review, advice, ...
    pub outcome: FindingOutcome,
    /// Claim adjustment reason code.
    #[serde(default)]
    pub carc: Option<String>,
    /// Claim adjustment group (CO, PR, OA, PI), when the contract carries it.
    #[serde(default)]
    pub group: Option<String>,
    /// What to fix.
    #[serde(default)]
    pub message: String,
    /// A code to bill instead.
    #[serde(default)]
    pub suggested_code: Option<String>,
}

/// An object with an `amount` decimal string (`estimate`, `at_stake`).
#[derive(Debug, Deserialize)]
pub struct Amount {
    /// Dollars, exact.
    #[serde(deserialize_with = "decimal_string")]
    pub amount: Decimal,
}

fn decimal_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    let text = String::deserialize(deserializer)?;
    text.parse::<Decimal>()
        .map_err(|_| serde::de::Error::custom("amount is not a decimal string"))
}

/// Any record of `check`'s output; which one it is depends on the fields present.
#[derive(Deserialize)]
struct AnyRecord {
    #[serde(default)]
    record: Option<u64>,
    #[serde(default)]
    error: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    payer: Option<String>,
    #[serde(default)]
    outcome: Option<LineOutcome>,
    #[serde(default)]
    lines: Option<Vec<LineRecord>>,
}

/// One input line, read.
#[derive(Debug)]
pub enum Record {
    /// A decided claim.
    Decision(DecisionRecord),
    /// `{"record":N,"error":"..."}`: a claim `check` rejected (N, its input line, when given).
    Error(Option<u64>),
    /// Neither: what is wrong, without the line's content.
    Unreadable(String),
}

/// Reads records from JSON Lines, skipping blank lines.
pub struct RecordReader<R> {
    input: R,
    buffer: Vec<u8>,
    line_number: u64,
}

impl<R: BufRead> RecordReader<R> {
    /// Reads from `input`.
    pub fn new(input: R) -> Self {
        Self {
            input,
            buffer: Vec::new(),
            line_number: 0,
        }
    }

    /// The next record with its 1-based line number, `None` at the end of the input.
    pub fn next_record(&mut self) -> io::Result<Option<(u64, Record)>> {
        loop {
            self.buffer.clear();
            let limit = u64::try_from(MAX_RECORD_BYTES).unwrap_or(u64::MAX);
            let read = (&mut self.input)
                .take(limit.saturating_add(1))
                .read_until(b'\n', &mut self.buffer)?;
            if read == 0 {
                return Ok(None);
            }
            self.line_number += 1;
            if self.buffer.len() > MAX_RECORD_BYTES && self.buffer.last() != Some(&b'\n') {
                skip_rest_of_line(&mut self.input)?;
                self.buffer = Vec::new();
                let message = format!("longer than {MAX_RECORD_BYTES} bytes");
                return Ok(Some((self.line_number, Record::Unreadable(message))));
            }
            let text = self.buffer.trim_ascii();
            if text.is_empty() {
                continue;
            }
            return Ok(Some((self.line_number, parse_record(text))));
        }
    }
}

/// Consumes input up to and including the next newline without keeping it.
fn skip_rest_of_line(input: &mut impl BufRead) -> io::Result<()> {
    loop {
        let available = input.fill_buf()?;
        if available.is_empty() {
            return Ok(());
        }
        if let Some(at) = available.iter().position(|&byte| byte == b'\n') {
            input.consume(at + 1);
            return Ok(());
        }
        let length = available.len();
        input.consume(length);
    }
}

fn parse_record(text: &[u8]) -> Record {
    let record: AnyRecord = match serde_json::from_slice(text) {
        Ok(record) => record,
        Err(error) => {
            let kind = match error.classify() {
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                    "not valid JSON"
                }
                _ => "not a decision or error record",
            };
            return Record::Unreadable(format!("{kind} (column {})", error.column()));
        }
    };
    match record {
        AnyRecord {
            payer: Some(payer),
            outcome: Some(outcome),
            lines: Some(lines),
            ..
        } => Record::Decision(DecisionRecord {
            payer,
            outcome,
            lines,
        }),
        AnyRecord {
            error: Some(_),
            record,
            ..
        } => Record::Error(record),
        _ => Record::Unreadable(
            "neither a decision (payer, outcome, lines) nor an error record".to_owned(),
        ),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn read_all(text: &str) -> Vec<(u64, Record)> {
        let mut reader = RecordReader::new(text.as_bytes());
        let mut records = Vec::new();
        while let Some(record) = reader.next_record().unwrap() {
            records.push(record);
        }
        records
    }

    #[test]
    fn tells_decisions_errors_and_unreadable_lines_apart() {
        let text = concat!(
            r#"{"claim":"C1","payer":"p","outcome":"deny","new_field":[1],"lines":[{"number":1,"code":"76377","outcome":"deny","#,
            r#""at_stake":{"amount":"78.83"},"findings":[{"rule":"p/r","outcome":"adjust_prior","group":"CO","carc":"97","message":"m"}]}]}"#,
            "\n\n",
            r#"{"record":3,"error":"lines[0].code: invalid"}"#,
            "\n",
            r#"{"claim":"Jane Doe","payer":7}"#,
            "\n",
            "not json\n",
        );
        let records = read_all(text);
        assert_eq!(records.len(), 4);
        let Record::Decision(decision) = &records[0].1 else {
            panic!("expected a decision, got {:?}", records[0].1);
        };
        assert_eq!(
            decision.lines[0].amount_at_stake(),
            Some(Decimal::new(7883, 2))
        );
        assert_eq!(
            decision.lines[0].findings[0].outcome,
            FindingOutcome::AdjustPrior
        );
        assert_eq!(decision.lines[0].findings[0].group.as_deref(), Some("CO"));
        assert!(matches!(records[1], (3, Record::Error(Some(3)))));
        let (4, Record::Unreadable(message)) = &records[2] else {
            panic!("expected line 4 unreadable, got {:?}", records[2]);
        };
        assert!(!message.contains("Jane"), "{message}");
        assert!(
            matches!(&records[3], (5, Record::Unreadable(m)) if m.starts_with("not valid JSON"))
        );
    }

    #[test]
    fn at_stake_wins_over_the_estimate_and_bad_amounts_are_unreadable() {
        let line = r#"{"payer":"p","outcome":"review","lines":[{"code":"76377","outcome":"review","estimate":{"amount":"1.00"},"at_stake":{"amount":"2.50"}}]}"#;
        let Record::Decision(decision) = parse_record(line.as_bytes()) else {
            panic!("expected a decision");
        };
        assert_eq!(
            decision.lines[0].amount_at_stake(),
            Some(Decimal::new(250, 2))
        );
        let bad = r#"{"payer":"p","outcome":"review","lines":[{"code":"76377","outcome":"review","estimate":{"amount":"1,00"}}]}"#;
        assert!(matches!(
            parse_record(bad.as_bytes()),
            Record::Unreadable(_)
        ));
    }

    #[test]
    fn an_overlong_line_is_skipped_without_losing_the_next() {
        let long = format!(
            "{}\n{{\"record\":2,\"error\":\"x\"}}\n",
            "x".repeat(MAX_RECORD_BYTES + 10)
        );
        let records = read_all(&long);
        assert_eq!(records.len(), 2);
        assert!(matches!(&records[0], (1, Record::Unreadable(m)) if m.starts_with("longer than")));
        assert!(matches!(records[1], (2, Record::Error(Some(2)))));
    }
}
