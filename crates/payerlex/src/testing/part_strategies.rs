//! Strategies for the parts of a generated claim: its lines, its report, its patient and
//! providers (with authorisations and frequency), and the patient's earlier claims.
//!
//! Kept apart from [`super::strategies`] (which assembles a case from these parts and
//! resolves its drafts) so each file has one job. Every part draws from the [`ClaimSpace`]'s
//! pools, and an attribute whose pool is empty is never drawn at all (a `Just`): packs that do
//! not read it get the same draws as a plainer space, and claims stay small.

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::sample::{select, subsequence, Index};

use super::drafts::{
    AuthorizationDraft, DraftDate, FrequencyDraft, HistoryDraft, HistoryLineDraft, LineDraft,
    PartiesDraft, RenderingDraft,
};
use super::strategies::ClaimSpace;
use crate::eval::Outcome;
use crate::facts::{Modifiers, PlaceOfService, ProcedureCode, ProviderRole, Report};

impl ClaimSpace {
    pub(super) fn modifiers(&self) -> BoxedStrategy<Modifiers> {
        if self.modifiers.is_empty() {
            return Just(Modifiers::none()).boxed();
        }
        let one = if self.focus_modifiers.is_empty() {
            select(self.modifiers.clone()).boxed()
        } else {
            prop_oneof![3 => select(self.focus_modifiers.clone()), 1 => select(self.modifiers.clone())].boxed()
        };
        prop::collection::vec(one, 0..=2)
            .prop_map(|mut list| {
                list.dedup();
                Modifiers::from_slice(&list).unwrap_or_default()
            })
            .boxed()
    }

    pub(super) fn codes(&self) -> BoxedStrategy<ProcedureCode> {
        let all = pick(&self.codes, ProcedureCode::parse("99213").ok());
        if self.focus_codes.is_empty() {
            all
        } else {
            prop_oneof![all, select(self.focus_codes.clone())].boxed()
        }
    }

    pub(super) fn line(&self) -> impl Strategy<Value = LineDraft> {
        let dates = self.line_date(3, 2);
        let place =
            prop::option::weighted(0.2, pick(&self.places, PlaceOfService::parse("11").ok()));
        (
            (
                self.codes(),
                self.modifiers(),
                1u32..=4,
                dates,
                0u8..16,
                place,
            ),
            self.rendering_draft(),
        )
            .prop_map(
                |((code, modifiers, units, date, pointers, place), rendering)| LineDraft {
                    code,
                    modifiers,
                    units,
                    date,
                    pointers,
                    place,
                    rendering,
                },
            )
    }

    /// A line's date: mostly the claim's main date of service (so same-date rules meet),
    /// else any date of the space, else (weighted `shifted` against `anchor` for the main
    /// date) a window's or date shift's edge relative to the main date.
    pub(super) fn line_date(&self, anchor: u32, shifted: u32) -> BoxedStrategy<DraftDate> {
        if self.dates.is_empty() {
            return Just(DraftDate::Anchor).boxed();
        }
        let at = select(self.dates.clone()).prop_map(DraftDate::At);
        if self.date_shifts.is_empty() {
            return prop_oneof![3 => Just(DraftDate::Anchor), 1 => at].boxed();
        }
        let shift = select(self.date_shifts.clone()).prop_map(DraftDate::Shift);
        prop_oneof![anchor => Just(DraftDate::Anchor), 1 => at, shifted => shift].boxed()
    }

    /// A rendering provider (none half the time): the billing one or another NPI, with or
    /// without a taxonomy.
    pub(super) fn rendering_draft(&self) -> BoxedStrategy<RenderingDraft> {
        if !self.rendering || self.npis.is_empty() {
            return Just(None).boxed();
        }
        let taxonomy = optional(&self.taxonomies);
        prop::option::of((0..self.npis.len() + 1, taxonomy)).boxed()
    }

    /// The patient, the providers, authorisations and the claim's frequency.
    pub(super) fn parties(&self) -> BoxedStrategy<PartiesDraft> {
        let birth = optional(&self.birth_dates);
        let sex = optional(&self.sexes);
        let billing = if self.npis.len() > 1 {
            prop_oneof![2 => Just(0usize), 1 => 0..self.npis.len()].boxed()
        } else {
            Just(0usize).boxed()
        };
        let billing_taxonomy = optional(&self.taxonomies);
        let authorizations = if self.authorizations {
            let extra = prop::option::of(self.codes());
            let one = (
                0..self.max_lines.max(1),
                any::<bool>(),
                extra,
                0u8..4,
                0u8..4,
            )
                .prop_map(|(line, lists_code, extra_code, span, units)| {
                    AuthorizationDraft {
                        line,
                        lists_code,
                        extra_code,
                        span,
                        units,
                    }
                });
            prop::collection::vec(one, 0..=2).boxed()
        } else {
            Just(Vec::new()).boxed()
        };
        let frequency = if self.replacements && self.max_history_claims > 0 {
            let target = 0..self.max_history_claims + 1;
            prop::option::weighted(
                0.3,
                prop_oneof![
                    Just(FrequencyDraft::Original),
                    target.clone().prop_map(FrequencyDraft::Replaces),
                    target.prop_map(FrequencyDraft::Voids),
                ],
            )
            .boxed()
        } else {
            Just(None).boxed()
        };
        (
            birth,
            sex,
            billing,
            billing_taxonomy,
            self.rendering_draft(),
            authorizations,
            frequency,
        )
            .prop_map(
                |(birth, sex, billing, billing_taxonomy, rendering, authorizations, frequency)| {
                    PartiesDraft {
                        birth,
                        sex,
                        billing,
                        billing_taxonomy,
                        rendering,
                        authorizations,
                        frequency,
                    }
                },
            )
            .boxed()
    }

    pub(super) fn report(&self) -> impl Strategy<Value = Report> {
        let phrases = self.phrases.clone();
        // Each phrase stands plainly, negated a few words before, negated too far back or in
        // another sentence, or glued inside a longer word: the cases whole-word and
        // negation-aware matching must tell apart.
        let placed = (
            subsequence(phrases.clone(), 0..=phrases.len().min(2)),
            prop::collection::vec(0usize..PHRASE_CONTEXTS.len(), 2),
        )
            .prop_map(|(chosen, contexts)| {
                chosen
                    .into_iter()
                    .zip(contexts.into_iter().chain(std::iter::repeat(0)))
                    .map(|(phrase, context)| PHRASE_CONTEXTS[context].replace("{}", &phrase))
                    .collect::<Vec<String>>()
            });
        let text = prop::option::of((placed, any::<bool>()));
        // Packs that read facts also get a stated fact no policy declares (a misspelling),
        // which the decision reports as a warning.
        let mut names = self.facts.clone();
        if !names.is_empty() && !names.iter().any(|n| n == UNDECLARED_FACT) {
            names.push(UNDECLARED_FACT.to_owned());
        }
        let facts = prop::collection::vec(prop::option::of(any::<bool>()), names.len());
        (text, facts).prop_map(move |(text, values)| Report {
            text: text.map(|(chosen, shout)| {
                let body = if chosen.is_empty() {
                    "Images reviewed.".to_owned()
                } else {
                    format!("Images reviewed; {}.", chosen.join("; "))
                };
                if shout {
                    body.to_ascii_uppercase()
                } else {
                    body
                }
            }),
            facts: names
                .iter()
                .zip(values)
                .filter_map(|(name, value)| Some((name.clone(), value?)))
                .collect::<BTreeMap<_, _>>(),
        })
    }

    pub(super) fn history_line(&self) -> impl Strategy<Value = HistoryLineDraft> {
        let detailed = self.detailed_history;
        let place = if detailed {
            prop::option::of(pick(&self.places, Some(PlaceOfService::OFFICE))).boxed()
        } else {
            Just(None).boxed()
        };
        let rendering = if detailed {
            self.rendering_draft()
        } else {
            Just(None).boxed()
        };
        let diagnoses = if detailed && !self.diagnoses.is_empty() {
            prop::collection::vec(select(self.diagnoses.clone()), 0..=2).boxed()
        } else {
            Just(Vec::new()).boxed()
        };
        (self.history_basics(), (place, rendering, diagnoses)).prop_map(
            |((code, modifiers, units, date), (place, rendering, diagnoses))| HistoryLineDraft {
                code,
                modifiers,
                units,
                date,
                place,
                rendering,
                diagnoses,
            },
        )
    }

    /// A history line's code, modifiers, units and date; drawn in this order, as they
    /// always were, when no history filter gives targets.
    fn history_basics(&self) -> BoxedStrategy<(ProcedureCode, Modifiers, u32, DraftDate)> {
        if self.history_targets.is_empty() {
            return (
                self.codes(),
                self.modifiers(),
                0u32..=4,
                self.line_date(3, 4),
            )
                .boxed();
        }
        (self.history_code_and_date(), self.modifiers(), 0u32..=4)
            .prop_map(|((code, date), modifiers, units)| (code, modifiers, units, date))
            .boxed()
    }

    /// A history line's code and date: as a claim line's, or (half the time) a code some
    /// history filter tests at an edge of that filter's window.
    fn history_code_and_date(&self) -> BoxedStrategy<(ProcedureCode, DraftDate)> {
        let plain = (self.codes(), self.line_date(3, 4));
        let targets = self.history_targets.clone();
        let targeted = (
            0..targets.len(),
            any::<Index>(),
            any::<Index>(),
            self.codes(),
        )
            .prop_map(move |(t, code, date, fallback)| {
                let target = &targets[t];
                let code = match target.codes.len() {
                    0 => fallback,
                    n => target.codes[code.index(n)],
                };
                let date = match target.dates.len() {
                    0 => DraftDate::Anchor,
                    n => DraftDate::Shift(target.dates[date.index(n)]),
                };
                (code, date)
            });
        prop_oneof![plain, targeted].boxed()
    }

    pub(super) fn history_claim(&self) -> impl Strategy<Value = HistoryDraft> {
        let outcome = select(vec![Outcome::Allow, Outcome::Review, Outcome::Deny]);
        let role = if self.detailed_history {
            select(vec![ProviderRole::Professional, ProviderRole::Facility]).boxed()
        } else {
            Just(ProviderRole::Professional).boxed()
        };
        let other_index = if self.npis.len() > 1 {
            (0..self.npis.len()).boxed()
        } else {
            Just(0usize).boxed()
        };
        (
            prop::collection::vec(self.history_line(), 1..=2),
            any::<bool>(),
            outcome,
            (role, other_index),
        )
            .prop_map(|(lines, other_provider, outcome, (role, other_index))| {
                HistoryDraft {
                    lines,
                    other_provider,
                    other_index,
                    role,
                    outcome,
                }
            })
    }
}

/// `None` or one of `values`; always `None` when there are none.
pub(super) fn optional<T: Clone + std::fmt::Debug + 'static>(
    values: &[T],
) -> BoxedStrategy<Option<T>> {
    if values.is_empty() {
        Just(None).boxed()
    } else {
        prop::option::of(select(values.to_vec())).boxed()
    }
}

pub(super) fn pick<T: Clone + std::fmt::Debug + 'static>(
    values: &[T],
    fallback: Option<T>,
) -> BoxedStrategy<T> {
    match (values.is_empty(), fallback) {
        (false, _) => select(values.to_vec()).boxed(),
        (true, Some(f)) => Just(f).boxed(),
        (true, None) => select(values.to_vec()).boxed(),
    }
}

/// A report fact name that no pack is expected to declare.
const UNDECLARED_FACT: &str = "undeclared_fact";

/// Where a phrase is put in a generated report text (`{}` is the phrase).
const PHRASE_CONTEXTS: &[&str] = &[
    "{}",
    "{}",
    "not {}",
    "performed without the {}",
    "no sign of it was {}",
    "not seen. {}",
    "one two three four five not six seven eight nine ten {}",
    "x{}y",
    "{}s",
];
