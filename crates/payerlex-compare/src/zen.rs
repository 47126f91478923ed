//! The six 3D rules as a GoRules JDM decision graph, evaluated by zen-engine.
//!
//! The graph (`three_d.jdm.json`) is input -> expression node -> decision table -> output.
//! The expression node derives, for each 3D line, the facts the rules test (angiography, a
//! base study or 76377 on the same date, the units of that code on that date, both -26 and
//! -TC, the workstation fact or phrase); the decision table, run in loop mode over those
//! lines with the collect hit policy, holds one row per rule and emits
//! `{line, rule, outcome}`. No function (JavaScript) node: everything is zen expressions.
//!
//! zen-engine's `Decision::evaluate` is async, though nothing in this graph awaits I/O; it is
//! driven by a tokio current-thread runtime (`block_on` per claim), as a synchronous host
//! would. The graph is compiled once (`Decision::compile`) before use. The claim is handed in
//! as a prepared `Variable`; its `clone` is a reference-count bump, and the agreement pass
//! checks that evaluation leaves the input unchanged, so reusing it across rounds is sound.

use serde_json::Value;
use zen_engine::model::GraphContent;
use zen_engine::{Decision, Variable};

use crate::error::CompareError;
use crate::findings::{Finding, FindingSet, Rule, Severity};

/// The JDM graph.
pub const THREE_D_JDM: &str = include_str!("three_d.jdm.json");

const NAME: &str = "zen";

/// zen-engine with the graph compiled, and the runtime that drives it.
pub struct Zen {
    runtime: tokio::runtime::Runtime,
    decision: Decision,
}

impl Zen {
    /// Loads and compiles the graph.
    pub fn new() -> Result<Self, CompareError> {
        let load = |message: String| CompareError::Load {
            engine: NAME,
            message,
        };
        let content: GraphContent =
            serde_json::from_str(THREE_D_JDM).map_err(|e| load(e.to_string()))?;
        let mut decision = Decision::from(content);
        decision.validate().map_err(|e| load(e.to_string()))?;
        decision.compile();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(|e| load(e.to_string()))?;
        Ok(Self { runtime, decision })
    }

    /// Evaluates the graph on one claim; the result is `{"findings": [[finding...] per 3D
    /// line]}`.
    pub fn evaluate(&self, input: &Variable) -> Result<Variable, String> {
        self.runtime
            .block_on(self.decision.evaluate(input.clone()))
            .map(|response| response.result)
            .map_err(|e| e.to_string())
    }
}

/// The claim as zen input.
pub fn input(claim: &Value) -> Variable {
    Variable::from(claim.clone())
}

/// The input as JSON, to check that evaluation did not change it.
pub fn input_json(input: &Variable) -> Value {
    input.to_value()
}

/// Reads the findings out of the graph's result.
pub fn findings(result: &Variable) -> Result<FindingSet, String> {
    let json = result.to_value();
    let per_line = json
        .get("findings")
        .and_then(Value::as_array)
        .ok_or("no findings array")?;
    let mut out = Vec::new();
    for item in per_line
        .iter()
        .flat_map(|line| line.as_array().into_iter().flatten())
    {
        let line = item
            .get("line")
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or("finding without a line number")?;
        let rule = item.get("rule").and_then(Value::as_str).unwrap_or("");
        let outcome = item.get("outcome").and_then(Value::as_str).unwrap_or("");
        out.push(Finding {
            line,
            rule: Rule::parse(rule).ok_or_else(|| format!("unknown rule {rule:?}"))?,
            severity: Severity::parse(outcome)
                .ok_or_else(|| format!("unknown outcome {outcome:?}"))?,
        });
    }
    Ok(FindingSet::new(out))
}
