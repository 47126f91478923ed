//! The value types both payerlex crates need: a calendar [`Date`] and a [`ProcedureCode`].
//!
//! `payerlex` (the engine) reads them from claims and policies; `payerlex-cms` keys and dates
//! its CMS tables by them. Before this crate each side had its own calendar and code type and
//! every table lookup converted between them; now a claim line's code and date go into a table
//! lookup as they are. The crate depends on nothing of either (only `serde` for the text glue
//! and `thiserror`), so neither crate depends on the other to share them.
//!
//! Modules, one job each:
//! - [`base36`]: the one base-36 digit mapping (codes and modifiers pack with it).
//! - `date`: [`Date`], [`DateRange`], [`DateError`].
//! - `code`: [`ProcedureCode`], [`CodeShape`], [`CodeError`].
//! - `text_newtype`: the serde glue every validated text newtype shares.

pub mod base36;
mod code;
mod date;
mod text_newtype;

pub use code::{CodeError, CodeShape, ProcedureCode};
pub use date::{Date, DateError, DateRange};

/// `serde`, for [`text_newtype!`] to name from any crate.
#[doc(hidden)]
pub use serde as __serde;
