//! The Arrow batch API through its public interface: the same decisions as `check_jsonl` on
//! the same claims written as JSON Lines (history carried across batch boundaries, even a
//! boundary inside a claim), error rows in place for claims that are not valid and for rows
//! out of order, and batch-level errors for a schema it cannot read.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use arrow_array::{Array, ArrayRef, Date32Array, RecordBatch, StringArray};
use payerlex_arrow::{output_schema, ArrowCheckError, BatchChecker};
use serde_json::Value;

/// Per input row: (claim, line, outcome or error code, rules, carc, adjustments as
/// `claim line rule carc`, on a claim's first row).
type Row = (
    String,
    i64,
    String,
    Vec<String>,
    Option<String>,
    Vec<String>,
);

/// The adjustments of output `row` as `claim line rule carc`.
fn adjustments_at(batch: &RecordBatch, row: usize) -> Vec<String> {
    let list = batch
        .column_by_name("adjustments")
        .unwrap()
        .as_list::<i32>();
    if !list.is_valid(row) {
        return Vec::new();
    }
    let items = list.value(row);
    let items = items.as_struct();
    let text = |name: &str| {
        items
            .column_by_name(name)
            .unwrap()
            .as_string::<i32>()
            .clone()
    };
    let (claim, rule, carc) = (text("claim"), text("rule"), text("carc"));
    let line = items
        .column_by_name("line")
        .unwrap()
        .as_primitive::<Int64Type>()
        .clone();
    (0..items.len())
        .map(|i| {
            format!(
                "{} {} {} {}",
                claim.value(i),
                line.value(i),
                rule.value(i),
                carc.value(i)
            )
        })
        .collect()
}

fn rows_of(batches: &[RecordBatch]) -> Vec<Row> {
    let mut out = Vec::new();
    for batch in batches {
        assert_eq!(batch.schema(), output_schema());
        let text = |name: &str| {
            batch
                .column_by_name(name)
                .unwrap()
                .as_string::<i32>()
                .clone()
        };
        let (claim, outcome, carc, code) = (
            text("claim"),
            text("outcome"),
            text("carc"),
            text("error_code"),
        );
        let line = batch
            .column_by_name("line")
            .unwrap()
            .as_primitive::<Int64Type>()
            .clone();
        let rules = batch
            .column_by_name("rules")
            .unwrap()
            .as_list::<i32>()
            .clone();
        for row in 0..batch.num_rows() {
            let status = if outcome.is_valid(row) {
                outcome.value(row)
            } else {
                code.value(row)
            };
            let rules: Vec<String> = if rules.is_valid(row) {
                let values = rules.value(row);
                let values = values.as_string::<i32>();
                (0..values.len())
                    .map(|i| values.value(i).to_owned())
                    .collect()
            } else {
                Vec::new()
            };
            let carc = carc.is_valid(row).then(|| carc.value(row).to_owned());
            out.push((
                claim.value(row).to_owned(),
                line.value(row),
                status.to_owned(),
                rules,
                carc,
                adjustments_at(batch, row),
            ));
        }
    }
    out
}

/// The same rows from `check_jsonl`'s output on the same claims.
fn expected(engine: &payerlex::Engine, claims: &[Value]) -> Vec<Row> {
    let mut output = Vec::new();
    payerlex::check_jsonl(
        engine,
        common::jsonl(claims).as_bytes(),
        &mut output,
        Default::default(),
    )
    .unwrap();
    let records: Vec<Value> = String::from_utf8(output)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut out = Vec::new();
    for (claim, record) in claims.iter().zip(&records) {
        for (index, line) in claim["lines"].as_array().unwrap().iter().enumerate() {
            let id = claim["id"].as_str().unwrap().to_owned();
            let number = line["number"].as_i64().unwrap();
            if let Some(code) = record["code"].as_str() {
                out.push((id, number, code.to_owned(), Vec::new(), None, Vec::new()));
                continue;
            }
            let decided = &record["lines"][index];
            let findings = decided["findings"].as_array().unwrap();
            let rules = findings
                .iter()
                .map(|f| f["rule"].as_str().unwrap().to_owned())
                .collect();
            let carc = findings
                .iter()
                .find_map(|f| f["carc"].as_str().map(str::to_owned));
            let adjustments = match (index, record["adjustments"].as_array()) {
                (0, Some(list)) => list
                    .iter()
                    .map(|a| {
                        format!(
                            "{} {} {} {}",
                            a["claim"].as_str().unwrap(),
                            a["line"],
                            a["rule"].as_str().unwrap(),
                            a["carc"].as_str().unwrap()
                        )
                    })
                    .collect(),
                _ => Vec::new(),
            };
            out.push((
                id,
                number,
                decided["outcome"].as_str().unwrap().to_owned(),
                rules,
                carc,
                adjustments,
            ));
        }
    }
    out
}

fn check_in_slices(
    checker: &mut BatchChecker,
    batch: &RecordBatch,
    size: usize,
) -> Vec<RecordBatch> {
    let mut out = Vec::new();
    let mut offset = 0;
    while offset < batch.num_rows() {
        let len = size.min(batch.num_rows() - offset);
        out.push(checker.push(&batch.slice(offset, len)).unwrap());
        offset += len;
    }
    out.push(checker.finish().unwrap());
    out
}

#[test]
fn batches_decide_as_json_lines_do_whatever_the_batch_size() {
    let engine = common::engine();
    let claims = common::claims(400, 23);
    let want = expected(&engine, &claims);
    // History matters in this set: without it (each claim its own patient) decisions differ.
    let alone: Vec<Value> = claims
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut c = c.clone();
            c["patient"] = format!("alone-{i}").into();
            c
        })
        .collect();
    assert!(
        want.iter().any(|r| !r.5.is_empty()),
        "a later claim adjusts an earlier one"
    );
    let strip = |rows: Vec<Row>| rows.into_iter().map(|r| (r.2, r.3)).collect::<Vec<_>>();
    assert_ne!(
        strip(expected(&engine, &alone)),
        strip(want.clone()),
        "history changes decisions"
    );
    assert!(
        want.iter()
            .any(|r| r.2 == "PLX-R003" || r.2.starts_with("PLX-")),
        "an error row is in the set"
    );
    let rows = common::rows(&claims);
    for size in [1, 7, 64, 10_000] {
        let mut checker = BatchChecker::new(Arc::clone(&engine));
        let got = rows_of(&check_in_slices(&mut checker, &rows, size));
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g, w, "batch size {size}");
        }
    }
}

#[test]
fn rows_out_of_order_are_error_rows_and_later_claims_are_still_decided() {
    let engine = common::engine();
    let claims = common::claims(60, 3);
    let first = &claims[0];
    let same_patient: Vec<usize> = (1..claims.len())
        .filter(|&i| {
            claims[i]["patient"] == first["patient"] && claims[i]["payer"] == first["payer"]
        })
        .collect();
    assert!(same_patient.len() >= 2);
    // Move the patient's second claim after its third: the moved claim is now out of order.
    let mut shuffled = claims.clone();
    shuffled.swap(same_patient[0], same_patient[1]);
    let rows = common::rows(&shuffled);
    let mut checker = BatchChecker::new(engine);
    let got = rows_of(&check_in_slices(&mut checker, &rows, 1000));
    let moved = claims[same_patient[0]]["id"].as_str().unwrap();
    let after = claims[same_patient[1]]["id"].as_str().unwrap();
    assert!(
        got.iter()
            .filter(|r| r.0 == after)
            .all(|r| !r.2.starts_with("PLX-A")),
        "{got:?}"
    );
    assert!(
        got.iter()
            .filter(|r| r.0 == moved)
            .all(|r| r.2 == "PLX-A002"),
        "{got:?}"
    );
    assert_eq!(got.len(), rows.num_rows());

    // A patient whose rows come back after another patient's: error rows.
    let mut checker = BatchChecker::new(common::engine());
    let a = common::rows(&claims[..1]);
    let b = common::rows(&[claims
        .iter()
        .find(|c| c["patient"] != first["patient"])
        .unwrap()
        .clone()]);
    let mut again = claims[0].clone();
    again["id"] = "Z-later".into();
    let a_again = common::rows(&[again]);
    let mut batches = vec![
        checker.push(&a).unwrap(),
        checker.push(&b).unwrap(),
        checker.push(&a_again).unwrap(),
    ];
    batches.push(checker.finish().unwrap());
    let got = rows_of(&batches);
    assert!(
        got.iter()
            .filter(|r| r.0 == "Z-later")
            .all(|r| r.2 == "PLX-A002"),
        "{got:?}"
    );
    assert!(
        got.iter()
            .filter(|r| r.0 != "Z-later")
            .all(|r| !r.2.starts_with("PLX-A")),
        "{got:?}"
    );
}

fn replace_column(batch: &RecordBatch, name: &str, column: ArrayRef) -> RecordBatch {
    let mut columns: Vec<(String, ArrayRef)> = batch
        .schema()
        .fields()
        .iter()
        .zip(batch.columns())
        .map(|(f, c)| (f.name().clone(), Arc::clone(c)))
        .collect();
    for (n, c) in columns.iter_mut() {
        if n == name {
            *c = Arc::clone(&column);
        }
    }
    RecordBatch::try_from_iter(columns).unwrap()
}

#[test]
fn date32_and_large_utf8_columns_decide_the_same() {
    let engine = common::engine();
    let claims = common::claims(40, 5);
    let rows = common::rows(&claims);
    let dates = rows.column_by_name("date").unwrap().as_string::<i32>();
    let days: Date32Array = (0..dates.len())
        .map(|i| {
            let d = dates.value(i);
            let day: i32 = d[8..].parse().unwrap();
            Some(20_514 + day - 2) // 2026-03-02 is day 20,514
        })
        .collect();
    let payers = rows.column_by_name("payer").unwrap().as_string::<i32>();
    let large: arrow_array::LargeStringArray = payers.iter().collect();
    let typed = replace_column(
        &replace_column(&rows, "date", Arc::new(days)),
        "payer",
        Arc::new(large),
    );
    let mut one = BatchChecker::new(Arc::clone(&engine));
    let mut two = BatchChecker::new(engine);
    assert_eq!(
        rows_of(&check_in_slices(&mut one, &typed, 50)),
        rows_of(&check_in_slices(&mut two, &rows, 50))
    );
}

#[test]
fn a_batch_without_a_required_column_or_of_a_wrong_type_is_an_error() {
    let rows = common::rows(&common::claims(3, 1));
    let mut checker = BatchChecker::new(common::engine());
    let without = rows.project(&[0, 1, 2]).unwrap();
    assert!(matches!(
        checker.push(&without),
        Err(ArrowCheckError::MissingColumn { column: "line" })
    ));
    let wrong = replace_column(
        &rows,
        "line",
        Arc::new(StringArray::from(vec!["1"; rows.num_rows()])),
    );
    assert!(matches!(
        checker.push(&wrong),
        Err(ArrowCheckError::ColumnType { column: "line", .. })
    ));
}
