//! `payerlex explain CODE`: what a biller asks about a procedure code, answered from a loaded
//! pack. Every rule of the pack that can fire on a line with the code (with its outcome,
//! message and citation), and the code's rows in the pack's CMS tables: MUE and MAI, the PTP
//! pairs it is column 1 or 2 of, add-on status, PC/TC and the other fee-schedule
//! indicators, and payment estimates for the global service, -26 and -TC.
//!
//! Rules come from the pack's compiled trigger index (`TriggerIndex::rules_for`), which is
//! what the engine itself consults for a line with that code, narrowed by
//! `can_fire::decided` to the rules whose condition the code and date alone do not make
//! false (so `line.code not in three_d` rules are left out for a 3D code, and a table edit
//! is left out when the code has no row), and by the rules' effective dates.

mod can_fire;
mod tables;

use serde::Serialize;

pub use tables::{
    pctc_text, AddOnEdit, AddOnRows, FeeRows, MueRow, PriceRow, PtpPair, PtpRows, MAX_PAIRS,
};

use crate::engine::Engine;
use crate::facts::{Date, ProcedureCode};
use crate::ir::{CheckedRule, OnUnknown, OutcomeKind};
use crate::pack::Pack;
use crate::tables::TableKind;

/// What `explain` was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExplainError {
    /// The code is not a procedure code.
    #[error("`{code}` is not a procedure code: {reason}")]
    Code {
        /// The text given.
        code: String,
        /// Why.
        reason: String,
    },
    /// No pack has that payer id.
    #[error("no pack for payer `{payer}` (loaded: {known})")]
    UnknownPayer {
        /// The id given.
        payer: String,
        /// The ids loaded.
        known: String,
    },
}

/// The answer for one code on one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeReport {
    /// The procedure code.
    pub code: String,
    /// The date of service asked about.
    pub date: String,
    /// One entry per pack asked about.
    pub packs: Vec<PackReport>,
}

/// What one pack does with the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackReport {
    /// Payer id.
    pub pack: String,
    /// Pack version.
    pub version: String,
    /// Whether the date is within the pack's effective dates.
    pub in_force: bool,
    /// Rules that can fire on a line with the code on the date, in evaluation order.
    pub rules: Vec<RuleReport>,
    /// The MUE, when an MUE table lists the code.
    pub mue: Option<MueRow>,
    /// PTP edits, when the pack has a PTP table.
    pub ptp: Option<PtpRows>,
    /// Add-on status, when the pack has an add-on table.
    pub add_on: Option<AddOnRows>,
    /// Fee-schedule indicators and estimates, when the release in force lists the code.
    pub fee_schedule: Option<FeeRows>,
    /// Table layouts the pack has none of (so nothing is known from them).
    pub tables_missing: Vec<&'static str>,
}

/// A rule that can fire on the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleReport {
    /// `policy/rule`.
    pub rule: String,
    /// `deny`, `review` or `advice`.
    pub outcome: &'static str,
    /// Remittance group code.
    pub group: String,
    /// Claim adjustment reason code.
    pub carc: Option<String>,
    /// Remark codes.
    pub rarc: Vec<String>,
    /// Suggested replacement code.
    pub suggest: Option<String>,
    /// What the biller is told.
    pub message: String,
    /// Where the rule comes from.
    pub citation: Option<String>,
    /// The condition as written (whitespace collapsed).
    pub when: String,
    /// Whether the code alone makes the condition true (else other facts of the claim decide).
    pub always: bool,
    /// What the rule does when the claim lacks the data its condition reads.
    pub when_unknown: &'static str,
    /// `file:line:col` of the rule.
    pub at: String,
}

/// Explains `code` on `date` for the pack `payer`, or for every pack.
pub fn explain(
    engine: &Engine,
    code: &str,
    payer: Option<&str>,
    date: Date,
) -> Result<CodeReport, ExplainError> {
    let parsed = ProcedureCode::parse(code).map_err(|e| ExplainError::Code {
        code: code.to_owned(),
        reason: e.to_string(),
    })?;
    let packs: Vec<&Pack> = match payer {
        Some(id) => vec![engine.pack(id).ok_or_else(|| ExplainError::UnknownPayer {
            payer: id.to_owned(),
            known: engine.packs().map(Pack::id).collect::<Vec<_>>().join(", "),
        })?],
        None => engine.packs().collect(),
    };
    Ok(CodeReport {
        code: parsed.to_string(),
        date: date.to_string(),
        packs: packs
            .into_iter()
            .map(|p| pack_report(p, parsed, date))
            .collect(),
    })
}

fn pack_report(pack: &Pack, code: ProcedureCode, date: Date) -> PackReport {
    let rules = pack
        .program
        .index
        .rules_for(code)
        .iter()
        .filter_map(|&i| {
            let compiled = pack.program.rules.get(i as usize)?;
            let rule = pack.rules.get(i as usize)?;
            if !compiled.effective.contains(date) {
                return None;
            }
            let decided = can_fire::decided(&rule.condition, code, date);
            (decided != Some(false)).then(|| rule_report(rule, decided == Some(true)))
        })
        .collect();
    let of_kind = |kind: TableKind| pack.tables.iter().filter(move |t| t.kind == kind);
    let tables_missing = [
        TableKind::Mue,
        TableKind::NcciPtp,
        TableKind::AddOnCodes,
        TableKind::FeeSchedule,
    ]
    .into_iter()
    .filter(|&kind| of_kind(kind).next().is_none())
    .map(TableKind::name)
    .collect();
    PackReport {
        pack: pack.id.clone(),
        version: pack.version.to_string(),
        in_force: pack.effective.contains(date),
        rules,
        mue: of_kind(TableKind::Mue).find_map(|t| tables::mue(t, code)),
        ptp: of_kind(TableKind::NcciPtp).find_map(|t| tables::ptp(t, code, date)),
        add_on: of_kind(TableKind::AddOnCodes).find_map(|t| tables::add_on(t, code, date)),
        fee_schedule: of_kind(TableKind::FeeSchedule).find_map(|t| tables::fees(t, code, date)),
        tables_missing,
    }
}

fn rule_report(rule: &CheckedRule, always: bool) -> RuleReport {
    let outcome = &rule.outcome;
    let when = rule
        .source
        .snippet(rule.condition.span)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let (line, col) = rule.source.line_col(rule.span.start);
    RuleReport {
        rule: rule.id.to_string(),
        outcome: match outcome.kind {
            OutcomeKind::Deny => "deny",
            OutcomeKind::Review => "review",
            OutcomeKind::Advice => "advice",
        },
        group: outcome.group.as_str().to_owned(),
        carc: outcome.carc.map(|c| c.to_string()),
        rarc: outcome.rarcs.iter().map(ToString::to_string).collect(),
        suggest: outcome.suggest.map(|c| c.to_string()),
        message: outcome.message.to_string(),
        citation: rule.citation.as_deref().map(str::to_owned),
        when,
        always,
        when_unknown: match rule.on_unknown {
            OnUnknown::Advice => "advice (not evaluated)",
            OnUnknown::Review => "review",
            OnUnknown::Deny => "deny",
        },
        at: format!("{}:{line}:{col}", rule.source.name),
    }
}
