//! The `measure` binary end to end: agreement, timing and the table with instruction ratios.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

#[test]
fn prints_one_row_per_mode_with_ratios_to_the_hand_written_reference() {
    let output = Command::new(env!("CARGO_BIN_EXE_measure"))
        .args(["--claims", "300", "--rounds", "1", "--slow-rounds", "1"])
        .args([
            "--instructions",
            "handwritten=700",
            "--instructions",
            "zen=70000",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.contains("300 generated claims (seed 13)"),
        "{stdout}"
    );
    assert!(stdout.contains("Every mode agreed"), "{stdout}");
    let rows: Vec<&str> = stdout.lines().filter(|l| l.starts_with("| ")).collect();
    if cfg!(feature = "engines") {
        assert_eq!(rows.len(), 11, "header and ten modes:\n{stdout}");
        let zen = rows.iter().find(|r| r.contains("zen-engine")).unwrap();
        assert!(zen.contains("| 70,000 | 100x |"), "{zen}");
    } else {
        // zen-engine's row has only the instruction count given on the command line.
        assert_eq!(
            rows.len(),
            9,
            "header, hand-written, six payerlex modes, zen:\n{stdout}"
        );
        assert!(
            stdout.contains("| zen-engine (JDM) | 70,000 | 100x | - |"),
            "{stdout}"
        );
    }
    assert!(
        rows.iter()
            .any(|r| r.starts_with("| hand-written Rust | 700 | 1.0x |")),
        "{stdout}"
    );
}

#[test]
fn rejects_an_unknown_mode_by_name() {
    let output = Command::new(env!("CARGO_BIN_EXE_measure"))
        .args(["--modes", "drools"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("unknown mode `drools`"), "{stderr}");
}
