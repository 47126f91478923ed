//! Base-36 digits: `0`-`9` are 0-9, `A`-`Z` are 10-35.
//!
//! Procedure codes (five characters) and modifiers (two) are strings over `[0-9A-Z]`; packing
//! them base 36 into an integer keeps their text order (digits sort before letters in ASCII as
//! in the digit values), so sets of codes become integer ranges and a code or modifier is a
//! `Copy` integer. Every packer and printer in the workspace goes through these two functions,
//! so they cannot disagree about the alphabet.

/// Number of digits.
pub const RADIX: u32 = 36;

/// The value of one digit (`0`-`9`, `A`-`Z`, lower case accepted), `None` for any other byte.
#[inline]
pub fn digit(byte: u8) -> Option<u8> {
    match byte.to_ascii_uppercase() {
        b @ b'0'..=b'9' => Some(b - b'0'),
        b @ b'A'..=b'Z' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The uppercase ASCII digit of `value % 36`.
#[inline]
pub fn symbol(value: u32) -> u8 {
    // `value % RADIX` is below 36, so the cast cannot truncate.
    let v = (value % RADIX) as u8;
    if v < 10 {
        b'0' + v
    } else {
        b'A' + v - 10
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_and_symbols_are_inverse_and_ordered() {
        let alphabet = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        for (value, &byte) in alphabet.iter().enumerate() {
            assert_eq!(digit(byte), Some(value as u8));
            assert_eq!(digit(byte.to_ascii_lowercase()), Some(value as u8));
            assert_eq!(symbol(value as u32), byte);
        }
        assert_eq!(symbol(36), b'0');
        for bad in [b'-', b' ', b'/', b'[', 0xC9] {
            assert_eq!(digit(bad), None);
        }
    }
}
