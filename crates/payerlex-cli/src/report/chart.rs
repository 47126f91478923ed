//! The bar chart of the top denial reasons, as inline SVG generated here.
//!
//! One bar per (rule, outcome, reason code) row of the by-rule table, longest first, scaled to
//! the longest bar in integer arithmetic. Inline SVG keeps the HTML page self-contained (no
//! script, no external resource), and a chart this simple is a few dozen lines, so a plotting
//! crate would add weight without saving work. Every text goes through `html_escape`.

use std::cmp::Reverse;
use std::fmt::Write as _;

use html_escape::{encode_double_quoted_attribute, encode_text};

use super::model::{Report, RuleRow, Tally};
use super::money::dollars;
use super::sections::{count, reason};

/// Bars drawn at most.
pub const CHART_BARS: usize = 10;
/// Longest label drawn, in characters (the full text is in the bar's tooltip).
const LABEL_CHARS: usize = 72;

const WIDTH: u64 = 960;
const LABEL_WIDTH: u64 = 500;
const BAR_SPACE: u64 = 300;
const ROW_HEIGHT: u64 = 30;
const BAR_HEIGHT: u64 = 20;
const DENY_COLOUR: &str = "#b3261e";
const REVIEW_COLOUR: &str = "#c77700";

/// The rows charted: most lines first, then most at stake, then rule.
pub fn charted_rows(report: &Report) -> Vec<&RuleRow> {
    let mut rows: Vec<&RuleRow> = report.by_rule.rows.iter().collect();
    rows.sort_by_key(|row| (Reverse(row.tally.lines), Reverse(row.tally.amount)));
    rows.truncate(CHART_BARS);
    rows
}

/// The `<svg>` element, or `None` when no line was denied or held.
pub fn svg(report: &Report) -> Option<String> {
    let rows = charted_rows(report);
    let longest = rows.iter().map(|row| row.tally.lines).max()?.max(1);
    let height = ROW_HEIGHT * rows.len() as u64 + 10;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="chart-title"><title id="chart-title">Top denial reasons by lines denied or held</title>"#
    );
    for (index, row) in rows.iter().enumerate() {
        let top = 5 + ROW_HEIGHT * index as u64;
        let middle = top + BAR_HEIGHT / 2 + 5;
        let width = scaled(row.tally.lines, longest).max(2);
        let label = match (row.group.as_deref(), row.carc.as_deref()) {
            (None, None) => format!("{} ({})", row.rule, row.outcome),
            (group, carc) => format!("{} ({} {})", row.rule, row.outcome, reason(group, carc)),
        };
        let value = bar_value(&row.tally);
        let colour = if row.outcome == "deny" {
            DENY_COLOUR
        } else {
            REVIEW_COLOUR
        };
        let _ = write!(
            out,
            r#"<g class="bar" data-rule="{rule}" data-lines="{lines}"><title>{tip}</title><text class="label" x="{label_x}" y="{middle}" text-anchor="end">{label}</text><rect x="{LABEL_WIDTH}" y="{top}" width="{width}" height="{BAR_HEIGHT}" rx="3" fill="{colour}"/><text class="value" x="{value_x}" y="{middle}">{value}</text></g>"#,
            rule = encode_double_quoted_attribute(&row.rule),
            lines = row.tally.lines,
            tip = encode_text(&format!("{label}: {value}")),
            label_x = LABEL_WIDTH - 8,
            label = encode_text(&shortened(&label)),
            value_x = LABEL_WIDTH + width + 6,
            value = encode_text(&value),
        );
    }
    out.push_str("</svg>");
    Some(out)
}

/// `2 lines, $157.66`, `1 line, unpriced`, `3 lines, $78.83 + 2 unpriced`.
fn bar_value(tally: &Tally) -> String {
    let lines = format!(
        "{} {}",
        count(tally.lines),
        if tally.lines == 1 { "line" } else { "lines" }
    );
    match tally.unpriced_lines {
        0 => format!("{lines}, {}", dollars(tally.amount)),
        unpriced if tally.amount.is_zero() && unpriced >= tally.lines => {
            format!("{lines}, unpriced")
        }
        unpriced => format!(
            "{lines}, {} + {} unpriced",
            dollars(tally.amount),
            count(unpriced)
        ),
    }
}

/// `lines / longest` of the bar space, rounded, in integers (no float, no overflow).
fn scaled(lines: u64, longest: u64) -> u64 {
    let wide = u128::from(lines) * u128::from(BAR_SPACE) + u128::from(longest) / 2;
    u64::try_from(wide / u128::from(longest)).unwrap_or(BAR_SPACE)
}

fn shortened(label: &str) -> String {
    match label.char_indices().nth(LABEL_CHARS) {
        None => label.to_owned(),
        Some((cut, _)) => format!("{}…", &label[..cut]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_longest() {
        assert_eq!(scaled(10, 10), BAR_SPACE);
        assert_eq!(scaled(5, 10), BAR_SPACE / 2);
        assert_eq!(scaled(u64::MAX, u64::MAX), BAR_SPACE);
        assert_eq!(scaled(0, 7), 0);
    }
}
