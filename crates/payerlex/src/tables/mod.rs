//! Data tables in CMS layouts (NCCI PTP, MUE, add-on codes, fee schedule, GPCI), declared in
//! policies and ranged over by rules, keyed by the claim's codes.
//!
//! A policy declares `table ptp = ncci_ptp "tables/ptp.txt"`; the checker types lookups such
//! as `ptp[code, line.code].indicator` against the layout's keys and fields; the pack loader
//! reads the files (from the pack folder, or from a path given at load time, since users
//! download the quarterly files themselves) through `payerlex-cms`, which refuses a file that
//! does not look like its format. Loaded data hangs off a shared [`TableSlot`], so the compiled
//! engine and the reference interpreter read the same rows. `payerlex-cms` keys and dates its
//! tables by the same `ProcedureCode` and `Date` a claim line carries (from `payerlex-types`),
//! so a lookup passes the line's code and date as they are.

#[cfg(feature = "testing")]
mod compare;
mod kind;
mod load;
mod lookup;

#[cfg(feature = "testing")]
pub use compare::changed_codes;
pub use kind::{TableField, TableKind};
pub use load::{load_table, TableBytes, TableLoadError};
pub use lookup::{TableData, TableFile, TableSlot};
