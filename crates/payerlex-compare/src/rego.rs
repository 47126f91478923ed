//! The six 3D rules in Rego v1, evaluated by regorus (Microsoft's Rego interpreter) two ways:
//! its tree-walking interpreter (`Engine::eval_rule`) and its register VM (RVM: the policy
//! compiled once to a `Program`, `RegoVM::execute` per claim). Both get the claim as a
//! prepared `regorus::Value` (built from the host claim's JSON before timing), so their timed
//! call is set the input and evaluate, nothing else.

use std::sync::Arc;

use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::{Program, RegoVM};
use regorus::Value;

use crate::error::CompareError;
use crate::findings::{Finding, FindingSet, Rule, Severity};

/// The rule set a query asks for.
pub const FINDINGS_RULE: &str = "data.claims.findings";

/// The rules in Rego v1. A finding is `{"line": N, "rule": NAME, "outcome": "deny"|"review"}`.
pub const THREE_D_REGO: &str = r#"
package claims

three_d := {"76376", "76377"}

base_ranges := [[70450, 70498], [71250, 71275], [72125, 72133], [72191, 72194], [73200, 73206],
  [73700, 73706], [74150, 74178], [70540, 70559], [71550, 71555], [72141, 72159], [72195, 72198],
  [76506, 76999]]

angiography := {"34839", "70496", "70498", "70547", "70548", "70549", "71275", "71555", "72159",
  "72191", "72198", "73206", "73225", "73706", "73725", "74174", "74175", "74185", "75635"}

in_base(code) if {
  n := to_number(code)
  some r in base_ranges
  n >= r[0]
  n <= r[1]
}

has_base(l) if {
  some o in input.lines
  o.date == l.date
  in_base(o.code)
}

workstation_stated if input.report.facts.workstation == true

workstation_stated if {
  not input.report.facts.workstation == false
  text := lower(input.report.text)
  some phrase in ["independent workstation", "dedicated 3d workstation"]
  contains(text, phrase)
}

findings contains {"line": l.number, "rule": "integral-to-angiography", "outcome": "deny"} if {
  some i, l in input.lines
  three_d[l.code]
  some j, o in input.lines
  j != i
  o.date == l.date
  angiography[o.code]
}

findings contains {"line": l.number, "rule": "base-study-required", "outcome": "deny"} if {
  some l in input.lines
  three_d[l.code]
  not has_base(l)
}

findings contains {"line": l.number, "rule": "76376-with-76377", "outcome": "deny"} if {
  some l in input.lines
  l.code == "76376"
  some o in input.lines
  o.date == l.date
  o.code == "76377"
}

findings contains {"line": l.number, "rule": "session-units", "outcome": "deny"} if {
  some l in input.lines
  three_d[l.code]
  sum([o.units | some o in input.lines; o.date == l.date; o.code == l.code]) > 2
}

findings contains {"line": l.number, "rule": "both-components", "outcome": "deny"} if {
  some l in input.lines
  three_d[l.code]
  "26" in l.modifiers
  "TC" in l.modifiers
}

findings contains {"line": l.number, "rule": "workstation", "outcome": "review"} if {
  some l in input.lines
  l.code == "76377"
  input.report
  not workstation_stated
}
"#;

/// regorus's interpreter with the rules loaded.
pub struct RegorusInterpreter {
    engine: regorus::Engine,
}

impl RegorusInterpreter {
    const NAME: &'static str = "regorus";

    /// Loads the Rego rules.
    pub fn new() -> Result<Self, CompareError> {
        let mut engine = regorus::Engine::new();
        engine
            .add_policy("three_d.rego".to_owned(), THREE_D_REGO.to_owned())
            .map_err(|e| load_error(Self::NAME, e))?;
        Ok(Self { engine })
    }

    /// Evaluates the findings rule on one claim.
    pub fn evaluate(&mut self, input: &Value) -> Result<Value, String> {
        self.engine.set_input(input.clone());
        self.engine
            .eval_rule(FINDINGS_RULE.to_owned())
            .map_err(|e| e.to_string())
    }
}

/// regorus's RVM with the rules compiled to a program.
pub struct RegorusVm {
    vm: RegoVM,
}

impl RegorusVm {
    const NAME: &'static str = "regorus-rvm";

    /// Compiles the Rego rules for the findings entry point and loads them into a VM.
    pub fn new() -> Result<Self, CompareError> {
        let mut engine = regorus::Engine::new();
        engine
            .add_policy("three_d.rego".to_owned(), THREE_D_REGO.to_owned())
            .map_err(|e| load_error(Self::NAME, e))?;
        let compiled = engine
            .compile_with_entrypoint(&regorus::Rc::from(FINDINGS_RULE))
            .map_err(|e| load_error(Self::NAME, e))?;
        let program: Arc<Program> = Compiler::compile_from_policy(&compiled, &[FINDINGS_RULE])
            .map_err(|e| load_error(Self::NAME, e))?;
        let mut vm = RegoVM::new();
        vm.load_program(program);
        vm.set_data(Value::new_object())
            .map_err(|e| load_error(Self::NAME, e))?;
        Ok(Self { vm })
    }

    /// Runs the program on one claim.
    pub fn evaluate(&mut self, input: &Value) -> Result<Value, String> {
        self.vm.set_input(input.clone());
        self.vm.execute().map_err(|e| e.to_string())
    }
}

fn load_error(engine: &'static str, error: impl std::fmt::Display) -> CompareError {
    CompareError::Load {
        engine,
        message: error.to_string(),
    }
}

/// The claim as regorus input.
pub fn input(claim: &serde_json::Value) -> Value {
    Value::from(claim.clone())
}

/// Reads the findings set `{"line", "rule", "outcome"}` the rules produce.
pub fn findings(value: &Value) -> Result<FindingSet, String> {
    let set = value.as_set().map_err(|e| e.to_string())?;
    let mut out = Vec::with_capacity(set.len());
    for item in set.iter() {
        let line = item["line"].as_u32().map_err(|e| e.to_string())?;
        let rule = item["rule"].as_string().map_err(|e| e.to_string())?;
        let outcome = item["outcome"].as_string().map_err(|e| e.to_string())?;
        out.push(Finding {
            line,
            rule: Rule::parse(rule).ok_or_else(|| format!("unknown rule {rule}"))?,
            severity: Severity::parse(outcome)
                .ok_or_else(|| format!("unknown outcome {outcome}"))?,
        });
    }
    Ok(FindingSet::new(out))
}
