//! The report as a reader sees it: titled sections of tables of plain-text cells.
//!
//! Markdown and HTML present the same sections in the same order with the same wording, so the
//! choice of columns, labels and explanations lives here once; the renderers only escape and
//! lay out. Cells are plain text (never markup): each renderer escapes them for its format.

use super::model::{NoteRow, Report, Table, Tally};
use super::money::dollars;

/// Column alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text.
    Left,
    /// Numbers and amounts.
    Right,
}

/// A column heading.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Heading text.
    pub title: &'static str,
    /// Alignment of its cells.
    pub align: Align,
}

const fn text(title: &'static str) -> Column {
    Column {
        title,
        align: Align::Left,
    }
}

const fn number(title: &'static str) -> Column {
    Column {
        title,
        align: Align::Right,
    }
}

/// One titled table.
#[derive(Debug, Clone)]
pub struct Section {
    /// Anchor id (HTML) and a stable handle for tests.
    pub id: &'static str,
    /// Heading.
    pub title: &'static str,
    /// What the table counts and how to read it.
    pub intro: String,
    /// Headings.
    pub columns: Vec<Column>,
    /// Rows shown, in report order.
    pub rows: Vec<Vec<String>>,
    /// Rows beyond `--top` (in the JSON report only).
    pub omitted: usize,
    /// What to print when there are no rows.
    pub empty: &'static str,
}

/// Fixes listed at most, whatever `--top` says: the list is meant to be short.
const TOP_FIXES: usize = 10;

/// Every section of the report, in reading order. Tables show at most `top` rows (plus the
/// `other` row of keys beyond the cap).
pub fn sections(report: &Report, top: usize) -> Vec<Section> {
    let mut sections = vec![
        totals(report),
        by_rule(report, top),
        by_carc(report, top),
        by_code(report, top),
        by_payer(report, top),
        fixes(report, top.min(TOP_FIXES)),
        notes(
            "not-evaluated",
            "Not evaluated: missing data",
            "Advice, not denials: rules that could not be evaluated because data they need was \
             missing (usually the imaging report). Nothing was denied or held for them; send the \
             data so the claim can be checked.",
            &report.not_evaluated,
            top,
        ),
    ];
    if !report.other_advice.rows.is_empty() || report.other_advice.other.is_some() {
        sections.push(notes(
            "other-advice",
            "Other advice",
            "Advice never changes an outcome.",
            &report.other_advice,
            top,
        ));
    }
    if !report.prior_adjustments.rows.is_empty() || report.prior_adjustments.other.is_some() {
        sections.push(notes(
            "prior-adjustments",
            "Adjustments of earlier claims",
            "Findings on lines of earlier claims; not counted as denials of these claims.",
            &report.prior_adjustments,
            top,
        ));
    }
    sections
}

/// `1,234`.
pub fn count(value: u64) -> String {
    let digits = value.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// `CO-97`, `97`, or `(none)`.
pub fn reason(group: Option<&str>, carc: Option<&str>) -> String {
    match (group, carc) {
        (Some(group), Some(carc)) => format!("{group}-{carc}"),
        (None, Some(carc)) => carc.to_owned(),
        (Some(group), None) => group.to_owned(),
        (None, None) => "(none)".to_owned(),
    }
}

fn plural(value: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(value), if value == 1 { one } else { many })
}

fn list(numbers: &[u64], total: u64) -> String {
    let mut shown: Vec<String> = numbers.iter().map(|number| number.to_string()).collect();
    if total > numbers.len() as u64 {
        shown.push("...".to_owned());
    }
    shown.join(", ")
}

fn totals(report: &Report) -> Section {
    let totals = &report.totals;
    let mut intro = format!(
        "{} decided. Amount at stake: {} that the denied and held lines would have paid \
         (their fee-schedule amount on the decision)",
        plural(totals.claims, "claim", "claims"),
        dollars(totals.amount_at_stake),
    );
    if totals.unpriced_lines > 0 {
        intro.push_str(&format!(
            "; {} of {} denied or held lines carry no amount and are not in it",
            count(totals.unpriced_lines),
            count(totals.denied_lines + totals.review_lines),
        ));
    }
    intro.push('.');
    if totals.error_records > 0 {
        intro.push_str(&format!(
            " {} rejected by payerlex check (record {}): not decided, not counted below.",
            plural(totals.error_records, "record was", "records were"),
            list(&totals.error_record_numbers, totals.error_records),
        ));
    }
    if totals.unreadable_lines > 0 {
        intro.push_str(&format!(
            " {} of the input could not be read (line {}).",
            plural(totals.unreadable_lines, "line", "lines"),
            list(&totals.unreadable_line_numbers, totals.unreadable_lines),
        ));
    }
    if totals.unrecognised_findings > 0 {
        intro.push_str(&format!(
            " {} with an outcome this version does not know were not counted.",
            plural(totals.unrecognised_findings, "finding", "findings"),
        ));
    }
    let row = |label: &str, claims: u64, lines: u64, stake: Option<(String, u64)>| {
        let (amount, unpriced) =
            stake.map_or((String::new(), String::new()), |(a, u)| (a, count(u)));
        vec![
            label.to_owned(),
            count(claims),
            count(lines),
            amount,
            unpriced,
        ]
    };
    Section {
        id: "totals",
        title: "Totals",
        intro,
        columns: vec![
            text("Outcome"),
            number("Claims"),
            number("Lines"),
            number("At stake"),
            number("Unpriced lines"),
        ],
        rows: vec![
            row("Decided", totals.claims, totals.lines, None),
            row("Allowed", totals.allowed_claims, totals.allowed_lines, None),
            row(
                "Denied",
                totals.denied_claims,
                totals.denied_lines,
                Some((
                    at_stake(totals.denied_amount, totals.unpriced_denied_lines),
                    totals.unpriced_denied_lines,
                )),
            ),
            row(
                "Held for review",
                totals.review_claims,
                totals.review_lines,
                Some((
                    at_stake(totals.review_amount, totals.unpriced_review_lines),
                    totals.unpriced_review_lines,
                )),
            ),
        ],
        omitted: 0,
        empty: "No claims.",
    }
}

/// Keeps the first `top` rows and appends the `other` row, if any.
fn shown<Row>(
    table: &Table<Row>,
    top: usize,
    row: impl Fn(&Row) -> Vec<String>,
    other: impl Fn(&Tally) -> Vec<String>,
) -> (Vec<Vec<String>>, usize) {
    let mut rows: Vec<Vec<String>> = table.rows.iter().take(top).map(row).collect();
    if let Some(tally) = &table.other {
        rows.push(other(tally));
    }
    (rows, table.rows.len().saturating_sub(top))
}

const OTHER_KEYS: &str = "(all other keys)";

fn stake_cells(tally: &Tally) -> [String; 2] {
    [
        at_stake(tally.amount, tally.unpriced_lines),
        count(tally.unpriced_lines),
    ]
}

/// The amount, or `—` when nothing is priced and some lines are unpriced (`$0.00` would read
/// as "nothing at stake").
pub fn at_stake(amount: rust_decimal::Decimal, unpriced_lines: u64) -> String {
    if amount.is_zero() && unpriced_lines > 0 {
        "—".to_owned()
    } else {
        dollars(amount)
    }
}

fn by_rule(report: &Report, top: usize) -> Section {
    let cells = |rule: &str, outcome: &str, reason: String, tally: &Tally| {
        let [amount, unpriced] = stake_cells(tally);
        vec![
            rule.to_owned(),
            outcome.to_owned(),
            reason,
            count(tally.lines),
            count(tally.claims),
            amount,
            unpriced,
        ]
    };
    let (rows, omitted) = shown(
        &report.by_rule,
        top,
        |row| {
            let reason = reason(row.group.as_deref(), row.carc.as_deref());
            cells(&row.rule, row.outcome, reason, &row.tally)
        },
        |tally| cells(OTHER_KEYS, "", String::new(), tally),
    );
    Section {
        id: "by-rule",
        title: "Denials and reviews by rule",
        intro: "Lines each rule denied or held. A line denied by several rules counts under \
                each, so rows can add up to more than the totals."
            .to_owned(),
        columns: vec![
            text("Rule"),
            text("Outcome"),
            text("CARC"),
            number("Lines"),
            number("Claims"),
            number("At stake"),
            number("Unpriced"),
        ],
        rows,
        omitted,
        empty: "No line was denied or held.",
    }
}

fn by_carc(report: &Report, top: usize) -> Section {
    let cells = |reason: String, tally: &Tally| {
        let [amount, unpriced] = stake_cells(tally);
        vec![
            reason,
            count(tally.lines),
            count(tally.claims),
            amount,
            unpriced,
        ]
    };
    let (rows, omitted) = shown(
        &report.by_carc,
        top,
        |row| {
            cells(
                reason(row.group.as_deref(), row.carc.as_deref()),
                &row.tally,
            )
        },
        |tally| cells(OTHER_KEYS.to_owned(), tally),
    );
    Section {
        id: "by-carc",
        title: "By reason code (CARC)",
        intro: "Denied and held lines by the claim adjustment reason code of their findings."
            .to_owned(),
        columns: vec![
            text("CARC"),
            number("Lines"),
            number("Claims"),
            number("At stake"),
            number("Unpriced"),
        ],
        rows,
        omitted,
        empty: "No line was denied or held.",
    }
}

fn line_cells(key: &str, tally: &Tally) -> Vec<String> {
    let [amount, unpriced] = stake_cells(tally);
    vec![
        key.to_owned(),
        count(tally.lines),
        count(tally.denied_lines),
        count(tally.review_lines),
        count(tally.claims),
        amount,
        unpriced,
    ]
}

const LINE_COLUMNS: [Column; 6] = [
    number("Lines"),
    number("Denied"),
    number("Held"),
    number("Claims"),
    number("At stake"),
    number("Unpriced"),
];

fn by_code(report: &Report, top: usize) -> Section {
    let (rows, omitted) = shown(
        &report.by_code,
        top,
        |row| line_cells(&row.code, &row.tally),
        |tally| line_cells(OTHER_KEYS, tally),
    );
    let mut columns = vec![text("Code")];
    columns.extend(LINE_COLUMNS);
    Section {
        id: "by-code",
        title: "By procedure code",
        intro: "Every decided line by its procedure code, with how many were denied or held."
            .to_owned(),
        columns,
        rows,
        omitted,
        empty: "No lines.",
    }
}

fn by_payer(report: &Report, top: usize) -> Section {
    let (rows, omitted) = shown(
        &report.by_payer,
        top,
        |row| line_cells(&row.payer, &row.tally),
        |tally| line_cells(OTHER_KEYS, tally),
    );
    let mut columns = vec![text("Payer")];
    columns.extend(LINE_COLUMNS);
    Section {
        id: "by-payer",
        title: "By payer",
        intro: "Every decided line by payer, with how many were denied or held.".to_owned(),
        columns,
        rows,
        omitted,
        empty: "No lines.",
    }
}

fn fixes(report: &Report, top: usize) -> Section {
    let (rows, omitted) = shown(
        &report.fixes,
        top,
        |row| {
            let suggested: Vec<String> = row
                .suggested_codes
                .iter()
                .map(|code| format!("{} ({})", code.code, plural(code.lines, "line", "lines")))
                .collect();
            vec![
                row.rule.clone(),
                count(row.tally.lines),
                at_stake(row.tally.amount, row.tally.unpriced_lines),
                row.message.clone(),
                suggested.join(", "),
            ]
        },
        |tally| {
            vec![
                OTHER_KEYS.to_owned(),
                count(tally.lines),
                at_stake(tally.amount, tally.unpriced_lines),
                String::new(),
                String::new(),
            ]
        },
    );
    Section {
        id: "fixes",
        title: "Top suggested fixes",
        intro: "What each denying or holding rule asks for, most at stake first.".to_owned(),
        columns: vec![
            text("Rule"),
            number("Lines"),
            number("At stake"),
            text("What to fix"),
            text("Bill instead"),
        ],
        rows,
        omitted,
        empty: "Nothing to fix.",
    }
}

fn notes(
    id: &'static str,
    title: &'static str,
    intro: &str,
    table: &Table<NoteRow>,
    top: usize,
) -> Section {
    let (rows, omitted) = shown(
        table,
        top,
        |row| {
            vec![
                row.rule.clone(),
                count(row.tally.lines),
                count(row.tally.claims),
                row.message.clone(),
            ]
        },
        |tally| {
            vec![
                OTHER_KEYS.to_owned(),
                count(tally.lines),
                count(tally.claims),
                String::new(),
            ]
        },
    );
    Section {
        id,
        title,
        intro: intro.to_owned(),
        columns: vec![
            text("Rule"),
            number("Lines"),
            number("Claims"),
            text("Message"),
        ],
        rows,
        omitted,
        empty: "None.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands_and_labels_reason_codes() {
        assert_eq!(count(0), "0");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(reason(Some("CO"), Some("97")), "CO-97");
        assert_eq!(reason(None, None), "(none)");
    }
}
