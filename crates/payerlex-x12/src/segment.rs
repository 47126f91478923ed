//! One segment, borrowed from the input: its id, elements and components.
//!
//! A segment is a slice of the input plus the interchange's delimiters; elements and
//! components are found by scanning that slice when asked for, so reading a segment allocates
//! nothing. Segments are short (an SV1 is ~40 bytes), so scanning on demand costs less than
//! building an index of element offsets for every segment, most of which are never read.

use crate::delimiters::Delimiters;

/// A segment id packed into an integer (`b"SV1"` -> `0x53_56_31`), so the loop tables compare
/// integers, not strings.
pub(crate) type SegmentId = u32;

/// Packs a 2-3 character segment id.
pub(crate) const fn pack_id(id: &[u8]) -> SegmentId {
    let mut packed = 0u32;
    let mut i = 0;
    while i < id.len() && i < 3 {
        packed = (packed << 8) | id[i] as u32;
        i += 1;
    }
    packed
}

/// One segment of an interchange.
#[derive(Debug, Clone, Copy)]
pub struct Segment<'a> {
    raw: &'a [u8],
    id_len: usize,
    delimiters: Delimiters,
    offset: usize,
}

impl<'a> Segment<'a> {
    /// A segment over `raw` (without its terminator) whose id is `raw[..id_len]`.
    pub(crate) fn new(raw: &'a [u8], id_len: usize, delimiters: Delimiters, offset: usize) -> Self {
        Self {
            raw,
            id_len,
            delimiters,
            offset,
        }
    }

    /// The segment id (`NM1`).
    pub fn id(&self) -> &'a [u8] {
        &self.raw[..self.id_len.min(self.raw.len())]
    }

    /// The id as text (ids are checked to be ASCII letters and digits).
    pub fn id_str(&self) -> &'a str {
        std::str::from_utf8(self.id()).unwrap_or("")
    }

    pub(crate) fn packed_id(&self) -> SegmentId {
        pack_id(self.id())
    }

    /// Byte offset of the segment in the input.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The delimiters in force for this segment.
    pub fn delimiters(&self) -> Delimiters {
        self.delimiters
    }

    /// Element `n` (1-based), `None` when the segment has fewer elements; an empty element is
    /// `Some(b"")`.
    pub fn element(&self, n: usize) -> Option<&'a [u8]> {
        if n == 0 {
            return Some(self.id());
        }
        let separator = self.delimiters.element;
        self.raw.split(move |&b| b == separator).nth(n)
    }

    /// Element `n`, `None` when absent or empty.
    pub fn value(&self, n: usize) -> Option<&'a [u8]> {
        self.element(n).filter(|e| !e.is_empty())
    }

    /// Component `m` (1-based) of composite element `n`, `None` when absent or empty.
    pub fn component(&self, n: usize, m: usize) -> Option<&'a [u8]> {
        let element = self.element(n)?;
        let separator = self.delimiters.component;
        element
            .split(move |&b| b == separator)
            .nth(m.checked_sub(1)?)
            .filter(|c| !c.is_empty())
    }

    /// The components of composite element `n` (empty when the element is absent).
    pub fn components(&self, n: usize) -> impl Iterator<Item = &'a [u8]> {
        let separator = self.delimiters.component;
        self.element(n)
            .filter(|e| !e.is_empty())
            .into_iter()
            .flat_map(move |e| e.split(move |&b| b == separator))
    }

    /// The elements after the id, in order (empty ones included).
    pub fn elements(&self) -> impl Iterator<Item = &'a [u8]> {
        let separator = self.delimiters.element;
        self.raw.split(move |&b| b == separator).skip(1)
    }

    /// How many elements follow the id.
    pub fn element_count(&self) -> usize {
        let separator = self.delimiters.element;
        memchr::memchr_iter(separator, self.raw).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_and_components_by_position() {
        let raw = b"SV1*HC:76377:26*100*UN*1*11**1:2";
        let segment = Segment::new(raw, 3, Delimiters::default(), 0);
        assert_eq!(segment.id(), b"SV1");
        assert_eq!(segment.element(1), Some(&b"HC:76377:26"[..]));
        assert_eq!(segment.component(1, 2), Some(&b"76377"[..]));
        assert_eq!(segment.component(1, 4), None);
        assert_eq!(segment.element(6), Some(&b""[..]));
        assert_eq!(segment.value(6), None);
        assert_eq!(segment.element(8), None);
        assert_eq!(
            segment.components(7).collect::<Vec<_>>(),
            vec![&b"1"[..], b"2"]
        );
        assert_eq!(segment.element_count(), 7);
        assert_eq!(pack_id(b"SV1"), 0x53_56_31);
    }
}
