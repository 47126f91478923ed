//! NCCI add-on code (AOC) edits: codes paid only with a primary procedure.
//!
//! CMS publishes, per quarter, one row per (add-on code, primary code) with the AOC edit type
//! and dates. Edit types: 1, only with a listed primary; 2, no list (primary written `CCCCC`,
//! the payer or contractor defines acceptable primaries); 3, a partial list that contractors
//! may extend.
//!
//! Layout read here: tab-delimited text, optional notice lines, then a header row, then one row
//! per edit. Columns are found by header name (spacing, case, `_` and `-` ignored), so both the
//! plain names (`Add-on Code`, `Primary Code`, `AOC Edit Type`, `Effective Date`, `Deletion
//! Date`, `Notes`) and CMS's spreadsheet names (`Add-On_Code`, `Primary_Code`,
//! `AOC_Edit_Type`, `AOC_Edit_EffDT`, `AOC_Edit_DelDT`, `Special_Instruction_Notes`, plus
//! the optional `AOC_DelDT` and `Primary_Code_DelDT` code deletion dates) are accepted, in any
//! order. Assumption, not verified against a CMS text release: dates are `YYYYMMDD` or the
//! `YYYYDDD` day-of-year form some releases use; blank, `*` and all-nines mean open. Quoted
//! cells (a spreadsheet export) are handled by the CSV reader.
//!
//! Deletion dates are treated as the last day in force, as in the PTP table.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use payerlex_types::{Date, ProcedureCode};

use crate::csv::{Record, Records};
use crate::date::{parse_compact, parse_ordinal};
use crate::error::{decode_latin1, read_path, TableError};
use crate::header::HeaderName;

/// AOC edit type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum AocType {
    /// Type 1: paid only with one of the listed primary codes.
    ListedPrimaries = 1,
    /// Type 2: no list of primaries (`CCCCC`); the payer defines them.
    NoList = 2,
    /// Type 3: a partial list; the payer may accept other primaries.
    PartialList = 3,
}

impl AocType {
    /// The type's number, 1-3.
    pub fn number(self) -> u8 {
        self as u8
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "1" => Some(AocType::ListedPrimaries),
            "2" => Some(AocType::NoList),
            "3" => Some(AocType::PartialList),
            _ => None,
        }
    }
}

impl fmt::Display for AocType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number())
    }
}

/// One row of the AOC table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AocEdit {
    /// The primary code; `None` for `CCCCC` (type 2, no list).
    pub primary: Option<ProcedureCode>,
    /// Edit type.
    pub edit_type: AocType,
    /// First day the edit applies.
    pub effective: Date,
    /// Last day the edit applies (`None` = open).
    pub deletion: Option<Date>,
    /// Last day the add-on code itself exists, if the file gives it.
    pub addon_deletion: Option<Date>,
    /// Last day the primary code exists, if the file gives it.
    pub primary_deletion: Option<Date>,
    /// CMS's special instruction notes, if any.
    pub notes: String,
}

impl AocEdit {
    /// True if the edit, the add-on code and the primary code are all in force on `dos`.
    pub fn in_force_on(&self, dos: Date) -> bool {
        let open_until = |d: Option<Date>| d.map_or(true, |d| dos <= d);
        self.effective <= dos
            && open_until(self.deletion)
            && open_until(self.addon_deletion)
            && open_until(self.primary_deletion)
    }
}

/// What the table says about one add-on code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddOn {
    /// The add-on code.
    pub code: ProcedureCode,
    /// Edit type (of the most recently effective row considered).
    pub edit_type: AocType,
    /// Listed primary codes, sorted, without duplicates (empty for type 2).
    pub primaries: Vec<ProcedureCode>,
}

#[derive(Clone, Debug)]
struct Entry {
    all_time: AddOn,
    edits: Vec<AocEdit>,
}

/// The AOC table.
#[derive(Clone, Debug, Default)]
pub struct AddOnTable {
    codes: HashMap<ProcedureCode, Entry>,
    rows: usize,
}

#[derive(Default)]
struct Columns {
    addon: Option<usize>,
    primary: Option<usize>,
    edit_type: Option<usize>,
    effective: Option<usize>,
    deletion: Option<usize>,
    addon_deletion: Option<usize>,
    primary_deletion: Option<usize>,
    notes: Option<usize>,
}

impl Columns {
    fn locate(rec: &Record) -> Columns {
        let mut c = Columns::default();
        for (i, cell) in rec.fields.iter().enumerate() {
            let slot = match HeaderName::new(cell).squashed().as_str() {
                "ADDONCODE" => &mut c.addon,
                "PRIMARYCODE" => &mut c.primary,
                "AOCEDITTYPE" | "EDITTYPE" => &mut c.edit_type,
                "EFFECTIVEDATE" | "AOCEDITEFFDT" | "EDITEFFECTIVEDATE" => &mut c.effective,
                "DELETIONDATE" | "AOCEDITDELDT" | "EDITDELETIONDATE" => &mut c.deletion,
                "AOCDELDT" | "ADDONCODEDELETIONDATE" => &mut c.addon_deletion,
                "PRIMARYCODEDELDT" | "PRIMARYCODEDELETIONDATE" => &mut c.primary_deletion,
                "NOTES" | "SPECIALINSTRUCTIONNOTES" => &mut c.notes,
                _ => continue,
            };
            slot.get_or_insert(i);
        }
        c
    }

    fn is_header(&self) -> bool {
        self.addon.is_some() && self.primary.is_some()
    }
}

const EXPECTED_HEADER: &str =
    "a tab-separated header row naming Add-on Code, Primary Code, AOC Edit Type, \
     Effective Date and Deletion Date";

/// Parses an AOC date cell; `Ok(None)` for open.
fn parse_date(s: &str) -> Result<Option<Date>, ()> {
    if s.is_empty() || s == "*" || (s.len() >= 7 && s.bytes().all(|b| b == b'9')) {
        return Ok(None);
    }
    let d = match s.len() {
        8 => parse_compact(s.as_bytes()),
        7 => parse_ordinal(s.as_bytes()),
        10 => Date::parse(s).ok(),
        _ => None,
    };
    d.map(Some).ok_or(())
}

impl AddOnTable {
    /// Parses an AOC table (see the module docs for the accepted layout).
    pub fn from_bytes(bytes: &[u8], source_name: &str) -> Result<AddOnTable, TableError> {
        let text = decode_latin1(bytes);
        let mut records = Records::new(&text, '\t', source_name);
        let (header_line, cols) = loop {
            let Some(rec) = records.next().transpose()? else {
                return Err(TableError::shape(
                    source_name,
                    1,
                    "no header row",
                    EXPECTED_HEADER,
                ));
            };
            if rec.is_blank() {
                continue;
            }
            let cols = Columns::locate(&rec);
            if cols.is_header() {
                break (rec.line, cols);
            }
            if ProcedureCode::parse_table_key(rec.get(0).as_bytes()).is_some() {
                return Err(TableError::shape(
                    source_name,
                    rec.line,
                    &rec.fields.join("\t"),
                    EXPECTED_HEADER,
                ));
            }
        };
        let missing = [
            ("AOC Edit Type", cols.edit_type),
            ("Effective Date", cols.effective),
            ("Deletion Date", cols.deletion),
        ]
        .into_iter()
        .find(|(_, c)| c.is_none());
        let (
            Some(addon_col),
            Some(primary_col),
            Some(type_col),
            Some(eff_col),
            Some(del_col),
            None,
        ) = (
            cols.addon,
            cols.primary,
            cols.edit_type,
            cols.effective,
            cols.deletion,
            missing,
        )
        else {
            let name = missing.map_or("a required", |(n, _)| n);
            return Err(TableError::shape(
                source_name,
                header_line,
                &format!("no {name} column"),
                EXPECTED_HEADER,
            ));
        };
        let mut table = AddOnTable::default();
        let need = [addon_col, primary_col, type_col, eff_col, del_col]
            .into_iter()
            .max()
            .unwrap_or(0)
            + 1;
        for rec in records {
            let r = rec?;
            if r.is_blank() {
                continue;
            }
            if r.fields.len() < need {
                return Err(TableError::shape(
                    source_name,
                    r.line,
                    &r.fields.join("\t"),
                    format!("at least {need} tab-separated cells, as in the header on line {header_line}"),
                ));
            }
            let bad = |column: &'static str, text: &str, expected: &str| {
                TableError::field(source_name, r.line, column, text, expected)
            };
            let date = |column: &'static str, i: Option<usize>| match i {
                None => Ok(None),
                Some(i) => parse_date(r.get(i))
                    .map_err(|()| bad(column, r.get(i), "YYYYMMDD, YYYYDDD, `*` or blank")),
            };
            let code =
                ProcedureCode::parse_table_key(r.get(addon_col).as_bytes()).ok_or_else(|| {
                    bad(
                        "add-on code",
                        r.get(addon_col),
                        "a 5-character HCPCS/CPT code",
                    )
                })?;
            let edit_type = AocType::parse(r.get(type_col))
                .ok_or_else(|| bad("AOC edit type", r.get(type_col), "1, 2 or 3"))?;
            let primary_text = r.get(primary_col);
            let primary = if primary_text.eq_ignore_ascii_case("CCCCC") {
                if edit_type != AocType::NoList {
                    return Err(bad(
                        "primary code",
                        primary_text,
                        "a primary code (`CCCCC` only for type 2)",
                    ));
                }
                None
            } else {
                Some(
                    ProcedureCode::parse_table_key(primary_text.as_bytes()).ok_or_else(|| {
                        bad(
                            "primary code",
                            primary_text,
                            "a 5-character code or `CCCCC`",
                        )
                    })?,
                )
            };
            let effective = date("effective date", Some(eff_col))?.ok_or_else(|| {
                bad(
                    "effective date",
                    r.get(eff_col),
                    "a date YYYYMMDD or YYYYDDD",
                )
            })?;
            let edit = AocEdit {
                primary,
                edit_type,
                effective,
                deletion: date("deletion date", Some(del_col))?,
                addon_deletion: date("add-on code deletion date", cols.addon_deletion)?,
                primary_deletion: date("primary code deletion date", cols.primary_deletion)?,
                notes: cols.notes.map_or("", |i| r.get(i)).to_owned(),
            };
            table.push(code, edit);
        }
        if table.rows == 0 {
            return Err(TableError::shape(
                source_name,
                header_line,
                "no rows after the header",
                "AOC rows",
            ));
        }
        Ok(table)
    }

    fn push(&mut self, code: ProcedureCode, edit: AocEdit) {
        self.rows += 1;
        let entry = self.codes.entry(code).or_insert_with(|| Entry {
            all_time: AddOn {
                code,
                edit_type: edit.edit_type,
                primaries: Vec::new(),
            },
            edits: Vec::new(),
        });
        if entry.edits.iter().all(|e| e.effective <= edit.effective) {
            entry.all_time.edit_type = edit.edit_type;
        }
        if let Some(p) = edit.primary {
            if let Err(at) = entry.all_time.primaries.binary_search(&p) {
                entry.all_time.primaries.insert(at, p);
            }
        }
        entry.edits.push(edit);
    }

    /// Reads and parses an AOC file; errors name the path.
    pub fn from_path(path: impl AsRef<Path>) -> Result<AddOnTable, TableError> {
        let (bytes, name) = read_path(path.as_ref())?;
        Self::from_bytes(&bytes, &name)
    }

    /// Everything the table says about `code`, whatever the dates: every primary ever listed
    /// and the type of the latest row. `None` if the code is not an add-on code in this table.
    /// Use [`AddOnTable::get_on`] for a date of service.
    pub fn get(&self, code: ProcedureCode) -> Option<&AddOn> {
        self.codes.get(&code).map(|e| &e.all_time)
    }

    /// The add-on code as in force on `dos`: only rows in force, `None` if none is.
    pub fn get_on(&self, code: ProcedureCode, dos: Date) -> Option<AddOn> {
        let entry = self.codes.get(&code)?;
        let live: Vec<&AocEdit> = entry.edits.iter().filter(|e| e.in_force_on(dos)).collect();
        let latest = live.iter().max_by_key(|e| e.effective)?;
        let mut primaries: Vec<ProcedureCode> = live.iter().filter_map(|e| e.primary).collect();
        primaries.sort_unstable();
        primaries.dedup();
        Some(AddOn {
            code,
            edit_type: latest.edit_type,
            primaries,
        })
    }

    /// True if `code` is an add-on code on `dos`.
    pub fn is_addon(&self, code: ProcedureCode, dos: Date) -> bool {
        self.codes
            .get(&code)
            .is_some_and(|e| e.edits.iter().any(|x| x.in_force_on(dos)))
    }

    /// True if `primary` is a listed primary of `addon` on `dos`. Always false for a type 2
    /// add-on (no list: the payer decides) and for a primary missing from a type 3 partial list.
    pub fn is_primary_for(&self, addon: ProcedureCode, primary: ProcedureCode, dos: Date) -> bool {
        self.codes.get(&addon).is_some_and(|e| {
            e.edits
                .iter()
                .any(|x| x.primary == Some(primary) && x.in_force_on(dos))
        })
    }

    /// All rows for an add-on code, in file order.
    pub fn edits(&self, code: ProcedureCode) -> &[AocEdit] {
        self.codes.get(&code).map_or(&[], |e| e.edits.as_slice())
    }

    /// The add-on codes the table lists, in no particular order.
    pub fn addon_codes(&self) -> impl Iterator<Item = ProcedureCode> + '_ {
        self.codes.keys().copied()
    }

    /// Number of rows read.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// True if no rows were read.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Number of distinct add-on codes.
    pub fn codes(&self) -> usize {
        self.codes.len()
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

    #[test]
    fn cms_spreadsheet_names_any_order_and_ordinal_dates() {
        let text = "CPT codes only copyright 2025 American Medical Association.\n\
            AOC_Edit_Type\tAdd-On_Code\tAOC_DelDT\tPrimary_Code\tPrimary_Code_DelDT\tAOC_Edit_EffDT\tAOC_Edit_DelDT\tSpecial_Instruction_Notes\n\
            1\t76937\t\t36556\t2025365\t2013001\t9999999\t\n\
            2\t77001\t\tCCCCC\t\t2013001\t\t\"Contractor Defined Primary Codes\"\n";
        let t = AddOnTable::from_bytes(text.as_bytes(), "aoc.txt").unwrap();
        assert_eq!((t.len(), t.codes()), (2, 2));
        let e = &t.edits(code("76937"))[0];
        assert_eq!(e.effective, day("2013-01-01"));
        assert_eq!(e.deletion, None);
        assert_eq!(e.primary_deletion, Some(day("2025-12-31")));
        assert!(t.is_primary_for(code("76937"), code("36556"), day("2025-12-31")));
        assert!(!t.is_primary_for(code("76937"), code("36556"), day("2026-01-01")));
        assert_eq!(
            t.edits(code("77001"))[0].notes,
            "Contractor Defined Primary Codes"
        );
        assert_eq!(t.get(code("77001")).unwrap().edit_type, AocType::NoList);
    }

    #[test]
    fn errors_name_the_line() {
        let head =
            "Add-on Code\tPrimary Code\tAOC Edit Type\tEffective Date\tDeletion Date\tNotes\n";
        let e = AddOnTable::from_bytes(
            format!("{head}76937\t36556\t4\t20130101\t*\t\n").as_bytes(),
            "a",
        )
        .unwrap_err();
        assert!(
            matches!(
                e,
                TableError::Field {
                    line: 2,
                    column: "AOC edit type",
                    ..
                }
            ),
            "{e}"
        );
        let e = AddOnTable::from_bytes(
            format!("{head}76937\tCCCCC\t1\t20130101\t*\t\n").as_bytes(),
            "a",
        )
        .unwrap_err();
        assert!(
            matches!(
                e,
                TableError::Field {
                    line: 2,
                    column: "primary code",
                    ..
                }
            ),
            "{e}"
        );
        let e = AddOnTable::from_bytes(
            format!("{head}76937\t36556\t1\t2013-13-01\t*\t\n").as_bytes(),
            "a",
        )
        .unwrap_err();
        assert!(
            matches!(
                e,
                TableError::Field {
                    line: 2,
                    column: "effective date",
                    ..
                }
            ),
            "{e}"
        );
        let e =
            AddOnTable::from_bytes(format!("{head}\n76937\t36556\n").as_bytes(), "a").unwrap_err();
        assert!(matches!(e, TableError::Shape { line: 3, .. }), "{e}");
        let e = AddOnTable::from_bytes(b"76937\t36556\t1\t20130101\t*\n", "nohdr").unwrap_err();
        assert!(matches!(e, TableError::Shape { line: 1, .. }), "{e}");
        let e = AddOnTable::from_bytes(b"Add-on Code\tPrimary Code\tAOC Edit Type\n", "short")
            .unwrap_err();
        assert!(matches!(e, TableError::Shape { line: 1, .. }), "{e}");
        assert!(e.to_string().contains("Effective Date"), "{e}");
        assert!(AddOnTable::from_bytes(head.as_bytes(), "empty").is_err());
    }
}
