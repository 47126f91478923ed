//! `payerlex report`: the denial summary of `check`'s output, in Markdown, JSON and HTML.
//!
//! Most tests run `check` on the bundled example claims and feed its output to `report`, so
//! they follow the real contract; the expected counts are also recomputed from the decisions
//! themselves, independently of the report's code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use assert_cmd::Command;
use serde_json::Value;

fn examples() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/claims.jsonl")
}

/// `payerlex check` on the example claims: its JSON Lines output.
fn example_decisions() -> String {
    let output = Command::cargo_bin("payerlex")
        .unwrap()
        .arg("check")
        .arg("--policies")
        .arg(common::policies())
        .arg(examples())
        .output()
        .unwrap();
    // The example file's last record is deliberately malformed, so check exits 1.
    assert_eq!(output.status.code(), Some(1));
    String::from_utf8(output.stdout).unwrap()
}

/// `payerlex report ARGS -` with `stdin`: (exit code, stdout, stderr).
fn report(stdin: &str, args: &[&str]) -> (i32, String, String) {
    let output = Command::cargo_bin("payerlex")
        .unwrap()
        .arg("report")
        .args(args)
        .arg("-")
        .write_stdin(stdin.to_owned())
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn json_report(stdin: &str) -> Value {
    let (code, stdout, stderr) = report(stdin, &["--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

/// Denied or held lines per rule, counted straight from the decisions.
fn flagged_lines_per_rule(decisions: &str) -> BTreeMap<String, u64> {
    let mut lines = BTreeMap::new();
    for record in decisions.lines() {
        let record: Value = serde_json::from_str(record).unwrap();
        for line in record["lines"].as_array().into_iter().flatten() {
            let rules: BTreeSet<&str> = line["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|finding| finding["outcome"] == "deny" || finding["outcome"] == "review")
                .map(|finding| finding["rule"].as_str().unwrap())
                .collect();
            for rule in rules {
                *lines.entry(rule.to_owned()).or_default() += 1;
            }
        }
    }
    lines
}

#[test]
fn markdown_report_of_the_example_decisions() {
    let decisions = example_decisions();
    let (code, markdown, stderr) = report(&decisions, &[]);
    assert_eq!(code, 0, "{stderr}");
    for expected in [
        "| Denied | 10 | 10 | — | 10 |",
        "| Held for review | 1 | 1 | $78.83 | 0 |",
        "| medicare.3d-rendering/integral-to-angiography | deny | CO-97 | 1 | 1 | — | 1 |",
        "| medicare.3d-rendering/units-over-sessions | deny | CO-151 | 2 | 2 | — | 2 |",
        "| acme-health.3d-rendering/prior-authorization-required | deny | CO-197 | 1 | 1 |",
        "| CO-97 | 4 | 4 | — | 4 |",
        "| medicare | 24 | 7 | 1 | 12 | $78.83 | 7 |",
        "76376 (1 line)",
        "1 record was rejected by payerlex check (record 18)",
    ] {
        assert!(
            markdown.contains(expected),
            "missing `{expected}` in:\n{markdown}"
        );
    }
    insta::assert_snapshot!("example_markdown", markdown);
}

#[test]
fn json_report_counts_exactly_what_the_decisions_hold() {
    let decisions = example_decisions();
    let json = json_report(&decisions);
    assert_eq!(json["format"], "payerlex-denial-report");
    let totals = &json["totals"];
    let count = |name: &str| totals[name].as_u64().unwrap();
    assert_eq!(count("claims"), 17);
    assert_eq!(count("error_records"), 1);
    assert_eq!(totals["error_record_numbers"], serde_json::json!([18]));
    assert_eq!(count("unreadable_lines"), 0);
    assert_eq!(
        count("lines"),
        count("allowed_lines") + count("denied_lines") + count("review_lines")
    );
    assert_eq!((count("denied_lines"), count("review_lines")), (10, 1));
    // The held line carries its estimate; denied lines carry none (yet), so they are unpriced.
    assert_eq!(totals["amount_at_stake"], "78.83");
    assert_eq!(totals["review_amount"], "78.83");
    assert_eq!(totals["denied_amount"], "0.00");
    assert_eq!(count("unpriced_lines"), 10);

    let expected = flagged_lines_per_rule(&decisions);
    let rows = json["by_rule"]["rows"].as_array().unwrap();
    let reported: BTreeMap<String, u64> = rows
        .iter()
        .map(|row| {
            (
                row["rule"].as_str().unwrap().to_owned(),
                row["lines"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(reported, expected);
    assert_eq!(rows.len(), 14);
    // Most at stake first: the held line's rules, then by lines, then by rule id.
    assert_eq!(
        rows[0]["rule"],
        "medicare.3d-documentation/interpretation-not-documented"
    );
    assert_eq!(rows[0]["amount"], "78.83");
    assert_eq!(rows[4]["rule"], "medicare.3d-rendering/units-over-sessions");

    let fixes = json["fixes"]["rows"].as_array().unwrap();
    let workstation = fixes
        .iter()
        .find(|row| row["rule"] == "medicare.3d-documentation/workstation-not-documented")
        .unwrap();
    assert_eq!(
        workstation["suggested_codes"],
        serde_json::json!([{"code":"76376","lines":1}])
    );
    let not_evaluated = json["not_evaluated"]["rows"].as_array().unwrap();
    assert!(not_evaluated.iter().all(|row| row["message"]
        .as_str()
        .unwrap()
        .starts_with("not evaluated")));
    assert_eq!(not_evaluated.len(), 5);
    let payers: Vec<(&str, u64)> = json["by_payer"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["payer"].as_str().unwrap(),
                row["claims"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        payers,
        vec![("medicare", 12), ("acme-health", 3), ("summit-care", 2)]
    );
}

#[test]
fn html_report_draws_one_bar_per_top_reason() {
    let decisions = example_decisions();
    let (code, html, stderr) = report(&decisions, &["--format", "html"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script") && !html.contains("<link") && !html.contains("src="));
    let svg = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()];
    let bars: Vec<&str> = svg
        .split("<g class=\"bar\" data-rule=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    // 14 rules denied or held; the chart shows the 10 with most lines.
    assert_eq!(bars.len(), 10);
    assert_eq!(svg.matches("<rect ").count(), 10);
    assert_eq!(bars[0], "medicare.3d-rendering/units-over-sessions");
    let expected = flagged_lines_per_rule(&decisions);
    assert!(bars.iter().all(|rule| expected.contains_key(*rule)));
    assert!(html.contains("<section id=\"by-rule\">"));
    assert!(html.contains("<td class=\"text\">medicare.3d-rendering/integral-to-angiography</td>"));
}

#[test]
fn reads_a_file_or_stdin_alike() {
    let decisions = example_decisions();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("decisions.jsonl");
    std::fs::write(&path, &decisions).unwrap();
    let from_file = Command::cargo_bin("payerlex")
        .unwrap()
        .args(["report", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(from_file.status.code(), Some(0));
    let (_, from_stdin, _) = report(&decisions, &["--format", "json"]);
    assert_eq!(String::from_utf8(from_file.stdout).unwrap(), from_stdin);

    let missing = Command::cargo_bin("payerlex")
        .unwrap()
        .args(["report"])
        .arg(dir.path().join("absent.jsonl"))
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn unreadable_lines_are_counted_without_echoing_their_content() {
    let decisions = format!(
        "{}{}\nnot json at all\n",
        example_decisions(),
        r#"{"claim":"Jane Doe 1970-01-01","payer":{"x":1},"outcome":"deny","lines":[]}"#
    );
    let (code, stdout, stderr) = report(&decisions, &["--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["totals"]["unreadable_lines"], 2);
    assert_eq!(
        json["totals"]["unreadable_line_numbers"],
        serde_json::json!([19, 20])
    );
    assert_eq!(json["totals"]["claims"], 17);
    assert!(
        stderr.contains("line 19:") && stderr.contains("line 20: not valid JSON"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("Jane") && !stdout.contains("Jane"),
        "{stderr}"
    );
}

/// Decisions of a newer contract: `at_stake`, finding `group`, `adjust_prior` findings and
/// fields the report does not know.
const NEWER_CONTRACT: &str = concat!(
    r#"{"claim":"C1","payer":"p","outcome":"deny","policy":{"pack":"p"},"new_top_level":true,"lines":["#,
    r#"{"number":1,"code":"76377","outcome":"deny","at_stake":{"amount":"1234.5","basis":"x"},"findings":["#,
    r#"{"rule":"p.x/bundled","outcome":"deny","group":"CO","carc":"97","rarc":[],"message":"remove the line","suggested_code":null}]},"#,
    r#"{"number":2,"code":"76376","outcome":"review","estimate":{"amount":"0.01"},"findings":["#,
    r#"{"rule":"p.x/docs","outcome":"review","carc":null,"message":"document it","suggested_code":"76376"},"#,
    r#"{"rule":"p.x/recoup","outcome":"adjust_prior","group":"CO","carc":"18","message":"recoup the earlier line"}]}]}"#,
    "\n",
    r#"{"claim":"C2","payer":"p","outcome":"deny","lines":[{"number":1,"code":"76377","outcome":"deny","estimate":{"amount":"1000000"},"findings":["#,
    r#"{"rule":"p.x/bundled","outcome":"deny","group":"CO","carc":"97","message":"remove the line"}]}]}"#,
    "\n"
);

#[test]
fn reads_a_newer_contract_with_amounts_at_stake() {
    let json = json_report(NEWER_CONTRACT);
    let totals = &json["totals"];
    assert_eq!(totals["amount_at_stake"], "1001234.51");
    assert_eq!(totals["denied_amount"], "1001234.50");
    assert_eq!(totals["unpriced_lines"], 0);
    let rule = &json["by_rule"]["rows"][0];
    assert_eq!(
        (rule["group"].as_str(), rule["carc"].as_str()),
        (Some("CO"), Some("97"))
    );
    assert_eq!(
        (rule["lines"].as_u64(), rule["claims"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(json["prior_adjustments"]["rows"][0]["rule"], "p.x/recoup");
    assert_eq!(json["by_carc"]["rows"].as_array().unwrap().len(), 2);

    let (_, markdown, _) = report(NEWER_CONTRACT, &[]);
    assert!(
        markdown.contains("| p.x/bundled | deny | CO-97 | 2 | 2 | $1,001,234.50 | 0 |"),
        "{markdown}"
    );
    assert!(markdown.contains("## Adjustments of earlier claims"));
}

#[test]
fn text_from_decisions_is_escaped_in_html_and_markdown() {
    let hostile = r#"{"claim":"C","payer":"<b>p</b>","outcome":"deny","lines":[{"number":1,"code":"76377","outcome":"deny","findings":[{"rule":"x/<script>alert(1)</script>","outcome":"deny","carc":"97","message":"a | b <img src=x onerror=alert(1)>"}]}]}"#;
    let (_, html, _) = report(hostile, &["--format", "html"]);
    assert!(!html.contains("<script>") && !html.contains("<img") && !html.contains("<b>p"));
    assert!(html.contains("x/&lt;script&gt;alert(1)&lt;/script&gt;"));
    let (_, markdown, _) = report(hostile, &[]);
    assert!(
        markdown.contains(r"a \| b \<img src=x onerror=alert(1)\>"),
        "{markdown}"
    );
}

#[test]
fn distinct_keys_beyond_the_cap_are_pooled_and_totals_stay_exact() {
    let payers = 10_050;
    let mut input = String::new();
    for index in 0..payers {
        input.push_str(&format!(
            r#"{{"claim":"C","payer":"payer-{index:05}","outcome":"deny","lines":[{{"number":1,"code":"76377","outcome":"deny","findings":[{{"rule":"p/r","outcome":"deny","carc":"97","message":"m"}}]}}]}}"#
        ));
        input.push('\n');
    }
    let json = json_report(&input);
    assert_eq!(json["by_payer"]["rows"].as_array().unwrap().len(), 10_000);
    assert_eq!(json["by_payer"]["other"]["lines"], 50);
    assert_eq!(json["by_payer"]["other"]["claims"], 50);
    assert_eq!(json["by_rule"]["rows"][0]["lines"], payers);
    assert_eq!(json["totals"]["denied_lines"], payers);
    let (_, markdown, _) = report(&input, &["--top", "3"]);
    assert!(
        markdown.contains("| (all other keys) | 50 | 50 | 0 | 50 | — | 50 |"),
        "{markdown}"
    );
    assert!(markdown.contains("9997 more row(s)"));
}
