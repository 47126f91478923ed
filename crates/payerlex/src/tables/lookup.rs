//! Loaded tables and row lookups keyed by claim codes and dated by the line's date of service.

use std::sync::{Arc, OnceLock};

use payerlex_cms::{AddOnTable, GpciTable, MueTable, MultiYearSchedule, PtpTable};

use super::{TableField, TableKind};
use crate::facts::{Date, ProcedureCode};
use crate::source::{SourceFile, Span};

/// One file of a declared table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableFile {
    /// Path relative to the pack folder.
    pub path: String,
    /// First date of service the file applies to (fee schedules).
    pub from: Option<Date>,
    /// Where the path was written.
    pub span: Span,
}

/// The rows of a loaded table.
#[derive(Debug)]
pub enum TableData {
    /// NCCI PTP edits.
    Ptp(PtpTable),
    /// MUE values.
    Mue(MueTable),
    /// Add-on code edits.
    AddOn(AddOnTable),
    /// Fee schedules by effective date.
    Fees(MultiYearSchedule),
    /// GPCI localities.
    Gpci(GpciTable),
}

/// A declared table; its data is attached when the pack loads.
#[derive(Debug)]
pub struct TableSlot {
    /// The table's name in its policy.
    pub name: String,
    /// Its layout.
    pub kind: TableKind,
    /// Its files.
    pub files: Vec<TableFile>,
    /// The policy file that declares it.
    pub source: Arc<SourceFile>,
    /// The declaration's span.
    pub span: Span,
    data: OnceLock<TableData>,
    digest: OnceLock<[u8; 32]>,
}

/// Two slots are equal when they would decide alike: same layout and, once loaded, the same
/// file contents (so a renamed table with the same rows is unchanged, and a new quarterly
/// file is a change). Before loading, the declared files stand in for the contents.
impl PartialEq for TableSlot {
    fn eq(&self, other: &Self) -> bool {
        if std::ptr::eq(self, other) {
            return true;
        }
        self.kind == other.kind
            && match (self.digest.get(), other.digest.get()) {
                (Some(a), Some(b)) => a == b,
                (None, None) => self.files == other.files,
                _ => false,
            }
    }
}

impl Eq for TableSlot {}

impl TableSlot {
    /// A declared, not yet loaded table.
    pub fn new(
        name: String,
        kind: TableKind,
        files: Vec<TableFile>,
        source: Arc<SourceFile>,
        span: Span,
    ) -> Self {
        Self {
            name,
            kind,
            files,
            source,
            span,
            data: OnceLock::new(),
            digest: OnceLock::new(),
        }
    }

    /// Attaches loaded data and the SHA-256 of the bytes it was read from (the first attach
    /// wins).
    pub fn attach(&self, data: TableData, digest: [u8; 32]) {
        let _ = self.data.set(data);
        let _ = self.digest.set(digest);
    }

    /// SHA-256 of the loaded files (and their start dates), once loaded.
    pub fn digest(&self) -> Option<&[u8; 32]> {
        self.digest.get()
    }

    /// The loaded data.
    pub fn data(&self) -> Option<&TableData> {
        self.data.get()
    }

    #[cfg(feature = "testing")]
    /// Up to `limit` codes the table lists (first in code order), for generators. Codes a
    /// claim cannot carry (table-only shapes such as `0001A`) are left out.
    pub fn sample_codes(&self, limit: usize) -> Vec<ProcedureCode> {
        let mut codes: Vec<ProcedureCode> = match self.data.get() {
            Some(TableData::Ptp(t)) => t
                .iter_pairs()
                .take(limit)
                .flat_map(|(a, b)| [a, b])
                .collect(),
            Some(TableData::Mue(t)) => t.iter().take(limit).map(|(k, _)| k).collect(),
            Some(TableData::AddOn(t)) => t
                .addon_codes()
                .flat_map(|k| std::iter::once(k).chain(t.edits(k).iter().filter_map(|e| e.primary)))
                .take(limit)
                .collect(),
            Some(TableData::Fees(t)) => t
                .iter()
                .flat_map(|s| s.rows())
                .take(limit)
                .map(|r| r.code)
                .collect(),
            _ => Vec::new(),
        };
        codes.retain(|c| c.has_known_shape());
        codes.sort_unstable();
        codes.dedup();
        codes.truncate(limit);
        codes
    }

    /// Number of rows loaded (for reports).
    pub fn rows(&self) -> usize {
        match self.data.get() {
            Some(TableData::Ptp(t)) => t.len(),
            Some(TableData::Mue(t)) => t.len(),
            Some(TableData::AddOn(t)) => t.len(),
            Some(TableData::Fees(t)) => t.iter().map(|s| s.len()).sum(),
            Some(TableData::Gpci(t)) => t.len(),
            None => 0,
        }
    }
}

impl TableSlot {
    /// Whether a row exists for resolved `keys` on `date`.
    /// With a field, whether that field has a value (the row exists and carries it).
    pub fn row_exists(
        &self,
        field: Option<TableField>,
        keys: &[ProcedureCode],
        date: Date,
    ) -> bool {
        match field {
            Some(field) => self.value(field, keys, date).is_some(),
            None => self.exists(keys, date),
        }
    }

    fn exists(&self, keys: &[ProcedureCode], date: Date) -> bool {
        match (self.data(), keys) {
            (Some(TableData::Ptp(t)), &[a, b]) => t.edit(a, b, date).is_some(),
            (Some(TableData::Mue(t)), &[a]) => t.get(a).is_some(),
            (Some(TableData::AddOn(t)), &[a]) => t.is_addon(a, date),
            (Some(TableData::AddOn(t)), &[a, b]) => t.is_primary_for(a, b, date),
            (Some(TableData::Fees(t)), &[a]) => {
                t.for_date(date).and_then(|s| s.get(a, None)).is_some()
            }
            _ => false,
        }
    }

    /// The field's value for resolved `keys` on `date`; `None` when there is no row.
    pub fn value(&self, field: TableField, keys: &[ProcedureCode], date: Date) -> Option<i64> {
        match (self.data()?, field, keys) {
            (TableData::Ptp(t), TableField::PtpIndicator, &[a, b]) => {
                t.edit(a, b, date).map(|e| e.indicator as i64)
            }
            (TableData::Mue(t), TableField::MueValue, &[a]) => t.get(a).map(|e| i64::from(e.value)),
            (TableData::Mue(t), TableField::MueMai, &[a]) => t.get(a).map(|e| e.mai as i64),
            (TableData::AddOn(t), TableField::AocType, &[a]) => aoc_type_on(t, a, date),
            (TableData::AddOn(t), TableField::AocType, &[a, b]) => {
                if t.is_primary_for(a, b, date) {
                    aoc_type_on(t, a, date)
                } else {
                    None
                }
            }
            (TableData::Fees(t), field, &[a]) => t
                .for_date(date)
                .and_then(|s| s.get(a, None))
                .and_then(|r| field.of_fee_row(r)),
            _ => None,
        }
    }
}

/// The type of the latest add-on edit in force on `dos`, without allocating.
fn aoc_type_on(table: &AddOnTable, code: ProcedureCode, dos: Date) -> Option<i64> {
    table
        .edits(code)
        .iter()
        .filter(|e| e.in_force_on(dos))
        .max_by_key(|e| e.effective)
        .map(|e| i64::from(e.edit_type.number()))
}
