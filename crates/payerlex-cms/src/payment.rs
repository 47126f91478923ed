//! Medicare physician fee schedule payment estimates.
//!
//! ```text
//! amount = (work RVU x work GPCI + PE RVU x PE GPCI + MP RVU x MP GPCI) x conversion factor
//! ```
//!
//! with the facility or non-facility PE RVU for the setting, exact decimals throughout, and one
//! rounding at the end: half-up (away from zero) to cents.
//!
//! Rounding order, as checked against the national amounts the domain primer gives (GPCIs all
//! 1.0): every primer amount is reproduced by the single final rounding, e.g. 76377 in 2025,
//! 2.38 x 32.3465 = 76.98467 -> $76.98. The telling case is 76377-26 in 2026: 1.11 x 33.4009 =
//! 37.074999 -> $37.07, the primer's amount; rounding the product to three places first
//! (37.075) and then to cents would give $37.08, so there is no intermediate rounding of the
//! product. Rounding the GPCI-weighted RVU sum to four places before multiplying cannot be
//! told apart with national GPCIs (the sum then has only two decimals), so it is not done;
//! with three-decimal GPCIs the unrounded sum has at most five decimals, and the two orders
//! differ by at most a cent in rare cases. Status codes, NA
//! indicators, multiple-procedure and other payment adjustments are reported, not applied.

use rust_decimal::{Decimal, RoundingStrategy};

use payerlex_types::ProcedureCode;

use crate::pfs::{FeeSchedule, Gpci};

/// How a payment estimate was made, and the amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentEstimate {
    /// Work RVU.
    pub work_rvu: Decimal,
    /// Practice expense RVU for the setting.
    pub pe_rvu: Decimal,
    /// Malpractice RVU.
    pub mp_rvu: Decimal,
    /// Work GPCI (1.0 nationally).
    pub gpci_work: Decimal,
    /// PE GPCI (1.0 nationally).
    pub gpci_pe: Decimal,
    /// MP GPCI (1.0 nationally).
    pub gpci_mp: Decimal,
    /// Dollars per RVU.
    pub conversion_factor: Decimal,
    /// True if priced in the facility setting.
    pub facility: bool,
    /// True if the file marks the setting's PE `NA` (CMS set no PE for that setting; the
    /// amount is then computed from whatever PE the file holds and should not be relied on).
    pub setting_na: bool,
    /// The row's PPRRVU status code (only `A`, and some others, are paid on the schedule).
    pub status: char,
    /// The amount in dollars, rounded half-up to cents.
    pub amount: Decimal,
}

/// Estimates the Medicare payment of `code` with pricing `modifier` (`None` = global; `26`,
/// `TC`, `53` select their own rows) in `gpci`'s locality (`None` = national), in the facility
/// or non-facility setting. `None` if the schedule has no row for the code and modifier.
pub fn estimate(
    schedule: &FeeSchedule,
    gpci: Option<&Gpci>,
    code: ProcedureCode,
    modifier: Option<&str>,
    facility: bool,
) -> Option<PaymentEstimate> {
    let row = schedule.get(code, modifier)?;
    let (gw, gpe, gmp) = gpci.map_or((Decimal::ONE, Decimal::ONE, Decimal::ONE), |g| {
        (g.work, g.pe, g.mp)
    });
    let pe = row.pe(facility);
    let cf = schedule.conversion_factor();
    let weighted = row.work * gw + pe * gpe + row.mp * gmp;
    let amount = (weighted * cf).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    Some(PaymentEstimate {
        work_rvu: row.work,
        pe_rvu: pe,
        mp_rvu: row.mp,
        gpci_work: gw,
        gpci_pe: gpe,
        gpci_mp: gmp,
        conversion_factor: cf,
        facility,
        setting_na: if facility {
            row.pe_facility_na
        } else {
            row.pe_nonfacility_na
        },
        status: row.status,
        amount,
    })
}
