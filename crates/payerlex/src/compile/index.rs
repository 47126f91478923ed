//! The trigger index: from a line's procedure code to the rules that can fire on it.
//!
//! Most rules start with `line.code in SET`; such a rule cannot fire on a line whose code is
//! outside SET, so it is not even looked at. The code space is cut at every boundary of every
//! trigger set; each segment holds the (ordered) rules whose trigger covers it, plus the rules
//! without a trigger. A lookup is one binary search.

use crate::facts::ProcedureCode;
use crate::ir::CodeSet;

/// Rule lists by code segment.
#[derive(Debug, Clone, Default)]
pub struct TriggerIndex {
    /// Segment starts (packed codes), ascending; segment `i` covers `[starts[i], starts[i+1])`.
    starts: Vec<u32>,
    /// For each segment, a `(offset, len)` slice of `rules`.
    segments: Vec<(u32, u32)>,
    /// Rules for codes before the first segment start (only the wildcard rules).
    before_first: (u32, u32),
    /// Flattened rule indices.
    rules: Vec<u32>,
}

impl TriggerIndex {
    /// Builds the index. `triggers[i]` is rule `i`'s trigger set, `None` for "any code".
    pub fn build(triggers: &[Option<CodeSet>]) -> Self {
        let mut starts: Vec<u32> = triggers
            .iter()
            .flatten()
            .flat_map(|set| {
                set.packed_ranges()
                    .iter()
                    .flat_map(|&(lo, hi)| [lo, hi.saturating_add(1)])
            })
            .collect();
        starts.sort_unstable();
        starts.dedup();
        let mut index = Self::default();
        let wildcard: Vec<u32> = (0..triggers.len())
            .filter(|&i| triggers[i].is_none())
            .map(|i| i as u32)
            .collect();
        index.before_first = index.intern(&wildcard);
        for &start in &starts {
            let list: Vec<u32> = triggers
                .iter()
                .enumerate()
                .filter(|(_, t)| match t {
                    None => true,
                    Some(set) => set.contains_packed(start),
                })
                .map(|(i, _)| i as u32)
                .collect();
            let slice = index.intern(&list);
            index.segments.push(slice);
        }
        index.starts = starts;
        index
    }

    /// Stores a list, reusing an identical earlier one.
    fn intern(&mut self, list: &[u32]) -> (u32, u32) {
        let len = list.len() as u32;
        let existing = self
            .segments
            .iter()
            .chain(std::iter::once(&self.before_first))
            .find(|&&(off, l)| {
                l == len && self.rules.get(off as usize..(off + l) as usize) == Some(list)
            });
        if let Some(&slice) = existing {
            return slice;
        }
        let offset = self.rules.len() as u32;
        self.rules.extend_from_slice(list);
        (offset, len)
    }

    /// Rules (indices, ascending) that may fire on a line with `code`.
    #[inline]
    pub fn rules_for(&self, code: ProcedureCode) -> &[u32] {
        let packed = code.packed();
        let i = self.starts.partition_point(|&s| s <= packed);
        let (off, len) = match i.checked_sub(1) {
            None => self.before_first,
            Some(seg) => self.segments.get(seg).copied().unwrap_or(self.before_first),
        };
        self.rules
            .get(off as usize..(off + len) as usize)
            .unwrap_or(&[])
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
    fn finds_triggered_and_wildcard_rules() {
        let three_d = CodeSet::from_ranges(vec![(code("76376"), code("76377"))]);
        let ct = CodeSet::from_ranges(vec![(code("70450"), code("70498"))]);
        let index = TriggerIndex::build(&[Some(three_d.clone()), None, Some(ct), Some(three_d)]);
        assert_eq!(index.rules_for(code("76377")), &[0, 1, 3]);
        assert_eq!(index.rules_for(code("70460")), &[1, 2]);
        assert_eq!(index.rules_for(code("99213")), &[1]);
        assert_eq!(index.rules_for(code("00100")), &[1]);
        assert_eq!(index.rules_for(code("76378")), &[1]);
    }
}
