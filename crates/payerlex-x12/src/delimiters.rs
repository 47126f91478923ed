//! The delimiters an interchange declares in its fixed-length ISA segment.
//!
//! X12 has no fixed delimiters: the ISA segment is exactly 106 characters with its sixteen
//! elements at fixed offsets, so the element separator is its 4th character, the component
//! separator its 105th and the segment terminator its 106th (and, from version 00501, the
//! repetition separator its 83rd). Reading the ISA by position, not by splitting, is what lets
//! a reader accept `*:~`, `~^_`, `|>\n` or anything else a sender picked, and is how a damaged
//! ISA (a padded field one character short) is caught before anything is misread.

use crate::error::{ErrorKind, Shown, X12Error};

/// Length of an ISA segment including its terminator.
pub const ISA_LEN: usize = 106;

/// Offsets of the 16 element separators in an ISA segment (ISA01 starts after the first).
const SEPARATOR_OFFSETS: [usize; 16] = [
    3, 6, 17, 20, 31, 34, 50, 53, 69, 76, 81, 83, 89, 99, 101, 103,
];

/// Fixed width of each ISA element, to name the one that is off.
const ELEMENT_WIDTHS: [usize; 16] = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1];

/// An interchange's delimiters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delimiters {
    /// Element separator (ISA 4th character, usually `*`).
    pub element: u8,
    /// Component (sub-element) separator (ISA16, usually `:`).
    pub component: u8,
    /// Repetition separator (ISA11 from version 00501, usually `^`), when declared.
    pub repetition: Option<u8>,
    /// Segment terminator (the character after ISA16, usually `~`).
    pub segment: u8,
}

impl Default for Delimiters {
    fn default() -> Self {
        Self {
            element: b'*',
            component: b':',
            repetition: Some(b'^'),
            segment: b'~',
        }
    }
}

fn envelope(problem: String) -> X12Error {
    let mut error = X12Error::new(ErrorKind::Envelope, problem);
    error.at.segment_id = Some("ISA".to_owned());
    error
}

/// A byte that cannot be a delimiter: letters, digits and space occur in ISA values.
fn unusable(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b' '
}

impl Delimiters {
    /// Reads the delimiters of the ISA segment at the start of `input`, checking that it has
    /// the fixed ISA shape.
    pub fn from_isa(input: &[u8]) -> Result<Self, X12Error> {
        if !input.starts_with(b"ISA") {
            return Err(envelope(
                "the interchange does not start with an ISA segment".to_owned(),
            ));
        }
        if input.len() < ISA_LEN {
            return Err(envelope(format!(
                "the ISA segment is cut short: an ISA is {ISA_LEN} characters, the input has {}",
                input.len()
            )));
        }
        let element = input[3];
        if unusable(element) {
            return Err(envelope(format!(
                "ISA element separator {} is a letter, digit or space",
                Shown::Code(&[element]).render()
            ))
            .element(0, None));
        }
        for (index, &offset) in SEPARATOR_OFFSETS.iter().enumerate() {
            if input[offset] != element {
                let width = ELEMENT_WIDTHS
                    .get(index.wrapping_sub(1))
                    .copied()
                    .unwrap_or(0);
                return Err(envelope(format!(
                    "the ISA segment is not in its fixed 106-character layout: expected the element separator {} at character {} (ISA{:02} is {} characters wide)",
                    Shown::Code(&[element]).render(),
                    offset + 1,
                    index,
                    width
                ))
                .element(u8::try_from(index).unwrap_or(0), None));
            }
        }
        let stray = input[4..103]
            .iter()
            .enumerate()
            .find(|(i, &b)| b == element && !SEPARATOR_OFFSETS.contains(&(i + 4)));
        if let Some((i, _)) = stray {
            return Err(envelope(format!(
                "the ISA segment has an extra element separator at character {}",
                i + 5
            )));
        }
        let component = input[104];
        let segment = input[105];
        let repetition = input[82];
        let repetition = (!unusable(repetition)).then_some(repetition);
        if unusable(component) || component == element {
            return Err(envelope(format!(
                "ISA16 component separator {} must be a punctuation character other than the element separator",
                Shown::Code(&[component]).render()
            ))
            .element(16, None));
        }
        if segment == b' '
            || segment.is_ascii_alphanumeric()
            || segment == element
            || segment == component
        {
            return Err(envelope(format!(
                "segment terminator {} (after ISA16) must differ from the other delimiters and not be a letter, digit or space",
                Shown::Code(&[segment]).render()
            )));
        }
        let repetition = repetition.filter(|&r| r != element && r != component && r != segment);
        Ok(Self {
            element,
            component,
            repetition,
            segment,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISA: &[u8] = b"ISA*00*          *01*SECRET    *ZZ*SUBMITTERS.ID  *ZZ*RECEIVERS.ID   *030101*1253*U*00501*000000905*1*T*:~";

    #[test]
    fn reads_the_declared_delimiters() {
        let d = Delimiters::from_isa(ISA).unwrap_or_default();
        assert_eq!((d.element, d.component, d.segment), (b'*', b':', b'~'));
        assert_eq!(
            d.repetition, None,
            "ISA11 `U` is a standards id (4010 style)"
        );
        let other = ISA
            .iter()
            .map(|&b| match b {
                b'*' => b'|',
                b':' => b'>',
                b'~' => b'\n',
                b'U' => b'^',
                b => b,
            })
            .collect::<Vec<u8>>();
        let d = Delimiters::from_isa(&other);
        assert_eq!(
            d.map(|d| (d.element, d.component, d.repetition, d.segment)),
            Ok((b'|', b'>', Some(b'^'), b'\n'))
        );
    }

    #[test]
    fn names_the_isa_element_that_is_off() {
        let short = b"ISA*00*         *01*SECRET    *ZZ*SUBMITTERS.ID  *ZZ*RECEIVERS.ID   *030101*1253*U*00501*000000905*1*T*:~GS";
        let error = Delimiters::from_isa(short).err();
        let error = error.map(|e| (e.kind, e.problem));
        assert!(
            matches!(&error, Some((ErrorKind::Envelope, p)) if p.contains("character 18") && p.contains("ISA02 is 10")),
            "{error:?}"
        );
        assert!(Delimiters::from_isa(b"GS*HC").is_err());
        assert!(Delimiters::from_isa(&ISA[..50]).is_err());
    }
}
