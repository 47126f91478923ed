//! Readers for CMS's quarterly claim-editing tables, exactly as CMS publishes them, and
//! Medicare payment estimates.
//!
//! The payerlex engine decides claims from CMS data (NCCI PTP edits, MUEs, add-on code edits,
//! the physician fee schedule). This crate is the only place that knows those files' layouts:
//! it reads the files as published (Latin-1, notices, multi-line headers, quirks included),
//! refuses a file that does not look like its format with an error naming the file and line,
//! and exposes compact, allocation-free lookups keyed by [`CodeKey`] and dated by [`Ymd`].
//!
//! Modules, one job each:
//! - [`code`]: procedure codes as `[u8; 5]` keys.
//! - [`date`]: `yyyymmdd` dates.
//! - [`error`]: [`TableError`], shared by every loader.
//! - [`mue`]: Medically Unlikely Edits.
//! - [`ptp`]: NCCI procedure-to-procedure edits.
//! - [`aoc`]: add-on code edits.
//! - [`pfs`]: physician fee schedule RVUs (PPRRVU) and GPCIs.
//! - [`payment`]: Medicare payment estimates from RVUs, GPCIs and the conversion factor.
//! - [`synthetic`]: a deterministic NCCI-scale PTP table for benchmarks.
//!
//! The crate stores codes and indicators only, never CPT descriptions (AMA copyright).

pub mod aoc;
pub mod code;
mod csv;
pub mod date;
pub mod error;
pub(crate) mod fasthash;
pub mod mue;
pub mod payment;
pub mod pfs;
pub mod ptp;
pub mod synthetic;

pub use aoc::{AddOn, AddOnTable, AocEdit, AocType};
pub use code::{code_key, code_key_bytes, code_str, CodeKey};
pub use date::Ymd;
pub use error::TableError;
pub use mue::{Mai, MueEntry, MueTable};
pub use payment::{estimate, MultiYearSchedule, PaymentEstimate};
pub use pfs::{FeeSchedule, GlobalPeriod, Gpci, GpciTable, ModifierKey, RvuRow};

pub use ptp::{is_ncci_associated_modifier, ModifierIndicator, PtpEdit, PtpTable};
/// Exact decimal money and RVUs, re-exported so that users need not depend on `rust_decimal`.
pub use rust_decimal::Decimal;
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
