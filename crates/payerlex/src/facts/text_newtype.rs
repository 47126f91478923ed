//! The serde glue every validated fact newtype needs.
//!
//! The macro lives in `payerlex-types` with the two newtypes it was first written for (dates
//! and procedure codes); the fact newtypes of this crate (modifiers, NPIs, reason codes...) use
//! the same one through this path.

pub(crate) use payerlex_types::text_newtype;
