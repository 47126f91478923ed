//! Which codes a table change touches: the codes whose rows differ between two loaded
//! versions of a table. `payerlex diff` puts them in its exhaustive scope, so a new quarterly
//! file is checked at exactly the rows that changed.

use std::collections::{BTreeMap, BTreeSet};

use super::{TableData, TableSlot};
use crate::facts::ProcedureCode;

/// Codes whose rows differ between `old` and `new` (added, removed or changed rows), when both
/// are loaded tables of the same layout; empty otherwise. Codes a claim cannot carry
/// (table-only shapes such as `0001A`) are left out.
pub fn changed_codes(old: &TableSlot, new: &TableSlot) -> BTreeSet<ProcedureCode> {
    let mut keys: BTreeSet<ProcedureCode> = BTreeSet::new();
    match (old.data(), new.data()) {
        (Some(TableData::Ptp(a)), Some(TableData::Ptp(b))) => {
            for (x, y) in a.iter_pairs() {
                if a.history(x, y) != b.history(x, y) {
                    keys.extend([x, y]);
                }
            }
            for (x, y) in b.iter_pairs() {
                if a.history(x, y).is_empty() {
                    keys.extend([x, y]);
                }
            }
        }
        (Some(TableData::Mue(a)), Some(TableData::Mue(b))) => {
            keys.extend(
                a.iter()
                    .filter(|&(k, e)| b.get(k) != Some(e))
                    .map(|(k, _)| k),
            );
            keys.extend(
                b.iter()
                    .filter(|&(k, _)| a.get(k).is_none())
                    .map(|(k, _)| k),
            );
        }
        (Some(TableData::AddOn(a)), Some(TableData::AddOn(b))) => {
            for k in a.addon_codes().chain(b.addon_codes()) {
                let (ea, eb) = (a.edits(k), b.edits(k));
                if ea != eb {
                    keys.insert(k);
                    keys.extend(ea.iter().chain(eb).filter_map(|e| e.primary));
                }
            }
        }
        (Some(TableData::Fees(a)), Some(TableData::Fees(b))) => {
            let rows = |t: &payerlex_cms::MultiYearSchedule| {
                let mut by_code: BTreeMap<ProcedureCode, Vec<String>> = BTreeMap::new();
                for (i, schedule) in t.iter().enumerate() {
                    for row in schedule.rows() {
                        by_code
                            .entry(row.code)
                            .or_default()
                            .push(format!("{i}:{row:?}"));
                    }
                }
                by_code
            };
            let (ra, rb) = (rows(a), rows(b));
            keys.extend(
                ra.iter()
                    .filter(|(k, v)| rb.get(*k) != Some(*v))
                    .map(|(k, _)| *k),
            );
            keys.extend(rb.keys().filter(|k| !ra.contains_key(*k)).copied());
        }
        _ => {}
    }
    keys.retain(|c| c.has_known_shape());
    keys
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::source::SourceFile;
    use crate::tables::{load_table, TableBytes, TableKind};

    const MUE: &str = "\"notice\",,,\n\"HCPCS/\nCPT Code\",Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale\n70450,3,3 Date of Service Edit: Clinical,x\n76377,2,3 Date of Service Edit: Clinical,x\n93000,3,3 Date of Service Edit: Clinical,x\n";

    fn slot(text: &str) -> TableSlot {
        let source = Arc::new(SourceFile::new("p", ""));
        let slot = TableSlot::new(
            "mue".into(),
            TableKind::Mue,
            Vec::new(),
            source,
            Default::default(),
        );
        let bytes = TableBytes {
            name: "mue.csv",
            bytes: text.as_bytes(),
            from: None,
        };
        slot.attach(load_table(TableKind::Mue, &[bytes]).unwrap(), [0; 32]);
        slot
    }

    #[test]
    fn finds_changed_added_and_removed_rows_only() {
        let old = slot(MUE);
        let edited = MUE
            .replace("93000,3,", "93000,2,")
            .replace("70450,3,3 Date of Service Edit: Clinical,x\n", "")
            + "99213,2,3 Date of Service Edit: Clinical,x\n";
        let new = slot(&edited);
        let codes: Vec<String> = changed_codes(&old, &new)
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(codes, vec!["70450", "93000", "99213"]);
        assert!(changed_codes(&old, &slot(MUE)).is_empty());
    }
}
