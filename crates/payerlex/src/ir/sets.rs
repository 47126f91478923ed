//! Resolved set values: code ranges, modifier bitsets, place masks, diagnosis prefixes,
//! phrase lists.
//!
//! They are built once, from validated literals, in the representation evaluation wants:
//! code sets are sorted, merged ranges (binary search), modifier sets are bitsets, places a
//! 128-bit mask. The compiled program shares them through `Arc`.

use crate::facts::{
    Diagnosis, Modifier, Modifiers, Npi, PlaceOfService, ProcedureCode, Taxonomy, MODIFIER_SPACE,
};

/// Procedure codes as sorted, disjoint, non-adjacent inclusive ranges of packed codes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct CodeSet {
    ranges: Vec<(u32, u32)>,
}

impl CodeSet {
    /// Builds a set from inclusive ranges (any order, overlaps allowed).
    pub fn from_ranges(mut ranges: Vec<(ProcedureCode, ProcedureCode)>) -> Self {
        ranges.sort();
        let mut merged: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
        for (lo, hi) in ranges {
            let (lo, hi) = (lo.packed(), hi.packed());
            match merged.last_mut() {
                Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
                _ => merged.push((lo, hi)),
            }
        }
        Self { ranges: merged }
    }

    /// Whether `code` is in the set.
    #[inline]
    pub fn contains(&self, code: ProcedureCode) -> bool {
        self.contains_packed(code.packed())
    }

    /// Whether the packed code `packed` (see [`ProcedureCode::packed`]) is in the set.
    #[inline]
    pub fn contains_packed(&self, packed: u32) -> bool {
        // Index of the first range whose end is >= packed.
        let i = self.ranges.partition_point(|&(_, hi)| hi < packed);
        self.ranges.get(i).is_some_and(|&(lo, _)| lo <= packed)
    }

    /// The merged ranges, as packed codes.
    pub fn packed_ranges(&self) -> &[(u32, u32)] {
        &self.ranges
    }

    /// The set of codes in either.
    pub fn union(&self, other: &CodeSet) -> CodeSet {
        let ranges = self
            .ranges
            .iter()
            .chain(&other.ranges)
            .filter_map(|&(lo, hi)| {
                Some((
                    ProcedureCode::from_packed(lo)?,
                    ProcedureCode::from_packed(hi)?,
                ))
            })
            .collect();
        CodeSet::from_ranges(ranges)
    }

    /// Whether any code is in both.
    pub fn intersects(&self, other: &CodeSet) -> bool {
        let (mut i, mut j) = (0, 0);
        while let (Some(a), Some(b)) = (self.ranges.get(i), other.ranges.get(j)) {
            if a.1 < b.0 {
                i += 1;
            } else if b.1 < a.0 {
                j += 1;
            } else {
                return true;
            }
        }
        false
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }
}

/// Modifiers as a bitset over the 1296 possible two-character modifiers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ModifierSet {
    bits: [u64; MODIFIER_SPACE.div_ceil(64)],
}

impl Default for ModifierSet {
    fn default() -> Self {
        Self {
            bits: [0; MODIFIER_SPACE.div_ceil(64)],
        }
    }
}

impl ModifierSet {
    /// Builds a set from modifiers.
    pub fn from_modifiers(modifiers: impl IntoIterator<Item = Modifier>) -> Self {
        let mut set = Self::default();
        for m in modifiers {
            let i = m.index();
            if let Some(word) = set.bits.get_mut(i / 64) {
                *word |= 1 << (i % 64);
            }
        }
        set
    }

    /// Whether `modifier` is in the set.
    #[inline]
    pub fn contains(&self, modifier: Modifier) -> bool {
        let i = modifier.index();
        self.bits
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// Whether any of a line's modifiers is in the set.
    #[inline]
    pub fn contains_any(&self, modifiers: &Modifiers) -> bool {
        modifiers.iter().any(|m| self.contains(m))
    }

    /// The members, in index order.
    pub fn members(&self) -> Vec<Modifier> {
        (0..MODIFIER_SPACE)
            .filter(|&i| {
                self.bits
                    .get(i / 64)
                    .is_some_and(|w| w & (1 << (i % 64)) != 0)
            })
            .filter_map(|i| {
                let (a, b) = (i / 36, i % 36);
                let ch = |v: usize| {
                    if v < 10 {
                        char::from(b'0' + v as u8)
                    } else {
                        char::from(b'A' + (v - 10) as u8)
                    }
                };
                Modifier::parse(&format!("{}{}", ch(a), ch(b))).ok()
            })
            .collect()
    }
}

/// Places of service as a 128-bit mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PlaceSet {
    mask: u128,
}

impl PlaceSet {
    /// Builds a set from places.
    pub fn from_places(places: impl IntoIterator<Item = PlaceOfService>) -> Self {
        let mask = places
            .into_iter()
            .fold(0u128, |m, p| m | (1u128 << p.number()));
        Self { mask }
    }

    /// Whether `place` is in the set.
    #[inline]
    pub fn contains(&self, place: PlaceOfService) -> bool {
        self.mask & (1u128 << place.number()) != 0
    }

    #[cfg(feature = "testing")]
    /// The members, ascending.
    pub fn members(&self) -> Vec<PlaceOfService> {
        (0u8..100)
            .filter(|n| self.mask & (1u128 << n) != 0)
            .filter_map(|n| PlaceOfService::parse(&format!("{n:02}")).ok())
            .collect()
    }
}

/// Diagnosis categories: prefixes and prefix ranges (`S02`, `Q65..Q76`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct DiagnosisSet {
    prefixes: Vec<Diagnosis>,
    ranges: Vec<(Diagnosis, Diagnosis)>,
}

impl DiagnosisSet {
    /// Builds a set.
    pub fn new(prefixes: Vec<Diagnosis>, ranges: Vec<(Diagnosis, Diagnosis)>) -> Self {
        Self { prefixes, ranges }
    }

    /// Whether `diagnosis` falls under a prefix or a range (compared on the range ends' length).
    pub fn contains(&self, diagnosis: &Diagnosis) -> bool {
        self.prefixes.iter().any(|p| diagnosis.starts_with(p))
            || self.ranges.iter().any(|(lo, hi)| {
                let code = diagnosis.normalized();
                let head = &code[..lo.normalized().len().min(code.len())];
                lo.normalized() <= head && head <= hi.normalized()
            })
    }

    #[cfg(feature = "testing")]
    /// Single prefixes.
    pub fn prefixes(&self) -> &[Diagnosis] {
        &self.prefixes
    }

    #[cfg(feature = "testing")]
    /// Prefix ranges.
    pub fn ranges(&self) -> &[(Diagnosis, Diagnosis)] {
        &self.ranges
    }
}

/// Provider taxonomy codes (specialties), sorted for binary search.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct TaxonomySet {
    codes: Vec<Taxonomy>,
}

impl TaxonomySet {
    /// Builds a set.
    pub fn new(mut codes: Vec<Taxonomy>) -> Self {
        codes.sort_unstable();
        codes.dedup();
        Self { codes }
    }

    /// Whether `code` is in the set.
    #[inline]
    pub fn contains(&self, code: Taxonomy) -> bool {
        self.codes.binary_search(&code).is_ok()
    }

    /// The members, sorted.
    #[cfg(feature = "testing")]
    pub fn members(&self) -> &[Taxonomy] {
        &self.codes
    }
}

/// National Provider Identifiers, sorted for binary search.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct NpiSet {
    npis: Vec<Npi>,
}

impl NpiSet {
    /// Builds a set.
    pub fn new(mut npis: Vec<Npi>) -> Self {
        npis.sort_unstable();
        npis.dedup();
        Self { npis }
    }

    /// Whether `npi` is in the set.
    #[inline]
    pub fn contains(&self, npi: Npi) -> bool {
        self.npis.binary_search(&npi).is_ok()
    }

    /// The members, sorted.
    #[cfg(feature = "testing")]
    pub fn members(&self) -> &[Npi] {
        &self.npis
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn code(s: &str) -> ProcedureCode {
        ProcedureCode::parse(s).unwrap()
    }

    #[test]
    fn code_sets_merge_and_search() {
        let set = CodeSet::from_ranges(vec![
            (code("70450"), code("70498")),
            (code("70499"), code("70500")),
            (code("76377"), code("76377")),
        ]);
        assert_eq!(set.packed_ranges().len(), 2);
        assert!(set.contains(code("70450")));
        assert!(set.contains(code("70500")));
        assert!(set.contains(code("76377")));
        assert!(!set.contains(code("76376")));
        assert!(!set.contains(code("70449")));
    }

    #[test]
    fn diagnosis_ranges_compare_on_prefix_length() {
        let set = DiagnosisSet::new(
            vec![Diagnosis::parse_prefix("S42.2").unwrap()],
            vec![(
                Diagnosis::parse_prefix("Q65").unwrap(),
                Diagnosis::parse_prefix("Q67").unwrap(),
            )],
        );
        assert!(set.contains(&Diagnosis::parse("Q66.89").unwrap()));
        assert!(set.contains(&Diagnosis::parse("S42.201A").unwrap()));
        assert!(!set.contains(&Diagnosis::parse("S42.3").unwrap()));
        assert!(!set.contains(&Diagnosis::parse("Q68.0").unwrap()));
    }
}
