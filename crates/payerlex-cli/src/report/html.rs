//! The HTML report: one self-contained page (CSS in a `<style>` block, the chart as inline
//! SVG, no script, no external resource) that can be mailed or archived as a single file.
//!
//! Every text comes from the decisions (rule ids, messages, payers, codes) and is escaped with
//! `html_escape` for its context; the markup around it is fixed.

use std::fmt::Write as _;

use html_escape::{encode_double_quoted_attribute, encode_text};

use super::chart;
use super::model::Report;
use super::sections::{sections, Align, Section};

const STYLE: &str = "
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif;
       color: #1d1d1f; background: #fff; margin: 0; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.2rem; margin: 32px 0 6px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
p { line-height: 1.45; margin: 6px 0 10px; }
p.intro { color: #444; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.9rem; min-width: 50%; }
th, td { padding: 5px 10px; border-bottom: 1px solid #e4e4e4; vertical-align: top; }
th { text-align: left; background: #f4f5f7; font-weight: 600; }
th.num, td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.text { max-width: 34em; }
tbody tr:nth-child(even) { background: #fafafa; }
svg.chart { max-width: 100%; height: auto; font-size: 13px; }
svg.chart text { fill: #1d1d1f; }
p.more { color: #666; font-size: 0.85rem; }
";

/// The report as an HTML page, each table showing at most `top` rows.
pub fn render(report: &Report, top: usize) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>payerlex denial report</title>\n<style>",
    );
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<main>\n<h1>Denial report</h1>\n");
    for section in sections(report, top) {
        write_section(&mut out, &section);
        if section.id == "totals" {
            write_chart(&mut out, report);
        }
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn write_chart(out: &mut String, report: &Report) {
    out.push_str("<section id=\"chart\">\n<h2>Top denial reasons</h2>\n");
    match chart::svg(report) {
        Some(svg) => {
            let _ = write!(
                out,
                "<p class=\"intro\">Lines denied (red) or held for review (amber) per rule, \
                 the {} largest; amounts are what those lines would have paid.</p>\n\
                 <div class=\"scroll\">{svg}</div>\n",
                chart::CHART_BARS
            );
        }
        None => out.push_str("<p>No line was denied or held.</p>\n"),
    }
    out.push_str("</section>\n");
}

fn write_section(out: &mut String, section: &Section) {
    let _ = write!(
        out,
        "<section id=\"{id}\">\n<h2>{title}</h2>\n<p class=\"intro\">{intro}</p>\n",
        id = encode_double_quoted_attribute(section.id),
        title = encode_text(section.title),
        intro = encode_text(&section.intro),
    );
    if section.rows.is_empty() {
        let _ = writeln!(out, "<p>{}</p>\n</section>", encode_text(section.empty));
        return;
    }
    out.push_str("<div class=\"scroll\"><table>\n<thead><tr>");
    for column in &section.columns {
        let _ = write!(
            out,
            "<th class=\"{}\">{}</th>",
            class(column.align),
            encode_text(column.title)
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &section.rows {
        out.push_str("<tr>");
        for (cell, column) in row.iter().zip(&section.columns) {
            let _ = write!(
                out,
                "<td class=\"{}\">{}</td>",
                class(column.align),
                encode_text(cell)
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
    if section.omitted > 0 {
        let _ = writeln!(
            out,
            "<p class=\"more\">{} more row(s) in the JSON report or with a larger --top.</p>",
            section.omitted
        );
    }
    out.push_str("</section>\n");
}

fn class(align: Align) -> &'static str {
    match align {
        Align::Left => "text",
        Align::Right => "num",
    }
}
