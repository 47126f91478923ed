//! Medically Unlikely Edits (MUE): the most units of a code CMS pays per line or per day.
//!
//! Read from the CSV exactly as CMS publishes it (e.g.
//! `MCR_MUE_PractitionerServices_Eff_04-01-2026.csv`): Latin-1, record 1 a quoted multi-line
//! AMA notice, record 2 a header whose first cell holds a newline (`"HCPCS/\nCPT Code"`), then
//! one row per code: `code, MUE value, MAI text, rationale`. The file is parsed as RFC 4180
//! records (not lines), so the quoted newlines need no special case.
//!
//! Shape checks: the record just before the first data row must be the header (`HCPCS...`,
//! `... MUE Value(s)`, `MUE Adjudication Indicator`, optionally `MUE Rationale`); anything
//! before the header is preamble. Every data row must have the header's column count, a valid
//! code, an integer value and one of the three MAI texts. A code listed twice is an error:
//! the table is one value per code, and two would make the edit ambiguous.
//!
//! A code absent from the table is a *gap* (no MUE published), not a pass: [`MueTable::get`]
//! returns `None` and the engine decides what a gap means.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use payerlex_types::ProcedureCode;

use crate::csv::{Record, Records};
use crate::error::{decode_latin1, read_path, TableError};
use crate::header::{same_label, HeaderName};

/// MUE Adjudication Indicator: how the units are counted against the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Mai {
    /// `1 Line Edit`: per claim line; the same code on separate lines (with 76/77/91 or
    /// anatomic modifiers) may exceed it.
    Line = 1,
    /// `2 Date of Service Edit: Policy`: per date of service, absolute.
    DateOfServicePolicy = 2,
    /// `3 Date of Service Edit: Clinical`: per date of service; documentation may support more
    /// on appeal.
    DateOfServiceClinical = 3,
}

impl Mai {
    /// The indicator's number, 1-3.
    pub fn number(self) -> u8 {
        self as u8
    }

    /// The indicator for a number 1-3.
    pub fn from_number(n: u8) -> Option<Mai> {
        match n {
            1 => Some(Mai::Line),
            2 => Some(Mai::DateOfServicePolicy),
            3 => Some(Mai::DateOfServiceClinical),
            _ => None,
        }
    }

    /// True for MAI 2 and 3, which sum units over the whole date of service.
    pub fn is_per_date_of_service(self) -> bool {
        !matches!(self, Mai::Line)
    }

    /// The text CMS writes in the table for this indicator.
    pub fn cms_text(self) -> &'static str {
        match self {
            Mai::Line => "1 Line Edit",
            Mai::DateOfServicePolicy => "2 Date of Service Edit: Policy",
            Mai::DateOfServiceClinical => "3 Date of Service Edit: Clinical",
        }
    }

    /// Parses the MAI cell: one of the three CMS texts (case, spacing and punctuation ignored,
    /// as for header cells), or a bare digit `1`-`3` (as some spreadsheet re-exports leave it).
    pub fn parse(text: &str) -> Option<Mai> {
        [
            Mai::Line,
            Mai::DateOfServicePolicy,
            Mai::DateOfServiceClinical,
        ]
        .into_iter()
        .find(|m| same_label(text, m.cms_text()) || same_label(text, m.digit()))
    }

    /// The indicator's number as text.
    fn digit(self) -> &'static str {
        match self {
            Mai::Line => "1",
            Mai::DateOfServicePolicy => "2",
            Mai::DateOfServiceClinical => "3",
        }
    }
}

impl fmt::Display for Mai {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.cms_text())
    }
}

/// One code's MUE.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MueEntry {
    /// Most units payable (0 = not payable).
    pub value: u32,
    /// How units are counted.
    pub mai: Mai,
}

/// A whole MUE table (one of practitioner, outpatient hospital or DME).
#[derive(Clone, Debug, Default)]
pub struct MueTable {
    entries: BTreeMap<ProcedureCode, MueEntry>,
    rationales: BTreeMap<ProcedureCode, Box<str>>,
}

const EXPECTED_HEADER: &str =
    "a header row `HCPCS/CPT Code, <setting> MUE Values, MUE Adjudication Indicator, MUE Rationale`";

fn check_header(rec: &Record, source_name: &str) -> Result<(), TableError> {
    let cells: Vec<String> = rec
        .fields
        .iter()
        .map(|f| HeaderName::new(f).squashed())
        .collect();
    let ok = (3..=4).contains(&cells.len())
        && cells[0].contains("HCPCS")
        && cells[1].contains("MUEVALUE")
        && cells[2].contains("ADJUDICATIONINDICATOR")
        && cells.get(3).map_or(true, |c| c.contains("RATIONALE"));
    if ok {
        Ok(())
    } else {
        Err(TableError::shape(
            source_name,
            rec.line,
            &rec.fields.join(","),
            EXPECTED_HEADER,
        ))
    }
}

impl MueTable {
    /// Parses a MUE CSV as CMS publishes it (see the module docs). `source_name` names the file
    /// in errors.
    pub fn from_bytes(bytes: &[u8], source_name: &str) -> Result<MueTable, TableError> {
        let text = decode_latin1(bytes);
        let mut records = Records::new(&text, ',', source_name);
        // Preamble and header: the header is the non-blank record right before the first row
        // whose first cell is a code.
        let mut prev: Option<Record> = None;
        let first = loop {
            let Some(rec) = records.next().transpose()? else {
                return Err(TableError::shape(
                    source_name,
                    prev.as_ref().map_or(1, |r| r.line),
                    "end of file",
                    format!("{EXPECTED_HEADER} followed by data rows"),
                ));
            };
            if rec.is_blank() {
                continue;
            }
            if ProcedureCode::parse_table_key(rec.get(0).as_bytes()).is_some() {
                break rec;
            }
            prev = Some(rec);
        };
        let header = match prev {
            Some(h) => h,
            None => {
                return Err(TableError::shape(
                    source_name,
                    first.line,
                    &first.fields.join(","),
                    EXPECTED_HEADER,
                ))
            }
        };
        check_header(&header, source_name)?;
        let width = header.fields.len();

        let mut table = MueTable::default();
        let mut lines: BTreeMap<ProcedureCode, usize> = BTreeMap::new();
        let mut rec = Some(first);
        while let Some(r) = rec {
            if !r.is_blank() {
                table.push_row(&r, width, source_name, &mut lines)?;
            }
            rec = records.next().transpose()?;
        }
        Ok(table)
    }

    fn push_row(
        &mut self,
        r: &Record,
        width: usize,
        source_name: &str,
        lines: &mut BTreeMap<ProcedureCode, usize>,
    ) -> Result<(), TableError> {
        if r.fields.len() != width {
            return Err(TableError::shape(
                source_name,
                r.line,
                &r.fields.join(","),
                format!("{width} columns like the header, not {}", r.fields.len()),
            ));
        }
        let code = ProcedureCode::parse_table_key(r.get(0).as_bytes()).ok_or_else(|| {
            TableError::field(
                source_name,
                r.line,
                "HCPCS/CPT code",
                r.get(0),
                "5 characters, 0-9 or A-Z",
            )
        })?;
        let value: u32 = r.get(1).parse().map_err(|_| {
            TableError::field(
                source_name,
                r.line,
                "MUE value",
                r.get(1),
                "a whole number of units",
            )
        })?;
        let mai = Mai::parse(r.get(2)).ok_or_else(|| {
            TableError::field(
                source_name,
                r.line,
                "MUE adjudication indicator",
                r.get(2),
                "\"1 Line Edit\", \"2 Date of Service Edit: Policy\" or \"3 Date of Service Edit: Clinical\"",
            )
        })?;
        if let Some(first) = lines.insert(code, r.line) {
            return Err(TableError::field(
                source_name,
                r.line,
                "HCPCS/CPT code",
                r.get(0),
                format!("each code once (already listed on line {first})"),
            ));
        }
        self.entries.insert(code, MueEntry { value, mai });
        let rationale = r.get(3);
        if !rationale.is_empty() {
            self.rationales.insert(code, rationale.into());
        }
        Ok(())
    }

    /// Reads and parses a MUE CSV file; errors name the path.
    pub fn from_path(path: impl AsRef<Path>) -> Result<MueTable, TableError> {
        let (bytes, name) = read_path(path.as_ref())?;
        Self::from_bytes(&bytes, &name)
    }

    /// The MUE of a code, or `None` if the table has no row for it (a gap, not a pass).
    pub fn get(&self, code: ProcedureCode) -> Option<MueEntry> {
        self.entries.get(&code).copied()
    }

    /// The MUE rationale CMS gives for a code (e.g. `"Clinical: Data"`), if any.
    pub fn rationale(&self, code: ProcedureCode) -> Option<&str> {
        self.rationales.get(&code).map(|s| &**s)
    }

    /// Number of codes.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if the table has no codes.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// All codes and their MUEs, in code order.
    pub fn iter(&self) -> impl Iterator<Item = (ProcedureCode, MueEntry)> + '_ {
        self.entries.iter().map(|(code, entry)| (*code, *entry))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const NOTICE: &str = "\"CPT codes copyright 2025 American Medical Association.\n\nCPT\u{ae} is a registered trademark.\",,,\n";
    const HEADER: &str = "\"HCPCS/\nCPT Code\",Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale\n";

    fn code(text: &str) -> ProcedureCode {
        ProcedureCode::parse(text).unwrap()
    }

    fn latin1(s: &str) -> Vec<u8> {
        s.chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap())
            .collect()
    }

    #[test]
    fn parses_the_published_shape() {
        let text = format!(
            "{NOTICE}{HEADER}76376,2,3 Date of Service Edit: Clinical,Clinical: Data\n\
             G0463,0,2 Date of Service Edit: Policy,\"CMS Policy, see manual\"\n\
             \n\
             0001U,1,1 Line Edit,Code Descriptor / CPT Instruction\n"
        );
        let t = MueTable::from_bytes(&latin1(&text), "mini.csv").unwrap();
        assert_eq!(t.len(), 3);
        assert_eq!(
            t.get(code("76376")),
            Some(MueEntry {
                value: 2,
                mai: Mai::DateOfServiceClinical
            })
        );
        assert_eq!(t.get(code("G0463")).map(|e| e.value), Some(0));
        assert_eq!(t.rationale(code("G0463")), Some("CMS Policy, see manual"));
        assert_eq!(t.get(code("99999")), None);
        let codes: Vec<String> = t.iter().map(|(c, _)| c.to_string()).collect();
        assert_eq!(codes, ["0001U", "76376", "G0463"]);
    }

    #[test]
    fn wrong_header_names_its_line() {
        let text = format!(
            "{NOTICE}Code,Units,Indicator,Why\n76376,2,3 Date of Service Edit: Clinical,x\n"
        );
        let e = MueTable::from_bytes(text.as_bytes(), "wrong.csv").unwrap_err();
        assert!(matches!(e, TableError::Shape { line: 4, .. }), "{e}");
        assert!(e.to_string().starts_with("wrong.csv:4: "), "{e}");
    }

    #[test]
    fn data_without_header_is_refused() {
        let e = MueTable::from_bytes(b"76376,2,1 Line Edit,x\n", "nohdr.csv").unwrap_err();
        assert_eq!(e.line(), Some(1));
    }

    #[test]
    fn bad_mai_text_names_its_line() {
        let text = format!(
            "{NOTICE}{HEADER}76376,2,3 Date of Service Edit: Clinical,x\n76377,2,4 Whenever,x\n"
        );
        let e = MueTable::from_bytes(text.as_bytes(), "mai.csv").unwrap_err();
        assert!(
            matches!(&e, TableError::Field { line: 7, column: "MUE adjudication indicator", found, .. } if found == "4 Whenever"),
            "{e}"
        );
        assert!(e.to_string().contains("mai.csv:7"), "{e}");
    }

    #[test]
    fn bad_value_and_bad_code_and_column_count() {
        let base = format!("{NOTICE}{HEADER}");
        let e = MueTable::from_bytes(format!("{base}76376,two,1 Line Edit,x\n").as_bytes(), "v")
            .unwrap_err();
        assert!(
            matches!(
                e,
                TableError::Field {
                    line: 6,
                    column: "MUE value",
                    ..
                }
            ),
            "{e}"
        );
        let e = MueTable::from_bytes(
            format!("{base}76376,2,1 Line Edit,x\n7637,2,1 Line Edit,x\n").as_bytes(),
            "c",
        )
        .unwrap_err();
        assert!(
            matches!(
                e,
                TableError::Field {
                    line: 7,
                    column: "HCPCS/CPT code",
                    ..
                }
            ),
            "{e}"
        );
        let e = MueTable::from_bytes(format!("{base}76376,2,1 Line Edit\n").as_bytes(), "n")
            .unwrap_err();
        assert!(matches!(e, TableError::Shape { line: 6, .. }), "{e}");
        let e = MueTable::from_bytes(
            format!("{base}76376,2,1 Line Edit,x\n76376,3,1 Line Edit,x\n").as_bytes(),
            "d",
        )
        .unwrap_err();
        assert!(e.to_string().contains("already listed on line 6"), "{e}");
    }

    #[test]
    fn truncated_quote_names_the_line_it_opened_on() {
        let text = format!(
            "{NOTICE}{HEADER}76376,2,3 Date of Service Edit: Clinical,\"Clinical: Data\n76377,2"
        );
        let e = MueTable::from_bytes(text.as_bytes(), "cut.csv").unwrap_err();
        assert!(
            matches!(e, TableError::UnterminatedQuote { line: 6, .. }),
            "{e}"
        );
        assert!(e.to_string().starts_with("cut.csv:6:"), "{e}");
        // A notice whose quote never closes is caught too.
        let e = MueTable::from_bytes(b"\"CPT notice\n\nno end", "cut2.csv").unwrap_err();
        assert_eq!(e.line(), Some(1));
    }

    #[test]
    fn empty_and_preamble_only_files_are_refused() {
        assert!(MueTable::from_bytes(b"", "e").is_err());
        assert!(MueTable::from_bytes(format!("{NOTICE}{HEADER}").as_bytes(), "h").is_err());
    }

    #[test]
    fn mai_parsing() {
        assert_eq!(
            Mai::parse("3 Date of Service Edit: Clinical"),
            Some(Mai::DateOfServiceClinical)
        );
        assert_eq!(
            Mai::parse("  2 date of service edit:  policy "),
            Some(Mai::DateOfServicePolicy)
        );
        assert_eq!(Mai::parse("1"), Some(Mai::Line));
        assert_eq!(Mai::parse("1 Line"), None);
        assert_eq!(Mai::parse(""), None);
        assert!(Mai::DateOfServicePolicy.is_per_date_of_service());
        assert!(!Mai::Line.is_per_date_of_service());
        assert_eq!(Mai::from_number(3).map(Mai::number), Some(3));
    }
}
