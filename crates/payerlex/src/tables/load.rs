//! Reads a declared table's files into [`TableData`] through `payerlex-cms`.
//!
//! A failure is a typed [`TableLoadError`]: the CMS reader's own [`TableError`] (which file,
//! which line, what was found and expected) kept whole, or one of the two ways a declaration
//! and its files can disagree. The pack linker renders it into a diagnostic on the table's
//! declaration.

use payerlex_cms::{
    AddOnTable, FeeSchedule, GpciTable, MueTable, MultiYearSchedule, PtpTable, TableError,
};

use super::lookup::TableData;
use super::TableKind;
use crate::facts::Date;

/// A table file could not be read or is not in its layout.
#[derive(Debug, thiserror::Error)]
pub enum TableLoadError {
    /// A file is not in the table's CMS layout (or could not be read); the message names the
    /// file and line. Shown as the reader's own message.
    #[error(transparent)]
    Table(#[from] TableError),
    /// A single-file layout (MUE, add-on codes, GPCI) was given several files, or none.
    #[error("a `{}` table reads exactly one file", kind.name())]
    NotOneFile {
        /// The table's layout.
        kind: TableKind,
        /// How many files were given.
        files: usize,
    },
    /// A fee schedule file has no start date (`from YYYY-MM-DD` in the declaration).
    #[error("`{file}`: a fee schedule file needs `from YYYY-MM-DD`")]
    MissingFrom {
        /// The file, as named in messages.
        file: String,
    },
}

/// One file's bytes, with the name to use in messages and its start date.
pub struct TableBytes<'a> {
    /// Display name (`medicare/tables/mue.csv`).
    pub name: &'a str,
    /// The file's content.
    pub bytes: &'a [u8],
    /// First date in force (fee schedules).
    pub from: Option<Date>,
}

/// Parses a table of `kind` from its files (several files: PTP parts, or fee schedule years).
pub fn load_table(kind: TableKind, files: &[TableBytes<'_>]) -> Result<TableData, TableLoadError> {
    let single = || -> Result<&TableBytes<'_>, TableLoadError> {
        match files {
            [one] => Ok(one),
            _ => Err(TableLoadError::NotOneFile {
                kind,
                files: files.len(),
            }),
        }
    };
    Ok(match kind {
        TableKind::NcciPtp => {
            let mut table = PtpTable::new();
            for file in files {
                table.add_bytes(file.bytes, file.name)?;
            }
            TableData::Ptp(table)
        }
        TableKind::Mue => {
            let f = single()?;
            TableData::Mue(MueTable::from_bytes(f.bytes, f.name)?)
        }
        TableKind::AddOnCodes => {
            let f = single()?;
            TableData::AddOn(AddOnTable::from_bytes(f.bytes, f.name)?)
        }
        TableKind::Gpci => {
            let f = single()?;
            TableData::Gpci(GpciTable::from_bytes(f.bytes, f.name)?)
        }
        TableKind::FeeSchedule => {
            let mut schedules = MultiYearSchedule::new();
            for file in files {
                let from = file.from.ok_or_else(|| TableLoadError::MissingFrom {
                    file: file.name.to_owned(),
                })?;
                schedules.insert(FeeSchedule::from_bytes(file.bytes, file.name, from)?);
            }
            TableData::Fees(schedules)
        }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use std::error::Error;

    use super::*;

    fn file<'a>(name: &'a str, bytes: &'a [u8], from: Option<Date>) -> TableBytes<'a> {
        TableBytes { name, bytes, from }
    }

    #[test]
    fn errors_are_typed_and_keep_their_messages() {
        let e = load_table(TableKind::Mue, &[]).unwrap_err();
        assert!(matches!(
            e,
            TableLoadError::NotOneFile {
                kind: TableKind::Mue,
                files: 0
            }
        ));
        assert_eq!(e.to_string(), "a `mue` table reads exactly one file");

        let e = load_table(TableKind::FeeSchedule, &[file("p.csv", b"", None)]).unwrap_err();
        assert!(matches!(&e, TableLoadError::MissingFrom { file } if file == "p.csv"));
        assert_eq!(
            e.to_string(),
            "`p.csv`: a fee schedule file needs `from YYYY-MM-DD`"
        );

        let e = load_table(TableKind::Mue, &[file("m.csv", b"Code,Units\n", None)]).unwrap_err();
        let TableLoadError::Table(inner) = &e else {
            panic!("{e:?}")
        };
        assert_eq!(inner.source_name(), "m.csv");
        assert_eq!(e.to_string(), inner.to_string());
        assert!(
            e.source().is_none(),
            "a shape error has no underlying cause"
        );
    }
}
