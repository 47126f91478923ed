//! The scope's enumeration: subsets, and every index of a small scope builds a distinct,
//! valid claim.
#![allow(clippy::unwrap_used)]

use super::*;

#[test]
fn subsets_up_to_size() {
    let s = subsets(&[1, 2, 3], 2);
    assert_eq!(
        s,
        vec![
            vec![],
            vec![1],
            vec![2],
            vec![3],
            vec![1, 2],
            vec![1, 3],
            vec![2, 3]
        ]
    );
}

#[test]
fn every_index_builds_a_valid_distinct_claim() {
    let vocabulary = Vocabulary {
        code_sets: vec![crate::ir::CodeSet::from_ranges(vec![(
            ProcedureCode::parse("76376").unwrap(),
            ProcedureCode::parse("76377").unwrap(),
        )])],
        date_starts: [Date::parse("2026-01-01").unwrap()].into_iter().collect(),
        ..Vocabulary::default()
    };
    let scope = ExhaustiveScope::new(
        "test",
        &vocabulary,
        &BTreeMap::new(),
        &BTreeMap::new(),
        ScopeLimits::default(),
    )
    .unwrap();
    // 3 code classes x 2 dates = 6 line variants; 6 + 36 claims of one or two lines.
    assert_eq!(scope.len(), 42);
    let mut seen = std::collections::HashSet::new();
    for i in 0..scope.len() {
        let case = scope.case(i).unwrap();
        assert!(case.claim.validate().is_ok());
        assert!(seen.insert(serde_json::to_string(&case.claim).unwrap()));
    }
    assert!(scope.case(scope.len()).is_none());
}
