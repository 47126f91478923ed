//! The input columns of a batch, read by name whatever their exact Arrow type (`utf8` or
//! `large_utf8`, 32- or 64-bit integers, `date32` or text dates), so batches from Spark,
//! pyarrow or Parquet readers work without casts.

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt32Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::DataType;

use crate::error::ArrowCheckError;

/// Days from 0001-01-01 (proleptic Gregorian, day 1) to 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// One input column.
pub enum Column<'a> {
    Text(&'a dyn Array),
    Int(&'a dyn Array),
    Date(&'a dyn Array),
    TextList(&'a dyn Array),
    IntList(&'a dyn Array),
    Absent,
}

impl<'a> Column<'a> {
    /// The column `name` of `batch` read as `kind`; `required` columns must be present.
    pub fn of(
        batch: &'a RecordBatch,
        name: &'static str,
        kind: Kind,
        required: bool,
    ) -> Result<Self, ArrowCheckError> {
        let Some(array) = batch.column_by_name(name) else {
            return if required {
                Err(ArrowCheckError::MissingColumn { column: name })
            } else {
                Ok(Column::Absent)
            };
        };
        let array: &ArrayRef = array;
        let wrong = || ArrowCheckError::ColumnType {
            column: name,
            found: array.data_type().to_string(),
        };
        let column = match (kind, array.data_type()) {
            (Kind::Text, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) => {
                Column::Text(array.as_ref())
            }
            (Kind::Int, t) if is_int(t) => Column::Int(array.as_ref()),
            (Kind::Date, DataType::Date32) => Column::Date(array.as_ref()),
            (Kind::Date, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) => {
                Column::Text(array.as_ref())
            }
            (Kind::TextList, DataType::List(field) | DataType::LargeList(field))
                if matches!(field.data_type(), DataType::Utf8 | DataType::LargeUtf8) =>
            {
                Column::TextList(array.as_ref())
            }
            (Kind::IntList, DataType::List(field) | DataType::LargeList(field))
                if is_int(field.data_type()) =>
            {
                Column::IntList(array.as_ref())
            }
            (_, DataType::Null) => Column::Absent,
            _ => return Err(wrong()),
        };
        Ok(column)
    }

    /// The row's value as text (dates as `YYYY-MM-DD`), `None` when null or absent.
    pub fn text(&self, row: usize) -> Option<String> {
        match self {
            Column::Text(array) if array.is_valid(row) => text_at(*array, row),
            Column::Date(array) if array.is_valid(row) => {
                let days = array.as_primitive::<Date32Type>().value(row);
                Some(date_text(days))
            }
            Column::Int(array) if array.is_valid(row) => int_at(*array, row).map(|v| v.to_string()),
            _ => None,
        }
    }

    /// The row's value as an integer, `None` when null or absent.
    pub fn int(&self, row: usize) -> Option<i64> {
        match self {
            Column::Int(array) if array.is_valid(row) => int_at(*array, row),
            _ => None,
        }
    }

    /// The row's list of texts, `None` when null or absent.
    pub fn texts(&self, row: usize) -> Option<Vec<String>> {
        let values = self.list_values(row)?;
        Some(
            (0..values.len())
                .filter_map(|i| text_at(values.as_ref(), i))
                .collect(),
        )
    }

    /// The row's list of integers, `None` when null or absent.
    pub fn ints(&self, row: usize) -> Option<Vec<i64>> {
        let values = self.list_values(row)?;
        Some(
            (0..values.len())
                .filter_map(|i| int_at(values.as_ref(), i))
                .collect(),
        )
    }

    fn list_values(&self, row: usize) -> Option<ArrayRef> {
        let array = match self {
            Column::TextList(array) | Column::IntList(array) if array.is_valid(row) => *array,
            _ => return None,
        };
        match array.data_type() {
            DataType::List(_) => array.as_list_opt::<i32>().map(|list| list.value(row)),
            DataType::LargeList(_) => array.as_list_opt::<i64>().map(|list| list.value(row)),
            _ => None,
        }
    }
}

/// How a column is read.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Text,
    Int,
    Date,
    TextList,
    IntList,
}

fn is_int(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 | DataType::UInt32
    )
}

fn text_at(array: &dyn Array, row: usize) -> Option<String> {
    if !array.is_valid(row) {
        return None;
    }
    match array.data_type() {
        DataType::Utf8 => Some(array.as_string::<i32>().value(row).to_owned()),
        DataType::LargeUtf8 => Some(array.as_string::<i64>().value(row).to_owned()),
        DataType::Utf8View => Some(array.as_string_view().value(row).to_owned()),
        _ => None,
    }
}

fn int_at(array: &dyn Array, row: usize) -> Option<i64> {
    if !array.is_valid(row) {
        return None;
    }
    match array.data_type() {
        DataType::Int8 => Some(i64::from(array.as_primitive::<Int8Type>().value(row))),
        DataType::Int16 => Some(i64::from(array.as_primitive::<Int16Type>().value(row))),
        DataType::Int32 => Some(i64::from(array.as_primitive::<Int32Type>().value(row))),
        DataType::Int64 => Some(array.as_primitive::<Int64Type>().value(row)),
        DataType::UInt32 => Some(i64::from(array.as_primitive::<UInt32Type>().value(row))),
        _ => None,
    }
}

/// `YYYY-MM-DD` of a `date32` (days since 1970-01-01), by the civil-from-days algorithm.
fn date_text(days_since_epoch: i32) -> String {
    let days = i64::from(days_since_epoch) + i64::from(UNIX_EPOCH_DAYS_FROM_CE) - 1;
    // Shift to an era starting on 0000-03-01.
    let z = days + 306;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::date_text;

    #[test]
    fn date32_days_are_civil_dates() {
        assert_eq!(date_text(0), "1970-01-01");
        assert_eq!(date_text(20_514), "2026-03-02");
        assert_eq!(date_text(11_016), "2000-02-29");
        assert_eq!(date_text(-1), "1969-12-31");
    }
}
