//! A per-line memo of table lookups.
//!
//! Rules of one line often repeat a lookup (`mue[line.code]` in several MUE rules, the same PTP
//! pair in two PTP rules); a lookup into a 2-million-row PTP table costs a hash probe and a scan
//! of the pair's history, so results are kept for the line in a small round-robin memo on the
//! stack. Only the first `len` entries are meaningful, and the entries are set up on the first
//! lookup: a claim whose rules read no table (the 3D rules) pays one word for the memo rather
//! than an initialised array of entries.

use std::cell::{Cell, OnceCell};

/// What identifies a table lookup on one line.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct MemoKey {
    /// The table (its address: one slot per declared table).
    pub table: usize,
    /// The field, or `u8::MAX` for a row-exists test.
    pub field: u8,
    /// Packed key codes (`u32::MAX` for an absent second key).
    pub codes: [u32; 2],
    /// Days since the epoch of the date the lookup is made for.
    pub day: i32,
}

const NO_KEY: (MemoKey, Option<i64>) = (
    MemoKey {
        table: 0,
        field: 0,
        codes: [0; 2],
        day: 0,
    },
    None,
);

const MEMO_SIZE: usize = 8;

/// The memo of one line: its entries once a lookup has been made.
#[derive(Default)]
pub struct LookupMemo {
    slots: OnceCell<Slots>,
}

struct Slots {
    entries: [Cell<(MemoKey, Option<i64>)>; MEMO_SIZE],
    len: Cell<usize>,
    next: Cell<usize>,
}

impl Default for Slots {
    #[inline]
    fn default() -> Self {
        Self {
            entries: [const { Cell::new(NO_KEY) }; MEMO_SIZE],
            len: Cell::new(0),
            next: Cell::new(0),
        }
    }
}

impl LookupMemo {
    /// Forgets every entry (for the next line).
    #[inline]
    pub(super) fn clear(&mut self) {
        if let Some(slots) = self.slots.get_mut() {
            slots.len.set(0);
            slots.next.set(0);
        }
    }

    /// The value memoised for `key`: `Some(value)` when the lookup was made.
    #[inline]
    pub(super) fn get(&self, key: &MemoKey) -> Option<Option<i64>> {
        let slots = self.slots.get()?;
        slots
            .entries
            .iter()
            .take(slots.len.get())
            .map(Cell::get)
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Keeps `value` for `key`, over the oldest entry once the memo is full.
    #[inline]
    pub(super) fn put(&self, key: MemoKey, value: Option<i64>) {
        let slots = self.slots.get_or_init(Slots::default);
        let i = slots.next.get();
        if let Some(slot) = slots.entries.get(i) {
            slot.set((key, value));
        }
        slots.next.set((i + 1) % MEMO_SIZE);
        slots.len.set((slots.len.get() + 1).min(MEMO_SIZE));
    }
}
