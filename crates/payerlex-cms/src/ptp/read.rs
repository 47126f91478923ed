//! Reading a PTP text file as CMS publishes it (layout in the parent module's docs).
//!
//! The national table is millions of lines, so the reader works on the raw Latin-1 bytes: it
//! splits lines and tab-separated cells without building a string per cell, reads codes and
//! dates straight from the bytes, and interns the few dozen rationale texts (consecutive rows
//! usually repeat the last one, which is checked before hashing). Only text that goes into an
//! error or a rationale is decoded. Lines before the first edit row are notice or header; the
//! header must be seen (a line naming `Column 1` and `Column 2`) before the first row.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use payerlex_types::{Date, ProcedureCode};

use super::table::Period;
use super::{ModifierIndicator, PtpTable};
use crate::date::parse_compact;
use crate::error::{decode_latin1, read_path, TableError};
use crate::fasthash::MixState;
use crate::header::HeaderName;

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

/// Whether a line is an edit row: tab-separated, first cell a code.
fn looks_like_data(line: &[u8]) -> bool {
    let first = line.split(|&c| c == b'\t').next().unwrap_or(&[]);
    line.contains(&b'\t') && ProcedureCode::parse_table_key(trim(first)).is_some()
}

/// Whether a line names `Column 1` and `Column 2` (case, spacing and punctuation ignored).
fn is_header(line: &[u8]) -> bool {
    let squashed = HeaderName::new(&decode_latin1(line)).squashed();
    squashed.contains("COLUMN1") && squashed.contains("COLUMN2")
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

    fn parse(&mut self, bytes: &[u8], source_name: &str) -> Result<(), TableError> {
        let mut header_seen = false;
        let mut in_data = false;
        let mut interned = Interner::default();
        // One row per line: reserving up front avoids rehashing a multi-million-entry map.
        let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
        self.reserve(lines);
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
        let col1 = ProcedureCode::parse_table_key(cells[0])
            .ok_or_else(|| bad("column 1 code", cells[0], CODE))?;
        let col2 = ProcedureCode::parse_table_key(cells[1])
            .ok_or_else(|| bad("column 2 code", cells[1], CODE))?;
        let prior_1996 = match cells[2] {
            b"" => false,
            b"*" => true,
            other => return Err(bad("prior-to-1996 flag", other, "`*` or blank")),
        };
        let effective = parse_compact(cells[3])
            .ok_or_else(|| bad("effective date", cells[3], "a date YYYYMMDD"))?;
        let deletion = match cells[4] {
            b"*" => Date::MAX,
            d => {
                parse_compact(d).ok_or_else(|| bad("deletion date", d, "a date YYYYMMDD or `*`"))?
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
        self.push(
            col1,
            col2,
            Period {
                effective,
                deletion,
                rationale,
                indicator,
                prior_1996,
            },
        );
        Ok(())
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
    fn reads_rows_after_the_wrapped_header() {
        let t = table("76377\t76376\t\t20060101\t*\t0\tMutually exclusive procedures\r\n");
        assert_eq!((t.len(), t.pairs()), (1, 1));
        let e = t
            .edit(code("76377"), code("76376"), day("2024-08-01"))
            .unwrap();
        assert_eq!(e.indicator, ModifierIndicator::NotAllowed);
        assert_eq!(e.deletion, None);
        assert_eq!(&*e.rationale, "Mutually exclusive procedures");
        assert_eq!(
            t.edit(code("76376"), code("76377"), day("2024-08-01")),
            None
        );
        assert_eq!(
            t.edit(code("76377"), code("76376"), day("2005-12-31")),
            None
        );
        assert_eq!(
            t.iter_pairs().collect::<Vec<_>>(),
            vec![(code("76377"), code("76376"))]
        );
    }

    #[test]
    fn deletion_date_is_the_last_day_in_force() {
        let t = table("70496\t76377\t\t20060101\t20231231\t1\tx\n");
        assert!(t
            .edit(code("70496"), code("76377"), day("2023-12-31"))
            .is_some());
        assert!(t
            .edit(code("70496"), code("76377"), day("2024-01-01"))
            .is_none());
        assert!(t
            .edit(code("70496"), code("76377"), day("2006-01-01"))
            .is_some());
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
        let e = t
            .edit(code("76377"), code("70496"), day("2000-01-01"))
            .unwrap();
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
            &*t.edit(code("70496"), code("76377"), day("2025-01-01"))
                .unwrap()
                .rationale,
            "B"
        );
        assert_eq!(
            &*t.edit(code("70496"), code("76376"), day("2025-01-01"))
                .unwrap()
                .rationale,
            "A"
        );
        let bad =
            format!("{HEAD}71275\t76377\t\t20240701\t*\t0\tB\n71275\t76376\t\t2024\t*\t1\tA\n");
        assert!(t.add_bytes(bad.as_bytes(), "f3.txt").is_err());
        assert_eq!(t.len(), 3);
        assert!(t
            .edit(code("71275"), code("76377"), day("2025-01-01"))
            .is_none());
    }
}
