//! The Markdown table of one run: instructions per claim (from `scripts/compare.sh`'s
//! callgrind runs, when given), wall time per claim, allocations per claim, and both ratios
//! against the hand-written reference measured in the same run.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::mode::Mode;
use crate::runner::Measurement;

/// Renders the table; `instructions` holds instructions per claim by mode.
pub fn render(measurements: &[Measurement], instructions: &BTreeMap<Mode, f64>) -> String {
    let baseline_ns = measurements
        .iter()
        .find(|m| m.mode == Mode::Handwritten)
        .and_then(Measurement::ns_per_claim);
    let baseline_instr = instructions.get(&Mode::Handwritten).copied();
    let mut out = String::new();
    out.push_str("| engine (mode) | instr/claim | vs hand-written | ns/claim | vs hand-written | allocs/claim | bytes/claim |\n");
    out.push_str("|---|--:|--:|--:|--:|--:|--:|\n");
    let mut modes: Vec<Mode> = measurements.iter().map(|m| m.mode).collect();
    for &mode in instructions.keys() {
        if !modes.contains(&mode) {
            modes.push(mode);
        }
    }
    for mode in modes {
        let measured = measurements.iter().find(|m| m.mode == mode);
        let ns = measured.and_then(Measurement::ns_per_claim);
        let instr = instructions.get(&mode).copied();
        let (allocs, bytes) = measured
            .and_then(Measurement::allocations_per_claim)
            .map_or((None, None), |(a, b)| (Some(a), Some(b)));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            mode.description(),
            cell(instr, grouped),
            ratio(instr, baseline_instr),
            cell(ns, nanos),
            ratio(ns, baseline_ns),
            cell(allocs, |a| format!("{a:.2}")),
            cell(bytes, grouped),
        );
    }
    out
}

fn cell(value: Option<f64>, show: impl Fn(f64) -> String) -> String {
    value.map_or_else(|| "-".to_owned(), show)
}

fn ratio(value: Option<f64>, baseline: Option<f64>) -> String {
    match (value, baseline) {
        (Some(v), Some(b)) if b > 0.0 => {
            let r = v / b;
            if r >= 100.0 {
                format!("{}x", grouped(r))
            } else {
                format!("{r:.1}x")
            }
        }
        _ => "-".to_owned(),
    }
}

fn nanos(ns: f64) -> String {
    if ns >= 100.0 {
        grouped(ns)
    } else {
        format!("{ns:.1}")
    }
}

/// A rounded number with thousands separators: `4381.2` -> `4,381`.
pub fn grouped(value: f64) -> String {
    let digits = format!("{:.0}", value.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if value < 0.0 {
        out.insert(0, '-');
    }
    out
}
