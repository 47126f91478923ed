//! proptest strategies for well-formed claims aimed at a compiled pack.
//!
//! Uniformly random claims almost never reach a rule (a pack tests a few dozen of the sixty
//! million possible codes), so these strategies draw every value from a [`ClaimSpace`]: the
//! codes, range ends and their outside neighbours, modifiers, places, diagnoses, dates around
//! each effective and expiry date, and report facts that the pack's checked rules mention.
//! Every generated claim passes [`Claim::validate`], and every strategy shrinks toward a small
//! claim: one line, no modifiers, one unit, no diagnoses, no report, no history.

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::sample::{select, subsequence, Index};
use serde::Serialize;

use super::drafts::{
    AuthorizationDraft, DraftDate, FrequencyDraft, HistoryContext, HistoryDraft, HistoryLineDraft,
    LineDraft, PartiesDraft, RenderingDraft,
};
use super::space::Vocabulary;
use super::space_context::{DateShift, HistoryTarget};
use crate::eval::Outcome;
use crate::facts::{
    Claim, Date, Diagnosis, InMemoryHistory, Modifier, Modifiers, Npi, PlaceOfService, PriorLine,
    ProcedureCode, Provider, ProviderRole, Report, Sex, Taxonomy,
};
use crate::pack::Pack;

/// The NPI of the billing provider of every generated claim.
pub const PROVIDER_NPI: &str = "1234567893";
/// Another valid NPI, used for history lines billed by a different provider.
pub const OTHER_NPI: &str = "9876543213";
/// The patient of every generated claim.
pub const PATIENT: &str = "P1";

/// A claim and the patient's earlier lines: one input of a check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    /// The claim to decide.
    pub claim: Claim,
    /// Lines of the patient's earlier claims, as the host recorded them.
    pub history: Vec<PriorLine>,
}

impl Case {
    /// A case without history.
    pub fn new(claim: Claim) -> Self {
        Self {
            claim,
            history: Vec::new(),
        }
    }

    /// The history as an [`InMemoryHistory`], for [`crate::Engine::check`].
    pub fn in_memory_history(&self) -> InMemoryHistory {
        let mut history = InMemoryHistory::new();
        for line in &self.history {
            history.push(&self.claim.payer, &self.claim.patient, line.clone());
        }
        history
    }
}

/// The values generated claims are built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimSpace {
    /// Payer id written in every claim.
    pub payer: String,
    /// Procedure codes.
    pub codes: Vec<ProcedureCode>,
    /// Codes drawn for half of the lines: those rules fire on.
    pub focus_codes: Vec<ProcedureCode>,
    /// Modifiers (a line carries none, one or two of them).
    pub modifiers: Vec<Modifier>,
    /// Modifiers drawn three times in four: one per class of modifiers the rules tell apart.
    pub focus_modifiers: Vec<Modifier>,
    /// Dates of service.
    pub dates: Vec<Date>,
    /// Places of service.
    pub places: Vec<PlaceOfService>,
    /// Diagnoses.
    pub diagnoses: Vec<Diagnosis>,
    /// Report facts to state (or not).
    pub facts: Vec<String>,
    /// Report phrases to put in report texts.
    pub phrases: Vec<String>,
    /// Most lines per claim.
    pub max_lines: usize,
    /// Most earlier claims in a history.
    pub max_history_claims: usize,
    /// Line dates relative to the claim's main date of service: the edges of every window
    /// and date shift the rules use (empty: lines take `dates` only).
    pub date_shifts: Vec<DateShift>,
    /// Birth dates, as shifts back from the claim's main date, making the patient just
    /// younger than, exactly, and just older than every age the rules test (empty: never
    /// stated).
    pub birth_dates: Vec<DateShift>,
    /// Sexes to state (empty: never stated).
    pub sexes: Vec<Sex>,
    /// Taxonomies for billing and rendering providers (empty: never stated).
    pub taxonomies: Vec<Taxonomy>,
    /// NPIs for billing and rendering providers, the usual billing NPI ([`PROVIDER_NPI`])
    /// first (empty: always [`PROVIDER_NPI`]).
    pub npis: Vec<Npi>,
    /// Whether claims and lines name rendering providers (the billing one, or another).
    pub rendering: bool,
    /// Whether claims carry authorisation records.
    pub authorizations: bool,
    /// Whether claims may replace or void a claim of the history (frequency 7 and 8).
    pub replacements: bool,
    /// Whether history lines vary their place, role, rendering provider and diagnoses.
    pub detailed_history: bool,
    /// What the rules' history filters look for: half of the history lines take a code and
    /// a window edge from one of these.
    pub history_targets: Vec<HistoryTarget>,
}

impl ClaimSpace {
    /// The values `pack`'s rules mention.
    pub fn for_pack(pack: &Pack) -> Self {
        Self::from_vocabulary(&pack.id, &Vocabulary::of_pack(pack))
    }

    /// The values any of `packs` mention; claims name the first pack's payer.
    pub fn for_packs(packs: &[&Pack]) -> Self {
        let vocabulary = packs
            .iter()
            .map(|p| Vocabulary::of_pack(p))
            .fold(Vocabulary::default(), Vocabulary::union);
        let payer = packs.first().map_or("", |p| p.id.as_str());
        Self::from_vocabulary(payer, &vocabulary)
    }

    /// The values a [`Vocabulary`] lists, with a "none of these" value for each kind.
    /// Attributes no rule reads are left out (never stated), so the claims stay small and
    /// the draws for packs that do not read them are those of a plainer space.
    pub(crate) fn from_vocabulary(payer: &str, vocabulary: &Vocabulary) -> Self {
        let mut modifiers = vocabulary.tested_modifiers();
        if let Some(other) = ["GC", "AA", "Q5"]
            .iter()
            .filter_map(|t| Modifier::parse(t).ok())
            .find(|m| !modifiers.contains(m))
        {
            modifiers.push(other);
        }
        let context = &vocabulary.context;
        let reads = context.reads;
        let npis = match (Npi::parse(PROVIDER_NPI), Npi::parse(OTHER_NPI)) {
            (Ok(own), Ok(other)) if reads.npi || reads.rendering => {
                let mut with_npis = context.clone();
                with_npis.reads.npi = true;
                with_npis.npis(own, other)
            }
            _ => Vec::new(),
        };
        let mut dates = vocabulary.dates();
        dates.extend(context.month_end_anchors(&vocabulary.date_starts));
        dates.sort();
        dates.dedup();
        let history = vocabulary.reads.history;
        Self {
            payer: payer.to_owned(),
            codes: vocabulary.generator_codes(),
            focus_codes: vocabulary.trigger_codes.iter().copied().collect(),
            modifiers,
            focus_modifiers: vocabulary.modifier_classes(),
            dates,
            places: vocabulary.generator_places(),
            diagnoses: vocabulary.generator_diagnoses(),
            facts: vocabulary.facts.keys().map(|f| f.to_string()).collect(),
            phrases: vocabulary.phrases(),
            max_lines: 3,
            max_history_claims: 2,
            date_shifts: context.date_shifts(),
            birth_dates: context.birth_dates(),
            sexes: context.sexes(),
            taxonomies: context.taxonomies(),
            rendering: reads.rendering,
            npis,
            authorizations: reads.authorized,
            replacements: history,
            history_targets: context.history_targets.clone(),
            detailed_history: history
                && (vocabulary.reads.line_place
                    || vocabulary.reads.role
                    || vocabulary.reads.line_diagnoses
                    || reads.npi
                    || reads.rendering
                    || reads.taxonomy),
        }
    }

    /// Claims (without history).
    pub fn claim(&self) -> BoxedStrategy<Claim> {
        self.case().prop_map(|case| case.claim).boxed()
    }

    /// Claims with a short patient history (zero to `max_history_claims` earlier claims of
    /// one or two lines each, by this or another provider, each line allowed, held for review
    /// or denied).
    pub fn case(&self) -> BoxedStrategy<Case> {
        let payer = self.payer.clone();
        let lines = prop::collection::vec(self.line(), 1..=self.max_lines.max(1));
        let roles = select(vec![ProviderRole::Professional, ProviderRole::Facility]);
        let places = pick(&self.places, PlaceOfService::parse("11").ok());
        let diagnoses = if self.diagnoses.is_empty() {
            Just(Vec::new()).boxed()
        } else {
            prop::collection::vec(select(self.diagnoses.clone()), 0..=3).boxed()
        };
        let prior_auth = prop::option::of(Just("PA-0001".to_owned()));
        let report = prop::option::of(self.report());
        let history = prop::collection::vec(self.history_claim(), 0..=self.max_history_claims);
        let anchor = pick(&self.dates, Date::from_ymd(2026, 3, 2));
        let npis = self.npis.clone();
        (
            anchor,
            lines,
            roles,
            places,
            diagnoses,
            prior_auth,
            report,
            history,
            self.parties(),
        )
            .prop_filter_map(
                "the NPI constants are valid",
                move |(
                    anchor,
                    lines,
                    role,
                    place,
                    mut diagnoses,
                    prior_authorization,
                    report,
                    history,
                    parties,
                )| {
                    let (own, other) =
                        (Npi::parse(PROVIDER_NPI).ok()?, Npi::parse(OTHER_NPI).ok()?);
                    let billing = parties.billing_npi(&npis, own);
                    diagnoses.dedup();
                    let count = diagnoses.len();
                    let renderings = lines.iter().map(|l| l.rendering).collect();
                    let lines = lines
                        .into_iter()
                        .enumerate()
                        .map(|(i, l)| l.build(i as u32 + 1, count, anchor))
                        .collect();
                    let mut claim = Claim::new(
                        "C1",
                        payer.clone(),
                        PATIENT,
                        Provider::new(billing, role),
                        place,
                        lines,
                    );
                    claim.diagnoses = diagnoses;
                    claim.prior_authorization = prior_authorization;
                    claim.report = report;
                    parties.apply(&mut claim, anchor, renderings, &npis, other);
                    let context = HistoryContext {
                        billing,
                        npis: &npis,
                        other,
                        anchor,
                    };
                    let history = history
                        .into_iter()
                        .enumerate()
                        .flat_map(|(i, h)| h.build(i, &context))
                        .collect();
                    Some(Case { claim, history })
                },
            )
            .boxed()
    }

    fn modifiers(&self) -> BoxedStrategy<Modifiers> {
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

    fn codes(&self) -> BoxedStrategy<ProcedureCode> {
        let all = pick(&self.codes, ProcedureCode::parse("99213").ok());
        if self.focus_codes.is_empty() {
            all
        } else {
            prop_oneof![all, select(self.focus_codes.clone())].boxed()
        }
    }

    fn line(&self) -> impl Strategy<Value = LineDraft> {
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
    fn line_date(&self, anchor: u32, shifted: u32) -> BoxedStrategy<DraftDate> {
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
    fn rendering_draft(&self) -> BoxedStrategy<RenderingDraft> {
        if !self.rendering || self.npis.is_empty() {
            return Just(None).boxed();
        }
        let taxonomy = optional(&self.taxonomies);
        prop::option::of((0..self.npis.len() + 1, taxonomy)).boxed()
    }

    /// The patient, the providers, authorisations and the claim's frequency.
    fn parties(&self) -> BoxedStrategy<PartiesDraft> {
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

    fn report(&self) -> impl Strategy<Value = Report> {
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
        let facts = prop::collection::vec(prop::option::of(any::<bool>()), self.facts.len());
        let names = self.facts.clone();
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

    fn history_line(&self) -> impl Strategy<Value = HistoryLineDraft> {
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
        (
            (self.history_code_and_date(), self.modifiers(), 0u32..=4),
            (place, rendering, diagnoses),
        )
            .prop_map(
                |(((code, date), modifiers, units), (place, rendering, diagnoses))| {
                    HistoryLineDraft {
                        code,
                        modifiers,
                        units,
                        date,
                        place,
                        rendering,
                        diagnoses,
                    }
                },
            )
    }

    /// A history line's code and date: as a claim line's, or (half the time, when rules
    /// look at the history) a code some history filter tests at an edge of that filter's
    /// window.
    fn history_code_and_date(&self) -> BoxedStrategy<(ProcedureCode, DraftDate)> {
        let plain = (self.codes(), self.line_date(3, 4));
        if self.history_targets.is_empty() {
            return plain.boxed();
        }
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

    fn history_claim(&self) -> impl Strategy<Value = HistoryDraft> {
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
fn optional<T: Clone + std::fmt::Debug + 'static>(values: &[T]) -> BoxedStrategy<Option<T>> {
    if values.is_empty() {
        Just(None).boxed()
    } else {
        prop::option::of(select(values.to_vec())).boxed()
    }
}

/// Claims aimed at `pack` (see [`ClaimSpace::for_pack`]).
pub fn claims(pack: &Pack) -> BoxedStrategy<Claim> {
    ClaimSpace::for_pack(pack).claim()
}

/// Claims with histories aimed at `pack`.
pub fn cases(pack: &Pack) -> BoxedStrategy<Case> {
    ClaimSpace::for_pack(pack).case()
}

/// One case from raw bytes (a fuzzer's input), deterministically.
///
/// The bytes are hashed (SHA-256) into the seed of proptest's ChaCha generator: every input
/// maps to one well-formed case, and equal inputs to equal cases. Feeding the bytes to
/// proptest's pass-through RNG instead would let mutations steer the value tree, but `rand`'s
/// rejection sampling can then spin forever once the input runs out (found by fuzzing this
/// very target), so the seed route is the one that always terminates.
pub fn case_from_bytes(strategy: &impl Strategy<Value = Case>, bytes: &[u8]) -> Option<Case> {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    use sha2::{Digest, Sha256};
    let seed = Sha256::digest(bytes);
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    strategy
        .new_tree(&mut runner)
        .ok()
        .map(|tree| tree.current())
}

fn pick<T: Clone + std::fmt::Debug + 'static>(
    values: &[T],
    fallback: Option<T>,
) -> BoxedStrategy<T> {
    match (values.is_empty(), fallback) {
        (false, _) => select(values.to_vec()).boxed(),
        (true, Some(f)) => Just(f).boxed(),
        (true, None) => select(values.to_vec()).boxed(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    #[test]
    fn npis_are_valid() {
        assert!(Npi::parse(PROVIDER_NPI).is_ok());
        assert!(Npi::parse(OTHER_NPI).is_ok());
    }

    #[test]
    fn generated_claims_are_well_formed_and_shrink_small() {
        let space = ClaimSpace::from_vocabulary("test", &Vocabulary::default());
        let mut runner = TestRunner::deterministic();
        for _ in 0..64 {
            let mut tree = space.case().new_tree(&mut runner).unwrap();
            assert!(tree.current().claim.validate().is_ok());
            while tree.simplify() {}
            let small = tree.current();
            assert_eq!(small.claim.lines.len(), 1);
            assert!(small.history.is_empty());
            assert!(small.claim.report.is_none());
            assert!(small.claim.lines[0].modifiers.is_empty());
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod raw_bytes {
    use super::*;

    /// Short and degenerate fuzzer inputs still produce a case, and quickly.
    #[test]
    fn cases_from_raw_bytes_terminate() {
        let space = ClaimSpace::from_vocabulary("test", &Vocabulary::default());
        let strategy = space.case();
        for input in [&[][..], &[0u8; 3][..], &[255u8; 64][..], b"payerlex"] {
            let case = case_from_bytes(&strategy, input).unwrap();
            assert!(case.claim.validate().is_ok());
        }
        let a = case_from_bytes(&strategy, b"same input").unwrap();
        assert_eq!(Some(a), case_from_bytes(&strategy, b"same input"));
    }
}

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
