//! The finished report: totals and sorted tables, the one value every format renders.
//!
//! The aggregator builds it, `--format json` serialises it as is (so its field names are the
//! JSON report's contract), and the Markdown and HTML renderers present the same rows. Every
//! table row carries the same [`Tally`] so a reader learns the columns once.

use rust_decimal::Decimal;
use serde::Serialize;

use super::money::serialize_amount;

/// Counts for one table row: lines, claims and the amount those lines put at stake.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Lines counted under the row (each line once).
    pub lines: u64,
    /// Claims with at least one such line.
    pub claims: u64,
    /// Of those lines, how many were denied.
    pub denied_lines: u64,
    /// Of those lines, how many were held for review.
    pub review_lines: u64,
    /// What the denied or held lines would have paid (`at_stake`, else `estimate`).
    #[serde(serialize_with = "serialize_amount")]
    pub amount: Decimal,
    /// Denied or held lines with no amount on their decision.
    pub unpriced_lines: u64,
}

impl Tally {
    /// Lines denied or held for review.
    pub fn flagged_lines(&self) -> u64 {
        self.denied_lines + self.review_lines
    }
}

/// A table: its rows in report order, and what fell beyond the cap on distinct keys.
#[derive(Debug, Clone, Serialize)]
pub struct Table<Row> {
    /// Rows, by amount, then lines, then key.
    pub rows: Vec<Row>,
    /// Totals of the keys that arrived after the table held its maximum of distinct keys.
    pub other: Option<Tally>,
}

impl<Row> Default for Table<Row> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            other: None,
        }
    }
}

/// Denials and reviews per rule (and outcome and reason code, should a rule's vary).
#[derive(Debug, Clone, Serialize)]
pub struct RuleRow {
    /// `policy/rule`.
    pub rule: String,
    /// `deny` or `review`.
    pub outcome: &'static str,
    /// Claim adjustment group (CO, PR, OA, PI), when the decisions carry it.
    pub group: Option<String>,
    /// Claim adjustment reason code.
    pub carc: Option<String>,
    /// The counts.
    #[serde(flatten)]
    pub tally: Tally,
}

/// Denied or held lines per reason code.
#[derive(Debug, Clone, Serialize)]
pub struct CarcRow {
    /// Claim adjustment group, when the decisions carry it.
    pub group: Option<String>,
    /// Claim adjustment reason code; `null` for reviews without one.
    pub carc: Option<String>,
    /// The counts.
    #[serde(flatten)]
    pub tally: Tally,
}

/// Lines per procedure code (every line of the code, with how many were denied or held).
#[derive(Debug, Clone, Serialize)]
pub struct CodeRow {
    /// Procedure code.
    pub code: String,
    /// The counts.
    #[serde(flatten)]
    pub tally: Tally,
}

/// Lines per payer (every line, with how many were denied or held).
#[derive(Debug, Clone, Serialize)]
pub struct PayerRow {
    /// Payer id.
    pub payer: String,
    /// The counts.
    #[serde(flatten)]
    pub tally: Tally,
}

/// What to fix: a denying or holding rule's message, with the codes it suggests instead.
#[derive(Debug, Clone, Serialize)]
pub struct FixRow {
    /// `policy/rule`.
    pub rule: String,
    /// The finding's message (the first one seen, should a rule's vary).
    pub message: String,
    /// Codes suggested instead, most lines first.
    pub suggested_codes: Vec<SuggestedCode>,
    /// The counts.
    #[serde(flatten)]
    pub tally: Tally,
}

/// A suggested replacement code and on how many lines it was suggested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuggestedCode {
    /// Procedure code.
    pub code: String,
    /// Lines.
    pub lines: u64,
}

/// Findings that are not denials: advice per rule, or adjustments of earlier claims.
#[derive(Debug, Clone, Serialize)]
pub struct NoteRow {
    /// `policy/rule`.
    pub rule: String,
    /// The finding's message (the first one seen).
    pub message: String,
    /// The counts.
    #[serde(flatten)]
    pub tally: Tally,
}

/// Whole-file totals.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    /// Decided claims.
    pub claims: u64,
    /// Claims allowed in full.
    pub allowed_claims: u64,
    /// Claims with a denied line.
    pub denied_claims: u64,
    /// Claims held for review (no denied line).
    pub review_claims: u64,
    /// Lines of decided claims.
    pub lines: u64,
    /// Lines allowed.
    pub allowed_lines: u64,
    /// Lines denied.
    pub denied_lines: u64,
    /// Lines held for review.
    pub review_lines: u64,
    /// What the denied and held lines would have paid.
    #[serde(serialize_with = "serialize_amount")]
    pub amount_at_stake: Decimal,
    /// Of it, denied lines.
    #[serde(serialize_with = "serialize_amount")]
    pub denied_amount: Decimal,
    /// Of it, held lines.
    #[serde(serialize_with = "serialize_amount")]
    pub review_amount: Decimal,
    /// Denied or held lines without an amount on their decision.
    pub unpriced_lines: u64,
    /// Of them, denied lines.
    pub unpriced_denied_lines: u64,
    /// Of them, held lines.
    pub unpriced_review_lines: u64,
    /// Records `check` rejected (`{"record":N,"error":"..."}`).
    pub error_records: u64,
    /// Their record numbers (the first few).
    pub error_record_numbers: Vec<u64>,
    /// Input lines that were neither a decision nor an error record.
    pub unreadable_lines: u64,
    /// Their line numbers (the first few).
    pub unreadable_line_numbers: Vec<u64>,
    /// Findings with an outcome this version of the report does not know (not counted).
    pub unrecognised_findings: u64,
}

/// The denial report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Whole-file totals.
    pub totals: Totals,
    /// Denials and reviews by rule.
    pub by_rule: Table<RuleRow>,
    /// Denied and held lines by reason code.
    pub by_carc: Table<CarcRow>,
    /// Every line by procedure code.
    pub by_code: Table<CodeRow>,
    /// Every line by payer.
    pub by_payer: Table<PayerRow>,
    /// Rules' messages, what to fix, with suggested codes.
    pub fixes: Table<FixRow>,
    /// Advice "not evaluated: ..." (data missing, usually the report): fix these first.
    pub not_evaluated: Table<NoteRow>,
    /// Other advice (never changes an outcome).
    pub other_advice: Table<NoteRow>,
    /// Findings that adjust a line of an earlier claim.
    pub prior_adjustments: Table<NoteRow>,
}
