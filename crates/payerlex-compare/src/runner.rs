//! Prepares each mode's input from the shared workload, asserts agreement with the
//! hand-written reference claim by claim (counting allocations inside each call), and times
//! whole rounds over all claims.
//!
//! Each engine gets its input in its own native form, built before any timing (payerlex
//! `Claim`s, `regorus::Value`s, zen `Variable`s), so a timed round is the engine's call and
//! nothing else: conversion from the host's record is measured separately for payerlex
//! (`payerlex-build`) and not at all for the others. Everything a call returns is dropped
//! inside the round; the history mode starts each round with an empty history and drops it
//! inside the round too, so every round does the same work.

use std::hint::black_box;
use std::time::{Duration, Instant};

#[cfg(feature = "engines")]
use zen_engine::Variable;

use crate::alloc::{count_allocations, Allocations};
use crate::error::CompareError;
use crate::findings::FindingSet;
use crate::generate;
use crate::host::HostClaim;
use crate::mode::Mode;
use crate::payerlex_api::{self, Claim, Decision, Engine, InMemoryHistory};
use crate::reference::Reference;
#[cfg(feature = "engines")]
use crate::rego::{self, RegorusInterpreter, RegorusVm};
#[cfg(feature = "engines")]
use crate::zen::{self, Zen};

/// The generated claims, in the forms the engines share.
pub struct Workload {
    /// The host's records.
    pub hosts: Vec<HostClaim>,
    /// The same claims as payerlex `Claim`s (what the reference and payerlex check).
    pub claims: Vec<Claim>,
    /// The same claims in payerlex's JSON contract (what regorus and zen are fed from).
    pub json: Vec<serde_json::Value>,
}

impl Workload {
    /// Generates `count` claims from `seed` and prepares the shared forms.
    pub fn generate(count: usize, seed: u64) -> Result<Self, CompareError> {
        let hosts = generate::generate(count, seed);
        let claims = hosts
            .iter()
            .map(payerlex_api::build_claim)
            .collect::<Result<Vec<_>, _>>()?;
        let json = hosts.iter().map(HostClaim::to_json).collect();
        Ok(Self {
            hosts,
            claims,
            json,
        })
    }

    /// Number of claims.
    pub fn len(&self) -> usize {
        self.hosts.len()
    }

    /// Whether there are no claims.
    pub fn is_empty(&self) -> bool {
        self.hosts.is_empty()
    }

    /// Mean lines per claim.
    pub fn lines_per_claim(&self) -> f64 {
        generate::lines_per_claim(&self.hosts)
    }

    /// The hand-written reference's findings for every claim.
    pub fn reference_findings(&self) -> Result<Vec<FindingSet>, CompareError> {
        let reference = Reference::default();
        self.claims
            .iter()
            .map(|claim| {
                Reference::findings(&reference.check(claim)).ok_or_else(|| CompareError::Output {
                    engine: "handwritten",
                    claim: claim.id.clone(),
                    message: "a line outcome does not follow from its rules".to_owned(),
                })
            })
            .collect()
    }
}

enum Prepared<'w> {
    Handwritten(Reference, &'w [Claim]),
    Payerlex(Engine, &'w [Claim]),
    Into(Engine, &'w [Claim], Option<Decision>),
    Id(Engine, &'w [Claim]),
    History(Engine, &'w [Claim]),
    Explain(Engine, &'w [Claim]),
    Build(&'w [HostClaim], &'w [serde_json::Value]),
    #[cfg(feature = "engines")]
    Regorus(RegorusInterpreter, Vec<regorus::Value>),
    #[cfg(feature = "engines")]
    RegorusRvm(RegorusVm, Vec<regorus::Value>),
    #[cfg(feature = "engines")]
    Zen(Zen, Vec<Variable>),
}

/// One mode, ready to run on a workload.
pub struct Runner<'w> {
    mode: Mode,
    prepared: Prepared<'w>,
    ids: Vec<&'w str>,
}

/// One mode's figures.
#[derive(Debug, Clone)]
pub struct Measurement {
    /// The mode.
    pub mode: Mode,
    /// Claims per round.
    pub claims: usize,
    /// Each round's wall time.
    pub rounds: Vec<Duration>,
    /// Allocations inside the calls over all claims (from the agreement pass; `None` when
    /// agreement was not checked).
    pub allocations: Option<Allocations>,
}

impl Measurement {
    /// Best round's nanoseconds per claim.
    pub fn ns_per_claim(&self) -> Option<f64> {
        let best = self.rounds.iter().min()?;
        (self.claims > 0).then(|| best.as_nanos() as f64 / self.claims as f64)
    }

    /// Allocations and bytes per claim.
    pub fn allocations_per_claim(&self) -> Option<(f64, f64)> {
        let a = self.allocations?;
        let n = self.claims as f64;
        (self.claims > 0).then(|| (a.count as f64 / n, a.bytes as f64 / n))
    }
}

#[cfg(feature = "engines")]
fn evaluate_error(engine: Mode, claim: &str, message: String) -> CompareError {
    CompareError::Evaluate {
        engine: engine.name(),
        claim: claim.to_owned(),
        message,
    }
}

impl<'w> Runner<'w> {
    /// Loads the mode's engine and converts the workload to its input.
    pub fn prepare(mode: Mode, workload: &'w Workload) -> Result<Self, CompareError> {
        let prepared = match mode {
            Mode::Handwritten => Prepared::Handwritten(Reference::default(), &workload.claims),
            Mode::Payerlex => Prepared::Payerlex(payerlex_api::bench_engine()?, &workload.claims),
            Mode::PayerlexId => Prepared::Id(payerlex_api::bench_engine()?, &workload.claims),
            Mode::PayerlexInto => {
                Prepared::Into(payerlex_api::bench_engine()?, &workload.claims, None)
            }
            Mode::PayerlexHistory => {
                Prepared::History(payerlex_api::bench_engine()?, &workload.claims)
            }
            Mode::PayerlexExplain => {
                Prepared::Explain(payerlex_api::bench_engine()?, &workload.claims)
            }
            Mode::PayerlexBuild => Prepared::Build(&workload.hosts, &workload.json),
            #[cfg(not(feature = "engines"))]
            Mode::Regorus | Mode::RegorusRvm | Mode::Zen => {
                return Err(CompareError::Load {
                    engine: mode.name(),
                    message: "this build has no `engines` feature (regorus, zen-engine)".to_owned(),
                })
            }
            #[cfg(feature = "engines")]
            Mode::Regorus => Prepared::Regorus(
                RegorusInterpreter::new()?,
                workload.json.iter().map(rego::input).collect(),
            ),
            #[cfg(feature = "engines")]
            Mode::RegorusRvm => Prepared::RegorusRvm(
                RegorusVm::new()?,
                workload.json.iter().map(rego::input).collect(),
            ),
            #[cfg(feature = "engines")]
            Mode::Zen => Prepared::Zen(Zen::new()?, workload.json.iter().map(zen::input).collect()),
        };
        Ok(Self {
            mode,
            prepared,
            ids: workload.hosts.iter().map(|h| h.id.as_str()).collect(),
        })
    }

    /// Checks every claim against `expected` (the reference's findings, claim by claim) and
    /// returns the allocations made inside the calls.
    pub fn agree(&mut self, expected: &[FindingSet]) -> Result<Allocations, CompareError> {
        let mode = self.mode;
        let mut total = Allocations::default();
        let mut history = InMemoryHistory::new();
        for (index, id) in self.ids.iter().enumerate() {
            let expected = expected.get(index);
            let (actual, allocations) = match &mut self.prepared {
                Prepared::Handwritten(reference, claims) => {
                    let (output, a) =
                        count_allocations(|| claims.get(index).map(|c| reference.check(c)));
                    (output.as_ref().and_then(Reference::findings), a)
                }
                Prepared::Payerlex(engine, claims) => {
                    let claim = claims.get(index);
                    let (decision, a) =
                        count_allocations(|| claim.map(|c| payerlex_api::check(engine, c)));
                    (
                        decision
                            .transpose()?
                            .map(|d| payerlex_api::findings(&d, false))
                            .transpose()?,
                        a,
                    )
                }
                Prepared::Id(engine, claims) => {
                    // Decides nothing: the id must be the one `check` gives the claim, and the
                    // findings are those of `check`.
                    let claim = claims.get(index);
                    let (decision_id, a) =
                        count_allocations(|| claim.map(|c| payerlex_api::id(engine, c)));
                    let decision = claim.map(|c| payerlex_api::check(engine, c)).transpose()?;
                    if decision_id.flatten() != decision.as_ref().map(|d| d.id) {
                        return Err(output_error(mode, id, "a different id".to_owned()));
                    }
                    (
                        decision
                            .map(|d| payerlex_api::findings(&d, false))
                            .transpose()?,
                        a,
                    )
                }
                Prepared::Into(engine, claims, reused) => {
                    let claim = claims.get(index);
                    let (checked, a) = count_allocations(|| {
                        claim.map(|c| payerlex_api::check_into(engine, c, reused))
                    });
                    checked.transpose()?;
                    (
                        reused
                            .as_ref()
                            .map(|d| payerlex_api::findings(d, false))
                            .transpose()?,
                        a,
                    )
                }
                Prepared::History(engine, claims) => {
                    let claim = claims.get(index);
                    let (decision, a) = count_allocations(|| {
                        claim.map(|c| payerlex_api::check_recording(engine, c, &mut history))
                    });
                    (
                        decision
                            .transpose()?
                            .map(|d| payerlex_api::findings(&d, false))
                            .transpose()?,
                        a,
                    )
                }
                Prepared::Explain(engine, claims) => {
                    let claim = claims.get(index);
                    let (decision, a) = count_allocations(|| {
                        claim.map(|c| payerlex_api::check_explained(engine, c))
                    });
                    (
                        decision
                            .transpose()?
                            .map(|d| payerlex_api::findings(&d, true))
                            .transpose()?,
                        a,
                    )
                }
                Prepared::Build(hosts, json) => {
                    let host = hosts.get(index);
                    let (built, a) = count_allocations(|| host.map(payerlex_api::build_claim));
                    let built = built.transpose()?;
                    let parsed = json
                        .get(index)
                        .map(|j| payerlex_api::parse_claim(&j.to_string()))
                        .transpose()?;
                    if built != parsed {
                        return Err(CompareError::Disagreement {
                            engine: mode.name(),
                            claim: (*id).to_owned(),
                            expected: "the claim parsed from its JSON".to_owned(),
                            actual: "a different claim".to_owned(),
                        });
                    }
                    total += a;
                    continue;
                }
                #[cfg(feature = "engines")]
                Prepared::Regorus(engine, inputs) => {
                    let input = inputs.get(index);
                    let (value, a) = count_allocations(|| input.map(|i| engine.evaluate(i)));
                    let value = value.transpose().map_err(|e| evaluate_error(mode, id, e))?;
                    (
                        value
                            .map(|v| rego::findings(&v))
                            .transpose()
                            .map_err(|e| output_error(mode, id, e))?,
                        a,
                    )
                }
                #[cfg(feature = "engines")]
                Prepared::RegorusRvm(vm, inputs) => {
                    let input = inputs.get(index);
                    let (value, a) = count_allocations(|| input.map(|i| vm.evaluate(i)));
                    let value = value.transpose().map_err(|e| evaluate_error(mode, id, e))?;
                    (
                        value
                            .map(|v| rego::findings(&v))
                            .transpose()
                            .map_err(|e| output_error(mode, id, e))?,
                        a,
                    )
                }
                #[cfg(feature = "engines")]
                Prepared::Zen(engine, inputs) => {
                    let input = inputs.get(index);
                    let before = input.map(zen::input_json);
                    let (value, a) = count_allocations(|| input.map(|i| engine.evaluate(i)));
                    let value = value.transpose().map_err(|e| evaluate_error(mode, id, e))?;
                    if input.map(zen::input_json) != before {
                        return Err(output_error(
                            mode,
                            id,
                            "evaluation changed its input".to_owned(),
                        ));
                    }
                    (
                        value
                            .map(|v| zen::findings(&v))
                            .transpose()
                            .map_err(|e| output_error(mode, id, e))?,
                        a,
                    )
                }
            };
            total += allocations;
            if actual.as_ref() != expected {
                return Err(CompareError::Disagreement {
                    engine: mode.name(),
                    claim: (*id).to_owned(),
                    expected: expected.map_or("nothing".to_owned(), ToString::to_string),
                    actual: actual.map_or("nothing".to_owned(), |a| a.to_string()),
                });
            }
        }
        Ok(total)
    }

    /// Runs every claim once; returns the wall time and a checksum (lines or findings seen),
    /// which keeps the work observable.
    pub fn round(&mut self) -> Result<(Duration, usize), CompareError> {
        #[cfg(feature = "engines")]
        let mode = self.mode;
        #[cfg(feature = "engines")]
        let ids = &self.ids;
        #[cfg(feature = "engines")]
        let id = |i: usize| ids.get(i).copied().unwrap_or("");
        let mut seen = 0usize;
        let start = Instant::now();
        match &mut self.prepared {
            Prepared::Handwritten(reference, claims) => {
                for claim in claims.iter() {
                    seen += black_box(reference.check(black_box(claim))).len();
                }
            }
            Prepared::Payerlex(engine, claims) => {
                for claim in claims.iter() {
                    let decision = payerlex_api::check(engine, black_box(claim))?;
                    seen += payerlex_api::decided_lines(&black_box(decision));
                }
            }
            Prepared::Id(engine, claims) => {
                for claim in claims.iter() {
                    let id = payerlex_api::id(engine, black_box(claim));
                    seen += usize::from(black_box(id).is_some());
                }
            }
            Prepared::Into(engine, claims, reused) => {
                for claim in claims.iter() {
                    payerlex_api::check_into(engine, black_box(claim), reused)?;
                    seen += reused.as_ref().map_or(0, payerlex_api::decided_lines);
                }
            }
            Prepared::History(engine, claims) => {
                let mut history = InMemoryHistory::new();
                for claim in claims.iter() {
                    let decision =
                        payerlex_api::check_recording(engine, black_box(claim), &mut history)?;
                    seen += payerlex_api::decided_lines(&black_box(decision));
                }
                drop(black_box(history));
            }
            Prepared::Explain(engine, claims) => {
                for claim in claims.iter() {
                    let decision = payerlex_api::check_explained(engine, black_box(claim))?;
                    seen += payerlex_api::decided_lines(&black_box(decision));
                }
            }
            Prepared::Build(hosts, _) => {
                for host in hosts.iter() {
                    let claim = payerlex_api::build_claim(black_box(host))?;
                    seen += black_box(claim).lines.len();
                }
            }
            #[cfg(feature = "engines")]
            Prepared::Regorus(engine, inputs) => {
                for (i, input) in inputs.iter().enumerate() {
                    let value = engine
                        .evaluate(black_box(input))
                        .map_err(|e| evaluate_error(mode, id(i), e))?;
                    seen += black_box(value).as_set().map_or(0, |s| s.len());
                }
            }
            #[cfg(feature = "engines")]
            Prepared::RegorusRvm(vm, inputs) => {
                for (i, input) in inputs.iter().enumerate() {
                    let value = vm
                        .evaluate(black_box(input))
                        .map_err(|e| evaluate_error(mode, id(i), e))?;
                    seen += black_box(value).as_set().map_or(0, |s| s.len());
                }
            }
            #[cfg(feature = "engines")]
            Prepared::Zen(engine, inputs) => {
                for (i, input) in inputs.iter().enumerate() {
                    let value = engine
                        .evaluate(black_box(input))
                        .map_err(|e| evaluate_error(mode, id(i), e))?;
                    drop(black_box(value));
                    seen += 1;
                }
            }
        }
        Ok((start.elapsed(), seen))
    }
}

fn output_error(engine: Mode, claim: &str, message: String) -> CompareError {
    CompareError::Output {
        engine: engine.name(),
        claim: claim.to_owned(),
        message,
    }
}

/// Prepares `mode`, checks agreement when `expected` is given, then runs `rounds` rounds.
pub fn measure(
    mode: Mode,
    workload: &Workload,
    expected: Option<&[FindingSet]>,
    rounds: usize,
) -> Result<Measurement, CompareError> {
    let mut runner = Runner::prepare(mode, workload)?;
    let allocations = expected.map(|e| runner.agree(e)).transpose()?;
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let (time, seen) = runner.round()?;
        black_box(seen);
        times.push(time);
    }
    Ok(Measurement {
        mode,
        claims: workload.len(),
        rounds: times,
        allocations,
    })
}
