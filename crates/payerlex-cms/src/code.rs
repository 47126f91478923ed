//! Procedure codes as fixed five-byte keys.
//!
//! Every CMS table in this crate is keyed by a CPT or HCPCS Level II code. Holding the code as
//! `[u8; 5]` instead of a `String` keeps lookups allocation-free and the tables compact (the
//! practitioner PTP table has millions of pairs), and gives one canonical spelling: uppercase
//! ASCII, so `g0463` and `G0463` are the same key.

/// A procedure code as five uppercase ASCII bytes: CPT Category I (`76377`), Category II/III and
/// PLA (`0159T`, `0001U`), or HCPCS Level II (`G0463`).
pub type CodeKey = [u8; 5];

/// Validates and canonicalises a procedure code: exactly five characters, each `0-9` or a
/// letter (lowercase letters are accepted and uppercased). No trimming: callers trim cells.
///
/// ```
/// use payerlex_cms::code_key;
/// assert_eq!(code_key("76377"), Some(*b"76377"));
/// assert_eq!(code_key("g0463"), Some(*b"G0463"));
/// assert_eq!(code_key("7637"), None);
/// assert_eq!(code_key("76377 "), None);
/// ```
pub fn code_key(s: &str) -> Option<CodeKey> {
    code_key_bytes(s.as_bytes())
}

/// [`code_key`] over raw bytes (as read from a Latin-1 table), for loaders that never build a
/// `str` for a cell.
pub fn code_key_bytes(b: &[u8]) -> Option<CodeKey> {
    let arr: [u8; 5] = b.try_into().ok()?;
    let mut out = [0u8; 5];
    for (o, c) in out.iter_mut().zip(arr) {
        if !c.is_ascii_alphanumeric() {
            return None;
        }
        *o = c.to_ascii_uppercase();
    }
    Some(out)
}

/// The code as text. Keys built by [`code_key`] are always ASCII; a hand-built key that is not
/// valid UTF-8 shows as `"?????"` rather than panicking.
pub fn code_str(key: &CodeKey) -> &str {
    std::str::from_utf8(key).unwrap_or("?????")
}

/// Packs a valid code into 26 bits (base 36), so that a PTP pair fits in one `u64` hash key.
/// Returns `None` for a key that [`code_key`] would not have produced.
pub(crate) fn pack(key: &CodeKey) -> Option<u32> {
    let mut v: u32 = 0;
    for &c in key {
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'A'..=b'Z' => c - b'A' + 10,
            _ => return None,
        };
        v = v * 36 + u32::from(d);
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_code_shapes_in_use() {
        for c in ["76377", "0159T", "0001U", "G0463", "C8900", "99213"] {
            assert_eq!(
                code_key(c).map(|k| code_str(&k).to_owned()),
                Some(c.to_owned())
            );
        }
    }

    #[test]
    fn uppercases_and_rejects_bad_shapes() {
        assert_eq!(code_key("0159t"), Some(*b"0159T"));
        for bad in [
            "",
            "7637",
            "763777",
            " 7637",
            "76-77",
            "7637\u{e9}",
            "ABCDÉ",
        ] {
            assert_eq!(code_key(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn pack_is_injective_on_examples() {
        let a = pack(b"00000");
        let b = pack(b"ZZZZZ");
        assert_eq!(a, Some(0));
        assert_eq!(b, Some(36u32.pow(5) - 1));
        assert_ne!(pack(b"76376"), pack(b"76377"));
        assert_eq!(pack(b"7637a"), None);
    }
}
