//! The reference interpreter's own table lookups: every lookup scans the rows of the loaded
//! `payerlex-cms` table from the first to the last and decides, with its own date logic,
//! which rows are in force on the line's date of service.
//!
//! The engine answers lookups through the tables' indexes (hashed pairs, sorted schedules,
//! per-code edit lists) and the tables' own `in_force_on`; this file uses neither, only the
//! tables' row iterators, so a bug in an index or in a date comparison shows up as a
//! disagreement in the differential and data-driven tests. It is quadratic on purpose and
//! meant for test-sized tables: never give it the 2-million-pair benchmark table.
//!
//! The semantics it pins down (the README's "CMS tables" section):
//! - a row is in force from its effective date through its deletion date, both inclusive; no
//!   deletion date means open; add-on rows also end with the add-on or primary code's own
//!   deletion date;
//! - NCCI PTP: indicator-9 rows (tombstones) never apply; among duplicate rows in force, an
//!   open row beats a dated one, then the later deletion date wins, then the later effective
//!   date, then indicator 0;
//! - MUE rows have no dates;
//! - add-on codes: `[add_on]` is a row in force, `[add_on, primary]` a row in force listing
//!   that primary; the type is the in-force row's with the latest effective date (the last
//!   in file order among equals);
//! - fee schedules: the release with the latest start on or before the date of service, unless
//!   it has ended; the code's global row (no pricing modifier).

use payerlex_cms::{
    AddOnTable, AocEdit, FeeSchedule, MueTable, MultiYearSchedule, PtpEdit, PtpTable,
};

use crate::facts::{Date, ProcedureCode};
use crate::ir::Lookup;
use crate::tables::{TableData, TableField};

/// Whether a dated row is in force on `dos`: `from <= dos`, and every end date given is on
/// or after `dos`.
fn in_force(from: Date, ends: &[Option<Date>], dos: Date) -> bool {
    from <= dos && ends.iter().flatten().all(|end| dos <= *end)
}

/// Whether `lookup` finds a row (or, with a field, a value) for `keys` on `date`.
pub(super) fn row_exists(lookup: &Lookup, keys: &[ProcedureCode], date: Date) -> bool {
    if let Some(field) = lookup.field {
        return value(lookup, field, keys, date).is_some();
    }
    let dos = date;
    match (lookup.table.data(), keys) {
        (Some(TableData::Ptp(table)), [first, second]) => {
            ptp_row(table, first, second, dos).is_some()
        }
        (Some(TableData::Mue(table)), [code]) => mue_row(table, code).is_some(),
        (Some(TableData::AddOn(table)), [code]) => !add_on_rows(table, code, dos).is_empty(),
        (Some(TableData::AddOn(table)), [code, primary]) => {
            lists_primary(table, code, primary, dos)
        }
        (Some(TableData::Fees(schedules)), [code]) => fee_row(schedules, code, dos).is_some(),
        _ => false,
    }
}

/// The value of `field` in the row `lookup` finds for `keys` on `date`.
pub(super) fn value(
    lookup: &Lookup,
    field: TableField,
    keys: &[ProcedureCode],
    date: Date,
) -> Option<i64> {
    let dos = date;
    match (lookup.table.data()?, field, keys) {
        (TableData::Ptp(table), TableField::PtpIndicator, [first, second]) => {
            ptp_row(table, first, second, dos).map(|row| i64::from(row.indicator.number()))
        }
        (TableData::Mue(table), TableField::MueValue, [code]) => {
            mue_row(table, code).map(|row| i64::from(row.0))
        }
        (TableData::Mue(table), TableField::MueMai, [code]) => {
            mue_row(table, code).map(|row| i64::from(row.1))
        }
        (TableData::AddOn(table), TableField::AocType, [code]) => add_on_type(table, code, dos),
        (TableData::AddOn(table), TableField::AocType, [code, primary]) => {
            if lists_primary(table, code, primary, dos) {
                add_on_type(table, code, dos)
            } else {
                None
            }
        }
        (TableData::Fees(schedules), field, [code]) => {
            fee_row(schedules, code, dos).and_then(|row| field.of_fee_row(row))
        }
        _ => None,
    }
}

/// The PTP row of pair (`first`, `second`) in force on `dos`.
fn ptp_row(
    table: &PtpTable,
    first: &ProcedureCode,
    second: &ProcedureCode,
    dos: Date,
) -> Option<PtpEdit> {
    let mut best: Option<PtpEdit> = None;
    for (column1, column2) in table.iter_pairs() {
        if column1 != *first || column2 != *second {
            continue;
        }
        for row in table.history(column1, column2) {
            if row.indicator.number() == 9 || !in_force(row.effective, &[row.deletion], dos) {
                continue;
            }
            if best.as_ref().map_or(true, |b| ptp_beats(&row, b)) {
                best = Some(row);
            }
        }
    }
    best
}

/// Whether duplicate row `a` wins over `b`: open over dated, then the later deletion, then
/// the later effective date, then indicator 0.
fn ptp_beats(a: &PtpEdit, b: &PtpEdit) -> bool {
    let deletion = |e: &PtpEdit| e.deletion.unwrap_or(Date::MAX);
    if deletion(a) != deletion(b) {
        return deletion(a) > deletion(b);
    }
    if a.effective != b.effective {
        return a.effective > b.effective;
    }
    a.indicator.number() == 0 && b.indicator.number() != 0
}

/// The MUE row of `code`: (value, MAI).
fn mue_row(table: &MueTable, code: &ProcedureCode) -> Option<(u32, u8)> {
    table
        .iter()
        .find(|(key, _)| key == code)
        .map(|(_, row)| (row.value, row.mai.number()))
}

/// The add-on rows of `code` in force on `dos`, in file order.
fn add_on_rows<'t>(table: &'t AddOnTable, code: &ProcedureCode, dos: Date) -> Vec<&'t AocEdit> {
    table
        .addon_codes()
        .filter(|key| key == code)
        .flat_map(|key| table.edits(key))
        .filter(|row| {
            in_force(
                row.effective,
                &[row.deletion, row.addon_deletion, row.primary_deletion],
                dos,
            )
        })
        .collect()
}

fn lists_primary(
    table: &AddOnTable,
    code: &ProcedureCode,
    primary: &ProcedureCode,
    dos: Date,
) -> bool {
    add_on_rows(table, code, dos)
        .iter()
        .any(|row| row.primary.as_ref() == Some(primary))
}

fn add_on_type(table: &AddOnTable, code: &ProcedureCode, dos: Date) -> Option<i64> {
    let mut latest: Option<&AocEdit> = None;
    for row in add_on_rows(table, code, dos) {
        if latest.map_or(true, |l| row.effective >= l.effective) {
            latest = Some(row);
        }
    }
    latest.map(|row| i64::from(row.edit_type.number()))
}

/// The fee schedule release in force on `dos`.
pub(super) fn schedule_on(schedules: &MultiYearSchedule, dos: Date) -> Option<&FeeSchedule> {
    let mut latest: Option<&FeeSchedule> = None;
    for schedule in schedules.iter() {
        let started = schedule.effective_from() <= dos;
        if started && latest.map_or(true, |l| schedule.effective_from() >= l.effective_from()) {
            latest = Some(schedule);
        }
    }
    latest.filter(|s| in_force(s.effective_from(), &[s.effective_to()], dos))
}

/// The global (no pricing modifier) row of `code` in the release in force on `dos`.
fn fee_row<'s>(
    schedules: &'s MultiYearSchedule,
    code: &ProcedureCode,
    dos: Date,
) -> Option<&'s payerlex_cms::RvuRow> {
    schedule_on(schedules, dos)?
        .rows()
        .into_iter()
        .find(|row| row.code == *code && row.modifier.is_none())
}
