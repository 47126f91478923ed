//! Stage 4: evaluation. Decides each line of a claim against a compiled program and explains
//! why, down to the clause and the report fact.

mod decide;
mod decision;
mod estimate;
mod evaluate;
mod fact_cache;
mod trace;
mod tri;

pub use decide::{decide, CheckOptions};
pub use decision::{
    ClauseTrace, Decision, Explanation, FactTrace, Finding, FindingOutcome, LineDecision, Outcome,
    PolicyRef,
};
#[cfg(feature = "testing")]
pub use estimate::estimate as estimate_line;
pub use estimate::{Dec, Estimate, GpciUsed};
