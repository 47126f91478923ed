//! The reader never panics and never overflows its stack, whatever it is given: arbitrary
//! JSON-ish text, arbitrary JSON put in place of any element of a valid claim, and deep nesting.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Cursor;

use payerlex_fhir::{read_claims, FhirReader, ReadOptions, ResponseWriter};
use proptest::prelude::*;
use serde_json::{json, Value};

fn valid_claim() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/claim-single.json"),
        )
        .unwrap(),
    )
    .unwrap()
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        "[a-zA-Z0-9#/:.\\- ]{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("Claim"),
            Just("Bundle"),
            Just("Patient"),
            Just("#patient"),
            Just("2026-03-02"),
            Just("76377")
        ]
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    "[a-z]{1,8}",
                    Just("resourceType".to_owned()),
                    Just("reference".to_owned()),
                    Just("coding".to_owned()),
                    Just("sequence".to_owned()),
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every (pointer) location in a JSON value.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields {
                let here = format!("{at}/{key}");
                out.push(here.clone());
                pointers(field, here, out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let here = format!("{at}/{i}");
                out.push(here.clone());
                pointers(item, here, out);
            }
        }
        _ => {}
    }
}

fn read_everything(text: &str) {
    let writer = ResponseWriter::new("2026-03-03");
    for result in read_claims(text, &ReadOptions::default()) {
        if let Err(error) = result {
            let _ = serde_json::to_string(&writer.error(&error)).unwrap();
        }
    }
    let _ = FhirReader::new(Cursor::new(text.to_owned()), ReadOptions::default()).count();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_never_panics(text in "[{}\\[\\]\",:0-9a-zA-Z \\n#/.\\-]{0,200}") {
        read_everything(&text);
    }

    #[test]
    fn arbitrary_json_in_any_element_never_panics(index in any::<prop::sample::Index>(), replacement in arbitrary_json()) {
        let mut claim = valid_claim();
        let mut locations = Vec::new();
        pointers(&claim, String::new(), &mut locations);
        let location = index.get(&locations).clone();
        *claim.pointer_mut(&location).unwrap() = replacement;
        let results = read_claims(&claim.to_string(), &ReadOptions::default());
        prop_assert!(results.len() <= 1);
        read_everything(&serde_json::to_string_pretty(&claim).unwrap());
        let bundle = json!({"resourceType": "Bundle", "entry": [{"resource": claim}]});
        read_everything(&bundle.to_string());
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for open in ["[", "{\"a\":"] {
        let text = format!(
            "{{\"resourceType\":\"Claim\",\"item\":{}",
            open.repeat(100_000)
        );
        let results = read_claims(&text, &ReadOptions::default());
        assert!(results[0].is_err());
        let streamed: Vec<_> = FhirReader::new(Cursor::new(text), ReadOptions::default()).collect();
        assert!(streamed.iter().all(Result::is_err));
    }
}
