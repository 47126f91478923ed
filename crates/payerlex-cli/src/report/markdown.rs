//! The Markdown report: GitHub-flavoured tables, readable as plain text too.
//!
//! Hand-written: writing Markdown is string formatting, and the one subtle part, escaping cell
//! text so a message cannot break a table or inject HTML, is the few lines of
//! [`escape_markdown`]. Crates for Markdown parse it; none writes tables.

use std::fmt::Write as _;

use super::model::Report;
use super::sections::{sections, Align};

/// The report as Markdown, each table showing at most `top` rows.
pub fn render(report: &Report, top: usize) -> String {
    let mut out = String::from("# Denial report\n");
    for section in sections(report, top) {
        let _ = write!(
            out,
            "\n## {}\n\n{}\n\n",
            section.title,
            escape_markdown(&section.intro)
        );
        if section.rows.is_empty() {
            let _ = writeln!(out, "{}", section.empty);
            continue;
        }
        let headings: Vec<&str> = section.columns.iter().map(|column| column.title).collect();
        let _ = writeln!(out, "| {} |", headings.join(" | "));
        let rules: Vec<&str> = section
            .columns
            .iter()
            .map(|column| match column.align {
                Align::Left => "---",
                Align::Right => "---:",
            })
            .collect();
        let _ = writeln!(out, "|{}|", rules.join("|"));
        for row in &section.rows {
            let cells: Vec<String> = row.iter().map(|cell| escape_markdown(cell)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        if section.omitted > 0 {
            let _ = writeln!(
                out,
                "\n{} more row(s) in `--format json` or with a larger `--top`.",
                section.omitted
            );
        }
    }
    out
}

/// Cell and paragraph text: backslash-escapes what Markdown would read as markup (tables,
/// emphasis, links, code, HTML) and turns line breaks into spaces.
fn escape_markdown(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' => {
                escaped.push('\\');
                escaped.push(character);
            }
            '\n' | '\r' | '\t' => escaped.push(' '),
            other if other.is_control() => {}
            other => escaped.push(other),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_text_cannot_break_a_table_or_inject_html() {
        assert_eq!(
            escape_markdown("a|b <script>\n*x*"),
            r"a\|b \<script\> \*x\*"
        );
    }
}
