//! Add-on code edits in the tab-delimited layout.
#![allow(clippy::unwrap_used)]

use payerlex_cms::{AddOnTable, AocType};

mod common;
use common::{code, day};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/aoc_sample.txt");

fn table() -> AddOnTable {
    AddOnTable::from_path(FIXTURE).unwrap()
}

#[test]
fn counts() {
    let t = table();
    assert_eq!((t.len(), t.codes()), (9, 3));
}

#[test]
fn type_2_has_no_primary_list() {
    let t = table();
    let a = t.get_on(code("77001"), day("2024-08-01")).unwrap();
    assert_eq!(a.edit_type, AocType::NoList);
    assert!(a.primaries.is_empty());
    assert!(t.is_addon(code("77001"), day("2024-08-01")));
    assert!(!t.is_primary_for(code("77001"), code("36556"), day("2024-08-01")));
    assert!(!t.is_addon(code("77001"), day("2012-12-31")));
    assert!(t.get_on(code("77001"), day("2012-12-31")).is_none());
}

#[test]
fn type_1_primaries_follow_the_dates() {
    let t = table();
    let in_2018 = t.get_on(code("76937"), day("2018-06-01")).unwrap();
    assert_eq!(in_2018.edit_type, AocType::ListedPrimaries);
    assert_eq!(in_2018.primaries, vec![code("36555"), code("36556")]);
    let now = t.get_on(code("76937"), day("2024-08-01")).unwrap();
    assert_eq!(
        now.primaries,
        vec![
            code("36556"),
            code("36568"),
            code("36569"),
            code("36572"),
            code("36573")
        ]
    );
    assert!(t.is_primary_for(code("76937"), code("36555"), day("2018-12-31")));
    assert!(!t.is_primary_for(code("76937"), code("36555"), day("2019-01-01")));
    assert!(t.is_primary_for(code("76937"), code("36568"), day("2019-01-01")));
    assert!(!t.is_primary_for(code("76937"), code("76377"), day("2024-08-01")));
    assert_eq!(t.get(code("76937")).unwrap().primaries.len(), 6);
}

#[test]
fn type_3_partial_list() {
    let t = table();
    let a = t.get_on(code("96375"), day("2024-08-01")).unwrap();
    assert_eq!(a.edit_type, AocType::PartialList);
    assert!(t.is_primary_for(code("96375"), code("96374"), day("2024-08-01")));
    assert_eq!(
        t.edits(code("96375"))[0].notes,
        "Partial list of primary codes"
    );
}

#[test]
fn three_d_rendering_codes_are_not_add_ons() {
    let t = table();
    for code in [code("76376"), code("76377")] {
        assert!(t.get(code).is_none());
        assert!(!t.is_addon(code, day("2024-08-01")));
        assert!(t.edits(code).is_empty());
    }
}
