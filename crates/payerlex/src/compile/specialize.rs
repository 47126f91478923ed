//! Fused forms of the commonest clauses, for the fast path.
//!
//! A tree-walking evaluator pays per node: a call, a dispatch, and for a quantifier a walk that
//! calls the evaluator again for its filter on every line, tests providers, reads the
//! rendering NPI and loops over history. The 3D rules and the other claim edits payers write
//! most (`no line on same date where code in base_study`, `sum units of lines on same date
//! where code = line.code > 2`, `line has modifier 26 and line has modifier TC`, `not
//! report.workstation`) spend most of their time there. So each rule's fast-path condition is
//! rewritten into fewer, larger nodes:
//!
//! - a quantifier over the claim's own lines that counts every provider and filters on the
//!   quantified line's code alone becomes a [`CodeScan`]: one loop that compares a date range
//!   and a code (a code test is never unknown, so there is no third value to carry);
//!   `no ...` becomes one node rather than a negation around one, and a count or sum of such
//!   lines compared with a constant one node ([`ScanCompare`]);
//! - `not report.x` becomes one node;
//! - an `and` of modifier tests of one line becomes one node that reads its modifiers once;
//! - an `and` or `or` of one part (what is left of `line.code in SET and x` once the trigger
//!   index has answered the first part) becomes that part.
//!
//! Only a rule's `triggered_condition` (what `decide` and `adjust_prior` evaluate) is fused.
//! Explanations evaluate the condition as lowered, so their traces show the clauses as
//! written; `diff`, coverage and lint read the IR; the reference interpreter evaluates the IR,
//! and the differential test (whose synthetic packs reach every fused form) checks that the
//! engine agrees with it.

use std::sync::Arc;

use super::program::{Node, NodeKind, NumNode, SourceNode};
use crate::facts::ProcedureCode;
use crate::ir::{
    AggregateKind, CodeOperand, CodeSet, CompareOp, LineRef, ModifierSet, ProviderFilter, Scope,
    Selector, Window,
};

/// A quantifier over the claim's own lines, by date window and code only.
#[derive(Debug, Clone)]
pub struct CodeScan {
    /// All / other / earlier lines.
    pub selector: Selector,
    /// Which dates count, around the current line's.
    pub window: Window,
    /// Which codes count.
    pub codes: ScanCodes,
}

/// What a fused aggregate adds up: `count distinct codes` is never fused (it needs a set).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanTotal {
    /// `count lines ...`.
    Lines,
    /// `sum units of lines ...`.
    Units,
}

/// A count or sum of a [`CodeScan`] compared with a constant: `sum units of lines on same
/// date where code = line.code > 2`.
#[derive(Debug, Clone)]
pub struct ScanCompare {
    /// Count of lines or sum of units.
    pub total: ScanTotal,
    /// The lines.
    pub scan: CodeScan,
    /// The comparison, with the aggregate on its left.
    pub op: CompareOp,
    /// The constant on its right.
    pub limit: i64,
}

/// The code test of a [`CodeScan`].
#[derive(Debug, Clone)]
pub enum ScanCodes {
    /// No filter, or one always true (`code = code`).
    Every,
    /// `code in SET`.
    In(Arc<CodeSet>),
    /// `code = C`.
    Is(ProcedureCode),
    /// `code = line.code`: the current line's code.
    SameAsCurrent,
}

impl ScanCodes {
    /// Whether a line with `code` passes, when the current line's code is `current`.
    #[inline]
    pub fn admit(&self, code: ProcedureCode, current: ProcedureCode) -> bool {
        match self {
            ScanCodes::Every => true,
            ScanCodes::In(set) => set.contains(code),
            ScanCodes::Is(wanted) => code == *wanted,
            ScanCodes::SameAsCurrent => code == current,
        }
    }
}

/// The sets of `parts` when every part tests a modifier of the same line (`line has modifier
/// 26 and line has modifier TC`): one node then reads the line's modifiers for all of them.
fn modifier_tests(parts: &[Node]) -> Option<(LineRef, Box<[Arc<ModifierSet>]>)> {
    let mut line = None;
    let mut sets = Vec::with_capacity(parts.len());
    for part in parts {
        let NodeKind::ModifierIn(at, set) = &part.kind else {
            return None;
        };
        if line.is_some_and(|l| l != *at) {
            return None;
        }
        line = Some(*at);
        sets.push(set.clone());
    }
    Some((line?, sets.into()))
}

/// `node` with every quantifier that can be fused replaced by its fused form (through
/// `and`, `or`, `not` and comparisons; filters are left as they are).
pub fn specialize(node: Node) -> Node {
    let Node { kind, span } = node;
    let kind = match kind {
        NodeKind::All(parts) => match lone_part(parts) {
            Ok(part) => return part,
            Err(parts) => match modifier_tests(&parts) {
                Some((line, sets)) => NodeKind::ModifiersAll(line, sets),
                None => NodeKind::All(parts.into()),
            },
        },
        NodeKind::Any(parts) => match lone_part(parts) {
            Ok(part) => return part,
            Err(parts) => NodeKind::Any(parts.into()),
        },
        NodeKind::Not(inner) => match specialize(*inner) {
            // `no line ...` and `not report.x`, the commonest negations, in one node.
            Node {
                kind: NodeKind::ScanExists(scan),
                ..
            } => NodeKind::ScanNone(scan),
            Node {
                kind: NodeKind::Fact(index),
                ..
            } => NodeKind::NotFact(index),
            inner => NodeKind::Not(Box::new(inner)),
        },
        NodeKind::Exists(source) => match scan_of(&source) {
            Some(scan) => NodeKind::ScanExists(Box::new(scan)),
            None => NodeKind::Exists(source),
        },
        NodeKind::Compare(lhs, op, rhs) => match (specialize_num(*lhs), specialize_num(*rhs)) {
            // `sum units of lines ... > 2` (a unit limit), in one node.
            (NumNode::ScanAggregate(total, scan), NumNode::Const(limit)) => {
                NodeKind::ScanCompare(Box::new(ScanCompare {
                    total,
                    scan: *scan,
                    op,
                    limit,
                }))
            }
            (lhs, rhs) => NodeKind::Compare(Box::new(lhs), op, Box::new(rhs)),
        },
        other => other,
    };
    Node { kind, span }
}

/// The parts of an `and` or `or`, specialised: `Ok` with the part when there is only one
/// (what is left of `line.code in SET and x` once the trigger is taken out), which is the
/// whole `and` or `or`.
fn lone_part(parts: Box<[Node]>) -> Result<Node, Vec<Node>> {
    let mut parts: Vec<Node> = parts.into_vec().into_iter().map(specialize).collect();
    match parts.pop() {
        Some(part) if parts.is_empty() => Ok(part),
        Some(part) => {
            parts.push(part);
            Err(parts)
        }
        None => Err(parts),
    }
}

fn specialize_num(num: NumNode) -> NumNode {
    match num {
        NumNode::Aggregate(kind, source) => {
            let total = match kind {
                AggregateKind::CountLines => Some(ScanTotal::Lines),
                AggregateKind::SumUnits => Some(ScanTotal::Units),
                AggregateKind::CountDistinctCodes => None,
            };
            match total.zip(scan_of(&source)) {
                Some((total, scan)) => NumNode::ScanAggregate(total, Box::new(scan)),
                None => NumNode::Aggregate(kind, source),
            }
        }
        NumNode::Binary(op, lhs, rhs) => NumNode::Binary(
            op,
            Box::new(specialize_num(*lhs)),
            Box::new(specialize_num(*rhs)),
        ),
        other => other,
    }
}

/// The fused form of `source`, when it reads only the claim's lines, counts every provider
/// and filters on the quantified line's code alone.
fn scan_of(source: &SourceNode) -> Option<CodeScan> {
    if source.scope != Scope::Claim || source.provider != ProviderFilter::Any {
        return None;
    }
    let codes = match source.filter.as_ref().map(|f| &f.kind) {
        None => ScanCodes::Every,
        Some(NodeKind::Const(true)) => ScanCodes::Every,
        Some(NodeKind::CodeIn(LineRef::Quantified, set)) => ScanCodes::In(set.clone()),
        Some(NodeKind::CodeEq(lhs, rhs)) => code_test(*lhs, *rhs)?,
        Some(_) => return None,
    };
    Some(CodeScan {
        selector: source.selector,
        window: source.window,
        codes,
    })
}

/// `lhs = rhs` as a test of the quantified line's code, when it is one.
fn code_test(lhs: CodeOperand, rhs: CodeOperand) -> Option<ScanCodes> {
    use CodeOperand::{Line, Literal};
    let quantified = Line(LineRef::Quantified);
    match (lhs, rhs) {
        (a, b) if a == quantified && b == quantified => Some(ScanCodes::Every),
        (a, Literal(code)) | (Literal(code), a) if a == quantified => Some(ScanCodes::Is(code)),
        (a, Line(LineRef::Current)) | (Line(LineRef::Current), a) if a == quantified => {
            Some(ScanCodes::SameAsCurrent)
        }
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use crate::compile::{Node, NodeKind, NumNode};
    use crate::pack::PackSources;
    use crate::Engine;

    const MANIFEST: &str = r#"
id = "fuse"
name = "Fusion"
version = "1.0.0"
effective = "2025-01-01"
policies = ["rules.policy"]
"#;

    /// Each rule's fast-path condition, in pack order, for rules over `three_d`.
    fn fast_conditions(rules: &str) -> Vec<Node> {
        let policy = format!(
            "policy fuse.rules\nversion 1.0.0\n\nset three_d = 76376, 76377\n\
             set base = 70450..70498\nfacts workstation\n\n{rules}"
        );
        let sources = PackSources::new("fuse", MANIFEST).with_file("rules.policy", &policy);
        let engine = Engine::from_sources(&[sources])
            .unwrap_or_else(|e| panic!("fixture loads:\n{}", e.render()));
        let pack = engine.packs().next().unwrap();
        pack.program
            .rules
            .iter()
            .map(|r| r.triggered_condition.clone())
            .collect()
    }

    fn rule(name: &str, when: &str) -> String {
        format!("rule {name}\n  cite \"c\"\n  when line.code in three_d and {when}\n  deny carc 4 \"x\"\n\n")
    }

    #[test]
    fn claim_line_code_quantifiers_are_fused() {
        let rules = [
            rule("any", "any other line on same date where code in base"),
            rule("none", "no line within 3 days before where code = 76377"),
            rule(
                "units",
                "sum units of lines on same date where code = line.code > 2",
            ),
            rule("count", "count earlier lines where code in base >= 1"),
            rule("pctc", "line has modifier 26 and line has modifier TC"),
            rule("fact", "not report.workstation"),
        ]
        .concat();
        let kinds: Vec<&'static str> = fast_conditions(&rules)
            .iter()
            .map(|node| match &node.kind {
                NodeKind::ScanExists(_) => "scan-exists",
                NodeKind::ScanNone(_) => "scan-none",
                NodeKind::ScanCompare(_) => "scan-compare",
                NodeKind::ModifiersAll(..) => "modifiers-all",
                NodeKind::NotFact(_) => "not-fact",
                _ => "general",
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "scan-exists",
                "scan-none",
                "scan-compare",
                "scan-compare",
                "modifiers-all",
                "not-fact"
            ]
        );
    }

    #[test]
    fn quantifiers_that_read_more_than_claim_codes_stay_general() {
        let rules = [
            rule(
                "history",
                "any line in claim or history on same date where code in base",
            ),
            rule(
                "provider",
                "any other line on same date by same provider where code in base",
            ),
            rule("filter", "any other line on same date where units > 1"),
            rule(
                "distinct",
                "count distinct codes of lines on same date where code in base > 1",
            ),
            rule("mixed", "line has modifier 26 and not report.workstation"),
        ]
        .concat();
        for node in fast_conditions(&rules) {
            let general = match &node.kind {
                NodeKind::Exists(_) | NodeKind::All(_) => true,
                NodeKind::Compare(lhs, _, _) => matches!(**lhs, NumNode::Aggregate(..)),
                _ => false,
            };
            assert!(general, "fused although it reads more than codes: {node:?}");
        }
    }
}
