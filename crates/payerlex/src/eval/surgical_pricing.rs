//! Payment adjustments of surgical lines: the bilateral and multiple-procedure rules of the
//! physician fee schedule, applied to the lines' estimates once every line is decided.
//!
//! They are pricing, not edits: a rule cannot say "pay 50%", and the ranking needs every line
//! of the date at once. So after the lines are decided, for the lines that have an estimate
//! (not denied):
//!
//! 1. **Bilateral** (BILAT SURG): a line with modifier 50 is priced as one bilateral service
//!    at 150% of one unit's fee-schedule amount for indicator 1, 200% for indicator 3 (each
//!    side at 100%). Indicators 0, 2 and 9 with 50 are denied by the pack's rules.
//! 2. **Multiple procedures** (MULT PROC 2): among the claim's indicator-2 lines of one date
//!    (one claim: one billing provider and one patient), the highest amount (after step 1) is
//!    paid at 100% and each other at 50%; ties go to the lower line number. Indicator 0 lines
//!    are not reduced. A reduced line gets an advice finding with CARC 59 (group CO): the line
//!    is allowed, the amount is adjusted.
//!
//! Each step is recorded in the estimate's `adjustments` (rate in percent, amount after it), so
//! the amount can be traced. Amounts are rounded half away from zero to cents after each step.
//! Lines of earlier claims are not re-ranked: a procedure billed on another claim for the same
//! date is priced on its own claim.

use std::sync::Arc;

use payerlex_cms::{Decimal, RoundingStrategy, SurgeryIndicators};
use serde::{Deserialize, Serialize};

use super::decision::{Finding, FindingOutcome, LineDecision};
use super::estimate::Dec;
use crate::compile::Pricing;
use crate::facts::{Carc, Claim, GroupCode, Modifier};
use crate::tables::TableData;

/// Which payment rule adjusted an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdjustmentKind {
    /// Modifier 50: 150% (BILAT SURG 1) or 200% (BILAT SURG 3) of one unit.
    Bilateral,
    /// MULT PROC 2 ranking: 100% for the highest amount of the date, 50% for the others.
    MultipleProcedure,
}

/// One payment adjustment of a line's estimate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentAdjustment {
    /// The rule.
    pub kind: AdjustmentKind,
    /// Percent applied to the amount before this step (150, 200, 100, 50).
    pub rate: Dec,
    /// The line's amount after this step.
    pub amount: Dec,
}

/// The rule id of the CARC 59 finding on a reduced line.
pub(crate) fn reduction_rule(pack: &str) -> String {
    format!("{pack}/multiple-procedure-reduction")
}

/// The CARC 59 advice finding of a line paid at 50% under the multiple-procedure rule.
pub(crate) fn reduction_finding(pack: &str) -> Finding {
    Finding {
        rule: Arc::from(reduction_rule(pack)),
        outcome: FindingOutcome::Advice,
        group: Some(GroupCode::CO),
        carc: Carc::parse("59").ok(),
        rarc: Arc::from([]),
        message: Arc::from(
            "multiple-procedure payment reduction: another procedure of this date ranks higher, \
             so this one is paid at 50% of its fee-schedule amount (see the estimate); a payment \
             adjustment, not a denial",
        ),
        citation: Some(Arc::from(
            "CMS Medicare Claims Processing Manual ch. 12 section 40.6; PPRRVU file README: MULT PROC indicator 2",
        )),
        suggested_code: None,
        explanation: None,
    }
}

fn cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Applies the bilateral and multiple-procedure adjustments to the estimates of `lines`
/// (decided lines of `claim`, in claim order).
pub(super) fn adjust(pricing: &Pricing, claim: &Claim, lines: &mut [LineDecision], pack: &str) {
    let Some(TableData::Fees(schedules)) = pricing.fees.data() else {
        return;
    };
    let Ok(bilateral_modifier) = Modifier::parse("50") else {
        return;
    };
    // Nothing can be adjusted on a one-line claim without modifier 50 (most claims): skip the
    // per-claim lookups and vectors below.
    if claim.lines.len() < 2
        && !claim
            .lines
            .iter()
            .any(|line| line.modifiers.contains(bilateral_modifier))
    {
        return;
    }
    let indicators: Vec<Option<SurgeryIndicators>> = claim
        .lines
        .iter()
        .map(|line| {
            schedules
                .for_date(line.date)
                .and_then(|s| s.get(line.code, None))
                .map(|row| row.surgery)
        })
        .collect();
    // 1. Bilateral.
    for ((decided, line), ind) in lines.iter_mut().zip(&claim.lines).zip(&indicators) {
        let (Some(estimate), Some(ind)) = (decided.estimate.as_mut(), ind) else {
            continue;
        };
        if !line.modifiers.contains(bilateral_modifier) {
            continue;
        }
        let percent = match ind.bilateral {
            Some(1) => 150,
            Some(3) => 200,
            _ => continue,
        };
        let amount = cents(estimate.unit_amount.0 * Decimal::new(percent, 2));
        estimate.amount = Dec(amount);
        estimate.adjustments.push(PaymentAdjustment {
            kind: AdjustmentKind::Bilateral,
            rate: Dec(Decimal::from(percent)),
            amount: Dec(amount),
        });
    }
    // 2. Multiple procedures: indicator-2 lines with an estimate, grouped by date.
    let mut ranked: Vec<usize> = (0..lines.len())
        .filter(|&i| {
            indicators
                .get(i)
                .is_some_and(|ind| ind.is_some_and(|ind| ind.mult_proc == Some(2)))
                && lines.get(i).is_some_and(|l| l.estimate.is_some())
        })
        .collect();
    let amount_of = |lines: &[LineDecision], i: usize| {
        lines
            .get(i)
            .and_then(|l| l.estimate.as_ref())
            .map_or(Decimal::ZERO, |e| e.amount.0)
    };
    let date_of = |i: usize| claim.lines.get(i).map(|l| l.date);
    let number_of = |i: usize| lines.get(i).map_or(0, |l| l.number);
    ranked.sort_by(|&a, &b| {
        date_of(a)
            .cmp(&date_of(b))
            .then_with(|| amount_of(lines, b).cmp(&amount_of(lines, a)))
            .then_with(|| number_of(a).cmp(&number_of(b)))
    });
    for (position, &i) in ranked.iter().enumerate() {
        let same_date = |j: &usize| date_of(*j) == date_of(i);
        let first_of_date = position == 0
            || ranked
                .get(position - 1)
                .map_or(true, |previous| !same_date(previous));
        let alone = first_of_date && !ranked.get(position + 1).is_some_and(same_date);
        if alone {
            continue;
        }
        let Some(decided) = lines.get_mut(i) else {
            continue;
        };
        let Some(estimate) = decided.estimate.as_mut() else {
            continue;
        };
        let percent: i64 = if first_of_date { 100 } else { 50 };
        let amount = cents(estimate.amount.0 * Decimal::new(percent, 2));
        estimate.amount = Dec(amount);
        estimate.adjustments.push(PaymentAdjustment {
            kind: AdjustmentKind::MultipleProcedure,
            rate: Dec(Decimal::from(percent)),
            amount: Dec(amount),
        });
        if !first_of_date {
            decided.findings.push(reduction_finding(pack));
        }
    }
}
