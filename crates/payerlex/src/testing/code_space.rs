//! The space of procedure codes as the generators walk it: five base-36 positions, three
//! shapes of valid code (CPT Category I `70450`, CPT II/III `0159T`, HCPCS `G0288`), and
//! the neighbours of a code or a diagnosis prefix.
//!
//! Codes are packed order-preservingly into integers (see `ProcedureCode::packed`), so a set
//! is a list of integer ranges; but most integers are no valid code. Cutting the space at
//! range ends and picking a representative of each piece needs "the smallest valid code at
//! or after this integer", which is pure digit arithmetic kept here, apart from the
//! vocabulary that uses it.

use crate::facts::{CodeShape, Diagnosis, ProcedureCode};

/// Number of packed values (`36^5`).
pub(super) const CODE_SPACE: u32 = 36 * 36 * 36 * 36 * 36;

/// What may stand at each of a code's five positions, per shape.
#[derive(Clone, Copy)]
enum Slot {
    Digit,
    Letter,
    Suffix,
}

const SHAPES: [[Slot; 5]; 3] = [
    [
        Slot::Digit,
        Slot::Digit,
        Slot::Digit,
        Slot::Digit,
        Slot::Digit,
    ],
    [
        Slot::Digit,
        Slot::Digit,
        Slot::Digit,
        Slot::Digit,
        Slot::Suffix,
    ],
    [
        Slot::Letter,
        Slot::Digit,
        Slot::Digit,
        Slot::Digit,
        Slot::Digit,
    ],
];

/// Allowed base-36 digit values of a slot, ascending.
fn slot_values(slot: Slot) -> &'static [u32] {
    const DIGITS: [u32; 10] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const LETTERS: [u32; 26] = [
        10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
        33, 34, 35,
    ];
    const SUFFIXES: [u32; 4] = [15, 22, 29, 30]; // F, M, T, U
    match slot {
        Slot::Digit => &DIGITS,
        Slot::Letter => &LETTERS,
        Slot::Suffix => &SUFFIXES,
    }
}

fn unpack(packed: u32) -> [u32; 5] {
    let mut out = [0; 5];
    let mut rest = packed;
    for slot in out.iter_mut().rev() {
        *slot = rest % 36;
        rest /= 36;
    }
    out
}

fn pack(digits: [u32; 5]) -> u32 {
    digits.iter().fold(0, |acc, d| acc * 36 + d)
}

/// The smallest string of `shape` that is >= `d` (position-wise base-36 order).
fn smallest_at_least(shape: &[Slot; 5], d: [u32; 5]) -> Option<[u32; 5]> {
    let matching = (0..5)
        .take_while(|&i| slot_values(shape[i]).contains(&d[i]))
        .count();
    if matching == 5 {
        return Some(d);
    }
    for i in (0..=matching).rev() {
        if let Some(&bigger) = slot_values(shape[i]).iter().find(|&&v| v > d[i]) {
            let mut out = d;
            out[i] = bigger;
            for (j, slot) in out.iter_mut().enumerate().skip(i + 1) {
                *slot = slot_values(shape[j])[0];
            }
            return Some(out);
        }
    }
    None
}

/// The code `step` away from `code` among codes of its shape (`70450` -> `70449`), if any.
pub(super) fn same_shape_step(code: ProcedureCode, step: i32) -> Option<ProcedureCode> {
    let text = code.to_string();
    let (prefix, number, suffix) = match code.shape() {
        CodeShape::CptCategoryI => ("", text.get(0..5)?, ""),
        CodeShape::CptSuffixed => ("", text.get(0..4)?, text.get(4..5)?),
        CodeShape::Hcpcs => (text.get(0..1)?, text.get(1..5)?, ""),
    };
    let width = number.len();
    let value: i64 = number.parse().ok()?;
    let next = value + i64::from(step);
    if next < 0 || next >= 10i64.pow(width as u32) {
        return None;
    }
    ProcedureCode::parse(&format!("{prefix}{next:0width$}{suffix}")).ok()
}

/// A full diagnosis code under a normalised prefix (`S4` -> `S40`, `S422` -> `S42.2`).
pub(super) fn full_diagnosis(prefix: &[u8]) -> Option<Diagnosis> {
    let mut text: Vec<u8> = prefix.to_vec();
    while text.len() < 3 {
        text.push(b'0');
    }
    let text = String::from_utf8(text).ok()?;
    Diagnosis::parse(&text).ok()
}

/// The prefix of the same length one step before or after (`Q65` -> `Q64`), within its
/// letter and digits.
pub(super) fn step_prefix(prefix: &[u8], step: i32) -> Option<Vec<u8>> {
    let (letter, rest) = prefix.split_first()?;
    if rest.is_empty() || !rest.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let text = std::str::from_utf8(rest).ok()?;
    let value: i64 = text.parse().ok()?;
    let next = value + i64::from(step);
    let width = rest.len();
    if next < 0 || next >= 10i64.pow(width as u32) {
        return None;
    }
    let mut out = vec![*letter];
    out.extend(format!("{next:0width$}").bytes());
    Some(out)
}

/// The first valid code of the packed range `start..end`, preferring a five-digit CPT code,
/// then HCPCS, then Category II/III: all codes of a piece that every set treats alike are
/// interchangeable, and a familiar one reads better in examples.
pub(super) fn preferred_code_in(start: u32, end: u32) -> Option<ProcedureCode> {
    let unpacked = unpack(start);
    [0usize, 2, 1]
        .iter()
        .filter_map(|&s| {
            SHAPES
                .get(s)
                .and_then(|shape| smallest_at_least(shape, unpacked))
        })
        .map(pack)
        .find(|&p| p < end)
        .and_then(ProcedureCode::from_packed)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn code(s: &str) -> ProcedureCode {
        ProcedureCode::parse(s).unwrap()
    }

    #[test]
    fn preferred_code_skips_impossible_strings_and_prefers_familiar_shapes() {
        let all = |c: &str| preferred_code_in(code(c).packed(), CODE_SPACE);
        assert_eq!(all("70450"), Some(code("70450")));
        assert_eq!(preferred_code_in(0, CODE_SPACE), Some(code("00000")));
        // One past 70498 is 70499; one past 9999U (packed) is the first HCPCS code.
        assert_eq!(
            preferred_code_in(code("70498").packed() + 1, CODE_SPACE),
            Some(code("70499"))
        );
        assert_eq!(
            preferred_code_in(code("9999U").packed() + 1, CODE_SPACE),
            Some(code("A0000"))
        );
        assert_eq!(
            preferred_code_in(code("Z9999").packed() + 1, CODE_SPACE),
            None
        );
        // A five-digit code after 0159T is preferred when the piece holds one...
        assert_eq!(all("0159T"), Some(code("01600")));
        // ... and 0159T itself when it is alone in its piece.
        let p = code("0159T").packed();
        assert_eq!(preferred_code_in(p, p + 1), Some(code("0159T")));
    }

    #[test]
    fn same_shape_steps() {
        assert_eq!(same_shape_step(code("70450"), -1), Some(code("70449")));
        assert_eq!(same_shape_step(code("0159T"), 1), Some(code("0160T")));
        assert_eq!(same_shape_step(code("G0288"), 1), Some(code("G0289")));
        assert_eq!(same_shape_step(code("00000"), -1), None);
    }

    #[test]
    fn diagnosis_neighbours() {
        assert_eq!(step_prefix(b"Q65", -1), Some(b"Q64".to_vec()));
        assert_eq!(
            full_diagnosis(b"S422").map(|d| d.to_string()),
            Some("S42.2".into())
        );
        assert_eq!(
            full_diagnosis(b"M").map(|d| d.to_string()),
            Some("M00".into())
        );
    }
}
