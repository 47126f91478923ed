//! Whether two loaded packs decide alike by construction: the same rules, in the same order,
//! with conditions of the same meaning (spans ignored, sets compared by content), the same
//! outcomes, messages, citations, dates and report facts.
//!
//! `payerlex fmt` promises that a formatted pack compiles to the same program; this is how
//! that promise is tested on every shipped and test pack, without reaching into the
//! engine's private types from outside the crate.

use crate::pack::Pack;

/// The first difference between what `a` and `b` decide with, or `None` when they are the
/// same program (the pack digests, which hash the file text, may differ).
pub fn program_difference(a: &Pack, b: &Pack) -> Option<String> {
    if a.rules.len() != b.rules.len() {
        return Some(format!("{} rules became {}", a.rules.len(), b.rules.len()));
    }
    for (x, y) in a.rules.iter().zip(&b.rules) {
        let id = &x.id;
        let differs = if x.id != y.id {
            Some("id")
        } else if x.name != y.name {
            Some("name")
        } else if x.replaces.as_ref().map(|r| &r.0) != y.replaces.as_ref().map(|r| &r.0) {
            Some("replaces")
        } else if x.citation != y.citation {
            Some("citation")
        } else if x.effective != y.effective {
            Some("effective dates")
        } else if !x.condition.same_meaning(&y.condition) {
            Some("condition")
        } else if x.on_unknown != y.on_unknown {
            Some("when unknown")
        } else if x.outcome != y.outcome {
            Some("outcome")
        } else {
            None
        };
        if let Some(what) = differs {
            return Some(format!("rule `{id}`: its {what} differs"));
        }
    }
    if a.facts != b.facts {
        return Some("the report facts or their phrases differ".into());
    }
    if a.tables.len() != b.tables.len() || a.tables.iter().zip(&b.tables).any(|(x, y)| x != y) {
        return Some("the tables differ".into());
    }
    if a.effective != b.effective || a.id != b.id || a.version != b.version {
        return Some("the manifest differs".into());
    }
    None
}
