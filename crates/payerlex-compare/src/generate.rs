//! A seeded generator of host claims that exercises all six 3D rules, shared by every engine.
//!
//! Claims come out one after another from one ChaCha8 stream (stable across platforms and
//! `rand` releases), so the first 5,000 claims of a 100,000-claim run are the 5,000 claims of
//! a 5,000-claim run: the instruction counts (small runs under valgrind) and the wall times
//! (large runs) measure the same mix.
//!
//! The mix: about four claims in ten carry a 3D line (76376/76377), with base studies,
//! angiography, a day-after line, unit counts above the limit, both -26 and -TC, and reports
//! that state or imply (or deny) the workstation; the rest are ordinary claims without 3D
//! lines, which an indexed engine should dismiss cheaply. Weights are made up, not taken from
//! real claims: they make every rule fire often enough to be measured, that is all.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::host::{HostClaim, HostLine, HostReport};

/// Seed used when none is given, so runs are comparable across commits.
pub const DEFAULT_SEED: u64 = 13;

/// Most claims one run may ask for (about 1 KiB of host data each, and each engine's
/// prepared input besides).
pub const MAX_CLAIMS: usize = 2_000_000;

const THREE_D: &[&str] = &["76376", "76377"];
/// Base studies (CT/MR/ultrasound in the policy's base_study ranges) that are not angiography.
const BASE: &[&str] = &[
    "70450", "70486", "70551", "71250", "71260", "72125", "72131", "72192", "73200", "73700",
    "74150", "74177", "70540", "71550", "72141", "72195", "76536", "76700",
];
/// Angiography codes; several of them are inside the base-study ranges too.
const ANGIOGRAPHY: &[&str] = &[
    "70496", "71275", "73706", "74174", "74175", "75635", "34839", "73225", "70548",
];
/// Codes no 3D rule looks at.
const OTHER: &[&str] = &[
    "99213", "99214", "93000", "71046", "80053", "36415", "85025", "97110",
];
const TEXT_WITH_PHRASE: &[&str] = &[
    "Volume rendering performed on an Independent Workstation under concurrent physician supervision.",
    "Reformatted images reviewed on a dedicated 3D workstation.",
];
const TEXT_WITHOUT_PHRASE: &[&str] = &[
    "3D images were generated for better visualization.",
    "MIP reconstructions provided.",
];

/// Generates `count` claims from `seed`.
pub fn generate(count: usize, seed: u64) -> Vec<HostClaim> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..count.min(MAX_CLAIMS))
        .map(|index| claim(&mut rng, index))
        .collect()
}

/// Mean lines per claim of a run, for the report.
pub fn lines_per_claim(claims: &[HostClaim]) -> f64 {
    if claims.is_empty() {
        return 0.0;
    }
    let lines: usize = claims.iter().map(|c| c.lines.len()).sum();
    lines as f64 / claims.len() as f64
}

fn pick<'a>(rng: &mut ChaCha8Rng, list: &[&'a str]) -> &'a str {
    list.get(rng.random_range(0..list.len()))
        .copied()
        .unwrap_or("99213")
}

fn claim(rng: &mut ChaCha8Rng, index: usize) -> HostClaim {
    let day = rng.random_range(2..=27u32);
    let mut codes: Vec<&str> = Vec::new();
    let has_three_d = rng.random_bool(0.4);
    if has_three_d {
        codes.push(pick(rng, THREE_D));
        if rng.random_bool(0.2) {
            codes.push(pick(rng, THREE_D));
        }
        for _ in 0..rng.random_range(0..=4) {
            let pool = match rng.random_range(0..10) {
                0..=4 => BASE,
                5..=6 => ANGIOGRAPHY,
                _ => OTHER,
            };
            codes.push(pick(rng, pool));
        }
    } else {
        for _ in 0..rng.random_range(1..=6) {
            let pool = match rng.random_range(0..10) {
                0..=2 => BASE,
                3 => ANGIOGRAPHY,
                _ => OTHER,
            };
            codes.push(pick(rng, pool));
        }
    }
    // Bill the lines in any order, so a rule cannot rely on the 3D line coming first.
    for i in (1..codes.len()).rev() {
        codes.swap(i, rng.random_range(0..=i));
    }
    let lines = codes
        .iter()
        .zip(1u32..)
        .map(|(code, number)| line(rng, number, code, day))
        .collect();
    HostClaim {
        id: format!("G{index}"),
        patient: format!("P{:05}", rng.random_range(0..20_000u32)),
        npi: "1234567893".to_owned(),
        place_of_service: if rng.random_bool(0.8) { "11" } else { "22" }.to_owned(),
        lines,
        report: report(rng),
    }
}

fn line(rng: &mut ChaCha8Rng, number: u32, code: &str, day: u32) -> HostLine {
    let imaging = !OTHER.contains(&code);
    let modifiers: &[&str] = match (imaging, rng.random_range(0..100)) {
        (true, 0..=24) => &["26"],
        (true, 25..=34) => &["TC"],
        (true, 35..=42) => &["26", "TC"],
        (true, 43..=49) => &["59"],
        (false, 0..=9) => &["25"],
        _ => &[],
    };
    let units = match rng.random_range(0..100) {
        0..=84 => 1,
        85..=94 => 2,
        _ => 3,
    };
    // Most lines on the claim's day; some the day after (not "same date").
    let day = if rng.random_bool(0.15) { day + 1 } else { day };
    HostLine {
        number,
        code: code.to_owned(),
        modifiers: modifiers.iter().map(|m| (*m).to_owned()).collect(),
        units,
        date: format!("2026-03-{day:02}"),
    }
}

fn report(rng: &mut ChaCha8Rng) -> Option<HostReport> {
    let (text, workstation) = match rng.random_range(0..100) {
        0..=29 => return None,
        30..=49 => (Some(pick(rng, TEXT_WITH_PHRASE)), None),
        50..=69 => (Some(pick(rng, TEXT_WITHOUT_PHRASE)), None),
        70..=84 => (None, Some(true)),
        85..=94 => (None, Some(false)),
        _ => (Some(pick(rng, TEXT_WITH_PHRASE)), Some(false)),
    };
    Some(HostReport {
        text: text.map(str::to_owned),
        workstation,
    })
}
