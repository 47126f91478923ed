//! `check_jsonl`: N input lines give N output records, in order, whatever the bytes.
//!
//! The property test writes files of valid claims, broken JSON, random bytes (invalid UTF-8
//! included), blank and oversized lines, joined by `\n`, `\r\n` or a lone `\r`, and counts
//! the lines independently of the reader under test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use payerlex::{check_jsonl, CheckOptions, Engine, LoadOptions};
use proptest::prelude::*;
use serde_json::Value;

fn engine(record_bytes: usize) -> Engine {
    let policies = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies");
    let mut options = LoadOptions::default();
    options.limits.record_bytes = record_bytes;
    Engine::load_with(policies, &options).unwrap()
}

const CLAIM: &str = r#"{"id":"C","payer":"medicare","patient":"P","provider":{"npi":"1234567893","role":"professional"},"place_of_service":"11","diagnoses":["S32.401A"],"lines":[{"number":1,"code":"72192","units":1,"date":"2026-03-02","diagnosis_pointers":[1]},{"number":2,"code":"76377","units":1,"date":"2026-03-02","diagnosis_pointers":[1]}]}"#;

/// One line's content: never a line end inside.
fn line_content() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(CLAIM.as_bytes().to_vec()),
        Just(CLAIM.as_bytes()[..CLAIM.len() / 2].to_vec()),
        Just(Vec::new()),
        Just(b"   \t ".to_vec()),
        Just(vec![b'x'; 3000]),
        proptest::collection::vec(any::<u8>(), 0..64),
    ]
    .prop_map(|bytes| {
        bytes
            .into_iter()
            .filter(|b| *b != b'\n' && *b != b'\r')
            .collect()
    })
}

fn line_end() -> impl Strategy<Value = &'static [u8]> {
    prop_oneof![Just(&b"\n"[..]), Just(&b"\r\n"[..]), Just(&b"\r"[..])]
}

/// Lines as a person reads them: each `\r\n`, lone `\r` or `\n` ends one, and text after
/// the last line end is one more. Written separately from the reader under test.
fn count_lines(input: &[u8]) -> usize {
    let body = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let mut count = 0;
    let mut after_last_end = 0;
    let mut i = 0;
    while i < body.len() {
        match body[i] {
            b'\r' => {
                count += 1;
                if body.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                after_last_end = i + 1;
            }
            b'\n' => {
                count += 1;
                after_last_end = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    count + usize::from(after_last_end < body.len())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn n_lines_in_give_n_records_out(
        lines in proptest::collection::vec((line_content(), line_end()), 1..40),
        end_last in any::<bool>(),
        bom in any::<bool>(),
    ) {
        let engine = engine(2048);
        let mut input = Vec::new();
        if bom {
            input.extend_from_slice(b"\xEF\xBB\xBF");
        }
        let count = lines.len();
        for (i, (content, end)) in lines.iter().enumerate() {
            input.extend_from_slice(content);
            if i + 1 < count || end_last {
                input.extend_from_slice(end);
            }
        }
        let expected = count_lines(&input);
        let mut output = Vec::new();
        let summary = check_jsonl(&engine, &input[..], &mut output, CheckOptions::default()).unwrap();
        let text = String::from_utf8(output).unwrap();
        let records: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        prop_assert_eq!(records.len(), expected);
        prop_assert_eq!(summary.decided + summary.rejected, expected);
        for (i, record) in records.iter().enumerate() {
            if let Some(number) = record.get("record") {
                prop_assert_eq!(number.as_u64(), Some(i as u64 + 1));
            } else {
                prop_assert_eq!(&record["claim"], "C");
            }
        }
    }
}

#[test]
fn a_record_over_the_limit_is_an_error_and_the_next_is_read() {
    let engine = engine(1024);
    let input = format!("{}\n{CLAIM}\n", "y".repeat(5000));
    let mut output = Vec::new();
    check_jsonl(
        &engine,
        input.as_bytes(),
        &mut output,
        CheckOptions::default(),
    )
    .unwrap();
    let records: Vec<Value> = String::from_utf8(output)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records[0]["code"], "PLX-R017");
    assert_eq!(records[1]["claim"], "C");
}
