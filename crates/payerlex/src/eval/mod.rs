//! Stage 4: evaluation. Decides each line of a claim against a compiled program and explains
//! why, down to the clause and the report fact.

mod adjust;
mod audit;
mod claim_digest;
mod decide;
mod decision;
mod estimate;
mod evaluate;
mod fact_cache;
mod findings;
mod line_view;
mod memo;
mod surgical_pricing;
mod trace;
mod tri;
mod walk;

pub use adjust::adjustments;
pub use audit::{DecisionId, Timestamp};
pub(crate) use claim_digest::DecisionKey;
pub use decide::{decide, CheckOptions};
pub(crate) use decide::{decide_into_with, new_decision};
#[cfg(feature = "testing")]
pub use decision::Outcome;
pub use decision::{
    ClauseTrace, Decision, Explanation, FactTrace, Finding, FindingOutcome, LineDecision,
    PolicyRef, PriorAdjustment,
};
pub use estimate::{Dec, Estimate, GpciUsed};
#[cfg(feature = "testing")]
pub(crate) use findings::{fired, no_policy_in_force, unknown};
pub(crate) use findings::{unknown_message, unread_fact_warning, ClaimShape};
#[cfg(feature = "testing")]
pub(crate) use surgical_pricing::reduction_finding;
pub use surgical_pricing::{AdjustmentKind, PaymentAdjustment};
pub(crate) use trace::{clause_texts, ClauseText};
