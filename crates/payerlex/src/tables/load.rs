//! Reads a declared table's files into [`TableData`] through `payerlex-cms`.

use payerlex_cms::{AddOnTable, FeeSchedule, GpciTable, MueTable, MultiYearSchedule, PtpTable};

use super::lookup::{ymd, TableData};
use super::TableKind;

/// A table file could not be read or is not in its layout.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TableLoadError(pub String);

/// One file's bytes, with the name to use in messages and its start date.
pub struct TableBytes<'a> {
    /// Display name (`medicare/tables/mue.csv`).
    pub name: &'a str,
    /// The file's content.
    pub bytes: &'a [u8],
    /// First date in force (fee schedules).
    pub from: Option<crate::facts::Date>,
}

/// Parses a table of `kind` from its files (several files: PTP parts, or fee schedule years).
pub fn load_table(kind: TableKind, files: &[TableBytes<'_>]) -> Result<TableData, TableLoadError> {
    let error = |e: payerlex_cms::TableError| TableLoadError(e.to_string());
    let single = || -> Result<&TableBytes<'_>, TableLoadError> {
        match files {
            [one] => Ok(one),
            _ => Err(TableLoadError(format!(
                "a `{}` table reads exactly one file",
                kind.name()
            ))),
        }
    };
    Ok(match kind {
        TableKind::NcciPtp => {
            let mut table = PtpTable::new();
            for file in files {
                table.add_bytes(file.bytes, file.name).map_err(error)?;
            }
            TableData::Ptp(table)
        }
        TableKind::Mue => {
            let f = single()?;
            TableData::Mue(MueTable::from_bytes(f.bytes, f.name).map_err(error)?)
        }
        TableKind::AddOnCodes => {
            let f = single()?;
            TableData::AddOn(AddOnTable::from_bytes(f.bytes, f.name).map_err(error)?)
        }
        TableKind::Gpci => {
            let f = single()?;
            TableData::Gpci(GpciTable::from_bytes(f.bytes, f.name).map_err(error)?)
        }
        TableKind::FeeSchedule => {
            let mut schedules = MultiYearSchedule::new();
            for file in files {
                let from = file.from.ok_or_else(|| {
                    TableLoadError(format!(
                        "`{}`: a fee schedule file needs `from YYYY-MM-DD`",
                        file.name
                    ))
                })?;
                schedules.insert(
                    FeeSchedule::from_bytes(file.bytes, file.name, ymd(from)).map_err(error)?,
                );
            }
            TableData::Fees(schedules)
        }
    })
}
