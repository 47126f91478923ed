//! The exhaustive scope's classes of what general payer policies read: the patient (age and
//! sex), the providers (billing NPI and taxonomy, rendering providers), authorisations,
//! replacements, and where history lines fall relative to the claim's dates.
//!
//! Each dimension exists only when some compared rule reads it (a pack without age rules
//! enumerates exactly the claims it did before), and each is cut into classes the way
//! codes are: ages at and one day short of every threshold, taxonomies and NPIs by which sets
//! hold them, dates at and just outside every window's edges. History lines vary their own
//! place, role, rendering provider and diagnoses one attribute at a time (a *profile*), not
//! in every combination: a history line is rarely tested on two of them at once, and the
//! product would multiply the scope by hundreds.

use std::collections::BTreeSet;

use super::drafts::DraftDate;
use super::space::Vocabulary;
use super::space_context::{ContextVocabulary, DateShift, DurationUnitKey, MAX_REACH};
use crate::facts::{
    Authorization, Claim, Date, Diagnosis, Frequency, Line, Npi, PlaceOfService, ProcedureCode,
    ProviderRole, Rendering, Sex, Taxonomy,
};
use crate::ir::{Direction, Window};

/// An authorisation class, drawn around the claim's first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AuthorizationClass {
    /// No authorisation.
    None,
    /// Lists its code, spans its date, no unit limit.
    Covers,
    /// Lists its code; ends the day before.
    EndsBefore,
    /// Lists its code; starts the day after.
    StartsAfter,
    /// Spans its date; lists another code.
    OtherCode,
    /// Lists its code and date; allows one unit fewer than the line bills.
    UnitsShort,
    /// Lists its code and date; allows exactly the line's units (short when another line
    /// of the claim is covered too).
    UnitsExact,
}

const AUTHORIZATION_CLASSES: [AuthorizationClass; 7] = [
    AuthorizationClass::None,
    AuthorizationClass::Covers,
    AuthorizationClass::EndsBefore,
    AuthorizationClass::StartsAfter,
    AuthorizationClass::OtherCode,
    AuthorizationClass::UnitsShort,
    AuthorizationClass::UnitsExact,
];

/// A replacement class: original, or replacing / voiding the first history claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FrequencyClass {
    Original,
    Replaces,
    Voids,
}

/// How a history line differs from a plain one (office, professional, rendered by its
/// billing provider, no diagnoses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct HistoryProfile {
    pub place: PlaceOfService,
    pub role: ProviderRole,
    pub rendering: Option<(Npi, Option<Taxonomy>)>,
    pub diagnoses: Vec<Diagnosis>,
}

impl HistoryProfile {
    fn plain() -> Self {
        Self {
            place: PlaceOfService::OFFICE,
            role: ProviderRole::Professional,
            rendering: None,
            diagnoses: Vec::new(),
        }
    }
}

/// The classes of the context dimensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ContextClasses {
    births: Vec<Option<DateShift>>,
    sexes: Vec<Option<Sex>>,
    billing_npis: Vec<Npi>,
    billing_taxonomies: Vec<Option<Taxonomy>>,
    authorizations: Vec<AuthorizationClass>,
    frequencies: Vec<FrequencyClass>,
    /// A line's rendering provider (the line's own; a claim-level one is the same thing for
    /// every line, so it is not enumerated separately).
    pub renderings: Vec<Option<Rendering>>,
    /// Dates of lines after the first, relative to the first line's date (besides the
    /// absolute class dates).
    pub line_shifts: Vec<DateShift>,
    /// History dates relative to the first line's date (besides the absolute class dates).
    pub history_shifts: Vec<DateShift>,
    /// History billing NPIs: `None` is the claim's billing NPI.
    pub history_npis: Vec<Option<Npi>>,
    /// History line profiles.
    pub history_profiles: Vec<HistoryProfile>,
    other_code: Option<ProcedureCode>,
}

fn none_and<T: Clone>(values: Vec<T>) -> Vec<Option<T>> {
    std::iter::once(None)
        .chain(values.into_iter().map(Some))
        .collect()
}

impl ContextClasses {
    /// The classes `vocabulary` calls for; `own` and `other` are the usual billing NPI and
    /// another one; `history` whether the scope has history lines.
    pub fn new(vocabulary: &Vocabulary, own: Npi, other: Npi, history: bool) -> Self {
        let context = &vocabulary.context;
        let reads = context.reads;
        let npi_classes = if reads.npi || context.any_rendering() {
            let mut with_npis = context.clone();
            with_npis.reads.npi = true;
            with_npis.npi_classes(own, other)
        } else {
            Vec::new()
        };
        let taxonomies = context.taxonomy_classes();
        let renderings = if context.claim_line_rendering() {
            let taxonomy_choices = none_and(taxonomies.clone());
            let mut out = vec![None];
            for npi in &npi_classes {
                for taxonomy in &taxonomy_choices {
                    out.push(Some(Rendering {
                        npi: *npi,
                        taxonomy: *taxonomy,
                    }));
                }
            }
            out
        } else {
            vec![None]
        };
        let line_shifts = context.class_shifts(true);
        let history_npis = if vocabulary.reads.same_provider || reads.npi {
            let mut out = vec![None];
            out.extend(npi_classes.iter().filter(|n| **n != own).map(|n| Some(*n)));
            if out.len() == 1 {
                out.push(Some(other));
            }
            out
        } else {
            vec![None]
        };
        let mut profiles = vec![HistoryProfile::plain()];
        if history {
            let plain = HistoryProfile::plain;
            if vocabulary.reads.line_place {
                for place in vocabulary.place_classes() {
                    if place != PlaceOfService::OFFICE {
                        profiles.push(HistoryProfile { place, ..plain() });
                    }
                }
            }
            if vocabulary.reads.role {
                profiles.push(HistoryProfile {
                    role: ProviderRole::Facility,
                    ..plain()
                });
            }
            if context.any_rendering() {
                for npi in npi_classes.iter().filter(|n| **n != own) {
                    profiles.push(HistoryProfile {
                        rendering: Some((*npi, None)),
                        ..plain()
                    });
                }
            }
            if reads.taxonomy {
                for taxonomy in &taxonomies {
                    profiles.push(HistoryProfile {
                        rendering: Some((own, Some(*taxonomy))),
                        ..plain()
                    });
                }
            }
            if vocabulary.reads.line_diagnoses {
                for d in vocabulary.diagnosis_classes() {
                    profiles.push(HistoryProfile {
                        diagnoses: vec![d],
                        ..plain()
                    });
                }
            }
        }
        Self {
            births: none_and(context.birth_dates()),
            sexes: none_and(context.sexes()),
            billing_npis: if reads.billing_npi && !npi_classes.is_empty() {
                npi_classes.clone()
            } else {
                vec![own]
            },
            // The billing taxonomy is read directly, or as the specialty of a claim line no
            // rendering provider is named for.
            billing_taxonomies: if reads.billing_taxonomy
                || (reads.taxonomy && context.claim_line_rendering())
            {
                none_and(taxonomies)
            } else {
                vec![None]
            },
            authorizations: if reads.authorized {
                AUTHORIZATION_CLASSES.to_vec()
            } else {
                vec![AuthorizationClass::None]
            },
            frequencies: if history {
                vec![
                    FrequencyClass::Original,
                    FrequencyClass::Replaces,
                    FrequencyClass::Voids,
                ]
            } else {
                vec![FrequencyClass::Original]
            },
            renderings,
            line_shifts: line_shifts
                .into_iter()
                .filter(|s| *s != DateShift::NONE)
                .collect(),
            history_shifts: if history {
                context.class_shifts(false)
            } else {
                Vec::new()
            },
            history_npis,
            history_profiles: profiles,
            other_code: vocabulary.other_code(),
        }
    }

    /// Claim-level variants: patient x billing provider x authorisation x frequency.
    pub fn claim_count(&self) -> u64 {
        [
            self.births.len(),
            self.sexes.len(),
            self.billing_npis.len(),
            self.billing_taxonomies.len(),
            self.authorizations.len(),
            self.frequencies.len(),
        ]
        .iter()
        .fold(1u64, |acc, n| acc.saturating_mul(*n as u64))
    }

    /// Patients (birth date x sex), for reports.
    pub fn patients(&self) -> usize {
        self.births.len() * self.sexes.len()
    }

    /// Billing providers (NPI x taxonomy), for reports.
    pub fn providers(&self) -> usize {
        self.billing_npis.len() * self.billing_taxonomies.len()
    }

    /// Authorisation classes, for reports.
    pub fn authorization_classes(&self) -> usize {
        self.authorizations.len()
    }

    /// The billing NPI of claim-level variant `index` (so the claim is built with it).
    pub fn billing_npi(&self, index: u64) -> Option<Npi> {
        let skip = (self.births.len() * self.sexes.len()) as u64;
        let i = (index / skip) % self.billing_npis.len() as u64;
        self.billing_npis.get(i as usize).copied()
    }

    /// Fills in claim-level variant `index` on `claim`, whose lines are built.
    pub fn apply(&self, index: u64, claim: &mut Claim) -> Option<()> {
        let mut rest = index;
        let mut take = |n: usize| {
            let i = (rest % n as u64) as usize;
            rest /= n as u64;
            i
        };
        let birth = *self.births.get(take(self.births.len()))?;
        let sex = *self.sexes.get(take(self.sexes.len()))?;
        let _billing = take(self.billing_npis.len());
        let taxonomy = *self
            .billing_taxonomies
            .get(take(self.billing_taxonomies.len()))?;
        let authorization = *self.authorizations.get(take(self.authorizations.len()))?;
        let frequency = *self.frequencies.get(take(self.frequencies.len()))?;
        let first = claim.lines.first()?.clone();
        let earliest = claim.lines.iter().map(|l| l.date).min()?;
        claim.patient_birth_date = birth.map(|s| s.apply(first.date).min(earliest));
        claim.patient_sex = sex;
        claim.provider.taxonomy = taxonomy;
        claim.authorizations = self
            .authorization(authorization, &first)
            .into_iter()
            .collect();
        (claim.frequency, claim.replaces) = match frequency {
            FrequencyClass::Original => (None, None),
            FrequencyClass::Replaces => (Some(Frequency::Replacement), Some("H1".to_owned())),
            FrequencyClass::Voids => (Some(Frequency::Void), Some("H1".to_owned())),
        };
        Some(())
    }

    fn authorization(&self, class: AuthorizationClass, line: &Line) -> Option<Authorization> {
        let d = line.date;
        let mut auth = Authorization {
            number: "AUTH-1".to_owned(),
            codes: vec![line.code],
            units: None,
            from: d,
            to: d,
        };
        match class {
            AuthorizationClass::None => return None,
            AuthorizationClass::Covers => {}
            AuthorizationClass::EndsBefore => {
                (auth.from, auth.to) = (d.add_days(-30), d.add_days(-1))
            }
            AuthorizationClass::StartsAfter => {
                (auth.from, auth.to) = (d.add_days(1), d.add_days(30))
            }
            AuthorizationClass::OtherCode => {
                auth.codes = vec![self.other_code.filter(|c| *c != line.code)?];
            }
            AuthorizationClass::UnitsShort => auth.units = Some(line.units.saturating_sub(1)),
            AuthorizationClass::UnitsExact => auth.units = Some(line.units),
        }
        Some(auth)
    }

    /// Date choices for a line at `position` (0-based) or a history line: the absolute class
    /// dates, then (for later lines and history) shifts from the first line's date.
    pub fn date_choices(&self, dates: &[Date], shifts: &[DateShift]) -> Vec<DraftDate> {
        dates
            .iter()
            .map(|d| DraftDate::At(*d))
            .chain(shifts.iter().map(|s| DraftDate::Shift(*s)))
            .collect()
    }
}

/// Classes of what [`ContextVocabulary`] records, for the scope.
impl ContextVocabulary {
    /// One date per piece of the line's surroundings that every window and date shift cuts
    /// out, for the exhaustive scope: each window's first and last days and the days just
    /// outside it, each shift's day and its neighbours, and the line's own date. Empty when no
    /// rule relates two dates. Calendar months and years are cut at the anchor's month and
    /// year, so pieces that depend on a month's length are represented by one anchor only.
    pub fn class_shifts(&self, claim_lines: bool) -> Vec<DateShift> {
        let mut out = BTreeSet::new();
        let by = |months: i32, days: i32| DateShift::By { months, days };
        let clamp = |n: u32| i32::try_from(u64::from(n).min(MAX_REACH as u64)).unwrap_or(0);
        let windows = if claim_lines {
            &self.claim_windows
        } else {
            &self.windows
        };
        for window in windows {
            let edges = match *window {
                // Same date or not: the absolute class dates already tell them apart.
                Window::Anytime | Window::SameDate => vec![],
                Window::CalendarYear => vec![
                    DateShift::YearStart { days: -1 },
                    DateShift::YearStart { days: 0 },
                    DateShift::YearEnd { days: 0 },
                    DateShift::YearEnd { days: 1 },
                ],
                Window::Days { days, direction } => {
                    let n = clamp(days);
                    match direction {
                        Some(Direction::Before) => vec![by(0, -n - 1), by(0, -n), by(0, -1)],
                        Some(Direction::After) => vec![by(0, 1), by(0, n), by(0, n + 1)],
                        None => vec![by(0, -n - 1), by(0, -n), by(0, n), by(0, n + 1)],
                    }
                }
                Window::Months { months, direction } => {
                    let n = clamp(months);
                    match direction {
                        Some(Direction::Before) => vec![by(-n, -1), by(-n, 0), by(0, -1)],
                        Some(Direction::After) => vec![by(0, 1), by(n, 0), by(n, 1)],
                        None => vec![by(-n, -1), by(-n, 0), by(n, 0), by(n, 1)],
                    }
                }
            };
            out.extend(edges);
        }
        for &(amount, unit) in &self.shifts {
            let a = i32::try_from(amount.clamp(-MAX_REACH, MAX_REACH)).unwrap_or(0);
            let months = match unit {
                DurationUnitKey::Days => None,
                DurationUnitKey::Months => Some(a),
                DurationUnitKey::Years => Some(a.saturating_mul(12)),
            };
            out.extend([-1, 0, 1].map(|d| match months {
                None => by(0, a + d),
                Some(m) => by(m, d),
            }));
        }
        if !out.is_empty() {
            out.insert(DateShift::NONE);
        }
        out.into_iter().collect()
    }

    /// One taxonomy per class of taxonomies every set treats alike (for the exhaustive
    /// scope); empty when no rule reads a taxonomy.
    pub fn taxonomy_classes(&self) -> Vec<Taxonomy> {
        classes(&self.taxonomies(), &self.taxonomy_sets)
    }

    /// One NPI per class of NPIs every set treats alike, `own` and `other` always among them
    /// (they tell "same provider" from "another"). Empty when no rule reads an NPI.
    pub fn npi_classes(&self, own: Npi, other: Npi) -> Vec<Npi> {
        let all = self.npis(own, other);
        if all.is_empty() {
            return all;
        }
        // `own` and `other` first, so they represent their classes.
        let ordered: Vec<Npi> = [own, other]
            .into_iter()
            .chain(all.into_iter().filter(|n| *n != own && *n != other))
            .collect();
        classes(&ordered, &self.npi_sets)
            .into_iter()
            .chain([other])
            .fold(Vec::new(), |mut out, n| {
                if !out.contains(&n) {
                    out.push(n);
                }
                out
            })
    }
}

/// One value per distinct membership signature over `sets`, keeping the first of each.
fn classes<T: Copy + Ord>(values: &[T], sets: &[Vec<T>]) -> Vec<T> {
    let mut seen: Vec<Vec<bool>> = Vec::new();
    let mut out = Vec::new();
    for v in values {
        let signature: Vec<bool> = sets.iter().map(|s| s.contains(v)).collect();
        if !seen.contains(&signature) {
            seen.push(signature);
            out.push(*v);
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn npi_classes_keep_own_and_other_first() {
        let own = Npi::parse("1234567893").unwrap();
        let other = Npi::parse("9876543213").unwrap();
        let member = Npi::parse("1245319599").unwrap();
        let mut v = ContextVocabulary::default();
        v.reads.npi = true;
        v.npi_sets.push(vec![own, member]);
        // The member is in the set like `own`; the NPI outside every set is like `other`.
        assert_eq!(v.npi_classes(own, other), [own, other]);
        let npis = v.npis(own, other);
        assert_eq!(npis[0], own);
        assert!(npis.contains(&member) && npis.contains(&other) && npis.len() == 4);
    }
}
