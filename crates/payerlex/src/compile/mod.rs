//! Stage 3: checked rules to an indexed [`Program`].
//!
//! Compilation is where speed is decided: codes are already packed integers and sets are
//! sorted ranges or bitsets; here each rule's trigger codes go into a [`TriggerIndex`] (a rule
//! whose trigger codes are absent from a claim costs nothing), report facts are interned, and
//! constant sub-conditions are folded away.

mod facts;
mod index;
mod lower;
pub(crate) mod negation;
mod program;
mod specialize;

use std::sync::Arc;

pub use facts::{FactTable, FactTableError};
pub use index::TriggerIndex;
#[cfg(feature = "testing")]
pub use lower::trigger;
pub use program::{
    CompiledRule, DateNode, KnownNode, Node, NodeKind, NumNode, Pricing, Program, RuleInfo,
    SourceNode,
};
pub use specialize::{CodeScan, ScanTotal};

use crate::facts::DateRange;
use crate::ir::{CheckedRule, FactDecl, Needs};
use crate::tables::{TableKind, TableSlot};

/// Compiles linked rules (base packs first) into a program, within the pack's dates.
pub fn compile(
    rules: &[CheckedRule],
    facts: &[FactDecl],
    tables: &[Arc<TableSlot>],
    pack_range: DateRange,
) -> Result<Program, FactTableError> {
    let fact_table = FactTable::build(facts)?;
    let triggers: Vec<_> = rules.iter().map(|r| lower::trigger(&r.condition)).collect();
    let compiled: Vec<CompiledRule> = rules
        .iter()
        .map(|rule| CompiledRule {
            info: Arc::new(RuleInfo {
                id: rule.id.clone(),
                citation: rule.citation.clone(),
                outcome: rule.outcome.clone(),
                source: rule.source.clone(),
                span: rule.span,
            }),
            effective: rule.effective.intersect(&pack_range),
            condition: lower::lower(&rule.condition, &fact_table),
            triggered_condition: specialize::specialize(lower::lower(
                &lower::without_trigger(&rule.condition),
                &fact_table,
            )),
            on_unknown: rule.on_unknown,
            needs: Needs::of(&rule.condition),
            reads_history: lower::reads_history(&rule.condition),
            horizon_days: lower::history_horizon(&rule.condition),
            clause_texts: std::sync::OnceLock::new(),
            unknown_messages: Default::default(),
        })
        .collect();
    let horizon_days = rules
        .iter()
        .map(|r| lower::history_horizon(&r.condition))
        .try_fold(0u32, |acc, h| h.map(|h| acc.max(h)));
    let compiled_ranges = compiled.iter().map(|r| r.effective).collect();
    Ok(Program {
        rules: compiled,
        index: TriggerIndex::build(&triggers),
        facts: fact_table,
        reads_history: rules.iter().any(|r| lower::reads_history(&r.condition)),
        horizon_days,
        pricing: pricing(tables),
        coverage: program::merge_ranges(compiled_ranges),
    })
}

/// The pack's first fee schedule (and GPCI table), when it declares one.
fn pricing(tables: &[Arc<TableSlot>]) -> Option<Pricing> {
    let of_kind = |kind| tables.iter().find(|t| t.kind == kind).cloned();
    Some(Pricing {
        fees: of_kind(TableKind::FeeSchedule)?,
        gpci: of_kind(TableKind::Gpci),
    })
}
