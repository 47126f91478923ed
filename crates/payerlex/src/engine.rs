//! The [`Engine`]: compiled packs behind one cheap-to-clone, thread-safe handle.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::check::did_you_mean;
use crate::diagnostics::{render_all, Diagnostic};
use crate::eval::{
    adjustments, decide_into_with, new_decision, CheckOptions, Decision, DecisionId,
};
use crate::facts::{Claim, ClaimError, Frequency, History, LineOutcomes, PriorLine};
use crate::limits::Limits;
use crate::pack::{link, read_packs_with, LoadOptions, Pack, PackSources};

/// Policies failed to load: every error (and warning) found.
#[derive(Debug, Clone, thiserror::Error)]
#[error("policies failed to load ({} error(s))", self.errors().count())]
pub struct LoadError {
    /// All diagnostics, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadError {
    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    /// Renders every diagnostic for a terminal.
    pub fn render(&self) -> String {
        render_all(&self.diagnostics)
    }
}

/// A claim could not be checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum CheckError {
    /// No pack for the claim's payer.
    #[error("unknown payer `{payer}`{}", suggestion.as_ref().map(|s| format!(" ({s})")).unwrap_or_default())]
    #[diagnostic(code("PLX-R020"))]
    UnknownPayer {
        /// The payer asked for.
        payer: String,
        /// A hint.
        suggestion: Option<String>,
    },
    /// The claim is inconsistent.
    #[error(transparent)]
    #[diagnostic(transparent)]
    InvalidClaim(#[from] ClaimError),
    /// The claim names a payment locality the pack's GPCI table does not list (pricing it at
    /// national rates would be a silent wrong answer).
    #[error("locality: not a locality of the pack's GPCI table")]
    #[diagnostic(code("PLX-R021"))]
    UnknownLocality,
}

#[derive(Debug)]
struct Packs {
    by_id: BTreeMap<String, Pack>,
    warnings: Vec<Diagnostic>,
    limits: Limits,
}

/// Compiled policy packs, immutable and shareable across threads (`Clone` is an `Arc` bump).
#[derive(Debug, Clone)]
pub struct Engine {
    packs: Arc<Packs>,
}

impl Engine {
    /// Loads every pack under `dir` (or the pack `dir` itself).
    pub fn load(dir: impl AsRef<Path>) -> Result<Self, LoadError> {
        Self::load_with(dir, &LoadOptions::default())
    }

    /// [`Engine::load`] with options (table files given at load time).
    pub fn load_with(dir: impl AsRef<Path>, options: &LoadOptions) -> Result<Self, LoadError> {
        let sources = read_packs_with(dir.as_ref(), &options.limits)
            .map_err(|diagnostics| LoadError { diagnostics })?;
        Self::from_sources_with(&sources, options)
    }

    /// Links and compiles packs given in memory.
    pub fn from_sources(sources: &[PackSources]) -> Result<Self, LoadError> {
        Self::from_sources_with(sources, &LoadOptions::default())
    }

    /// [`Engine::from_sources`] with options.
    pub fn from_sources_with(
        sources: &[PackSources],
        options: &LoadOptions,
    ) -> Result<Self, LoadError> {
        let (by_id, warnings) =
            link(sources, options).map_err(|diagnostics| LoadError { diagnostics })?;
        Ok(Self {
            packs: Arc::new(Packs {
                by_id,
                warnings,
                limits: options.limits,
            }),
        })
    }

    /// The limits this engine was loaded with (records, lines per claim, history).
    pub fn limits(&self) -> &Limits {
        &self.packs.limits
    }

    /// Warnings found while loading (unused sets, rules without citations...).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.packs.warnings
    }

    /// A pack by payer id.
    pub fn pack(&self, payer: &str) -> Option<&Pack> {
        self.packs.by_id.get(payer)
    }

    /// Every pack, by payer id.
    pub fn packs(&self) -> impl Iterator<Item = &Pack> {
        self.packs.by_id.values()
    }

    /// Decides a claim against its payer's pack, reading the patient's history.
    pub fn check(&self, claim: &Claim, history: &dyn History) -> Result<Decision, CheckError> {
        self.check_with(claim, history, CheckOptions::default())
    }

    /// [`Engine::check`] with options (explanations).
    pub fn check_with(
        &self,
        claim: &Claim,
        history: &dyn History,
        options: CheckOptions,
    ) -> Result<Decision, CheckError> {
        let pack = self.pack_for(claim)?;
        // The pack was found by the claim's payer id: its id is that text.
        let payer = pack.policy.pack.clone();
        let mut decision = new_decision(&pack.policy, claim, payer, DecisionId::NONE);
        self.finish_into(pack, claim, history, options, &mut decision, false);
        Ok(decision)
    }

    /// [`Engine::check_with`] into a decision the host reuses from claim to claim: the lines,
    /// findings, strings and warnings of `decision` keep their capacity, so once it has grown
    /// to the largest claim seen, checking a claim against a pack that reads no history
    /// allocates nothing (findings share the compiled rules' ids, messages and citations).
    /// Afterwards `decision` equals what [`Engine::check_with`] returns; on an error it is
    /// left in an unspecified (but valid) state.
    pub fn check_into(
        &self,
        claim: &Claim,
        history: &dyn History,
        options: CheckOptions,
        decision: &mut Decision,
    ) -> Result<(), CheckError> {
        let pack = self.pack_for(claim)?;
        self.finish_into(pack, claim, history, options, decision, true);
        Ok(())
    }

    /// The pack deciding `claim`, once the claim is known to be valid for it.
    fn pack_for(&self, claim: &Claim) -> Result<&Pack, CheckError> {
        let pack = self
            .packs
            .by_id
            .get(&claim.payer)
            .ok_or_else(|| unknown_payer(&claim.payer, self.packs.by_id.keys()))?;
        claim.validate_within(self.packs.limits.lines_per_claim)?;
        check_locality(pack, claim)?;
        Ok(pack)
    }

    /// Decides `claim` into `decision`: voids, history, adjustments and warnings (`recycle`:
    /// see `decide_into_with`).
    fn finish_into(
        &self,
        pack: &Pack,
        claim: &Claim,
        history: &dyn History,
        options: CheckOptions,
        decision: &mut Decision,
        recycle: bool,
    ) {
        decision.id = DecisionId::keyed(claim, &pack.decision_key);
        if claim.frequency == Some(Frequency::Void) {
            void_decision_into(
                &pack.program,
                &pack.policy,
                claim,
                history,
                decision,
                recycle,
            );
            return;
        }
        if pack.program.reads_history {
            let budget = self.packs.limits.history_lines_per_check;
            let (prior, cut) =
                within_budget(read_history(&pack.program, claim, history), claim, budget);
            decide_into_with(
                &pack.program,
                &pack.policy,
                claim,
                &prior,
                options,
                decision,
                recycle,
            );
            if let Some(in_reach) = cut {
                decision.warnings.push(format!(
                    "history: {in_reach} lines within the rules' reach, more than the \
                     history_lines_per_check limit ({budget}); the {budget} nearest the claim's \
                     dates were read"
                ));
            }
            if !prior.is_empty() {
                let decided: Vec<PriorLine> =
                    PriorLine::of_claim(claim, decision.line_outcomes()).collect();
                decision.adjustments = adjustments(&pack.program, claim, &decided, &prior);
            }
        } else {
            decide_into_with(
                &pack.program,
                &pack.policy,
                claim,
                &[],
                options,
                decision,
                recycle,
            );
        }
        push_replaced_warning(claim, history, decision);
    }

    /// The history lines deciding `claim` reads (empty for an unknown payer or a pack that
    /// reads no history): those within the rules' reach, at most the per-check budget.
    pub(crate) fn reachable_history<'h>(
        &self,
        claim: &Claim,
        history: &'h dyn History,
    ) -> std::borrow::Cow<'h, [PriorLine]> {
        match self.packs.by_id.get(&claim.payer) {
            Some(pack) if pack.program.reads_history => {
                let budget = self.packs.limits.history_lines_per_check;
                within_budget(read_history(&pack.program, claim, history), claim, budget).0
            }
            _ => std::borrow::Cow::Borrowed(&[]),
        }
    }

    /// How many days around a line's date any loaded rule looks into the patient's other
    /// claims; `None` when some rule reads history without a date window. A history that
    /// drops lines older than this (before the patient's newest date of service) decides
    /// every claim exactly as one that keeps everything.
    pub fn look_back_days(&self) -> Option<u32> {
        self.packs
            .by_id
            .values()
            .map(|pack| pack.program.horizon_days)
            .try_fold(0u32, |acc, h| h.map(|h| acc.max(h)))
    }
}

/// Longest payer id quoted back in an error.
const MAX_PAYER_SHOWN: usize = 20;

/// Whether a payer id may be quoted back: short and made of id characters only. Anything
/// else (free text, an SSN someone typed into the wrong field, a megabyte of junk) is
/// withheld: error messages never echo what might be patient data.
fn is_payer_id_shaped(payer: &str) -> bool {
    !payer.is_empty()
        && payer.len() <= MAX_PAYER_SHOWN
        && payer
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        && !looks_like_ssn(payer)
}

/// Nine digits, alone or in the 3-2-4 pattern.
fn looks_like_ssn(text: &str) -> bool {
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    digits == 9 && text.bytes().all(|b| b.is_ascii_digit() || b == b'-')
}

fn unknown_payer<'a>(payer: &str, known: impl Iterator<Item = &'a String> + Clone) -> CheckError {
    if !is_payer_id_shaped(payer) {
        return CheckError::UnknownPayer {
            payer: "(withheld: not a payer id)".to_owned(),
            suggestion: None,
        };
    }
    CheckError::UnknownPayer {
        payer: payer.to_owned(),
        suggestion: did_you_mean(payer, known.map(String::as_str)),
    }
}

/// A claim's locality must be one the pack prices: a GPCI table that does not list it is an
/// error, not a silent national estimate. (A pack without a GPCI table prices nationally and
/// says so in each estimate.)
fn check_locality(pack: &Pack, claim: &Claim) -> Result<(), CheckError> {
    let (Some(wanted), Some(pricing)) = (&claim.locality, &pack.program.pricing) else {
        return Ok(());
    };
    match pricing.gpci.as_ref().and_then(|slot| slot.data()) {
        Some(crate::tables::TableData::Gpci(table))
            if table.get(&wanted.contractor, &wanted.locality).is_none() =>
        {
            Err(CheckError::UnknownLocality)
        }
        _ => Ok(()),
    }
}

/// The history lines the rules of `program` can reach for `claim`: its lines' dates widened
/// by the program's look-back, or everything when some rule reads history without a window.
fn read_history<'h>(
    program: &crate::compile::Program,
    claim: &Claim,
    history: &'h dyn History,
) -> std::borrow::Cow<'h, [PriorLine]> {
    let dates = claim.lines.iter().map(|l| l.date);
    match (program.horizon_days, dates.clone().min(), dates.max()) {
        (Some(days), Some(first), Some(last)) => {
            let days = i32::try_from(days).unwrap_or(i32::MAX);
            history.prior_lines_between(
                &claim.payer,
                &claim.patient,
                first.add_days(-days),
                last.add_days(days),
            )
        }
        _ => history.prior_lines(&claim.payer, &claim.patient),
    }
}

/// At most `budget` history lines, the ones nearest the claim's first date of service (the
/// store hands them in date order); `Some(n)` when `n` lines were in reach and some were cut.
/// This bounds one claim's evaluation however long a patient's history is.
fn within_budget<'h>(
    prior: std::borrow::Cow<'h, [PriorLine]>,
    claim: &Claim,
    budget: usize,
) -> (std::borrow::Cow<'h, [PriorLine]>, Option<usize>) {
    let in_reach = prior.len();
    if in_reach <= budget {
        return (prior, None);
    }
    let first = claim.lines.iter().map(|l| l.date).min();
    let at = first.map_or(in_reach, |d| prior.partition_point(|l| l.date < d));
    let end = (at + budget / 2).clamp(budget, in_reach);
    let start = end - budget;
    let kept = match prior {
        std::borrow::Cow::Borrowed(lines) => {
            std::borrow::Cow::Borrowed(lines.get(start..end).unwrap_or(&[]))
        }
        std::borrow::Cow::Owned(mut lines) => {
            lines.truncate(end);
            lines.drain(..start);
            std::borrow::Cow::Owned(lines)
        }
    };
    (kept, Some(in_reach))
}

/// A warning when a replacement or void names a claim this patient's history with the payer
/// does not hold (it is then decided as an original).
fn unknown_replaced_claim(claim: &Claim, history: &dyn History) -> Option<String> {
    let replaced = claim.replaces.as_deref()?;
    let prior = history.prior_lines(&claim.payer, &claim.patient);
    if prior.iter().any(|line| &*line.claim == replaced) {
        return None;
    }
    Some(
        "replaces: the claim it names is not in this patient's history with this payer (already \
         replaced or voided, or never decided here); decided as an original"
            .to_owned(),
    )
}

/// A void (frequency 8) is not a bill for services: its lines are not decided (no findings,
/// no estimates); recording it removes the claim it names from the patient's history.
fn void_decision_into(
    program: &crate::compile::Program,
    policy: &crate::eval::PolicyRef,
    claim: &Claim,
    history: &dyn History,
    decision: &mut Decision,
    recycle: bool,
) {
    let options = CheckOptions::default();
    decide_into_with(program, policy, claim, &[], options, decision, recycle);
    for line in &mut decision.lines {
        line.findings.clear();
        line.estimate = None;
        line.outcome = crate::facts::Outcome::Allow;
    }
    decision.outcome = crate::facts::Outcome::Allow;
    decision.warnings.push(
        "frequency 8 (void): the lines are not decided as services; the claim named by \
         `replaces` is removed from the patient's history"
            .to_owned(),
    );
    decision
        .warnings
        .extend(unknown_replaced_claim(claim, history));
}

/// Adds the unknown-replaced-claim warning, if any.
fn push_replaced_warning(claim: &Claim, history: &dyn History, decision: &mut Decision) {
    if let Some(warning) = unknown_replaced_claim(claim, history) {
        decision.warnings.push(warning);
    }
}
