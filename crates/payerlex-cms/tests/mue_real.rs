//! The real CMS practitioner MUE table effective 2026-04-01, read as published.
//!
//! The file lives in the workspace's shared data (never copied into the repo), so these tests
//! are ignored by a plain `cargo test`; `cargo test -- --ignored` runs them (`.ci/run` does
//! when the data is there), and then a missing file fails them rather than skipping.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use payerlex_cms::{Mai, MueEntry, MueTable};

mod common;
use common::code;

const REAL_MUE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/cms-ncci-mue-practitioner-2026q2/MCR_MUE_PractitionerServices_Eff_04-01-2026.csv"
);

/// The shared file; its absence fails the test that asked for it.
fn shared_file(path: &str) -> &Path {
    let p = Path::new(path);
    assert!(
        p.is_file(),
        "{path} is missing: this test needs the shared CMS data (../shared/data)"
    );
    p
}

#[test]
#[ignore = "needs ../shared/data/cms-ncci-mue-practitioner-2026q2 (run with --ignored; .ci/run does)"]
fn real_practitioner_mue_2026q2() {
    let path = shared_file(REAL_MUE);
    let t = MueTable::from_path(path).unwrap();
    assert_eq!(t.len(), 15_095);
    let clinical = Some(MueEntry {
        value: 2,
        mai: Mai::DateOfServiceClinical,
    });
    assert_eq!(t.get(code("76376")), clinical);
    assert_eq!(t.get(code("76377")), clinical);
    assert_eq!(t.rationale(code("76377")), Some("Clinical: Data"));
    assert_eq!(t.get(code("G0463")).map(|e| e.value), Some(0));
    let count = |m: Mai| t.iter().filter(|(_, e)| e.mai == m).count();
    assert_eq!(count(Mai::Line), 41);
    assert_eq!(count(Mai::DateOfServicePolicy), 5_417);
    assert_eq!(count(Mai::DateOfServiceClinical), 9_637);
    for code in [
        code("93000"),
        code("93005"),
        code("93010"),
        code("71045"),
        code("71046"),
        code("88305"),
        code("99213"),
    ] {
        assert!(t.get(code).is_some());
    }
}

#[test]
#[ignore = "needs ../shared/data/cms-ncci-mue-practitioner-2026q2 (run with --ignored; .ci/run does)"]
fn real_file_with_a_corrupted_row_names_its_line() {
    let path = shared_file(REAL_MUE);
    let mut bytes = std::fs::read(path).unwrap();
    // Find the 76377 row and break its MAI text; report the physical line it is on.
    let at = bytes.windows(7).position(|w| w == b"\n76377,").unwrap() + 1;
    let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let mai_at = at + bytes[at..].iter().position(|&b| b == b',').unwrap() + 3;
    bytes[mai_at] = b'7';
    let e = MueTable::from_bytes(&bytes, "edited.csv").unwrap_err();
    assert_eq!(e.line(), Some(line), "{e}");
    assert!(
        e.to_string().starts_with(&format!(
            "edited.csv:{line}: bad MUE adjudication indicator"
        )),
        "{e}"
    );
}
