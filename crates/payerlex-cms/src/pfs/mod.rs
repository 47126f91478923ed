//! Medicare physician fee schedule: relative value units (PPRRVU), GPCIs, and the schedules of
//! several years.
//!
//! One file per job:
//! - [`rvu`]: one PPRRVU row ([`RvuRow`]) and its cell types ([`GlobalPeriod`], [`ModifierKey`]).
//! - [`schedule`]: a PPRRVU file read into a [`FeeSchedule`] (columns found by name), and the
//!   lookup by code and pricing modifier.
//! - [`gpci`]: a GPCI file read into a [`GpciTable`] of localities.
//! - [`years`]: [`MultiYearSchedule`], the schedule in force on a date of service.
//!
//! Header cells are matched through the crate's one normaliser (`crate::header`), which also
//! assembles the PPRRVU titles CMS stacks over two rows. Payment arithmetic is
//! [`crate::payment`].

pub mod gpci;
pub mod rvu;
pub mod schedule;
pub mod years;

pub use gpci::{Gpci, GpciTable};
pub use rvu::{GlobalPeriod, ModifierKey, RvuRow, SurgeryIndicators};
pub use schedule::FeeSchedule;
pub use years::MultiYearSchedule;
