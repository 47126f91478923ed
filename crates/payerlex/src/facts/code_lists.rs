//! Is a CARC or RARC on the published X12 code list?
//!
//! `Carc::parse` and `Rarc::parse` check the shape of a code only, so a policy that names a code
//! of the right shape that X12 never published (`carc 309`, `rarc N99`) or has retired
//! (`carc 125`, `rarc M33`) would compile and then put that code on every denial it makes. The
//! checker asks these functions once per code named in a policy, never per claim.
//!
//! The lists are data, not Rust: `code_lists/carc.txt` (X12 external code list 139) and
//! `code_lists/rarc.txt` (list 411) hold the codes in effect on the date in their header, one a
//! line, and never X12's descriptions. `include_str!` puts them in the binary, so the engine reads
//! no files at run time and a list update is a reviewable text diff (how to update:
//! `code_lists/README.md`, `scripts/update-code-lists.sh`).
//!
//! Each list is parsed on first use into a slice sorted by ASCII case-insensitive order and kept
//! in a `OnceLock`; a lookup is then a binary search that compares bytes without allocating.
//! Roughly 1,400 short codes do not warrant a build script or a perfect-hash crate.

use std::cmp::Ordering;
use std::sync::OnceLock;

/// The CARC list text: `#` comment lines, then one code a line.
const CARC_LIST: &str = include_str!("code_lists/carc.txt");
/// The RARC list text: `#` comment lines, then one code a line.
const RARC_LIST: &str = include_str!("code_lists/rarc.txt");

/// Whether `code` is a claim adjustment reason code in effect on the published X12 list
/// (`97`, `B15`, `p1`; letters in any case). Retired and made-up codes answer `false`.
pub fn is_published_carc(code: &str) -> bool {
    static CARCS: OnceLock<Vec<&'static str>> = OnceLock::new();
    contains(CARCS.get_or_init(|| sorted_codes(CARC_LIST)), code)
}

/// Whether `code` is a remittance advice remark code in effect on the published X12 list
/// (`M15`, `MA130`, `n362`; letters in any case). `MA01` to `MA09` are published zero-padded, so
/// `MA1` answers `false`. Retired and made-up codes answer `false`.
pub fn is_published_rarc(code: &str) -> bool {
    static RARCS: OnceLock<Vec<&'static str>> = OnceLock::new();
    contains(RARCS.get_or_init(|| sorted_codes(RARC_LIST)), code)
}

/// The codes of a list text: every line that is neither blank nor a `#` comment, trimmed.
fn list_codes(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

fn sorted_codes(text: &'static str) -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = list_codes(text).collect();
    codes.sort_unstable_by(|a, b| compare_ignoring_case(a, b));
    codes.dedup_by(|a, b| compare_ignoring_case(a, b) == Ordering::Equal);
    codes
}

fn compare_ignoring_case(a: &str, b: &str) -> Ordering {
    let upper_a = a.bytes().map(|byte| byte.to_ascii_uppercase());
    let upper_b = b.bytes().map(|byte| byte.to_ascii_uppercase());
    upper_a.cmp(upper_b)
}

fn contains(sorted: &[&str], code: &str) -> bool {
    sorted
        .binary_search_by(|probe| compare_ignoring_case(probe, code))
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Codes the project relies on (domain primer, policies, the sanity list of the task).
    const KNOWN_CARCS: [&str; 25] = [
        "1", "2", "3", "4", "16", "18", "45", "50", "54", "59", "96", "97", "119", "151", "185",
        "197", "231", "234", "236", "A1", "B7", "B15", "B20", "P1", "P32",
    ];
    const KNOWN_RARCS: [&str; 10] = [
        "M15", "M80", "M144", "MA01", "MA130", "N20", "N122", "N362", "N657", "N940",
    ];

    #[test]
    fn known_codes_are_published() {
        for code in KNOWN_CARCS {
            assert!(is_published_carc(code), "CARC {code}");
        }
        for code in KNOWN_RARCS {
            assert!(is_published_rarc(code), "RARC {code}");
        }
    }

    #[test]
    fn letters_match_in_any_case() {
        for code in ["a1", "b15", "b20", "p1", "P32", "p32"] {
            assert!(is_published_carc(code), "CARC {code}");
        }
        for code in ["m15", "ma130", "Ma130", "mA01", "n362", "n657"] {
            assert!(is_published_rarc(code), "RARC {code}");
        }
    }

    #[test]
    fn made_up_codes_are_not_published() {
        for code in [
            "9T", "Z999", "N99999", "309", "0", "097", "B0", "", " 97", "97 ", "B15x",
        ] {
            assert!(!is_published_carc(code), "CARC {code:?}");
        }
        for code in [
            "N99999", "N9999", "MA1", "MA135", "M145", "N0", "X15", "", "n362 ",
        ] {
            assert!(!is_published_rarc(code), "RARC {code:?}");
        }
    }

    #[test]
    fn retired_codes_are_not_published() {
        // Deactivated on the X12 lists (see code_lists/README.md).
        for code in ["15", "17", "125", "A2", "B6", "D1", "W1", "Y1"] {
            assert!(!is_published_carc(code), "CARC {code}");
        }
        for code in ["M33", "MA03", "N14", "N793"] {
            assert!(!is_published_rarc(code), "RARC {code}");
        }
    }

    #[test]
    fn the_two_lists_do_not_answer_for_each_other() {
        assert!(!is_published_rarc("97"));
        assert!(!is_published_rarc("B15"));
        assert!(!is_published_carc("M15"));
        assert!(!is_published_carc("N20"));
    }

    /// A CARC is 1-3 digits without a leading zero, or a letter and 1-2 digits: what
    /// `Carc::parse` accepts.
    fn is_carc_shaped(code: &str) -> bool {
        let bytes = code.as_bytes();
        match bytes {
            [first, rest @ ..] if first.is_ascii_uppercase() => {
                (1..=2).contains(&rest.len()) && rest.iter().all(u8::is_ascii_digit)
            }
            [first, ..] => {
                *first != b'0'
                    && (1..=3).contains(&bytes.len())
                    && bytes.iter().all(u8::is_ascii_digit)
            }
            [] => false,
        }
    }

    /// A RARC is `M`, `MA` or `N` and 1-3 digits: what `Rarc::parse` accepts. Should X12 ever
    /// publish `N1000`, this fails and `Rarc::parse` must learn a fourth digit too.
    fn is_rarc_shaped(code: &str) -> bool {
        let digits = code
            .strip_prefix("MA")
            .or_else(|| code.strip_prefix('M'))
            .or_else(|| code.strip_prefix('N'));
        digits.is_some_and(|digits| {
            (1..=3).contains(&digits.len()) && digits.bytes().all(|byte| byte.is_ascii_digit())
        })
    }

    /// Checks one list file: comments first, then only code lines, each shaped like a code,
    /// upper case, without spaces or duplicates, in the order the update script writes.
    fn check_list_file(name: &str, text: &str, shaped: fn(&str) -> bool, at_least: usize) {
        let mut lines = text.lines().peekable();
        let mut comments = 0;
        while lines.next_if(|line| line.starts_with('#')).is_some() {
            comments += 1;
        }
        assert!(
            comments > 0,
            "{name}: starts with a `#` header naming source and date"
        );
        let codes: Vec<&str> = lines.collect();
        for code in &codes {
            assert!(
                shaped(code),
                "{name}: line {code:?} is not shaped like a code"
            );
        }
        assert!(
            codes.len() >= at_least,
            "{name}: {} codes, expected at least {at_least}",
            codes.len()
        );
        for pair in codes.windows(2) {
            assert!(
                natural_key(pair[0]) < natural_key(pair[1]),
                "{name}: {} then {} is out of order or repeated",
                pair[0],
                pair[1]
            );
        }
    }

    /// The order of the list files: codes without letters first, then by letters and number.
    fn natural_key(code: &str) -> (bool, &str, u32) {
        let letters_end = code
            .bytes()
            .position(|byte| byte.is_ascii_digit())
            .unwrap_or(code.len());
        let (letters, digits) = code.split_at(letters_end);
        (
            !letters.is_empty(),
            letters,
            digits.parse().unwrap_or(u32::MAX),
        )
    }

    #[test]
    fn every_line_of_both_files_is_a_code_or_a_header_comment() {
        check_list_file("carc.txt", CARC_LIST, is_carc_shaped, 250);
        check_list_file("rarc.txt", RARC_LIST, is_rarc_shaped, 1000);
    }

    #[test]
    fn every_listed_code_is_found() {
        for code in list_codes(CARC_LIST) {
            assert!(is_published_carc(code), "CARC {code}");
            assert!(is_published_carc(&code.to_ascii_lowercase()), "CARC {code}");
        }
        for code in list_codes(RARC_LIST) {
            assert!(is_published_rarc(code), "RARC {code}");
            assert!(is_published_rarc(&code.to_ascii_lowercase()), "RARC {code}");
        }
    }

    #[test]
    fn shape_checks_reject_what_they_should() {
        for bad in ["", "0", "01", "1514", "9T", "BB1", "B123", "b15"] {
            assert!(!is_carc_shaped(bad), "{bad:?}");
        }
        for bad in ["", "M", "MA", "N1000", "X15", "m15", "MB1"] {
            assert!(!is_rarc_shaped(bad), "{bad:?}");
        }
    }
}
