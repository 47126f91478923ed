//! proptest strategies for well-formed claims aimed at a compiled pack.
//!
//! Uniformly random claims almost never reach a rule (a pack tests a few dozen of the sixty
//! million possible codes), so these strategies draw every value from a [`ClaimSpace`]: the
//! codes, range ends and their outside neighbours, modifiers, places, diagnoses, dates around
//! each effective and expiry date, and report facts that the pack's checked rules mention.
//! Every generated claim passes [`Claim::validate`], and every strategy shrinks toward a small
//! claim: one line, no modifiers, one unit, no diagnoses, no report, no history.

use proptest::prelude::*;
use proptest::sample::select;
use serde::Serialize;

use super::drafts::HistoryContext;
use super::part_strategies::pick;
use super::space::Vocabulary;
use super::space_context::{DateShift, HistoryTarget};
use crate::facts::{
    Claim, Date, Diagnosis, InMemoryHistory, Modifier, Npi, PlaceOfService, PriorLine,
    ProcedureCode, Provider, ProviderRole, Sex, Taxonomy,
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
            (Ok(own), Ok(other)) if reads.npi || context.any_rendering() => {
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
            rendering: context.any_rendering(),
            npis,
            authorizations: reads.authorized,
            replacements: history,
            history_targets: context.history_targets.clone(),
            detailed_history: history
                && (vocabulary.reads.line_place
                    || vocabulary.reads.role
                    || vocabulary.reads.line_diagnoses
                    || reads.npi
                    || context.any_rendering()
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
