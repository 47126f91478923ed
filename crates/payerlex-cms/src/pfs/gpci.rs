//! Geographic practice cost indices (GPCI): the locality adjustment of each RVU component.
//!
//! Layout (`GPCIYYYY.csv`, as CMS publishes it): banner rows, then a header row naming the
//! Medicare Administrative Contractor, State, Locality Number, Locality Name, PW GPCI (CMS
//! gives it without and with the 1.0 work floor: the with-floor value is the one paid and is
//! preferred), PE GPCI and MP GPCI; then one row per locality. Columns are found by name
//! through the crate's header normaliser; the header is the first row where the five required
//! names sit in five distinct cells. Footnote rows (only a first cell) and blank rows are
//! skipped. A one-digit locality number is padded (`1` = `01`), as CMS writes it both ways.

use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::csv::{read_records, Record};
use crate::error::{read_path, TableError};
use crate::header::HeaderName;

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
        let names: Vec<HeaderName> = r.fields.iter().map(|f| HeaderName::new(f)).collect();
        let find = |pred: &dyn Fn(&HeaderName) -> bool| names.iter().position(pred);
        let work = find(&|n| {
            (n.contains("PW GPCI") || n.contains("WORK GPCI"))
                && n.contains("WITH 1 0")
                && !n.contains("WITHOUT")
        })
        .or_else(|| find(&|n| n.contains("PW GPCI") || n.contains("WORK GPCI")))?;
        let cols = GpciColumns {
            contractor: find(&|n| {
                n.contains("CONTRACTOR") || n.as_str() == "MAC" || n.contains("CARRIER")
            })?,
            state: find(&|n| n.as_str() == "STATE"),
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

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
