//! Medicare physician fee schedule: relative value units (PPRRVU) and GPCIs.
//!
//! **PPRRVU** (the "National Physician Fee Schedule Relative Value File", CSV as CMS publishes
//! it in `rvuYYx.zip`): a few banner rows (title, AMA notice), then a header row whose first
//! cell is `HCPCS`, then one row per (code, modifier). Modifier blank = global service; `26` =
//! professional component, `TC` = technical component, `53` = discontinued. Column order in
//! recent releases (0-based), which this loader does not rely on:
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
//! short "title fragment" rows (first cell empty). Both a one-row header (as in the fixtures'
//! 2025 file) and a stacked one (2026 fixture) load. Required: HCPCS, MOD, STATUS, WORK RVU,
//! NON-FAC PE RVU, FACILITY PE RVU, MP RVU, PCTC IND, GLOB DAYS, CONV FACTOR; the NA indicator
//! columns are optional. RVUs are read as exact decimals (never floats). The conversion factor
//! is repeated on every row; the schedule's CF is that value, and a row with a different
//! non-zero CF is refused. A repeated (code, modifier) keeps the first row and is counted
//! ([`FeeSchedule::duplicate_rows`]).
//!
//! **GPCI** (`GPCIYYYY.csv`): banner rows, then a header row naming the Medicare
//! Administrative Contractor, State, Locality Number, Locality Name, PW GPCI (CMS gives it
//! without and with the 1.0 work floor: the with-floor value is the one paid and is preferred),
//! PE GPCI and MP GPCI; then one row per locality. Footnote rows (only a first cell) and blank
//! rows are skipped.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::code::{code_key, code_str, CodeKey};
use crate::csv::{Record, Records};
use crate::date::Ymd;
use crate::error::{decode_latin1, read_path, TableError};

/// Global surgery period (PPRRVU `GLOB DAYS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GlobalPeriod {
    /// `000`: day of the procedure.
    Days0,
    /// `010`: 10 post-operative days.
    Days10,
    /// `090`: 90 post-operative days.
    Days90,
    /// `MMM`: maternity.
    Mmm,
    /// `XXX`: the global concept does not apply.
    Xxx,
    /// `YYY`: the contractor sets the period.
    Yyy,
    /// `ZZZ`: within the global period of another service (typical of add-on codes).
    Zzz,
}

impl GlobalPeriod {
    /// Parses the three-character CMS value.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "000" => GlobalPeriod::Days0,
            "010" => GlobalPeriod::Days10,
            "090" => GlobalPeriod::Days90,
            "MMM" => GlobalPeriod::Mmm,
            "XXX" => GlobalPeriod::Xxx,
            "YYY" => GlobalPeriod::Yyy,
            "ZZZ" => GlobalPeriod::Zzz,
            _ => return None,
        })
    }

    /// The CMS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            GlobalPeriod::Days0 => "000",
            GlobalPeriod::Days10 => "010",
            GlobalPeriod::Days90 => "090",
            GlobalPeriod::Mmm => "MMM",
            GlobalPeriod::Xxx => "XXX",
            GlobalPeriod::Yyy => "YYY",
            GlobalPeriod::Zzz => "ZZZ",
        }
    }
}

impl fmt::Display for GlobalPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A pricing modifier as two uppercase ASCII bytes (`26`, `TC`, `53`).
pub type ModifierKey = [u8; 2];

fn modifier_key(s: &str) -> Option<ModifierKey> {
    let b = s.trim().as_bytes();
    let [a, c] = b else { return None };
    (a.is_ascii_alphanumeric() && c.is_ascii_alphanumeric())
        .then(|| [a.to_ascii_uppercase(), c.to_ascii_uppercase()])
}

/// One PPRRVU row: a code with an optional pricing modifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RvuRow {
    /// The code.
    pub code: CodeKey,
    /// The modifier (`None` = global service).
    pub modifier: Option<ModifierKey>,
    /// Status code (`A` active, `B` bundled, `C` carrier priced, `I` not valid for Medicare,
    /// `N` non-covered, `R` restricted, `T` injections, `X` statutory exclusion, ...).
    pub status: char,
    /// Work RVU.
    pub work: Decimal,
    /// Non-facility practice expense RVU.
    pub pe_nonfacility: Decimal,
    /// `NA` in the non-facility NA indicator (CMS has not set a non-facility PE).
    pub pe_nonfacility_na: bool,
    /// Facility practice expense RVU.
    pub pe_facility: Decimal,
    /// `NA` in the facility NA indicator.
    pub pe_facility_na: bool,
    /// Malpractice RVU.
    pub mp: Decimal,
    /// PC/TC indicator 0-9 (1 = diagnostic test with 26 and TC).
    pub pctc: u8,
    /// Global period, if given.
    pub global: Option<GlobalPeriod>,
}

impl RvuRow {
    /// The practice expense RVU for the setting.
    pub fn pe(&self, facility: bool) -> Decimal {
        if facility {
            self.pe_facility
        } else {
            self.pe_nonfacility
        }
    }

    /// Work + PE + MP for the setting (the file's "TOTAL" columns).
    pub fn total(&self, facility: bool) -> Decimal {
        self.work + self.pe(facility) + self.mp
    }

    /// The modifier as text (`""` for the global row).
    pub fn modifier_str(&self) -> &str {
        self.modifier
            .as_ref()
            .and_then(|m| std::str::from_utf8(m).ok())
            .unwrap_or("")
    }
}

/// Uppercase with runs of whitespace collapsed to one space.
fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

/// Header words, split on spaces and hyphens.
fn words(name: &str) -> Vec<&str> {
    name.split([' ', '-']).filter(|w| !w.is_empty()).collect()
}

/// Reads all records of a Latin-1 CSV.
fn read_records(bytes: &[u8], source_name: &str) -> Result<Vec<Record>, TableError> {
    let text = decode_latin1(bytes);
    Records::new(&text, ',', source_name).collect()
}

/// A short header fragment row above the header: first cell empty, some text, no long cell.
fn is_fragment_row(r: &Record) -> bool {
    r.get(0).is_empty() && !r.is_blank() && r.fields.iter().all(|f| f.trim().chars().count() <= 40)
}

/// Column names for the header at `h`, joined with the fragment rows above it.
fn stacked_names(records: &[Record], h: usize) -> Vec<String> {
    let above: Vec<&Record> = records[..h]
        .iter()
        .rev()
        .take(4)
        .take_while(|r| r.is_blank() || is_fragment_row(r))
        .collect();
    let width = records[h].fields.len();
    (0..width)
        .map(|i| {
            let parts = above
                .iter()
                .rev()
                .map(|r| r.get(i))
                .chain([records[h].get(i)]);
            norm(
                &parts
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        })
        .collect()
}

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
}

impl RvuColumns {
    fn locate(names: &[String]) -> Result<RvuColumns, &'static str> {
        let find =
            |pred: &dyn Fn(&str, &[&str]) -> bool| names.iter().position(|n| pred(n, &words(n)));
        let has = |w: &[&str], x: &str| w.contains(&x);
        let fac_first = |w: &[&str]| w.first().is_some_and(|f| f.starts_with("FAC"));
        let req = |c: Option<usize>, name: &'static str| c.ok_or(name);
        Ok(RvuColumns {
            code: 0,
            modifier: req(find(&|n, _| n == "MOD"), "MOD")?,
            status: req(find(&|_, w| has(w, "STATUS")), "STATUS CODE")?,
            work: req(find(&|_, w| has(w, "WORK") && has(w, "RVU")), "WORK RVU")?,
            pe_nf: req(
                find(&|_, w| has(w, "NON") && has(w, "PE") && has(w, "RVU")),
                "NON-FAC PE RVU",
            )?,
            na_nf: find(&|_, w| has(w, "NON") && has(w, "NA")),
            pe_f: req(
                find(&|_, w| fac_first(w) && has(w, "PE") && has(w, "RVU")),
                "FACILITY PE RVU",
            )?,
            na_f: find(&|_, w| fac_first(w) && has(w, "NA")),
            mp: req(
                find(&|_, w| w.first() == Some(&"MP") && has(w, "RVU")),
                "MP RVU",
            )?,
            pctc: req(find(&|_, w| has(w, "PCTC")), "PCTC IND")?,
            global: req(
                find(&|_, w| w.first().is_some_and(|f| f.starts_with("GLOB"))),
                "GLOB DAYS",
            )?,
            cf: req(
                find(&|_, w| w.first().is_some_and(|f| f.starts_with("CONV"))),
                "CONV FACTOR",
            )?,
        })
    }

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

/// One year's (or release's) physician fee schedule: RVUs per code and modifier, the conversion
/// factor, and the period it applies to.
#[derive(Clone, Debug)]
pub struct FeeSchedule {
    source_name: String,
    effective_from: Ymd,
    effective_to: Option<Ymd>,
    conversion_factor: Decimal,
    rows: HashMap<(CodeKey, Option<ModifierKey>), RvuRow>,
    duplicates: usize,
}

const EXPECTED_RVU_HEADER: &str =
    "a PPRRVU header row starting `HCPCS,MOD,DESCRIPTION,STATUS CODE,...`";

impl FeeSchedule {
    /// Parses a PPRRVU CSV (see the module docs). The file does not state its dates, so the
    /// caller gives the first day it applies (e.g. `Ymd(20250101)` for `PPRRVU25_JAN`).
    pub fn from_bytes(
        bytes: &[u8],
        source_name: &str,
        effective_from: Ymd,
    ) -> Result<FeeSchedule, TableError> {
        let records = read_records(bytes, source_name)?;
        let Some(h) = records
            .iter()
            .position(|r| r.get(0).eq_ignore_ascii_case("HCPCS"))
        else {
            let line = records
                .iter()
                .find(|r| code_key(r.get(0)).is_some())
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
            TableError::shape(
                source_name,
                header.line,
                &names.join(","),
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
            let bad = |column: &'static str, text: &str, expected: &str| {
                TableError::field(source_name, r.line, column, text, expected)
            };
            let code = code_key(r.get(cols.code))
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
            let global =
                match r.get(cols.global) {
                    "" => None,
                    g => Some(GlobalPeriod::parse(g).ok_or_else(|| {
                        bad("global days", g, "000, 010, 090, MMM, XXX, YYY or ZZZ")
                    })?),
                };
            let cf = decimal(r, cols.cf, "conversion factor", source_name)?;
            if !cf.is_zero() {
                if schedule.conversion_factor.is_zero() {
                    schedule.conversion_factor = cf;
                    cf_line = r.line;
                } else if cf != schedule.conversion_factor {
                    return Err(bad(
                        "conversion factor",
                        r.get(cols.cf),
                        &format!(
                            "the same conversion factor as line {cf_line} ({})",
                            schedule.conversion_factor
                        ),
                    ));
                }
            }
            let row = RvuRow {
                code,
                modifier,
                status,
                work: decimal(r, cols.work, "work RVU", source_name)?,
                pe_nonfacility: decimal(r, cols.pe_nf, "non-facility PE RVU", source_name)?,
                pe_nonfacility_na: na_flag(
                    r,
                    cols.na_nf,
                    "non-facility NA indicator",
                    source_name,
                )?,
                pe_facility: decimal(r, cols.pe_f, "facility PE RVU", source_name)?,
                pe_facility_na: na_flag(r, cols.na_f, "facility NA indicator", source_name)?,
                mp: decimal(r, cols.mp, "MP RVU", source_name)?,
                pctc,
                global,
            };
            match schedule.rows.entry((code, modifier)) {
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(row);
                }
                std::collections::hash_map::Entry::Occupied(_) => schedule.duplicates += 1,
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
        effective_from: Ymd,
    ) -> Result<FeeSchedule, TableError> {
        let (bytes, name) = read_path(path.as_ref())?;
        Self::from_bytes(&bytes, &name, effective_from)
    }

    /// Sets the last day the schedule applies (otherwise it runs until a later schedule starts,
    /// see [`crate::MultiYearSchedule`]).
    pub fn with_effective_to(mut self, last_day: Ymd) -> Self {
        self.effective_to = Some(last_day);
        self
    }

    /// The RVU row for a code and pricing modifier (`None` = global). Only the modifiers that
    /// have their own rows in the file (26, TC, 53) select a row; pass no other modifier.
    pub fn get(&self, code: &CodeKey, modifier: Option<&str>) -> Option<&RvuRow> {
        let m = match modifier {
            None => None,
            Some(m) if m.trim().is_empty() => None,
            Some(m) => Some(modifier_key(m)?),
        };
        self.rows.get(&(*code, m))
    }

    /// The conversion factor (dollars per RVU).
    pub fn conversion_factor(&self) -> Decimal {
        self.conversion_factor
    }

    /// First day the schedule applies.
    pub fn effective_from(&self) -> Ymd {
        self.effective_from
    }

    /// Last day the schedule applies, if set.
    pub fn effective_to(&self) -> Option<Ymd> {
        self.effective_to
    }

    /// True if `dos` falls in the schedule's period.
    pub fn covers(&self, dos: Ymd) -> bool {
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

/// One payment locality's geographic practice cost indices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gpci {
    /// Medicare Administrative Contractor number (e.g. `01112`); empty for [`Gpci::national`].
    pub contractor: String,
    /// Two-letter state, if given.
    pub state: String,
    /// Locality number within the contractor (e.g. `01`).
    pub locality: String,
    /// Locality name.
    pub name: String,
    /// Work GPCI (with the 1.0 floor where the file gives both).
    pub work: Decimal,
    /// Practice expense GPCI.
    pub pe: Decimal,
    /// Malpractice GPCI.
    pub mp: Decimal,
}

impl Gpci {
    /// All indices 1.0: the national amount.
    pub fn national() -> Gpci {
        Gpci {
            contractor: String::new(),
            state: String::new(),
            locality: String::new(),
            name: "NATIONAL".to_owned(),
            work: Decimal::ONE,
            pe: Decimal::ONE,
            mp: Decimal::ONE,
        }
    }
}

/// A year's GPCI table.
#[derive(Clone, Debug, Default)]
pub struct GpciTable {
    localities: Vec<Gpci>,
    index: HashMap<(String, String), usize>,
}

const EXPECTED_GPCI_HEADER: &str =
    "a GPCI header row naming the Medicare Administrative Contractor, Locality Number, \
     PW GPCI, PE GPCI and MP GPCI";

struct GpciColumns {
    contractor: usize,
    state: Option<usize>,
    locality: usize,
    name: Option<usize>,
    work: usize,
    pe: usize,
    mp: usize,
}

impl GpciColumns {
    fn locate(r: &Record) -> Option<GpciColumns> {
        let names: Vec<String> = r.fields.iter().map(|f| norm(f)).collect();
        let find = |pred: &dyn Fn(&str) -> bool| names.iter().position(|n| pred(n));
        let work = find(&|n| {
            (n.contains("PW GPCI") || n.contains("WORK GPCI"))
                && n.contains("WITH 1.0")
                && !n.contains("WITHOUT")
        })
        .or_else(|| find(&|n| n.contains("PW GPCI") || n.contains("WORK GPCI")))?;
        let cols = GpciColumns {
            contractor: find(&|n| n.contains("CONTRACTOR") || n == "MAC" || n.contains("CARRIER"))?,
            state: find(&|n| n == "STATE"),
            locality: find(&|n| n.contains("LOCALITY") && !n.contains("NAME"))?,
            name: find(&|n| n.contains("LOCALITY NAME")),
            work,
            pe: find(&|n| n.contains("PE GPCI"))?,
            mp: find(&|n| n.contains("MP GPCI"))?,
        };
        // Distinct cells, so that one long banner cell naming every column is not a header.
        let mut idx = [cols.contractor, cols.locality, cols.work, cols.pe, cols.mp];
        idx.sort_unstable();
        idx.windows(2).all(|w| w[0] != w[1]).then_some(cols)
    }
}

impl GpciTable {
    /// Parses a GPCI CSV (see the module docs).
    pub fn from_bytes(bytes: &[u8], source_name: &str) -> Result<GpciTable, TableError> {
        let records = read_records(bytes, source_name)?;
        let Some((h, cols)) = records
            .iter()
            .enumerate()
            .find_map(|(i, r)| GpciColumns::locate(r).map(|c| (i, c)))
        else {
            return Err(TableError::shape(
                source_name,
                1,
                "no GPCI header row",
                EXPECTED_GPCI_HEADER,
            ));
        };
        let mut table = GpciTable::default();
        let need = [cols.contractor, cols.locality, cols.work, cols.pe, cols.mp]
            .into_iter()
            .max()
            .unwrap_or(0)
            + 1;
        for r in &records[h + 1..] {
            if r.is_blank() || r.fields.iter().skip(1).all(|f| f.trim().is_empty()) {
                continue; // blank or footnote
            }
            if r.fields.len() < need {
                return Err(TableError::shape(
                    source_name,
                    r.line,
                    &r.fields.join(","),
                    format!(
                        "at least {need} cells, as in the header on line {}",
                        records[h].line
                    ),
                ));
            }
            let bad = |column: &'static str, text: &str, expected: &str| {
                TableError::field(source_name, r.line, column, text, expected)
            };
            let contractor = r.get(cols.contractor);
            if contractor.len() != 5 || !contractor.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("contractor", contractor, "a 5-digit MAC number"));
            }
            let mut locality = r.get(cols.locality).to_owned();
            if locality.is_empty() || !locality.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(bad(
                    "locality number",
                    &locality,
                    "a locality number such as 01",
                ));
            }
            if locality.len() == 1 {
                locality.insert(0, '0');
            }
            let dec = |i: usize, column: &'static str| {
                Decimal::from_str(r.get(i))
                    .map_err(|_| bad(column, r.get(i), "a decimal index such as 1.000"))
            };
            let g = Gpci {
                contractor: contractor.to_owned(),
                state: cols.state.map_or("", |i| r.get(i)).to_owned(),
                locality,
                name: cols.name.map_or("", |i| r.get(i)).to_owned(),
                work: dec(cols.work, "work GPCI")?,
                pe: dec(cols.pe, "PE GPCI")?,
                mp: dec(cols.mp, "MP GPCI")?,
            };
            let key = (g.contractor.clone(), g.locality.clone());
            if table.index.contains_key(&key) {
                return Err(bad(
                    "locality number",
                    &g.locality,
                    "each contractor and locality once",
                ));
            }
            table.index.insert(key, table.localities.len());
            table.localities.push(g);
        }
        if table.localities.is_empty() {
            return Err(TableError::shape(
                source_name,
                records[h].line,
                "no localities after the header",
                "GPCI rows",
            ));
        }
        Ok(table)
    }

    /// Reads and parses a GPCI file; errors name the path.
    pub fn from_path(path: impl AsRef<Path>) -> Result<GpciTable, TableError> {
        let (bytes, name) = read_path(path.as_ref())?;
        Self::from_bytes(&bytes, &name)
    }

    /// The locality of a contractor (`01112`) and locality number (`01`; `1` is padded).
    pub fn get(&self, contractor: &str, locality: &str) -> Option<&Gpci> {
        let locality = locality.trim();
        let locality = if locality.len() == 1 {
            format!("0{locality}")
        } else {
            locality.to_owned()
        };
        self.index
            .get(&(contractor.trim().to_owned(), locality))
            .and_then(|&i| self.localities.get(i))
    }

    /// All localities, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Gpci> + '_ {
        self.localities.iter()
    }

    /// Number of localities.
    pub fn len(&self) -> usize {
        self.localities.len()
    }

    /// True if there are no localities.
    pub fn is_empty(&self) -> bool {
        self.localities.is_empty()
    }
}

impl fmt::Display for RvuRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.modifier_str();
        write!(
            f,
            "{}{}{}",
            code_str(&self.code),
            if m.is_empty() { "" } else { "-" },
            m
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const HEADER: &str = "HCPCS,MOD,DESCRIPTION,STATUS CODE,NOT USED FOR MEDICARE PAYMENT,WORK RVU,NON-FAC PE RVU,\
        NON-FAC NA INDICATOR,FACILITY PE RVU,FACILITY NA INDICATOR,MP RVU,NON-FACILITY TOTAL,FACILITY TOTAL,PCTC IND,\
        GLOB DAYS,PRE OP,INTRA OP,POST OP,MULT PROC,BILAT SURG,ASST SURG,CO-SURG,TEAM SURG,ENDO BASE,CONV FACTOR\n";

    fn load(rows: &str) -> Result<FeeSchedule, TableError> {
        FeeSchedule::from_bytes(
            format!("\"Title, with comma\",,,\n{HEADER}{rows}").as_bytes(),
            "p.csv",
            Ymd(20250101),
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
        let r = s.get(b"76377", Some("26")).unwrap();
        assert_eq!(r.work, Decimal::from_str("0.79").unwrap());
        assert_eq!(r.total(false), Decimal::from_str("1.12").unwrap());
        assert_eq!(r.to_string(), "76377-26");
        assert_eq!(r.global, Some(GlobalPeriod::Xxx));
        assert!(s.get(b"76377", None).is_none());
        assert!(s.get(b"76377", Some("TC")).is_none());
        let g = s.get(b"99999", Some(" ")).unwrap();
        assert!(g.pe_facility_na && !g.pe_nonfacility_na);
        assert_eq!(g.pe(true), Decimal::from_str("0.50").unwrap());
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
        let e = FeeSchedule::from_bytes(b"Code,Mod\n76376,\n", "x.csv", Ymd(20250101)).unwrap_err();
        assert!(matches!(e, TableError::Shape { line: 2, .. }), "{e}");
        let e =
            FeeSchedule::from_bytes(b"HCPCS,MOD,DESCRIPTION\n76376,,\n", "x.csv", Ymd(20250101))
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
            s.get(b"76377", None).unwrap().work,
            Decimal::from_str("0.79").unwrap()
        );
    }

    #[test]
    fn gpci_errors_and_padding() {
        let head = "MAC,State,Locality Number,Locality Name,PW GPCI,PE GPCI,MP GPCI\n";
        let t = GpciTable::from_bytes(
            format!("{head}01112,NY,1,TEST,1.000,1.100,0.900\n").as_bytes(),
            "g",
        )
        .unwrap();
        assert_eq!(t.get("01112", "01").unwrap().locality, "01");
        assert!(t.get("01112", "1").is_some());
        let e = GpciTable::from_bytes(
            format!("{head}01112,NY,01,TEST,1.0x0,1.100,0.900\n").as_bytes(),
            "g",
        )
        .unwrap_err();
        assert!(
            matches!(
                e,
                TableError::Field {
                    line: 2,
                    column: "work GPCI",
                    ..
                }
            ),
            "{e}"
        );
        let e = GpciTable::from_bytes(
            format!("{head}1112,NY,01,TEST,1.000,1.100,0.900\n").as_bytes(),
            "g",
        )
        .unwrap_err();
        assert!(
            matches!(
                e,
                TableError::Field {
                    line: 2,
                    column: "contractor",
                    ..
                }
            ),
            "{e}"
        );
        let dup = format!("{head}01112,NY,01,A,1,1,1\n01112,NY,01,B,1,1,1\n");
        assert!(GpciTable::from_bytes(dup.as_bytes(), "g").is_err());
        let e = GpciTable::from_bytes(b"a,b\n1,2\n", "g").unwrap_err();
        assert!(matches!(e, TableError::Shape { line: 1, .. }), "{e}");
    }
}
