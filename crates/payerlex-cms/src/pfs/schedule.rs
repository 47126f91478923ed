//! A PPRRVU file (the "National Physician Fee Schedule Relative Value File") read into a
//! [`FeeSchedule`], and the lookup by code and pricing modifier.
//!
//! Layout, as CMS publishes it in `rvuYYx.zip` (CSV, Latin-1): a few banner rows (title, AMA
//! notice), then a header row whose first cell is `HCPCS`, then one row per (code, modifier).
//! Column order in recent releases (0-based), which this loader does not rely on:
//!
//! ```text
//!  0 HCPCS  1 MOD  2 DESCRIPTION  3 STATUS CODE  4 NOT USED FOR MEDICARE PAYMENT  5 WORK RVU
//!  6 NON-FAC PE RVU  7 NON-FAC NA INDICATOR  8 FACILITY PE RVU  9 FACILITY NA INDICATOR
//! 10 MP RVU  11 NON-FACILITY TOTAL  12 FACILITY TOTAL  13 PCTC IND  14 GLOB DAYS  15 PRE OP
//! 16 INTRA OP  17 POST OP  18 MULT PROC  19 BILAT SURG  20 ASST SURG  21 CO-SURG  22 TEAM SURG
//! 23 ENDO BASE  24 CONV FACTOR  25 PHYSICIAN SUPERVISION OF DIAGNOSTIC PROCEDURES
//! 26 CALCULATION FLAG  27 DIAGNOSTIC IMAGING FAMILY INDICATOR  28-30 PE/MP USED FOR OPPS
//! ```
//!
//! Columns are found by name, because positions drift between years and because the published
//! CSV may split a column title over several rows (`NON-FAC` above `PE RVU`, `CONV` above
//! `FACTOR`): a column's name is its header cell joined with the cells above it in up to four
//! short "title fragment" rows (first cell empty), see `crate::header`. Both a one-row header
//! (as in the fixtures' 2025 file) and a stacked one (2026 fixture) load. Required: HCPCS, MOD,
//! STATUS, WORK RVU, NON-FAC PE RVU, FACILITY PE RVU, MP RVU, PCTC IND, GLOB DAYS, CONV FACTOR;
//! the NA indicator columns and the surgical indicators (MULT PROC, BILAT SURG, ASST SURG,
//! CO-SURG, TEAM SURG: one digit or blank, see [`SurgeryIndicators`]) are optional, so that
//! older extracts without them still load. RVUs are read as exact decimals (never floats). The
//! conversion factor is repeated on every row; the schedule's CF is that value, and a row with
//! a different non-zero CF is refused. A repeated (code, modifier) keeps the first row and is
//! counted ([`FeeSchedule::duplicate_rows`]).

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;

use payerlex_types::{Date, ProcedureCode};
use rust_decimal::Decimal;

use super::rvu::{modifier_key, GlobalPeriod, ModifierKey, RvuRow, SurgeryIndicators};
use crate::csv::{read_records, Record};
use crate::error::{read_path, TableError};
use crate::header::{stacked_names, HeaderName};

/// Where each column the loader reads sits in the row.
struct RvuColumns {
    code: usize,
    modifier: usize,
    status: usize,
    work: usize,
    pe_nf: usize,
    na_nf: Option<usize>,
    pe_f: usize,
    na_f: Option<usize>,
    mp: usize,
    pctc: usize,
    global: usize,
    cf: usize,
    mult_proc: Option<usize>,
    bilateral: Option<usize>,
    assistant: Option<usize>,
    co_surgeons: Option<usize>,
    team: Option<usize>,
}

impl RvuColumns {
    /// Finds the columns by name; `Err` names the first required column missing.
    fn locate(names: &[HeaderName]) -> Result<RvuColumns, &'static str> {
        let find = |pred: &dyn Fn(&HeaderName) -> bool| names.iter().position(pred);
        let has = |n: &HeaderName, words: &[&str]| words.iter().all(|w| n.has_word(w));
        let req = |c: Option<usize>, name: &'static str| c.ok_or(name);
        Ok(RvuColumns {
            code: 0,
            modifier: req(find(&|n| n.as_str() == "MOD"), "MOD")?,
            status: req(find(&|n| n.has_word("STATUS")), "STATUS CODE")?,
            work: req(find(&|n| has(n, &["WORK", "RVU"])), "WORK RVU")?,
            pe_nf: req(find(&|n| has(n, &["NON", "PE", "RVU"])), "NON-FAC PE RVU")?,
            na_nf: find(&|n| has(n, &["NON", "NA"])),
            pe_f: req(
                find(&|n| n.first_word_starts_with("FAC") && has(n, &["PE", "RVU"])),
                "FACILITY PE RVU",
            )?,
            na_f: find(&|n| n.first_word_starts_with("FAC") && n.has_word("NA")),
            mp: req(
                find(&|n| n.words().next() == Some("MP") && n.has_word("RVU")),
                "MP RVU",
            )?,
            pctc: req(find(&|n| n.has_word("PCTC")), "PCTC IND")?,
            global: req(find(&|n| n.first_word_starts_with("GLOB")), "GLOB DAYS")?,
            cf: req(find(&|n| n.first_word_starts_with("CONV")), "CONV FACTOR")?,
            mult_proc: find(&|n| has(n, &["MULT", "PROC"])),
            bilateral: find(&|n| has(n, &["BILAT", "SURG"])),
            assistant: find(&|n| has(n, &["ASST", "SURG"])),
            co_surgeons: find(&|n| n.words().next() == Some("CO") && n.has_word("SURG")),
            team: find(&|n| has(n, &["TEAM", "SURG"])),
        })
    }

    /// Cells a data row needs: one past the rightmost column read.
    fn width(&self) -> usize {
        [
            self.code,
            self.modifier,
            self.status,
            self.work,
            self.pe_nf,
            self.pe_f,
            self.mp,
            self.pctc,
            self.global,
            self.cf,
        ]
        .into_iter()
        .chain(self.na_nf)
        .chain(self.na_f)
        .chain(self.mult_proc)
        .chain(self.bilateral)
        .chain(self.assistant)
        .chain(self.co_surgeons)
        .chain(self.team)
        .max()
        .unwrap_or(0)
            + 1
    }
}

fn decimal(
    r: &Record,
    i: usize,
    column: &'static str,
    source_name: &str,
) -> Result<Decimal, TableError> {
    let s = r.get(i);
    if s.is_empty() {
        return Ok(Decimal::ZERO);
    }
    Decimal::from_str(s)
        .map_err(|_| TableError::field(source_name, r.line, column, s, "a decimal number"))
}

fn na_flag(
    r: &Record,
    i: Option<usize>,
    column: &'static str,
    source_name: &str,
) -> Result<bool, TableError> {
    match i.map(|i| r.get(i)) {
        None | Some("") => Ok(false),
        Some(s) if s.eq_ignore_ascii_case("NA") => Ok(true),
        Some(s) => Err(TableError::field(
            source_name,
            r.line,
            column,
            s,
            "`NA` or blank",
        )),
    }
}

/// An optional one-digit indicator cell: `None` when the column is absent or the cell blank.
fn indicator(
    r: &Record,
    i: Option<usize>,
    column: &'static str,
    source_name: &str,
) -> Result<Option<u8>, TableError> {
    match i.map(|i| r.get(i)) {
        None | Some("") => Ok(None),
        Some(s) => match s.as_bytes() {
            [c] if c.is_ascii_digit() => Ok(Some(c - b'0')),
            _ => Err(TableError::field(
                source_name,
                r.line,
                column,
                s,
                "one digit 0-9 or blank",
            )),
        },
    }
}

/// Reads one data row (already checked to have the columns' width); also returns the row's
/// conversion factor (zero when blank).
fn read_row(
    r: &Record,
    cols: &RvuColumns,
    source_name: &str,
) -> Result<(RvuRow, Decimal), TableError> {
    let bad = |column: &'static str, text: &str, expected: &str| {
        TableError::field(source_name, r.line, column, text, expected)
    };
    let code = ProcedureCode::parse_table_key(r.get(cols.code).as_bytes())
        .ok_or_else(|| bad("HCPCS code", r.get(cols.code), "a 5-character code"))?;
    let modifier = match r.get(cols.modifier) {
        "" => None,
        m => Some(
            modifier_key(m)
                .ok_or_else(|| bad("modifier", m, "blank or 2 characters (26, TC, 53)"))?,
        ),
    };
    let status = r.get(cols.status);
    let status = match status.as_bytes() {
        [c] if c.is_ascii_alphabetic() => char::from(c.to_ascii_uppercase()),
        _ => return Err(bad("status code", status, "one letter")),
    };
    let pctc = r.get(cols.pctc);
    let pctc = match pctc.as_bytes() {
        [c] if c.is_ascii_digit() => c - b'0',
        _ => return Err(bad("PC/TC indicator", pctc, "one digit 0-9")),
    };
    let global = match r.get(cols.global) {
        "" => None,
        g => Some(
            GlobalPeriod::parse(g)
                .ok_or_else(|| bad("global days", g, "000, 010, 090, MMM, XXX, YYY or ZZZ"))?,
        ),
    };
    let row = RvuRow {
        code,
        modifier,
        status,
        work: decimal(r, cols.work, "work RVU", source_name)?,
        pe_nonfacility: decimal(r, cols.pe_nf, "non-facility PE RVU", source_name)?,
        pe_nonfacility_na: na_flag(r, cols.na_nf, "non-facility NA indicator", source_name)?,
        pe_facility: decimal(r, cols.pe_f, "facility PE RVU", source_name)?,
        pe_facility_na: na_flag(r, cols.na_f, "facility NA indicator", source_name)?,
        mp: decimal(r, cols.mp, "MP RVU", source_name)?,
        pctc,
        global,
        surgery: SurgeryIndicators {
            mult_proc: indicator(r, cols.mult_proc, "MULT PROC", source_name)?,
            bilateral: indicator(r, cols.bilateral, "BILAT SURG", source_name)?,
            assistant: indicator(r, cols.assistant, "ASST SURG", source_name)?,
            co_surgeons: indicator(r, cols.co_surgeons, "CO SURG", source_name)?,
            team: indicator(r, cols.team, "TEAM SURG", source_name)?,
        },
    };
    Ok((row, decimal(r, cols.cf, "conversion factor", source_name)?))
}

/// One year's (or release's) physician fee schedule: RVUs per code and modifier, the conversion
/// factor, and the period it applies to.
#[derive(Clone, Debug)]
pub struct FeeSchedule {
    source_name: String,
    effective_from: Date,
    effective_to: Option<Date>,
    conversion_factor: Decimal,
    rows: HashMap<(ProcedureCode, Option<ModifierKey>), RvuRow>,
    duplicates: usize,
}

const EXPECTED_RVU_HEADER: &str =
    "a PPRRVU header row starting `HCPCS,MOD,DESCRIPTION,STATUS CODE,...`";

impl FeeSchedule {
    /// Parses a PPRRVU CSV (see the module docs). The file does not state its dates, so the
    /// caller gives the first day it applies (e.g. 2025-01-01 for `PPRRVU25_JAN`).
    pub fn from_bytes(
        bytes: &[u8],
        source_name: &str,
        effective_from: Date,
    ) -> Result<FeeSchedule, TableError> {
        let records = read_records(bytes, source_name)?;
        let Some(h) = records
            .iter()
            .position(|r| r.get(0).eq_ignore_ascii_case("HCPCS"))
        else {
            let line = records
                .iter()
                .find(|r| ProcedureCode::parse_table_key(r.get(0).as_bytes()).is_some())
                .map_or(1, |r| r.line);
            return Err(TableError::shape(
                source_name,
                line,
                "no `HCPCS` header row",
                EXPECTED_RVU_HEADER,
            ));
        };
        let header = &records[h];
        let names = stacked_names(&records, h);
        let cols = RvuColumns::locate(&names).map_err(|missing| {
            let found: Vec<&str> = names.iter().map(HeaderName::as_str).collect();
            TableError::shape(
                source_name,
                header.line,
                &found.join(","),
                format!("{EXPECTED_RVU_HEADER} with a `{missing}` column"),
            )
        })?;
        let width = cols.width();
        let mut schedule = FeeSchedule {
            source_name: source_name.to_owned(),
            effective_from,
            effective_to: None,
            conversion_factor: Decimal::ZERO,
            rows: HashMap::new(),
            duplicates: 0,
        };
        let mut cf_line = 0;
        for r in &records[h + 1..] {
            if r.is_blank() {
                continue;
            }
            if r.fields.len() < width {
                return Err(TableError::shape(
                    source_name,
                    r.line,
                    &r.fields.join(","),
                    format!(
                        "at least {width} cells, as in the header on line {}",
                        header.line
                    ),
                ));
            }
            let (row, cf) = read_row(r, &cols, source_name)?;
            if !cf.is_zero() {
                if schedule.conversion_factor.is_zero() {
                    schedule.conversion_factor = cf;
                    cf_line = r.line;
                } else if cf != schedule.conversion_factor {
                    return Err(TableError::field(
                        source_name,
                        r.line,
                        "conversion factor",
                        r.get(cols.cf),
                        format!(
                            "the same conversion factor as line {cf_line} ({})",
                            schedule.conversion_factor
                        ),
                    ));
                }
            }
            match schedule.rows.entry((row.code, row.modifier)) {
                Entry::Vacant(v) => {
                    v.insert(row);
                }
                Entry::Occupied(_) => schedule.duplicates += 1,
            }
        }
        if schedule.rows.is_empty() {
            return Err(TableError::shape(
                source_name,
                header.line,
                "no rows after the header",
                "PPRRVU rows",
            ));
        }
        if schedule.conversion_factor.is_zero() {
            return Err(TableError::shape(
                source_name,
                header.line,
                "no non-zero CONV FACTOR on any row",
                "a conversion factor on the rows",
            ));
        }
        Ok(schedule)
    }

    /// Reads and parses a PPRRVU file; errors name the path.
    pub fn from_path(
        path: impl AsRef<Path>,
        effective_from: Date,
    ) -> Result<FeeSchedule, TableError> {
        let (bytes, name) = read_path(path.as_ref())?;
        Self::from_bytes(&bytes, &name, effective_from)
    }

    /// Sets the last day the schedule applies (otherwise it runs until a later schedule starts,
    /// see [`crate::MultiYearSchedule`]).
    pub fn with_effective_to(mut self, last_day: Date) -> Self {
        self.effective_to = Some(last_day);
        self
    }

    /// The RVU row for a code and pricing modifier (`None` = global). Only the modifiers that
    /// have their own rows in the file (26, TC, 53) select a row; pass no other modifier.
    pub fn get(&self, code: ProcedureCode, modifier: Option<&str>) -> Option<&RvuRow> {
        let m = match modifier {
            None => None,
            Some(m) if m.trim().is_empty() => None,
            Some(m) => Some(modifier_key(m)?),
        };
        self.rows.get(&(code, m))
    }

    /// The conversion factor (dollars per RVU).
    pub fn conversion_factor(&self) -> Decimal {
        self.conversion_factor
    }

    /// First day the schedule applies.
    pub fn effective_from(&self) -> Date {
        self.effective_from
    }

    /// Last day the schedule applies, if set.
    pub fn effective_to(&self) -> Option<Date> {
        self.effective_to
    }

    /// True if `dos` falls in the schedule's period.
    pub fn covers(&self, dos: Date) -> bool {
        self.effective_from <= dos && self.effective_to.map_or(true, |t| dos <= t)
    }

    /// The file it was read from.
    pub fn source_name(&self) -> &str {
        &self.source_name
    }

    /// Number of (code, modifier) rows kept.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True if the schedule has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Rows that repeated an earlier (code, modifier) and were not kept.
    pub fn duplicate_rows(&self) -> usize {
        self.duplicates
    }

    /// All rows, sorted by code then modifier (global first).
    pub fn rows(&self) -> Vec<&RvuRow> {
        let mut v: Vec<&RvuRow> = self.rows.values().collect();
        v.sort_by_key(|r| (r.code, r.modifier));
        v
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn jan_2025() -> Date {
        Date::from_ymd(2025, 1, 1).unwrap()
    }

    fn code(text: &str) -> ProcedureCode {
        ProcedureCode::parse(text).unwrap()
    }

    const HEADER: &str = "HCPCS,MOD,DESCRIPTION,STATUS CODE,NOT USED FOR MEDICARE PAYMENT,WORK RVU,NON-FAC PE RVU,\
        NON-FAC NA INDICATOR,FACILITY PE RVU,FACILITY NA INDICATOR,MP RVU,NON-FACILITY TOTAL,FACILITY TOTAL,PCTC IND,\
        GLOB DAYS,PRE OP,INTRA OP,POST OP,MULT PROC,BILAT SURG,ASST SURG,CO-SURG,TEAM SURG,ENDO BASE,CONV FACTOR\n";

    fn load(rows: &str) -> Result<FeeSchedule, TableError> {
        FeeSchedule::from_bytes(
            format!("\"Title, with comma\",,,\n{HEADER}{rows}").as_bytes(),
            "p.csv",
            jan_2025(),
        )
    }

    #[test]
    fn reads_rows_by_column_name() {
        let s = load(
            "76377,26,,A,,0.79,0.28,,0.28,,0.05,1.12,1.12,1,XXX,0.00,0.00,0.00,,,,,,,32.3465\n\
                      99999,,,A,,1.00,2.00,,0.50,NA,0.10,3.10,1.60,0,000,,,,,,,,,,32.3465\n",
        )
        .unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s.conversion_factor(), Decimal::from_str("32.3465").unwrap());
        let r = s.get(code("76377"), Some("26")).unwrap();
        assert_eq!(r.work, Decimal::from_str("0.79").unwrap());
        assert_eq!(r.total(false), Decimal::from_str("1.12").unwrap());
        assert_eq!(r.to_string(), "76377-26");
        assert_eq!(r.global, Some(GlobalPeriod::Xxx));
        assert!(s.get(code("76377"), None).is_none());
        assert!(s.get(code("76377"), Some("TC")).is_none());
        let g = s.get(code("99999"), Some(" ")).unwrap();
        assert!(g.pe_facility_na && !g.pe_nonfacility_na);
        assert_eq!(g.pe(true), Decimal::from_str("0.50").unwrap());
    }

    #[test]
    fn reads_surgical_indicators_and_leaves_blanks_unset() {
        let s = load(
            "09001,,,A,,10.00,9.00,,5.00,,1.00,20.00,16.00,0,090,0.10,0.80,0.10,2,1,0,1,2,,32.3465\n\
             76377,,,A,,0.79,1.52,,1.52,,0.07,2.38,2.38,1,XXX,,,,,,,,,,32.3465\n",
        )
        .unwrap();
        let surgery = s.get(code("09001"), None).unwrap();
        assert_eq!(surgery.global.and_then(GlobalPeriod::days), Some(90));
        assert_eq!(
            surgery.surgery,
            SurgeryIndicators {
                mult_proc: Some(2),
                bilateral: Some(1),
                assistant: Some(0),
                co_surgeons: Some(1),
                team: Some(2),
            }
        );
        let imaging = s.get(code("76377"), None).unwrap();
        assert_eq!(imaging.surgery, SurgeryIndicators::default());
        let e = load("09001,,,A,,1,1,,1,,1,3,3,0,090,,,,2,X,,,,,32.3465\n").unwrap_err();
        assert!(
            matches!(
                e,
                TableError::Field {
                    column: "BILAT SURG",
                    ..
                }
            ),
            "{e}"
        );
    }

    #[test]
    fn errors_name_line_and_column() {
        let ok = "76377,,,A,,0.79,1.52,,1.52,,0.07,2.38,2.38,1,XXX,,,,,,,,,,32.3465\n";
        let e = load(&format!(
            "{ok}76376,,,A,,0.2O,0.55,,0.55,,0.02,0.77,0.77,1,XXX,,,,,,,,,,32.3465\n"
        ))
        .unwrap_err();
        assert!(
            matches!(
                e,
                TableError::Field {
                    line: 4,
                    column: "work RVU",
                    ..
                }
            ),
            "{e}"
        );
        let e = load(&format!(
            "{ok}76376,,,A,,0.20,0.55,,0.55,,0.02,0.77,0.77,1,XXX,,,,,,,,,,33.0000\n"
        ))
        .unwrap_err();
        assert!(
            matches!(
                e,
                TableError::Field {
                    line: 4,
                    column: "conversion factor",
                    ..
                }
            ),
            "{e}"
        );
        let e = load(&format!(
            "{ok}76376,,,A,,0.20,0.55,,0.55,,0.02,0.77,0.77,12,XXX,,,,,,,,,,32.3465\n"
        ))
        .unwrap_err();
        assert!(
            matches!(
                e,
                TableError::Field {
                    line: 4,
                    column: "PC/TC indicator",
                    ..
                }
            ),
            "{e}"
        );
        let e = load(&format!(
            "{ok}76376,,,A,,0.20,0.55,,0.55,,0.02,0.77,0.77,1,XYZ,,,,,,,,,,32.3465\n"
        ))
        .unwrap_err();
        assert!(
            matches!(
                e,
                TableError::Field {
                    line: 4,
                    column: "global days",
                    ..
                }
            ),
            "{e}"
        );
        let e = load(&format!("{ok}76376,,,A,,0.20\n")).unwrap_err();
        assert!(matches!(e, TableError::Shape { line: 4, .. }), "{e}");
        let e = load("76376,,,A,,0.20,0.55,,0.55,,0.02,0.77,0.77,1,XXX,,,,,,,,,,\n").unwrap_err();
        assert!(matches!(e, TableError::Shape { line: 2, .. }), "{e}");
        let e = FeeSchedule::from_bytes(b"Code,Mod\n76376,\n", "x.csv", jan_2025()).unwrap_err();
        assert!(matches!(e, TableError::Shape { line: 2, .. }), "{e}");
        let e = FeeSchedule::from_bytes(b"HCPCS,MOD,DESCRIPTION\n76376,,\n", "x.csv", jan_2025())
            .unwrap_err();
        assert!(matches!(e, TableError::Shape { line: 1, .. }), "{e}");
        assert!(e.to_string().contains("STATUS CODE"), "{e}");
    }

    #[test]
    fn duplicates_keep_the_first_row() {
        let s = load(
            "76377,,,A,,0.79,1.52,,1.52,,0.07,2.38,2.38,1,XXX,,,,,,,,,,32.3465\n\
                      76377,,,A,,9.99,1.52,,1.52,,0.07,2.38,2.38,1,XXX,,,,,,,,,,32.3465\n",
        )
        .unwrap();
        assert_eq!((s.len(), s.duplicate_rows()), (1, 1));
        assert_eq!(
            s.get(code("76377"), None).unwrap().work,
            Decimal::from_str("0.79").unwrap()
        );
    }
}
