//! Turns pest's errors into syntax problems an author can act on: the grammar rules pest
//! expected, named in words, and a hint for the usual mistakes.

use pest::error::{ErrorVariant, InputLocation};

use super::Rule;
use crate::diagnostics::{Problem, SyntaxError};
use crate::source::Span;
use crate::syntax::chunks::Chunk;

/// A pest error as a syntax problem: what was expected (in words), what was found (one word
/// at most), and a hint for the common mistakes.
pub(super) fn syntax_error(error: &pest::error::Error<Rule>, chunk: Chunk<'_>) -> Problem {
    let pos = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let rest = chunk.text.get(pos..).unwrap_or("");
    let found: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(24)
        .collect();
    let span = Span {
        start: chunk.offset + pos,
        end: chunk.offset + pos + found.len().max(1).min(rest.len().max(1)),
    };
    let mut expected: Vec<&str> = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().filter_map(|r| describe(*r)).collect()
        }
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    expected.sort_unstable();
    expected.dedup();
    let hint = hint_for(chunk.text, &expected);
    Problem::error(
        span,
        SyntaxError::Unexpected {
            expected,
            found: (!found.is_empty()).then_some(found),
            hint,
        },
        "here",
    )
}

fn hint_for(chunk: &str, expected: &[&str]) -> Option<String> {
    let first = chunk.split_whitespace().next().unwrap_or("");
    if first == "rule" && expected.iter().any(|e| e.contains("outcome")) {
        return Some(
            "a rule ends with an outcome: `deny carc N \"message\"`, `review \"message\"` or `advice \"message\"`"
                .into(),
        );
    }
    if first == "policy" || first == "version" || first == "effective" {
        return Some(
            "a policy file starts with `policy NAME`, `version X.Y.Z` and optionally `effective YYYY-MM-DD`"
                .into(),
        );
    }
    if expected.iter().any(|e| e.contains("condition")) {
        return Some("conditions combine with `and`, `or`, `not` and parentheses".into());
    }
    None
}

fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::ident => "a name",
        Rule::policy_name => "a policy name",
        Rule::rule_name => "a rule name",
        Rule::rule_ref => "a rule id such as `medicare.3d/base-study-required`",
        Rule::version => "a version such as `2026.1.0`",
        Rule::date => "a date (YYYY-MM-DD)",
        Rule::word => "a value",
        Rule::string | Rule::text => "a quoted message",
        Rule::cmp_op => "a comparison (`=`, `!=`, `<`, `<=`, `>`, `>=`)",
        Rule::add_op | Rule::mul_op => "an operator",
        Rule::expr | Rule::negation | Rule::conjunction => "a condition",
        Rule::value => "a value",
        Rule::set_ref | Rule::inline_list => "a set name or `[...]`",
        Rule::element | Rule::range => "a set element",
        Rule::set_kind => "`set`, `modifiers`, `places`, `diagnoses` or `phrases`",
        Rule::policy_decl => "`policy NAME`",
        Rule::version_decl => "`version X.Y.Z`",
        Rule::effective_clause => "`effective YYYY-MM-DD`",
        Rule::deny_out | Rule::review_out | Rule::advice_out => {
            "an outcome (`deny`, `review`, `advice`)"
        }
        Rule::cite_clause => "`cite`",
        Rule::when_clause => "`when`",
        Rule::carc_clause => "`carc CODE`",
        Rule::rarc_clause => "`rarc CODE`",
        Rule::suggest_clause => "`suggest CODE`",
        Rule::replaces_clause => "`replaces`",
        Rule::where_clause => "`where`",
        Rule::scope => "`in claim`, `in history` or `in claim or history`",
        Rule::source_filter | Rule::same_date | Rule::same_provider => {
            "`on same date` or `by same provider`"
        }
        Rule::selector => "`other` or `earlier`",
        Rule::aggregate | Rule::aggregate_kind => {
            "`count`, `count distinct codes of` or `sum units of`"
        }
        Rule::quantifier => "`any` or `no`",
        Rule::EOI => "the end of the item",
        Rule::table_kind => {
            "a table layout (`ncci_ptp`, `mue`, `add_on_codes`, `fee_schedule`, `gpci`)"
        }
        Rule::table_file => "a quoted file path",
        Rule::table_lookup => "a table lookup such as `mue[line.code].value`",
        Rule::path | Rule::subject => "`line.`, `claim.` or `report.` field",
        _ => return None,
    })
}
