//! Facts derived from a claim rather than stated field by field: a line's diagnoses and
//! place of service, who rendered it, the patient's age on its date, whether an
//! authorisation covers it.
//!
//! Policies read these (`line.rendering.taxonomy`, `patient.age`, `line.authorized`), and the
//! reference interpreter must read the same thing, so the rule for each ("a line's rendering
//! provider overrides the claim's, which overrides the billing provider") is written once,
//! here. None of them allocates.

use super::{Claim, Date, Diagnosis, Line, PlaceOfService, Rendering, Taxonomy};

/// The patient's age on a date: whole years and whole months (for pediatric rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Age {
    /// Completed years.
    pub years: u32,
    /// Completed months.
    pub months: u32,
}

impl Age {
    /// The age on `on` of someone born on `born`; `None` when `on` is before `born`.
    pub fn between(born: Date, on: Date) -> Option<Self> {
        if on < born {
            return None;
        }
        let (by, bm, bd) = born.ymd();
        let (y, m, d) = on.ymd();
        let mut months = (y - by) * 12 + m as i32 - bm as i32;
        if d < bd {
            months -= 1;
        }
        let months = u32::try_from(months).ok()?;
        Some(Self {
            years: months / 12,
            months,
        })
    }
}

/// `date` moved by whole calendar months, keeping the day of month where the target month
/// has it and clamping to its last day otherwise (2026-01-31 + 1 month = 2026-02-28).
pub fn add_months(date: Date, months: i32) -> Date {
    let (year, month, day) = date.ymd();
    let index = i64::from(year) * 12 + i64::from(month) - 1 + i64::from(months);
    let Ok(year) = i32::try_from(index.div_euclid(12)) else {
        return if months < 0 { Date::MIN } else { Date::MAX };
    };
    let month = (index.rem_euclid(12) + 1) as u32;
    (0..4)
        .find_map(|back| Date::from_ymd(year, month, day.saturating_sub(back)))
        .unwrap_or(if months < 0 { Date::MIN } else { Date::MAX })
}

impl Claim {
    /// The diagnoses a line points to, skipping pointers that do not resolve.
    pub fn line_diagnoses<'a>(
        &'a self,
        line: &'a Line,
    ) -> impl Iterator<Item = &'a Diagnosis> + 'a {
        line.diagnosis_pointers
            .iter()
            .filter_map(|p| self.diagnoses.get(usize::from(*p).checked_sub(1)?))
    }

    /// The line's primary diagnosis: the one its first pointer names.
    pub fn primary_diagnosis(&self, line: &Line) -> Option<Diagnosis> {
        self.line_diagnoses(line).next().copied()
    }

    /// The claim's principal diagnosis: the first listed (X12 `ABK`, FHIR `principal`).
    pub fn principal_diagnosis(&self) -> Option<Diagnosis> {
        self.diagnoses.first().copied()
    }

    /// The place of service of a line: its own, else the claim's.
    pub fn line_place(&self, line: &Line) -> PlaceOfService {
        line.place_of_service.unwrap_or(self.place_of_service)
    }

    /// Who rendered a line: the line's rendering provider, else the claim's; `None` when the
    /// claim names none (the billing provider then rendered it, see
    /// [`Claim::rendering_taxonomy`]).
    pub fn line_rendering(&self, line: &Line) -> Option<Rendering> {
        line.rendering.or(self.rendering)
    }

    /// The specialty of whoever rendered a line: the line's rendering provider, else the
    /// claim's, else the billing provider (who rendered the service when no rendering
    /// provider is named); `None` when none of them states a taxonomy.
    pub fn rendering_taxonomy(&self, line: &Line) -> Option<Taxonomy> {
        match self.line_rendering(line) {
            Some(rendering) => rendering.taxonomy,
            None => self.provider.taxonomy,
        }
    }

    /// The NPI of whoever rendered a line (line, else claim rendering provider, else billing).
    pub fn rendering_npi(&self, line: &Line) -> super::Npi {
        self.line_rendering(line)
            .map_or(self.provider.npi, |rendering| rendering.npi)
    }

    /// The patient's age on the line's date of service, when the claim states a birth date.
    pub fn patient_age(&self, line: &Line) -> Option<Age> {
        Age::between(self.patient_birth_date?, line.date)
    }

    /// Whether an authorisation covers the line: it lists the line's code, spans its date,
    /// and its units (when limited) cover the units of every line of the claim it applies to.
    pub fn line_authorized(&self, line: &Line) -> bool {
        self.authorizations.iter().any(|auth| {
            if !auth.covers(line.code, line.date) {
                return false;
            }
            let Some(limit) = auth.units else {
                return true;
            };
            let used: u64 = self
                .lines
                .iter()
                .filter(|other| auth.covers(other.code, other.date))
                .map(|other| u64::from(other.units))
                .sum();
            used <= u64::from(limit)
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn months_keep_the_day_or_clamp_it() {
        assert_eq!(add_months(date("2026-01-31"), 1), date("2026-02-28"));
        assert_eq!(add_months(date("2024-01-31"), 1), date("2024-02-29"));
        assert_eq!(add_months(date("2026-03-15"), -11), date("2025-04-15"));
        assert_eq!(add_months(date("2026-12-01"), 1), date("2027-01-01"));
        assert_eq!(add_months(date("2026-03-15"), -24), date("2024-03-15"));
    }

    #[test]
    fn ages_count_completed_years_and_months() {
        let born = date("2008-03-15");
        let age = |on| Age::between(born, date(on)).unwrap();
        assert_eq!(age("2026-03-14").years, 17);
        assert_eq!(age("2026-03-15").years, 18);
        assert_eq!(age("2008-04-14").months, 0);
        assert_eq!(age("2008-04-15").months, 1);
        assert_eq!(Age::between(born, date("2008-03-14")), None);
        let leap = date("2024-02-29");
        assert_eq!(Age::between(leap, date("2025-02-28")).unwrap().years, 0);
        assert_eq!(Age::between(leap, date("2025-03-01")).unwrap().years, 1);
    }
}
