//! Helpers the integration tests share: codes and dates from their text.
#![allow(dead_code, clippy::unwrap_used)]

use payerlex_cms::{Date, ProcedureCode};

/// A valid procedure code.
pub fn code(text: &str) -> ProcedureCode {
    ProcedureCode::parse(text).unwrap()
}

/// A date from `YYYY-MM-DD`.
pub fn day(text: &str) -> Date {
    Date::parse(text).unwrap()
}
