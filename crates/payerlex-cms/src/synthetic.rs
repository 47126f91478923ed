//! A deterministic, NCCI-scale PTP table for benchmarks and load tests.
//!
//! The real practitioner PTP table is millions of rows under an AMA licence and cannot be
//! shipped with the project. This writes a table of the same layout and similar shape (notice
//! and wrapped header lines, then rows with indicators 0/1/9, open and dated deletions,
//! tombstones, duplicate pairs, the prior-to-1996 flag, a handful of rationales) from a seed,
//! with a splitmix64 generator instead of an RNG crate: the same seed gives the same bytes.
//!
//! Codes come from a universe of 100,000 code-shaped strings (five-digit CPT-like,
//! `dddd` + `F`/`T`/`U`, and HCPCS-like letter + four digits); they are not real code lists.
//! Each column 1 code gets a run of strictly increasing column 2 codes, so pairs are distinct
//! by construction and exactly `pairs` distinct pairs are written.

use std::io::{self, BufWriter, Write};

/// splitmix64: tiny, fast, good enough for test data.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0; tiny modulo bias is irrelevant here).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True with probability `per_mille` / 1000.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }
}

const UNIVERSE: u64 = 100_000;

/// The `i`-th code of the synthetic universe (`i < UNIVERSE`).
fn code(i: u64) -> [u8; 5] {
    let mut out = [b'0'; 5];
    let digits = |out: &mut [u8], mut v: u64| {
        for o in out.iter_mut().rev() {
            *o = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    match i {
        // 10000-99999: CPT Category I shaped.
        0..=89_999 => digits(&mut out, 10_000 + i),
        // dddd + F/T/U: Category II/III and PLA shaped.
        90_000..=95_999 => {
            let j = i - 90_000;
            digits(&mut out[..4], j % 2_000);
            out[4] = [b'F', b'T', b'U'][(j / 2_000) as usize % 3];
        }
        // Letter + four digits: HCPCS Level II shaped.
        _ => {
            let j = i - 96_000;
            out[0] = [b'A', b'C', b'E', b'G', b'J', b'L', b'Q', b'V'][(j / 500) as usize % 8];
            digits(&mut out[1..], j % 500 * 7);
        }
    }
    out
}

const RATIONALES: [&str; 8] = [
    "Misuse of column two code with column one code",
    "Mutually exclusive procedures",
    "Standards of medical / surgical practice",
    "CPT Manual or CMS manual coding instruction",
    "HCPCS/CPT procedure code definition",
    "More extensive procedure",
    "Anesthesia service included in surgical procedure",
    "Designated component of comprehensive procedure",
];

/// A quarter start `YYYYMM01` between 1996 and 2025.
fn quarter_start(rng: &mut SplitMix) -> u32 {
    let year = 1996 + rng.below(30) as u32;
    let month = [1, 4, 7, 10][rng.below(4) as usize];
    year * 10_000 + month * 100 + 1
}

/// The last day of the quarter before the one starting at `ymd` (`YYYYMM01`).
fn day_before(ymd: u32) -> u32 {
    let (y, m) = (ymd / 10_000, ymd / 100 % 100);
    match m {
        1 => (y - 1) * 10_000 + 1231,
        4 => y * 10_000 + 331,
        7 => y * 10_000 + 630,
        _ => y * 10_000 + 930,
    }
}

/// Writes a synthetic PTP table with exactly `pairs` distinct (column 1, column 2) pairs in the
/// CMS text layout (see [`crate::ptp`]). About 3% of pairs have two rows (an old row deleted at
/// a quarter's end and a newer one, with a different indicator), about 2% are indicator-9
/// tombstones, about 12% are deleted, the rest open with indicator 0 (~35%) or 1.
pub fn write_synthetic_ptp(w: impl Write, pairs: usize, seed: u64) -> io::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 16, w);
    w.write_all(
        b"CPT only copyright 2025 American Medical Association.  All rights reserved.\t\t\t\t\t\t\r\n\
          Column1/Column2 Edits\t\t\t\t\t\t\r\n\
          Column 1\tColumn 2\t*=in existence\tEffective\tDeletion\tModifier\tPTP Edit Rationale\r\n\
          \t\tprior to 1996\tDate\tDate\t0=not allowed\t\r\n\
          \t\t\t\t*=no data\t1=allowed\t\r\n\
          \t\t\t\t\t9=not applicable\t\r\n",
    )?;
    let mut rng = SplitMix(seed ^ 0x5EED_F9CC_0001);
    let mut written = 0usize;
    // Column 1 codes in a seed-dependent order over the universe; enough runs for any `pairs`
    // up to ~UNIVERSE * UNIVERSE / 2, wrapping with longer runs if needed.
    let stride = [7919u64, 7927, 7933, 7937][(seed % 4) as usize]; // primes: coprime to UNIVERSE
    let offset = rng.below(UNIVERSE);
    let avg_run = (pairs as u64 / (UNIVERSE / 2)).max(100);
    let mut c1_index = 0u64;
    while written < pairs {
        let c1 = (offset + c1_index * stride) % UNIVERSE;
        c1_index += 1;
        if c1_index > UNIVERSE {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "too many pairs for the synthetic universe",
            ));
        }
        let run = (1 + rng.below(2 * avg_run)).min(UNIVERSE - 1);
        let step_max = (UNIVERSE / (run + 1)).max(1);
        let mut c2 = rng.below(UNIVERSE - run * step_max + 1);
        let col1 = code(c1);
        for _ in 0..run {
            if written == pairs {
                break;
            }
            if c2 != c1 {
                write_pair(&mut w, &mut rng, &col1, &code(c2))?;
                written += 1;
            }
            c2 += 1 + rng.below(step_max);
            if c2 >= UNIVERSE {
                break;
            }
        }
    }
    w.flush()
}

fn write_pair(
    w: &mut impl Write,
    rng: &mut SplitMix,
    col1: &[u8; 5],
    col2: &[u8; 5],
) -> io::Result<()> {
    let rationale = RATIONALES[rng.below(RATIONALES.len() as u64) as usize];
    let effective = quarter_start(rng);
    let prior = if effective < 19_970_000 && rng.chance(500) {
        "*"
    } else {
        ""
    };
    let indicator = if rng.chance(350) { 0 } else { 1 };
    let row =
        |w: &mut dyn Write, eff: u32, del: Option<u32>, ind: u8, flag: &str| -> io::Result<()> {
            w.write_all(col1)?;
            w.write_all(b"\t")?;
            w.write_all(col2)?;
            match del {
                Some(d) => write!(w, "\t{flag}\t{eff}\t{d}\t{ind}\t{rationale}\r\n"),
                None => write!(w, "\t{flag}\t{eff}\t*\t{ind}\t{rationale}\r\n"),
            }
        };
    let roll = rng.below(1000);
    if roll < 20 {
        // Tombstone: deleted back to its effective date.
        row(w, effective, Some(effective), 9, prior)
    } else if roll < 50 && effective < 20_250_000 {
        // Duplicate pair: an old row closed at a quarter's end, then the current row.
        // One to three years later, never past 2025 (the branch only runs for years < 2025).
        let newer = effective + 10_000 * (1 + rng.below(3) as u32).min(2025 - effective / 10_000);
        row(w, effective, Some(day_before(newer)), 1 - indicator, prior)?;
        row(w, newer, None, indicator, "")
    } else if roll < 170 {
        let years = 1 + rng.below(5) as u32;
        row(
            w,
            effective,
            Some(day_before(effective + 10_000 * years)),
            indicator,
            prior,
        )
    } else {
        row(w, effective, None, indicator, prior)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_code_shaped() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..UNIVERSE {
            let c = code(i);
            let text = std::str::from_utf8(&c).unwrap_or("");
            assert!(crate::ProcedureCode::parse(text).is_ok(), "{c:?}");
            assert!(seen.insert(c), "duplicate {:?}", std::str::from_utf8(&c));
        }
    }

    #[test]
    fn day_before_quarter() {
        assert_eq!(day_before(20240101), 20231231);
        assert_eq!(day_before(20240401), 20240331);
        assert_eq!(day_before(20240701), 20240630);
        assert_eq!(day_before(20241001), 20240930);
    }
}
