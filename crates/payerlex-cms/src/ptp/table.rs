//! The PTP table's storage and lookups.
//!
//! Built for the full national table (millions of rows): a hash map from the pair (two packed
//! codes in one `u64`, hashed with the crate's integer mixer) to the pair's periods, the common
//! single row inline and duplicates in a side vector; each period is 12 bytes (two dates, the
//! interned rationale, the indicator, the 1996 flag). A set of the codes that are ever column 2
//! answers [`PtpTable::has_column2`] without touching the map. Lookups take the claim's
//! [`ProcedureCode`] and [`Date`] as they are: the pair key is the two packed integers, the
//! dates compare as day numbers.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use payerlex_types::{base36, Date, ProcedureCode};

use super::{ModifierIndicator, PtpEdit};
use crate::fasthash::MixState;

/// One row's dates and indicator, packed to 12 bytes.
#[derive(Clone, Copy, Debug)]
pub(super) struct Period {
    pub effective: Date,
    /// [`Date::MAX`] = open (`*`).
    pub deletion: Date,
    pub rationale: u16,
    pub indicator: ModifierIndicator,
    pub prior_1996: bool,
}

impl Period {
    fn in_force(&self, dos: Date) -> bool {
        self.effective <= dos && dos <= self.deletion
    }
}

/// A pair's rows: the common single row inline, duplicates in a side vector.
#[derive(Clone, Copy, Debug)]
enum Slot {
    One(Period),
    Many(u32),
}

/// A whole PTP table (practitioner or hospital; load the f1-f4 parts into one table).
#[derive(Clone, Debug, Default)]
pub struct PtpTable {
    map: HashMap<u64, Slot, MixState>,
    multi: Vec<Vec<Period>>,
    column2: HashSet<ProcedureCode, MixState>,
    pub(super) rationales: Vec<Arc<str>>,
    pub(super) rows: usize,
}

/// The map key of a pair: column 1's packed code above column 2's.
fn pair_key(col1: ProcedureCode, col2: ProcedureCode) -> u64 {
    u64::from(col1.packed()) << 32 | u64::from(col2.packed())
}

/// The code packed in the low 32 bits of `bits` (a half of a [`pair_key`]).
fn unpack(bits: u64) -> Option<ProcedureCode> {
    let mut text = [0u8; 5];
    let mut rest = bits & 0xFFFF_FFFF;
    for slot in text.iter_mut().rev() {
        *slot = base36::symbol((rest % u64::from(base36::RADIX)) as u32);
        rest /= u64::from(base36::RADIX);
    }
    ProcedureCode::parse_table_key(&text).filter(|c| u64::from(c.packed()) == bits & 0xFFFF_FFFF)
}

impl PtpTable {
    /// An empty table, to fill with [`PtpTable::add_bytes`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the rows of another table (one part file), remapping its rationale indices.
    pub(super) fn merge(&mut self, part: PtpTable) {
        if self.rows == 0 {
            *self = part;
            return;
        }
        let remap: Vec<u16> = part.rationales.iter().map(|r| self.intern_arc(r)).collect();
        for (key, slot) in &part.map {
            for p in part.slot_periods(slot) {
                let mut p = *p;
                p.rationale = remap.get(usize::from(p.rationale)).copied().unwrap_or(0);
                self.insert(*key, p);
            }
        }
        self.column2.extend(part.column2);
        self.rows += part.rows;
    }

    fn intern_arc(&mut self, r: &Arc<str>) -> u16 {
        if let Some(i) = self.rationales.iter().position(|x| x == r) {
            return u16::try_from(i).unwrap_or(u16::MAX);
        }
        self.rationales.push(r.clone());
        u16::try_from(self.rationales.len() - 1).unwrap_or(u16::MAX)
    }

    /// Room for `rows` more pairs, so a multi-million-row file never rehashes.
    pub(super) fn reserve(&mut self, rows: usize) {
        self.map.reserve(rows);
    }

    /// Adds one row of pair (`col1`, `col2`).
    pub(super) fn push(&mut self, col1: ProcedureCode, col2: ProcedureCode, p: Period) {
        self.insert(pair_key(col1, col2), p);
        if p.indicator != ModifierIndicator::NotApplicable {
            self.column2.insert(col2);
        }
        self.rows += 1;
    }

    fn insert(&mut self, key: u64, p: Period) {
        match self.map.entry(key) {
            Entry::Vacant(v) => {
                v.insert(Slot::One(p));
            }
            Entry::Occupied(mut o) => match *o.get() {
                Slot::One(first) => {
                    let idx = u32::try_from(self.multi.len()).unwrap_or(u32::MAX);
                    self.multi.push(vec![first, p]);
                    o.insert(Slot::Many(idx));
                }
                Slot::Many(i) => {
                    if let Some(v) = self.multi.get_mut(i as usize) {
                        v.push(p);
                    }
                }
            },
        }
    }

    fn slot_periods<'s>(&'s self, slot: &'s Slot) -> &'s [Period] {
        match slot {
            Slot::One(p) => std::slice::from_ref(p),
            Slot::Many(i) => self.multi.get(*i as usize).map_or(&[], Vec::as_slice),
        }
    }

    fn periods(&self, col1: ProcedureCode, col2: ProcedureCode) -> &[Period] {
        self.map
            .get(&pair_key(col1, col2))
            .map_or(&[], |s| self.slot_periods(s))
    }

    fn to_edit(&self, p: &Period) -> PtpEdit {
        PtpEdit {
            indicator: p.indicator,
            effective: p.effective,
            deletion: (p.deletion != Date::MAX).then_some(p.deletion),
            prior_to_1996: p.prior_1996,
            rationale: self
                .rationales
                .get(usize::from(p.rationale))
                .cloned()
                .unwrap_or_else(|| Arc::from("")),
        }
    }

    /// The edit of pair (`col1`, `col2`) in force on `dos`, if any. Indicator-9 rows are never
    /// returned. Among duplicate rows in force, the later deletion date wins (open first), then
    /// the later effective date, then indicator 0.
    pub fn edit(&self, col1: ProcedureCode, col2: ProcedureCode, dos: Date) -> Option<PtpEdit> {
        self.periods(col1, col2)
            .iter()
            .filter(|p| p.indicator != ModifierIndicator::NotApplicable && p.in_force(dos))
            .max_by_key(|p| {
                (
                    p.deletion,
                    p.effective,
                    p.indicator == ModifierIndicator::NotAllowed,
                )
            })
            .map(|p| self.to_edit(p))
    }

    /// Every row of the pair, whatever its dates and indicator, oldest first (for explaining a
    /// decision).
    pub fn history(&self, col1: ProcedureCode, col2: ProcedureCode) -> Vec<PtpEdit> {
        let mut v: Vec<PtpEdit> = self
            .periods(col1, col2)
            .iter()
            .map(|p| self.to_edit(p))
            .collect();
        v.sort_by_key(|e| (e.effective, e.deletion.unwrap_or(Date::MAX)));
        v
    }

    /// True if `code` is column 2 of at least one edit with indicator 0 or 1 (at any date): a
    /// code for which this is false can never be denied by a PTP edit, so the engine can skip it.
    pub fn has_column2(&self, code: ProcedureCode) -> bool {
        self.column2.contains(&code)
    }

    /// Number of rows read.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// True if no rows were read.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Number of distinct (column 1, column 2) pairs.
    pub fn pairs(&self) -> usize {
        self.map.len()
    }

    /// All distinct pairs (column 1, column 2), in no particular order.
    pub fn iter_pairs(&self) -> impl Iterator<Item = (ProcedureCode, ProcedureCode)> + '_ {
        self.map
            .keys()
            .filter_map(|&k| Some((unpack(k >> 32)?, unpack(k)?)))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn code(text: &str) -> ProcedureCode {
        ProcedureCode::parse(text).unwrap()
    }

    fn day(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn period(effective: &str, deletion: Option<&str>, indicator: ModifierIndicator) -> Period {
        Period {
            effective: day(effective),
            deletion: deletion.map_or(Date::MAX, day),
            rationale: 0,
            indicator,
            prior_1996: false,
        }
    }

    #[test]
    fn slot_is_compact() {
        assert!(std::mem::size_of::<Period>() <= 12);
        assert!(
            std::mem::size_of::<Slot>() <= 16,
            "{}",
            std::mem::size_of::<Slot>()
        );
    }

    #[test]
    fn pairs_round_trip_through_the_packed_key() {
        let mut t = PtpTable::new();
        let vaccine = ProcedureCode::parse_table_key(b"0001A").unwrap();
        for (a, b) in [(code("76377"), code("76376")), (code("G0463"), vaccine)] {
            t.push(
                a,
                b,
                period("2024-07-01", None, ModifierIndicator::NotAllowed),
            );
        }
        let mut pairs: Vec<_> = t.iter_pairs().collect();
        pairs.sort_unstable();
        assert_eq!(
            pairs,
            [(code("76377"), code("76376")), (code("G0463"), vaccine)]
        );
        assert!(t.has_column2(vaccine) && !t.has_column2(code("76377")));
        assert_eq!(unpack(u64::from(u32::MAX)), None);
    }

    #[test]
    fn duplicates_pick_the_latest_deletion_then_effective_then_indicator_0() {
        let (a, b) = (code("71275"), code("76376"));
        let mut t = PtpTable::new();
        t.push(
            a,
            b,
            period("2006-01-01", Some("2025-12-31"), ModifierIndicator::Allowed),
        );
        t.push(a, b, period("2024-07-01", None, ModifierIndicator::Allowed));
        t.push(
            a,
            b,
            period("2024-07-01", None, ModifierIndicator::NotAllowed),
        );
        t.push(
            a,
            b,
            period(
                "2025-01-01",
                Some("2025-01-01"),
                ModifierIndicator::NotApplicable,
            ),
        );
        let on = |d| t.edit(a, b, day(d)).map(|e| (e.indicator, e.deletion));
        assert_eq!(
            on("2025-01-01"),
            Some((ModifierIndicator::NotAllowed, None))
        );
        assert_eq!(
            on("2020-01-01"),
            Some((ModifierIndicator::Allowed, Some(day("2025-12-31"))))
        );
        assert_eq!(on("2005-12-31"), None);
        let history: Vec<Date> = t.history(a, b).iter().map(|e| e.effective).collect();
        assert_eq!(history.first(), Some(&day("2006-01-01")));
        assert_eq!((t.len(), t.pairs()), (4, 1));
        assert!(t.edit(b, a, day("2025-01-01")).is_none());
    }
}
