//! Readers for CMS's quarterly claim-editing tables, exactly as CMS publishes them, and
//! Medicare payment estimates.
//!
//! The payerlex engine decides claims from CMS data (NCCI PTP edits, MUEs, add-on code edits,
//! the physician fee schedule). This crate is the only place that knows those files' layouts:
//! it reads the files as published (Latin-1, notices, multi-line headers, quirks included),
//! refuses a file that does not look like its format with an error naming the file and line,
//! and exposes compact, allocation-free lookups keyed by [`ProcedureCode`] and dated by
//! [`Date`]: the same types a claim line carries (from `payerlex-types`), so the engine looks
//! rows up with a line's code and date as they are, converting nothing.
//!
//! Modules, one job each:
//! - [`error`]: [`TableError`], shared by every loader.
//! - `csv`: an RFC 4180 record reader that keeps line numbers.
//! - `header`: the one normaliser for header cells (and label cells such as MUE indicators).
//! - `date`: the date spellings CMS writes (`YYYYMMDD`, `YYYYDDD`).
//! - [`mue`]: Medically Unlikely Edits.
//! - [`ptp`]: NCCI procedure-to-procedure edits.
//! - [`aoc`]: add-on code edits.
//! - [`pfs`]: physician fee schedule RVUs (PPRRVU), GPCIs, and schedules across years.
//! - [`payment`]: Medicare payment estimates from RVUs, GPCIs and the conversion factor.
//! - [`synthetic`]: a deterministic NCCI-scale PTP table for benchmarks.
//!
//! The crate stores codes and indicators only, never CPT descriptions (AMA copyright).

pub mod aoc;
mod csv;
mod date;
pub mod error;
pub(crate) mod fasthash;
mod header;
pub mod mue;
pub mod payment;
pub mod pfs;
pub mod ptp;
pub mod synthetic;

pub use aoc::{AddOn, AddOnTable, AocEdit, AocType};
pub use error::TableError;
pub use mue::{Mai, MueEntry, MueTable};
/// The code and date types tables are keyed and dated by, re-exported so that users need not
/// depend on `payerlex-types`.
pub use payerlex_types::{Date, ProcedureCode};
pub use payment::{estimate, PaymentEstimate};
pub use pfs::{
    FeeSchedule, GlobalPeriod, Gpci, GpciTable, ModifierKey, MultiYearSchedule, RvuRow,
    SurgeryIndicators,
};

pub use ptp::{is_ncci_associated_modifier, ModifierIndicator, PtpEdit, PtpTable};
/// Exact decimal money and RVUs, re-exported so that users need not depend on `rust_decimal`.
pub use rust_decimal::{Decimal, RoundingStrategy};
pub use synthetic::write_synthetic_ptp;

#[cfg(test)]
mod tests {
    /// The engine shares loaded tables across threads.
    #[test]
    fn tables_are_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<crate::PtpTable>();
        check::<crate::MueTable>();
        check::<crate::AddOnTable>();
        check::<crate::FeeSchedule>();
        check::<crate::GpciTable>();
        check::<crate::MultiYearSchedule>();
        check::<crate::PtpEdit>();
        check::<crate::TableError>();
    }
}
