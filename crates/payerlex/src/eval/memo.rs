//! A per-line memo of table lookups.
//!
//! Rules of one line often repeat a lookup (`mue[line.code]` in several MUE rules, the same PTP
//! pair in two PTP rules); a lookup into a 2-million-row PTP table costs a hash probe and a scan
//! of the pair's history, so results are kept for the line in a small round-robin memo on the
//! stack. Only the first `len` entries are meaningful, so creating one costs two words, not a
//! cleared array.

use std::cell::Cell;

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

/// The memo of one line.
pub struct LookupMemo {
    entries: [Cell<(MemoKey, Option<i64>)>; MEMO_SIZE],
    len: Cell<usize>,
    next: Cell<usize>,
}

impl Default for LookupMemo {
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
        self.len.set(0);
        self.next.set(0);
    }

    #[inline]
    pub(super) fn get(&self, key: &MemoKey) -> Option<Option<i64>> {
        self.entries
            .iter()
            .take(self.len.get())
            .map(Cell::get)
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    #[inline]
    pub(super) fn put(&self, key: MemoKey, value: Option<i64>) {
        let i = self.next.get();
        if let Some(slot) = self.entries.get(i) {
            slot.set((key, value));
        }
        self.next.set((i + 1) % MEMO_SIZE);
        self.len.set((self.len.get() + 1).min(MEMO_SIZE));
    }
}
