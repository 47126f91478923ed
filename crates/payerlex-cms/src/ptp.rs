//! NCCI procedure-to-procedure (PTP) edits: code pairs not paid together for the same patient,
//! provider and date of service.
//!
//! Layout, as CMS publishes the practitioner and hospital tables (`ccipra-v321r0-f1.txt` ...,
//! tab-delimited, Latin-1, CRLF): a few notice lines (AMA copyright, `Column1/Column2 Edits`),
//! a header line starting `Column 1<TAB>Column 2<TAB>*=in existence<TAB>Effective<TAB>Deletion
//! <TAB>Modifier<TAB>PTP Edit Rationale` that wraps over the next lines (`prior to 1996`,
//! `Date`, `0=not allowed` ... in later cells), then one row per edit:
//!
//! ```text
//! column 1 <TAB> column 2 <TAB> "*" or blank <TAB> YYYYMMDD <TAB> YYYYMMDD or "*" <TAB> 0|1|9 <TAB> rationale
//! ```
//!
//! Shape checks: the first row whose first cell is a code must come after a line naming
//! `Column 1` and `Column 2` (spaces and case ignored); lines before it are notice or header;
//! after it every non-blank line must be a valid row. Older releases without the rationale
//! column (six cells) are accepted.
//!
//! Semantics:
//! - In force on a date of service when `effective <= DOS <= deletion` (CMS's deletion date is
//!   the last day the edit applies, e.g. `20231231` at the end of a quarter); `*` = open.
//! - Modifier indicator 0: never together, column 2 denied. 1: column 2 allowed only with an
//!   NCCI-associated modifier ([`is_ncci_associated_modifier`]). 9: not applicable, a
//!   tombstone (deletion = effective) that never fires: [`PtpTable::edit`] never returns it.
//! - Duplicate pairs (real files have them): all rows are kept; [`PtpTable::edit`] returns the
//!   row in force on the DOS asked; if several are, the one with the later deletion date (open
//!   beats any date), then the later effective date, then indicator 0 over 1.
//!
//! Storage is built for the full national table (millions of rows): a hash map from the pair,
//! packed into one `u64`, to the pair's periods (12 bytes each, the common single row inline),
//! rationale texts interned, and a set of codes that are ever column 2 so that
//! [`PtpTable::has_column2`] lets the engine skip codes that can never be denied by PTP.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use crate::code::{code_key_bytes, pack, CodeKey};
use crate::date::Ymd;
use crate::error::{decode_latin1, read_path, TableError};
use crate::fasthash::MixState;

/// PTP modifier indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ModifierIndicator {
    /// 0: no modifier allows the pair; column 2 is denied.
    NotAllowed = 0,
    /// 1: an NCCI-associated modifier allows the pair.
    Allowed = 1,
    /// 9: the edit does not apply (deleted back to its effective date).
    NotApplicable = 9,
}

impl ModifierIndicator {
    /// The digit CMS writes.
    pub fn number(self) -> u8 {
        self as u8
    }

    fn parse(b: &[u8]) -> Option<Self> {
        match b {
            b"0" => Some(ModifierIndicator::NotAllowed),
            b"1" => Some(ModifierIndicator::Allowed),
            b"9" => Some(ModifierIndicator::NotApplicable),
            _ => None,
        }
    }
}

impl fmt::Display for ModifierIndicator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number())
    }
}

/// True for the NCCI-associated modifiers that may bypass an indicator-1 PTP edit: E1-E4, FA,
/// F1-F9, TA, T1-T9, LT, RT, LC, LD, RC, LM, RI, 24, 25, 27, 57, 58, 59, 78, 79, 91, XE, XS,
/// XP, XU. Case and surrounding spaces are ignored. 22, 76 and 77 are not among them: they
/// never bypass a PTP edit.
pub fn is_ncci_associated_modifier(m: &str) -> bool {
    let b = m.trim().as_bytes();
    let [a, c] = b else { return false };
    matches!(
        (a.to_ascii_uppercase(), c.to_ascii_uppercase()),
        (b'E', b'1'..=b'4')
            | (b'F' | b'T', b'A' | b'1'..=b'9')
            | (b'L', b'T' | b'C' | b'D' | b'M')
            | (b'R', b'T' | b'C' | b'I')
            | (b'X', b'E' | b'S' | b'P' | b'U')
            | (b'2', b'4' | b'5' | b'7')
            | (b'5', b'7' | b'8' | b'9')
            | (b'7', b'8' | b'9')
            | (b'9', b'1')
    )
}

/// One PTP row, as returned by a lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PtpEdit {
    /// Modifier indicator (never [`ModifierIndicator::NotApplicable`] from [`PtpTable::edit`]).
    pub indicator: ModifierIndicator,
    /// First date the edit applies.
    pub effective: Ymd,
    /// Last date the edit applies; `None` = open (`*`).
    pub deletion: Option<Ymd>,
    /// The `*` "in existence prior to 1996" flag.
    pub prior_to_1996: bool,
    /// CMS's PTP edit rationale (e.g. "Misuse of column two code with column one code").
    pub rationale: Arc<str>,
}

impl PtpEdit {
    /// True if the edit is in force on `dos` (`effective <= dos <= deletion`).
    pub fn in_force_on(&self, dos: Ymd) -> bool {
        self.effective <= dos && self.deletion.map_or(true, |d| dos <= d)
    }

    /// True if the modifiers let the pair through: only for indicator 1, and only if one of
    /// them is NCCI-associated. Indicator 0 (and 9) is never bypassed.
    pub fn bypassed_by(&self, modifiers: &[&str]) -> bool {
        self.indicator == ModifierIndicator::Allowed
            && modifiers.iter().any(|m| is_ncci_associated_modifier(m))
    }
}

/// One row's dates and indicator, packed to 12 bytes.
#[derive(Clone, Copy, Debug)]
struct Period {
    effective: u32,
    /// `u32::MAX` = open.
    deletion: u32,
    rationale: u16,
    indicator: ModifierIndicator,
    prior_1996: bool,
}

impl Period {
    fn in_force(&self, dos: u32) -> bool {
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
    column2: HashSet<u32, MixState>,
    rationales: Vec<Arc<str>>,
    rows: usize,
}

fn pair_key(col1: &CodeKey, col2: &CodeKey) -> Option<u64> {
    Some(u64::from(pack(col1)?) << 32 | u64::from(pack(col2)?))
}

fn unpack(v: u32) -> CodeKey {
    let mut out = [b'0'; 5];
    let mut v = v;
    for o in out.iter_mut().rev() {
        let d = (v % 36) as u8;
        *o = if d < 10 { b'0' + d } else { b'A' + d - 10 };
        v /= 36;
    }
    out
}

fn trim(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &b[start..end.max(start)]
}

fn looks_like_data(line: &[u8]) -> bool {
    let first = line.split(|&c| c == b'\t').next().unwrap_or(&[]);
    line.contains(&b'\t') && code_key_bytes(trim(first)).is_some()
}

fn is_header(line: &[u8]) -> bool {
    let squashed: Vec<u8> = line
        .iter()
        .filter(|c| !c.is_ascii_whitespace())
        .map(u8::to_ascii_lowercase)
        .collect();
    let has = |needle: &[u8]| squashed.windows(needle.len()).any(|w| w == needle);
    has(b"column1") && has(b"column2")
}

/// Rationale texts seen so far, by their bytes in the file. Consecutive rows usually share a
/// rationale, so the last one is checked before hashing.
#[derive(Default)]
struct Interner<'a> {
    map: HashMap<&'a [u8], u16, MixState>,
    last: Option<(&'a [u8], u16)>,
}

impl<'a> Interner<'a> {
    fn get(&mut self, text: &'a [u8]) -> Option<u16> {
        match self.last {
            Some((t, i)) if t == text => Some(i),
            _ => {
                let i = *self.map.get(text)?;
                self.last = Some((text, i));
                Some(i)
            }
        }
    }

    fn insert(&mut self, text: &'a [u8], i: u16) {
        self.map.insert(text, i);
        self.last = Some((text, i));
    }
}

const EXPECTED_HEADER: &str =
    "a header line naming `Column 1` and `Column 2` before the first edit row";

impl PtpTable {
    /// An empty table, to fill with [`PtpTable::add_bytes`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses one PTP text file as CMS publishes it (see the module docs).
    pub fn from_bytes(bytes: &[u8], source_name: &str) -> Result<PtpTable, TableError> {
        let mut t = PtpTable::default();
        t.parse(bytes, source_name)?;
        Ok(t)
    }

    /// Reads and parses a PTP text file; errors name the path.
    pub fn from_path(path: impl AsRef<Path>) -> Result<PtpTable, TableError> {
        let (bytes, name) = read_path(path.as_ref())?;
        Self::from_bytes(&bytes, &name)
    }

    /// Adds one more file to the table (CMS splits the practitioner table into parts f1-f4).
    /// On error the table is unchanged. Returns the number of rows read.
    pub fn add_bytes(&mut self, bytes: &[u8], source_name: &str) -> Result<usize, TableError> {
        let part = PtpTable::from_bytes(bytes, source_name)?;
        let n = part.rows;
        self.merge(part);
        Ok(n)
    }

    /// [`PtpTable::add_bytes`] from a file.
    pub fn add_path(&mut self, path: impl AsRef<Path>) -> Result<usize, TableError> {
        let (bytes, name) = read_path(path.as_ref())?;
        self.add_bytes(&bytes, &name)
    }

    fn merge(&mut self, part: PtpTable) {
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

    fn parse(&mut self, bytes: &[u8], source_name: &str) -> Result<(), TableError> {
        let mut header_seen = false;
        let mut in_data = false;
        let mut interned = Interner::default();
        // One row per line: reserving up front avoids rehashing a multi-million-entry map.
        let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
        self.map.reserve(lines);
        let mut last_line = 0;
        for (idx, raw) in bytes.split(|&b| b == b'\n').enumerate() {
            let line_no = idx + 1;
            let line = raw.strip_suffix(b"\r").unwrap_or(raw);
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            last_line = line_no;
            if !in_data {
                if looks_like_data(line) {
                    if !header_seen {
                        return Err(TableError::shape(
                            source_name,
                            line_no,
                            &decode_latin1(line),
                            EXPECTED_HEADER,
                        ));
                    }
                    in_data = true;
                } else {
                    header_seen |= is_header(line);
                    continue;
                }
            }
            self.parse_row(line, line_no, source_name, &mut interned)?;
        }
        if !in_data {
            return Err(TableError::shape(
                source_name,
                last_line.max(1),
                if header_seen {
                    "no edit rows"
                } else {
                    "no header and no edit rows"
                },
                format!("{EXPECTED_HEADER}, then tab-delimited edit rows"),
            ));
        }
        Ok(())
    }

    fn parse_row<'a>(
        &mut self,
        line: &'a [u8],
        line_no: usize,
        source_name: &str,
        interned: &mut Interner<'a>,
    ) -> Result<(), TableError> {
        // Seven cells; six (no rationale) in older releases; trailing empty cells are tolerated.
        let mut cells: [&[u8]; 7] = [&[]; 7];
        let mut count = 0usize;
        let mut extra = false;
        for cell in line.split(|&b| b == b'\t') {
            match cells.get_mut(count) {
                Some(slot) => *slot = trim(cell),
                None => extra |= !trim(cell).is_empty(),
            }
            count += 1;
        }
        if count < 6 || extra {
            return Err(TableError::shape(
                source_name,
                line_no,
                &decode_latin1(line),
                "7 tab-separated cells: column 1, column 2, prior-to-1996 flag, effective date, \
                 deletion date, modifier indicator, rationale",
            ));
        }
        let bad = |column: &'static str, cell: &[u8], expected: &str| {
            TableError::field(source_name, line_no, column, &decode_latin1(cell), expected)
        };
        const CODE: &str = "a 5-character HCPCS/CPT code";
        let col1 = code_key_bytes(cells[0]).ok_or_else(|| bad("column 1 code", cells[0], CODE))?;
        let col2 = code_key_bytes(cells[1]).ok_or_else(|| bad("column 2 code", cells[1], CODE))?;
        let prior_1996 = match cells[2] {
            b"" => false,
            b"*" => true,
            other => return Err(bad("prior-to-1996 flag", other, "`*` or blank")),
        };
        let effective = Ymd::parse_compact_bytes(cells[3])
            .ok_or_else(|| bad("effective date", cells[3], "a date YYYYMMDD"))?;
        let deletion = match cells[4] {
            b"*" => u32::MAX,
            d => {
                Ymd::parse_compact_bytes(d)
                    .ok_or_else(|| bad("deletion date", d, "a date YYYYMMDD or `*`"))?
                    .0
            }
        };
        let indicator = ModifierIndicator::parse(cells[5])
            .ok_or_else(|| bad("modifier indicator", cells[5], "0, 1 or 9"))?;
        let rationale = match interned.get(cells[6]) {
            Some(i) => i,
            None => {
                let i = u16::try_from(self.rationales.len()).map_err(|_| {
                    bad(
                        "rationale",
                        cells[6],
                        "at most 65,536 distinct rationale texts",
                    )
                })?;
                self.rationales.push(Arc::from(decode_latin1(cells[6])));
                interned.insert(cells[6], i);
                i
            }
        };
        let (Some(key), Some(c2)) = (pair_key(&col1, &col2), pack(&col2)) else {
            return Err(bad("code pair", line, CODE));
        };
        self.insert(
            key,
            Period {
                effective: effective.0,
                deletion,
                rationale,
                indicator,
                prior_1996,
            },
        );
        if indicator != ModifierIndicator::NotApplicable {
            self.column2.insert(c2);
        }
        self.rows += 1;
        Ok(())
    }

    fn slot_periods<'s>(&'s self, slot: &'s Slot) -> &'s [Period] {
        match slot {
            Slot::One(p) => std::slice::from_ref(p),
            Slot::Many(i) => self.multi.get(*i as usize).map_or(&[], Vec::as_slice),
        }
    }

    fn periods(&self, col1: &CodeKey, col2: &CodeKey) -> &[Period] {
        pair_key(col1, col2)
            .and_then(|k| self.map.get(&k))
            .map_or(&[], |s| self.slot_periods(s))
    }

    fn to_edit(&self, p: &Period) -> PtpEdit {
        PtpEdit {
            indicator: p.indicator,
            effective: Ymd(p.effective),
            deletion: (p.deletion != u32::MAX).then_some(Ymd(p.deletion)),
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
    pub fn edit(&self, col1: &CodeKey, col2: &CodeKey, dos: Ymd) -> Option<PtpEdit> {
        self.periods(col1, col2)
            .iter()
            .filter(|p| p.indicator != ModifierIndicator::NotApplicable && p.in_force(dos.0))
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
    pub fn history(&self, col1: &CodeKey, col2: &CodeKey) -> Vec<PtpEdit> {
        let mut v: Vec<PtpEdit> = self
            .periods(col1, col2)
            .iter()
            .map(|p| self.to_edit(p))
            .collect();
        v.sort_by_key(|e| (e.effective, e.deletion.unwrap_or(Ymd(u32::MAX))));
        v
    }

    /// True if `code` is column 2 of at least one edit with indicator 0 or 1 (at any date): a
    /// code for which this is false can never be denied by a PTP edit, so the engine can skip it.
    pub fn has_column2(&self, code: &CodeKey) -> bool {
        pack(code).is_some_and(|c| self.column2.contains(&c))
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
    pub fn iter_pairs(&self) -> impl Iterator<Item = (CodeKey, CodeKey)> + '_ {
        self.map
            .keys()
            .map(|&k| (unpack((k >> 32) as u32), unpack((k & 0xFFFF_FFFF) as u32)))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const HEAD: &str =
        "CPT only copyright 2025 American Medical Association.  All rights reserved.\t\t\t\t\t\t\n\
        Column1/Column2 Edits\t\t\t\t\t\t\n\
        Column 1\tColumn 2\t*=in existence\tEffective\tDeletion\tModifier\tPTP Edit Rationale\n\
        \t\tprior to 1996\tDate\tDate\t0=not allowed\t\n\
        \t\t\t\t*=no data\t1=allowed\t\n\
        \t\t\t\t\t9=not applicable\t\n";

    fn table(rows: &str) -> PtpTable {
        PtpTable::from_bytes(format!("{HEAD}{rows}").as_bytes(), "t.txt").unwrap()
    }

    fn err(rows: &str) -> TableError {
        PtpTable::from_bytes(format!("{HEAD}{rows}").as_bytes(), "t.txt").unwrap_err()
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
    fn reads_rows_after_the_wrapped_header() {
        let t = table("76377\t76376\t\t20060101\t*\t0\tMutually exclusive procedures\r\n");
        assert_eq!((t.len(), t.pairs()), (1, 1));
        let e = t.edit(b"76377", b"76376", Ymd(20240801)).unwrap();
        assert_eq!(e.indicator, ModifierIndicator::NotAllowed);
        assert_eq!(e.deletion, None);
        assert_eq!(&*e.rationale, "Mutually exclusive procedures");
        assert_eq!(t.edit(b"76376", b"76377", Ymd(20240801)), None);
        assert_eq!(t.edit(b"76377", b"76376", Ymd(20051231)), None);
        assert_eq!(
            t.iter_pairs().collect::<Vec<_>>(),
            vec![(*b"76377", *b"76376")]
        );
    }

    #[test]
    fn deletion_date_is_the_last_day_in_force() {
        let t = table("70496\t76377\t\t20060101\t20231231\t1\tx\n");
        assert!(t.edit(b"70496", b"76377", Ymd(20231231)).is_some());
        assert!(t.edit(b"70496", b"76377", Ymd(20240101)).is_none());
        assert!(t.edit(b"70496", b"76377", Ymd(20060101)).is_some());
    }

    #[test]
    fn errors_name_line_and_column() {
        let e = err("76377\t76376\t\t20060101\t*\t0\tx\n76377\t76376\t\t20061301\t*\t0\tx\n");
        assert!(
            matches!(
                e,
                TableError::Field {
                    line: 8,
                    column: "effective date",
                    ..
                }
            ),
            "{e}"
        );
        let e = err("76377\t76376\t\t20060101\t*\t2\tx\n");
        assert!(
            matches!(
                e,
                TableError::Field {
                    line: 7,
                    column: "modifier indicator",
                    ..
                }
            ),
            "{e}"
        );
        let e = err("76377\t7637\t\t20060101\t*\t0\tx\n");
        assert!(
            matches!(
                e,
                TableError::Field {
                    line: 7,
                    column: "column 2 code",
                    ..
                }
            ),
            "{e}"
        );
        let e = err("76377\t76376\tX\t20060101\t*\t0\tx\n");
        assert!(
            matches!(
                e,
                TableError::Field {
                    line: 7,
                    column: "prior-to-1996 flag",
                    ..
                }
            ),
            "{e}"
        );
        let e = err("76377\t76376\t\t20060101\t2006\t0\tx\n");
        assert!(
            matches!(
                e,
                TableError::Field {
                    line: 7,
                    column: "deletion date",
                    ..
                }
            ),
            "{e}"
        );
        let e = err("76377\t76376\t\t20060101\n");
        assert!(matches!(e, TableError::Shape { line: 7, .. }), "{e}");
        let e = err("76377\t76376\t\t20060101\t*\t0\tx\textra\n");
        assert!(matches!(e, TableError::Shape { line: 7, .. }), "{e}");
        let e = err("76377\t76376\t\t20060101\t*\t0\tx\nnot a row\n");
        assert!(matches!(e, TableError::Shape { line: 8, .. }), "{e}");
        assert!(e.to_string().starts_with("t.txt:8: "), "{e}");
        let e = err("76377\t76376\t\t20060101\t*\t0\tx\nColumn 1\t76376\t\t20060101\t*\t0\tx\n");
        assert!(
            matches!(
                e,
                TableError::Field {
                    line: 8,
                    column: "column 1 code",
                    ..
                }
            ),
            "{e}"
        );
        assert!(e.to_string().starts_with("t.txt:8: "), "{e}");
    }

    #[test]
    fn tolerates_blank_lines_trailing_tabs_and_no_rationale_column() {
        let t =
            table("\n76377\t76376\t\t20060101\t*\t0\tx\t\t\n\n76377\t70496\t*\t19960101\t*\t1\n");
        assert_eq!(t.len(), 2);
        let e = t.edit(b"76377", b"70496", Ymd(20000101)).unwrap();
        assert!(e.prior_to_1996);
        assert_eq!(&*e.rationale, "");
    }

    #[test]
    fn refuses_files_without_header_or_rows() {
        let e =
            PtpTable::from_bytes(b"76377\t76376\t\t20060101\t*\t0\tx\n", "nohdr.txt").unwrap_err();
        assert!(matches!(e, TableError::Shape { line: 1, .. }), "{e}");
        let e = PtpTable::from_bytes(HEAD.as_bytes(), "empty.txt").unwrap_err();
        assert!(matches!(e, TableError::Shape { line: 6, .. }), "{e}");
        // A MUE CSV is not a PTP file.
        let e = PtpTable::from_bytes(
            b"HCPCS,MUE\n76376,2,3 Date of Service Edit: Clinical,x\n",
            "mue.csv",
        )
        .unwrap_err();
        assert!(matches!(e, TableError::Shape { .. }), "{e}");
        assert!(PtpTable::from_bytes(b"", "e").is_err());
    }

    #[test]
    fn add_bytes_merges_parts_and_is_atomic() {
        let mut t = table("76377\t76376\t\t20060101\t*\t0\tA\n");
        let part2 =
            format!("{HEAD}70496\t76377\t\t20240701\t*\t0\tB\n70496\t76376\t\t20240701\t*\t1\tA\n");
        assert_eq!(t.add_bytes(part2.as_bytes(), "f2.txt").unwrap(), 2);
        assert_eq!((t.len(), t.pairs()), (3, 3));
        assert_eq!(
            &*t.edit(b"70496", b"76377", Ymd(20250101)).unwrap().rationale,
            "B"
        );
        assert_eq!(
            &*t.edit(b"70496", b"76376", Ymd(20250101)).unwrap().rationale,
            "A"
        );
        let bad =
            format!("{HEAD}71275\t76377\t\t20240701\t*\t0\tB\n71275\t76376\t\t2024\t*\t1\tA\n");
        assert!(t.add_bytes(bad.as_bytes(), "f3.txt").is_err());
        assert_eq!(t.len(), 3);
        assert!(t.edit(b"71275", b"76377", Ymd(20250101)).is_none());
    }

    #[test]
    fn associated_modifiers() {
        for m in [
            "E1", "E4", "FA", "F1", "F9", "TA", "T1", "T9", "LT", "RT", "LC", "LD", "RC", "LM",
            "RI", "24", "25", "27", "57", "58", "59", "78", "79", "91", "XE", "XS", "XP", "XU",
            "xu", " 59 ",
        ] {
            assert!(is_ncci_associated_modifier(m), "{m}");
        }
        for m in [
            "22", "76", "77", "26", "TC", "E5", "F0", "T0", "XX", "50", "", "5", "591", "LL", "RA",
        ] {
            assert!(!is_ncci_associated_modifier(m), "{m}");
        }
    }
}
