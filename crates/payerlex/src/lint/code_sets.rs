//! Set arithmetic on code sets for the lints, and the contradictions in what a rule requires
//! of the current line (its code, its modifiers).

use crate::facts::{Modifier, ProcedureCode};
use crate::ir::CodeSet;
use crate::ir::{CodeOperand, Cond, CondKind, LineRef};

/// Why the top-level conjunction cannot hold, if it cannot.
pub(super) fn contradiction(cond: &Cond) -> Option<String> {
    let parts = super::conjuncts(cond);
    let mut required: Option<CodeSet> = None;
    let mut excluded: Vec<CodeSet> = Vec::new();
    let mut must_have: Vec<Modifier> = Vec::new();
    let mut must_not: Vec<&crate::ir::ModifierSet> = Vec::new();
    for part in parts {
        match &part.kind {
            CondKind::Const(false) => return Some("a condition is always false".into()),
            CondKind::CodeIn {
                line: LineRef::Current,
                set,
            } => {
                required = Some(match required {
                    None => (**set).clone(),
                    Some(r) => intersect(&r, set),
                });
            }
            CondKind::CodeEq {
                lhs: CodeOperand::Line(LineRef::Current),
                rhs: CodeOperand::Literal(c),
            } => {
                let single = CodeSet::from_ranges(vec![(*c, *c)]);
                required = Some(match required {
                    None => single,
                    Some(r) => intersect(&r, &single),
                });
            }
            CondKind::Not(inner) => match &inner.kind {
                CondKind::CodeIn {
                    line: LineRef::Current,
                    set,
                } => excluded.push((**set).clone()),
                CondKind::CodeEq {
                    lhs: CodeOperand::Line(LineRef::Current),
                    rhs: CodeOperand::Literal(c),
                } => excluded.push(CodeSet::from_ranges(vec![(*c, *c)])),
                CondKind::ModifierIn {
                    line: LineRef::Current,
                    set,
                } => must_not.push(set),
                _ => {}
            },
            CondKind::ModifierIn {
                line: LineRef::Current,
                set,
            } => {
                let members = set.members();
                if let [only] = members.as_slice() {
                    must_have.push(*only);
                }
            }
            _ => {}
        }
    }
    if let Some(required) = &required {
        if required.is_empty() {
            return Some("its code conditions have no code in common".into());
        }
        if excluded.iter().any(|e| covers(e, required)) {
            return Some("every code it requires is also excluded by one of its conditions".into());
        }
    }
    if let Some(m) = must_have
        .iter()
        .find(|m| must_not.iter().any(|s| s.contains(**m)))
    {
        return Some(format!("it requires modifier {m} and excludes it"));
    }
    None
}

fn intersect(a: &CodeSet, b: &CodeSet) -> CodeSet {
    let mut out = Vec::new();
    let (ra, rb) = (a.packed_ranges(), b.packed_ranges());
    let (mut i, mut j) = (0, 0);
    while let (Some(x), Some(y)) = (ra.get(i), rb.get(j)) {
        let lo = x.0.max(y.0);
        let hi = x.1.min(y.1);
        if lo <= hi {
            if let (Some(l), Some(h)) = (
                ProcedureCode::from_packed(lo),
                ProcedureCode::from_packed(hi),
            ) {
                out.push((l, h));
            }
        }
        if x.1 < y.1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    CodeSet::from_ranges(out)
}

/// Whether `outer` contains every code of `inner`.
pub(super) fn covers(outer: &CodeSet, inner: &CodeSet) -> bool {
    inner.packed_ranges().iter().all(|&(lo, hi)| {
        outer
            .packed_ranges()
            .iter()
            .any(|&(olo, ohi)| olo <= lo && hi <= ohi)
    })
}
