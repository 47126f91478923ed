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
use crate::eval::{AdjustmentKind, Dec, Estimate, GpciUsed, LineDecision, PaymentAdjustment};
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
        adjustments: Vec::new(),
    })
}

/// The reference's bilateral and multiple-procedure adjustments (see the engine's
/// `surgical_pricing` for the rules): each line's indicators read by scanning the rows, the
/// ranking done by repeatedly taking the best remaining line of each date.
pub(super) fn adjust_surgical(pack: &Pack, claim: &Claim, lines: &mut [LineDecision]) {
    let Some(TableData::Fees(schedules)) = pack
        .tables
        .iter()
        .find(|t| t.kind == TableKind::FeeSchedule)
        .and_then(|t| t.data())
    else {
        return;
    };
    let indicators = |line: &Line| -> Option<(Option<u8>, Option<u8>)> {
        let schedule = schedule_on(schedules, line.date)?;
        let rows = schedule.rows();
        let row = rows
            .iter()
            .find(|r| r.code == line.code && r.modifier.is_none())?;
        Some((row.surgery.bilateral, row.surgery.mult_proc))
    };
    let hundredth = Decimal::new(1, 2);
    let mut candidates: Vec<usize> = Vec::new();
    for (index, line) in claim.lines.iter().enumerate() {
        let Some((bilateral, mult_proc)) = indicators(line) else {
            continue;
        };
        let Some(estimate) = lines.get_mut(index).and_then(|l| l.estimate.as_mut()) else {
            continue;
        };
        let has_50 = line.modifiers.iter().any(|m| m.to_string() == "50");
        let bilateral_percent = match bilateral {
            Some(1) if has_50 => Some(150),
            Some(3) if has_50 => Some(200),
            _ => None,
        };
        if let Some(percent) = bilateral_percent {
            let amount = to_cents(estimate.unit_amount.0 * Decimal::from(percent) * hundredth);
            estimate.amount = Dec(amount);
            estimate.adjustments.push(PaymentAdjustment {
                kind: AdjustmentKind::Bilateral,
                rate: Dec(Decimal::from(percent)),
                amount: Dec(amount),
            });
        }
        if mult_proc == Some(2) {
            candidates.push(index);
        }
    }
    let mut dates: Vec<_> = candidates
        .iter()
        .filter_map(|&i| claim.lines.get(i).map(|l| l.date))
        .collect();
    dates.sort();
    dates.dedup();
    for date in dates {
        let mut remaining: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| claim.lines.get(i).is_some_and(|l| l.date == date))
            .collect();
        if remaining.len() < 2 {
            continue;
        }
        let mut first = true;
        while !remaining.is_empty() {
            // The best remaining line: the highest amount, then the lowest line number.
            let key = |i: usize| {
                let line = lines.get(i);
                let amount = line
                    .and_then(|l| l.estimate.as_ref())
                    .map_or(Decimal::ZERO, |e| e.amount.0);
                (amount, std::cmp::Reverse(line.map_or(0, |l| l.number)))
            };
            let mut best = 0;
            for position in 1..remaining.len() {
                if key(remaining[position]) > key(remaining[best]) {
                    best = position;
                }
            }
            let index = remaining.remove(best);
            let percent = if first { 100 } else { 50 };
            if let Some(decided) = lines.get_mut(index) {
                if let Some(estimate) = decided.estimate.as_mut() {
                    let amount = to_cents(estimate.amount.0 * Decimal::from(percent) * hundredth);
                    estimate.amount = Dec(amount);
                    estimate.adjustments.push(PaymentAdjustment {
                        kind: AdjustmentKind::MultipleProcedure,
                        rate: Dec(Decimal::from(percent)),
                        amount: Dec(amount),
                    });
                }
                if !first {
                    decided
                        .findings
                        .push(crate::eval::reduction_finding(&pack.policy.pack));
                }
            }
            first = false;
        }
    }
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
