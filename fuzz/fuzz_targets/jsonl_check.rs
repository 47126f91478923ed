//! Arbitrary bytes through the JSON Lines contract with the shipped packs: never a panic, the
//! run succeeds, and it writes exactly one JSON object per input record (as `RecordReader`
//! splits them: `\n`, `\r\n` or a lone `\r`; a byte-order mark skipped), each a decision or an
//! error record naming its own line. `crates/payerlex/tests/jsonl_records.rs` checks the same
//! contract on stable with an independent line count.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use payerlex::{check_jsonl, CheckOptions, Engine, RecordReader};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../policies"))
            .unwrap_or_else(|e| panic!("the shipped packs load: {}", e.render()))
    })
}

fuzz_target!(|data: &[u8]| {
    let explain = data.first().is_some_and(|b| b & 1 == 1);
    let mut out = Vec::new();
    let summary = check_jsonl(engine(), data, &mut out, CheckOptions { explain })
        .unwrap_or_else(|e| panic!("reading from memory cannot fail: {e}"));
    let mut reader = RecordReader::new(data);
    let mut records = 0usize;
    while let Ok(Some(_)) = reader.next_record() {
        records += 1;
    }
    let out = std::str::from_utf8(&out).unwrap_or_else(|e| panic!("output is UTF-8: {e}"));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), records, "N in != N out");
    assert_eq!(summary.decided + summary.rejected, records);
    for (index, line) in lines.iter().enumerate() {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        match value.get("record") {
            Some(number) => assert_eq!(number.as_u64(), Some(index as u64 + 1)),
            None => assert!(value.get("outcome").is_some(), "neither decision nor error"),
        }
    }
});
