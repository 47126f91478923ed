//! What rules read beyond codes, places, diagnoses and report facts: time windows and date
//! arithmetic, the patient's age and sex, provider taxonomies and NPIs, rendering providers,
//! other billing providers and authorisations.
//!
//! These are kept apart from [`super::space::Vocabulary`]'s code walk because they are read
//! relative to something else: a window or a shifted date relative to the decided line's date,
//! an age relative to the birth date, a rendering NPI relative to the billing NPI. So the
//! values worth generating are not the constants a rule mentions but the edges around them:
//! history dates N-1, N and N+1 days (or months) away, birth dates making the patient N-1, N and
//! N+1 years old on the line's date, NPIs equal to and different from the billing NPI. This
//! module records what the rules mention and turns it into those edges, as [`DateShift`]s from
//! the claim's main date of service (so a generated claim stays valid wherever its anchor date
//! falls) and as member lists.

use std::collections::BTreeSet;

pub use super::date_shift::DateShift;
use crate::facts::{add_months, Date, Npi, ProcedureCode, Sex, Taxonomy};
use crate::ir::{
    CodeOperand, CondKind, DateValue, Direction, DurationUnit, LineRef, Num, ProviderFilter,
    Source, Visit, Window,
};

/// A date moved by a constant: `line.date - 30 days` is `-30` days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConstantShift {
    /// Signed amount (negative: earlier).
    pub amount: i64,
    /// Days, months or years.
    pub unit: DurationUnit,
}

impl ConstantShift {
    /// `line.date` (or a quantified line's) shifted by a constant, as a shift.
    pub fn of(value: &DateValue) -> Option<Self> {
        match value {
            DateValue::Shift {
                base,
                later,
                amount,
                unit,
            } if matches!(**base, DateValue::Line(_)) => match **amount {
                Num::Const(n) => Some(Self {
                    amount: if *later { n } else { n.saturating_neg() },
                    unit: *unit,
                }),
                _ => None,
            },
            _ => None,
        }
    }

    /// The date that this shift takes to `date` (`2026-01-31` for `-30 days` and
    /// `2026-01-01`).
    pub fn back_from(self, date: Date) -> Date {
        let n = i32::try_from(self.amount.saturating_neg()).unwrap_or(0);
        match self.unit {
            DurationUnit::Days => date.add_days(n),
            DurationUnit::Months => add_months(date, n),
            DurationUnit::Years => add_months(date, n.saturating_mul(12)),
        }
    }
}

/// Which of these attributes some rule reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ContextReads {
    /// `patient.age` / `patient.age_months` (or `known(patient.age)`).
    pub age: bool,
    /// `patient.sex`.
    pub sex: bool,
    /// A taxonomy (billing or rendering provider's).
    pub taxonomy: bool,
    /// The billing provider's taxonomy (`claim.provider.taxonomy`).
    pub billing_taxonomy: bool,
    /// An NPI (billing or rendering), or a provider filter of a line source.
    pub npi: bool,
    /// The billing provider's NPI against a set (`claim.provider.npi in ...`).
    pub billing_npi: bool,
    /// The decided line's rendering provider (`line.rendering.npi`,
    /// `line.rendering.taxonomy`, `by same rendering provider`).
    pub rendering: bool,
    /// Quantified lines' rendering providers (`rendering.npi` inside `where`).
    pub quantified_rendering: bool,
    /// Some line source over the claim's own lines has a `where` filter (so what it reads
    /// of quantified lines is read of claim lines too).
    pub claim_filters: bool,
    /// `line.authorized`.
    pub authorized: bool,
}

impl ContextReads {
    fn union(self, o: ContextReads) -> ContextReads {
        ContextReads {
            age: self.age || o.age,
            sex: self.sex || o.sex,
            taxonomy: self.taxonomy || o.taxonomy,
            billing_taxonomy: self.billing_taxonomy || o.billing_taxonomy,
            npi: self.npi || o.npi,
            billing_npi: self.billing_npi || o.billing_npi,
            rendering: self.rendering || o.rendering,
            quantified_rendering: self.quantified_rendering || o.quantified_rendering,
            claim_filters: self.claim_filters || o.claim_filters,
            authorized: self.authorized || o.authorized,
        }
    }
}

/// What one line source over the history looks for: the codes its filter tests and the
/// edges of its window. Generators draw some history lines from these pairs, so a history
/// line is often both the code a rule looks for and at the edge of that rule's window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryTarget {
    /// The filter's code ranges' ends and literal codes (empty when it tests none).
    pub codes: Vec<ProcedureCode>,
    /// The window's edges, and the line's own date.
    pub dates: Vec<DateShift>,
}

/// Everything of the claim's context that a set of rules mentions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContextVocabulary {
    /// Date windows of line sources (other than "any date").
    pub windows: Vec<Window>,
    /// The windows of sources that range over the claim's own lines.
    pub claim_windows: Vec<Window>,
    /// Constant shifts of date arithmetic (`line.date - 90 days`), as (amount, unit).
    pub shifts: BTreeSet<(i64, DurationUnitKey)>,
    /// Constants compared with `patient.age`.
    pub age_years: BTreeSet<i64>,
    /// Constants compared with `patient.age_months`.
    pub age_months: BTreeSet<i64>,
    /// Taxonomy sets tested (`= 2085R0202X` is a one-member set).
    pub taxonomy_sets: Vec<Vec<Taxonomy>>,
    /// NPI sets tested.
    pub npi_sets: Vec<Vec<Npi>>,
    /// Line sources over the history, as targets for history lines.
    pub history_targets: Vec<HistoryTarget>,
    /// Which attributes are read.
    pub reads: ContextReads,
}

/// [`DurationUnit`] with an order, so shifts can be kept in a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DurationUnitKey {
    /// Days.
    Days,
    /// Calendar months.
    Months,
    /// Calendar years.
    Years,
}

impl From<DurationUnit> for DurationUnitKey {
    fn from(unit: DurationUnit) -> Self {
        match unit {
            DurationUnit::Days => Self::Days,
            DurationUnit::Months => Self::Months,
            DurationUnit::Years => Self::Years,
        }
    }
}

/// Most years an age threshold is taken at (larger constants are not ages).
const MAX_AGE_YEARS: i64 = 130;
/// Most days or months a window or shift is generated around (larger ones are clamped).
pub(super) const MAX_REACH: i64 = 3660;

impl ContextVocabulary {
    /// What either vocabulary mentions.
    pub fn union(mut self, other: ContextVocabulary) -> ContextVocabulary {
        for window in other.windows {
            let claim_lines = other.claim_windows.contains(&window);
            self.window(window, claim_lines);
        }
        self.shifts.extend(other.shifts);
        self.age_years.extend(other.age_years);
        self.age_months.extend(other.age_months);
        for set in other.taxonomy_sets {
            if !self.taxonomy_sets.contains(&set) {
                self.taxonomy_sets.push(set);
            }
        }
        for set in other.npi_sets {
            if !self.npi_sets.contains(&set) {
                self.npi_sets.push(set);
            }
        }
        for target in other.history_targets {
            if !self.history_targets.contains(&target) {
                self.history_targets.push(target);
            }
        }
        self.reads = self.reads.union(other.reads);
        self
    }

    /// Records a line source over the history as a target for history lines.
    pub fn history_target(&mut self, source: &Source) {
        let mut codes = BTreeSet::new();
        if let Some(filter) = &source.filter {
            filter.walk(&mut |visit| {
                let Visit::Cond(cond) = visit else { return };
                match &cond.kind {
                    CondKind::CodeIn {
                        line: LineRef::Quantified,
                        set,
                    } => {
                        for &(lo, hi) in set.packed_ranges() {
                            codes.extend(ProcedureCode::from_packed(lo));
                            codes.extend(ProcedureCode::from_packed(hi));
                        }
                    }
                    CondKind::CodeEq {
                        lhs: CodeOperand::Line(LineRef::Quantified),
                        rhs: CodeOperand::Literal(code),
                    }
                    | CondKind::CodeEq {
                        lhs: CodeOperand::Literal(code),
                        rhs: CodeOperand::Line(LineRef::Quantified),
                    } => {
                        codes.insert(*code);
                    }
                    _ => {}
                }
            });
        }
        let mut alone = ContextVocabulary::default();
        alone.window(source.window, false);
        let mut dates = vec![DateShift::NONE];
        dates.extend(alone.date_shifts());
        let target = HistoryTarget {
            codes: codes.into_iter().collect(),
            dates,
        };
        if !self.history_targets.contains(&target) {
            self.history_targets.push(target);
        }
    }

    /// Records a line source's window; `claim_lines` when the source ranges over the
    /// claim's own lines too.
    pub fn window(&mut self, window: Window, claim_lines: bool) {
        if window == Window::Anytime {
            return;
        }
        if !self.windows.contains(&window) {
            self.windows.push(window);
        }
        if claim_lines && !self.claim_windows.contains(&window) {
            self.claim_windows.push(window);
        }
    }

    /// Records the constant shifts of a date comparison between two lines' dates
    /// (`date >= line.date - 90 days`); a comparison with a literal date moves a boundary
    /// instead (see the vocabulary's date walk).
    pub fn date_comparison(&mut self, lhs: &DateValue, rhs: &DateValue) {
        fn reads_a_line(value: &DateValue) -> bool {
            match value {
                DateValue::Line(_) => true,
                DateValue::Literal(_) => false,
                DateValue::Shift { base, .. } => reads_a_line(base),
            }
        }
        fn shifts(value: &DateValue, out: &mut BTreeSet<(i64, DurationUnitKey)>) {
            if let DateValue::Shift {
                base, amount, unit, ..
            } = value
            {
                if let Num::Const(n) = **amount {
                    out.insert((n, (*unit).into()));
                }
                shifts(base, out);
            }
        }
        if reads_a_line(lhs) && reads_a_line(rhs) {
            shifts(lhs, &mut self.shifts);
            shifts(rhs, &mut self.shifts);
        }
    }

    /// Records a read of a line's rendering provider.
    pub fn rendering_ref(&mut self, line: LineRef) {
        match line {
            LineRef::Current => self.reads.rendering = true,
            LineRef::Quantified => self.reads.quantified_rendering = true,
        }
    }

    /// Whether claim lines' rendering providers matter: the decided line's is read, or a
    /// quantified line's where claim lines are quantified.
    pub fn claim_line_rendering(&self) -> bool {
        self.reads.rendering || (self.reads.quantified_rendering && self.reads.claim_filters)
    }

    /// Whether anyone's rendering provider matters (claim lines or history lines).
    pub fn any_rendering(&self) -> bool {
        self.reads.rendering || self.reads.quantified_rendering
    }

    /// Records a line source's provider filter.
    pub fn provider_filter(&mut self, filter: ProviderFilter) {
        match filter {
            ProviderFilter::Any => {}
            ProviderFilter::SameBilling | ProviderFilter::OtherBilling => self.reads.npi = true,
            ProviderFilter::SameRendering => {
                self.reads.npi = true;
                self.reads.rendering = true;
            }
        }
    }

    /// Records the constants of a comparison in which `patient.age` (or `age_months`) takes
    /// part.
    pub fn age_comparison(&mut self, lhs: &Num, rhs: &Num) {
        let mut ages = (false, false);
        let mut constants = Vec::new();
        for side in [lhs, rhs] {
            walk_num(side, &mut |n| match n {
                Num::Age { months: false } => ages.0 = true,
                Num::Age { months: true } => ages.1 = true,
                Num::Const(c) => constants.push(*c),
                _ => {}
            });
        }
        let clamp = |c: i64, most: i64| c.clamp(0, most);
        if ages.0 {
            self.reads.age = true;
            self.age_years
                .extend(constants.iter().map(|&c| clamp(c, MAX_AGE_YEARS)));
        }
        if ages.1 {
            self.reads.age = true;
            self.age_months
                .extend(constants.iter().map(|&c| clamp(c, MAX_AGE_YEARS * 12)));
        }
    }

    /// Line dates worth generating, as shifts from the anchor: each window's and each shift's
    /// edges (N-1, N and N+1 days or months on either side), the first and last days of the
    /// anchor's calendar year and their neighbours, and the same day a year away. Empty when
    /// no rule relates two dates.
    pub fn date_shifts(&self) -> Vec<DateShift> {
        let mut out = BTreeSet::new();
        let days = |n: i64, out: &mut BTreeSet<DateShift>| {
            let n = n.clamp(0, MAX_REACH) as i32;
            for d in [n - 1, n, n + 1] {
                out.insert(DateShift::days(d));
                out.insert(DateShift::days(-d));
            }
        };
        let months = |n: i64, out: &mut BTreeSet<DateShift>| {
            let n = n.clamp(0, MAX_REACH) as i32;
            for (m, d) in [(n, -1), (n, 0), (n, 1)] {
                out.insert(DateShift::By { months: m, days: d });
                out.insert(DateShift::By {
                    months: -m,
                    days: -d,
                });
            }
        };
        for window in &self.windows {
            match *window {
                // Lines on the main date, or on another date of the space, meet these.
                Window::Anytime | Window::SameDate => {}
                Window::CalendarYear => {
                    for d in [-1, 0, 1] {
                        out.insert(DateShift::YearStart { days: d });
                        out.insert(DateShift::YearEnd { days: d });
                    }
                }
                Window::Days { days: n, direction } => {
                    days(i64::from(n), &mut out);
                    if direction.is_none() {
                        days(0, &mut out);
                    }
                }
                Window::Months {
                    months: n,
                    direction,
                } => {
                    months(i64::from(n), &mut out);
                    if direction == Some(Direction::Before) || direction == Some(Direction::After) {
                        days(0, &mut out);
                    }
                }
            }
        }
        for &(n, unit) in &self.shifts {
            match unit {
                DurationUnitKey::Days => days(n, &mut out),
                DurationUnitKey::Months => months(n, &mut out),
                DurationUnitKey::Years => months(n.saturating_mul(12), &mut out),
            }
        }
        if !out.is_empty() {
            out.insert(DateShift::By {
                months: -12,
                days: 0,
            });
            out.insert(DateShift::By {
                months: 12,
                days: 0,
            });
        }
        out.remove(&DateShift::NONE);
        out.into_iter().collect()
    }

    /// Main dates of service at the end of a month, when some window or shift counts
    /// calendar months (a month before March 31 is February 28): the last day of each start
    /// date's month and of the month two later.
    pub fn month_end_anchors(&self, starts: &BTreeSet<Date>) -> Vec<Date> {
        let months = self
            .windows
            .iter()
            .any(|w| matches!(w, Window::Months { .. }))
            || self
                .shifts
                .iter()
                .any(|(_, unit)| *unit != DurationUnitKey::Days);
        if !months {
            return Vec::new();
        }
        let mut out = Vec::new();
        for &start in starts {
            let (year, month, _) = start.ymd();
            for ahead in [0, 2] {
                let first = Date::from_ymd(year, month, 1).map(|d| add_months(d, ahead + 1));
                out.extend(first.map(|d| d.add_days(-1)));
            }
        }
        out
    }

    /// Birth dates worth generating, as shifts back from the anchor: for each age threshold
    /// N, the patient is N-1 (one day short of N), N (birthday on the anchor), N (one day
    /// short of N+1) or N+1 (birthday on the anchor) on the anchor date. Empty when no rule
    /// reads the age; the anchor itself (a newborn) otherwise.
    pub fn birth_dates(&self) -> Vec<DateShift> {
        if !self.reads.age {
            return Vec::new();
        }
        let mut out = BTreeSet::new();
        out.insert(DateShift::NONE);
        let mut around = |months: i64| {
            let m = months.clamp(0, MAX_AGE_YEARS * 12 + 12) as i32;
            out.insert(DateShift::By {
                months: -m,
                days: 0,
            });
            out.insert(DateShift::By {
                months: -m,
                days: 1,
            });
        };
        for &n in &self.age_years {
            around(n * 12);
            around((n + 1) * 12);
        }
        for &n in &self.age_months {
            around(n);
            around(n + 1);
        }
        out.into_iter().collect()
    }

    /// Sexes worth stating (none when no rule reads it).
    pub fn sexes(&self) -> Vec<Sex> {
        if self.reads.sex {
            vec![Sex::F, Sex::M, Sex::U]
        } else {
            Vec::new()
        }
    }

    /// Taxonomies worth stating: every member of every set and one in none (none when no
    /// rule reads a taxonomy).
    pub fn taxonomies(&self) -> Vec<Taxonomy> {
        if !self.reads.taxonomy {
            return Vec::new();
        }
        let mut out: BTreeSet<Taxonomy> = self.taxonomy_sets.iter().flatten().copied().collect();
        if let Some(other) = ["207Q00000X", "208D00000X", "390200000X"]
            .iter()
            .filter_map(|t| Taxonomy::parse(t).ok())
            .find(|t| !out.contains(t))
        {
            out.insert(other);
        }
        out.into_iter().collect()
    }

    /// NPIs worth using for billing and rendering providers: `own` (the usual billing NPI)
    /// first, `other`, every member of every set, and one valid NPI in no set. Empty when no
    /// rule reads an NPI.
    pub fn npis(&self, own: Npi, other: Npi) -> Vec<Npi> {
        if !self.reads.npi {
            return Vec::new();
        }
        let mut rest: BTreeSet<Npi> = self.npi_sets.iter().flatten().copied().collect();
        rest.insert(other);
        if let Some(outside) = ["1111111112", "2222222228", "1555555550"]
            .iter()
            .filter_map(|t| Npi::parse(t).ok())
            .find(|n| !rest.contains(n) && *n != own)
        {
            rest.insert(outside);
        }
        rest.remove(&own);
        std::iter::once(own).chain(rest).collect()
    }
}

/// Visits every number of an expression (not inside aggregates' filters).
fn walk_num(num: &Num, visit: &mut impl FnMut(&Num)) {
    visit(num);
    if let Num::Binary { lhs, rhs, .. } = num {
        walk_num(lhs, visit);
        walk_num(rhs, visit);
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
    fn shifts_name_dates_around_the_anchor() {
        let anchor = date("2026-03-31");
        assert_eq!(DateShift::days(-90).apply(anchor), date("2025-12-31"));
        let a_month_back = DateShift::By {
            months: -1,
            days: 0,
        };
        assert_eq!(a_month_back.apply(anchor), date("2026-02-28"));
        assert_eq!(
            DateShift::YearStart { days: -1 }.apply(anchor),
            date("2025-12-31")
        );
        assert_eq!(
            DateShift::YearEnd { days: 1 }.apply(anchor),
            date("2027-01-01")
        );
    }

    #[test]
    fn windows_give_their_edges_on_both_sides() {
        let mut v = ContextVocabulary::default();
        v.window(
            Window::Days {
                days: 90,
                direction: Some(Direction::Before),
            },
            false,
        );
        let shifts = v.date_shifts();
        for d in [-91, -90, -89, 89, 90, 91] {
            assert!(shifts.contains(&DateShift::days(d)), "{d}");
        }
        assert!(!shifts.contains(&DateShift::NONE));
    }

    #[test]
    fn birth_dates_straddle_each_age_threshold() {
        let mut v = ContextVocabulary::default();
        v.age_comparison(&Num::Age { months: false }, &Num::Const(18));
        let anchor = date("2026-03-15");
        let ages: BTreeSet<u32> = v
            .birth_dates()
            .iter()
            .map(|s| {
                crate::facts::Age::between(s.apply(anchor), anchor)
                    .unwrap()
                    .years
            })
            .collect();
        assert_eq!(ages, [0, 17, 18, 19].into_iter().collect());
    }
}
