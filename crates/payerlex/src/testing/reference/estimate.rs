//! The reference interpreter's own payment estimate, from the README's formula:
//!
//! ```text
//! amount = (work RVU x work GPCI + PE RVU x PE GPCI + MP RVU x MP GPCI) x conversion factor
//! ```
//!
//! in exact decimals with one rounding at the end, half up to cents, times the line's units;
//! the PE of the facility or non-facility setting by the line's place of service; the -26 or
//! -TC row when the line carries that modifier (-26 first); the GPCIs of the claim's locality,
//! 1.0 (national) when it names none or one the table lacks; the release of the pack's first
//! fee schedule in force on the date of service.
//!
//! The engine prices through `payerlex-cms`'s `estimate` (an indexed row, the crate's rounding
//! strategy); this file reads rows and localities by scanning them, rounds with its own
//! integer arithmetic on cents, and keeps its own copy of the facility places, so the two can
//! disagree and the differential tests would say so.

use payerlex_cms::{Decimal, GpciTable, RvuRow};

use super::tables::schedule_on;
use crate::eval::{Dec, Estimate, GpciUsed};
use crate::facts::{Claim, Line, Modifier};
use crate::pack::Pack;
use crate::tables::{TableData, TableKind};

/// Places of service priced at the facility rate (CMS physician fee schedule: hospitals,
/// skilled nursing and other inpatient or outpatient facility settings).
const FACILITY_PLACES: [u8; 16] = [
    2, 19, 21, 22, 23, 24, 26, 31, 34, 41, 42, 51, 52, 53, 56, 61,
];

/// The estimate of `line`, when `pack` has a fee schedule whose release in force prices it.
pub(super) fn estimate(pack: &Pack, claim: &Claim, line: &Line) -> Option<Estimate> {
    let first_of = |kind: TableKind| pack.tables.iter().find(|t| t.kind == kind);
    let Some(TableData::Fees(schedules)) = first_of(TableKind::FeeSchedule)?.data() else {
        return None;
    };
    let gpci_table = match first_of(TableKind::Gpci).and_then(|t| t.data()) {
        Some(TableData::Gpci(table)) => Some(table),
        _ => None,
    };
    let schedule = schedule_on(schedules, line.date)?;
    // The pricing modifier and the row key it selects (the global row without one).
    let (modifier, row_key) = ["26", "TC"]
        .iter()
        .filter_map(|text| Some((Modifier::parse(text).ok()?, *text)))
        .find(|(m, _)| line.modifiers.iter().any(|own| own == *m))
        .map_or((None, None), |(m, text)| {
            (Some(m), <[u8; 2]>::try_from(text.as_bytes()).ok())
        });
    let rows = schedule.rows();
    let row: &RvuRow = rows
        .iter()
        .find(|r| r.code == line.code && r.modifier == row_key)?;
    let place = line
        .place_of_service
        .unwrap_or(claim.place_of_service)
        .number();
    let facility = FACILITY_PLACES.contains(&place);
    let pe_rvu = if facility {
        row.pe_facility
    } else {
        row.pe_nonfacility
    };
    let (locality, work, pe, mp) = gpcis(claim, gpci_table);
    let cf = schedule.conversion_factor();
    let unit_amount = to_cents((row.work * work + pe_rvu * pe + row.mp * mp) * cf);
    Some(Estimate {
        amount: Dec(unit_amount * Decimal::from(line.units)),
        unit_amount: Dec(unit_amount),
        units: line.units,
        modifier,
        facility,
        work_rvu: Dec(row.work),
        pe_rvu: Dec(pe_rvu),
        mp_rvu: Dec(row.mp),
        gpci: GpciUsed {
            locality,
            work: Dec(work),
            pe: Dec(pe),
            mp: Dec(mp),
        },
        conversion_factor: Dec(cf),
    })
}

/// The locality's name and work, PE and MP indices (1.0 each nationally).
fn gpcis(claim: &Claim, table: Option<&GpciTable>) -> (String, Decimal, Decimal, Decimal) {
    let national = |name: String| (name, Decimal::ONE, Decimal::ONE, Decimal::ONE);
    let Some(wanted) = &claim.locality else {
        return national("national".to_owned());
    };
    let named = format!("{}-{}", wanted.contractor, wanted.locality);
    let Some(table) = table else {
        return national(format!("national (no GPCI table for locality {named})"));
    };
    let two_digits = |s: &str| format!("{:0>2}", s.trim());
    let found = table.iter().find(|g| {
        g.contractor.trim() == wanted.contractor.trim()
            && two_digits(&g.locality) == two_digits(&wanted.locality)
    });
    match found {
        Some(g) => (named, g.work, g.pe, g.mp),
        None => national(format!("national (locality {named} not in the GPCI table)")),
    }
}

/// `amount` rounded half up (away from zero) to cents: whole cents are counted on the
/// absolute value, so the rounding is integer arithmetic rather than a decimal strategy.
fn to_cents(amount: Decimal) -> Decimal {
    let hundred = Decimal::from(100);
    let half = Decimal::new(5, 1);
    let cents = (amount.abs() * hundred + half).floor();
    let whole = cents.mantissa() / 10i128.pow(cents.scale());
    let signed = if amount.is_sign_negative() {
        -whole
    } else {
        whole
    };
    Decimal::from_i128_with_scale(signed, 2)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn rounds_half_up_to_cents_once() {
        // The domain primer's amounts: 2.38 x 32.3465 and the 2026 76377-26 case, where
        // rounding the product to three places first would give 37.08.
        assert_eq!(to_cents(dec("2.38") * dec("32.3465")).to_string(), "76.98");
        assert_eq!(to_cents(dec("1.11") * dec("33.4009")).to_string(), "37.07");
        assert_eq!(to_cents(dec("0.125")).to_string(), "0.13");
        assert_eq!(to_cents(dec("-0.125")).to_string(), "-0.13");
        assert_eq!(to_cents(dec("77")).to_string(), "77.00");
    }
}
