//! The fee schedules of several years (or quarterly releases), each used from its effective
//! date.
//!
//! A PPRRVU file does not state its dates and CMS republishes the schedule every year (and
//! corrects it mid-year), so a claim with dates of service across years must be priced with
//! the schedule in force on each line's date. Schedules are kept sorted by effective date; the
//! one in force is the latest starting on or before the date, one binary search.

use payerlex_types::{Date, ProcedureCode};

use super::{FeeSchedule, Gpci};
use crate::payment::{estimate, PaymentEstimate};

/// Several fee schedules (years, or quarterly releases), each used from its effective date.
#[derive(Clone, Debug, Default)]
pub struct MultiYearSchedule {
    schedules: Vec<FeeSchedule>,
}

impl MultiYearSchedule {
    /// No schedules.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a schedule. A later-starting schedule takes over from an earlier one on its
    /// effective date; one with the same effective date replaces the earlier.
    pub fn insert(&mut self, schedule: FeeSchedule) {
        match self
            .schedules
            .binary_search_by_key(&schedule.effective_from(), FeeSchedule::effective_from)
        {
            Ok(i) => {
                if let Some(slot) = self.schedules.get_mut(i) {
                    *slot = schedule;
                }
            }
            Err(i) => self.schedules.insert(i, schedule),
        }
    }

    /// The schedule in force on `dos`: the latest one starting on or before it, unless that
    /// one has an end date before `dos`.
    pub fn for_date(&self, dos: Date) -> Option<&FeeSchedule> {
        let n = self
            .schedules
            .partition_point(|s| s.effective_from() <= dos);
        let s = self.schedules.get(n.checked_sub(1)?)?;
        s.covers(dos).then_some(s)
    }

    /// [`estimate`] with the schedule in force on `dos`.
    pub fn estimate_on(
        &self,
        dos: Date,
        gpci: Option<&Gpci>,
        code: ProcedureCode,
        modifier: Option<&str>,
        facility: bool,
    ) -> Option<PaymentEstimate> {
        estimate(self.for_date(dos)?, gpci, code, modifier, facility)
    }

    /// The schedules, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &FeeSchedule> + '_ {
        self.schedules.iter()
    }

    /// Number of schedules.
    pub fn len(&self) -> usize {
        self.schedules.len()
    }

    /// True if there are none.
    pub fn is_empty(&self) -> bool {
        self.schedules.is_empty()
    }
}
