//! Add-on code edits in the tab-delimited layout.
#![allow(clippy::unwrap_used)]

use payerlex_cms::{AddOnTable, AocType, Ymd};

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
    let a = t.get_on(b"77001", Ymd(20240801)).unwrap();
    assert_eq!(a.edit_type, AocType::NoList);
    assert!(a.primaries.is_empty());
    assert!(t.is_addon(b"77001", Ymd(20240801)));
    assert!(!t.is_primary_for(b"77001", b"36556", Ymd(20240801)));
    assert!(!t.is_addon(b"77001", Ymd(20121231)));
    assert!(t.get_on(b"77001", Ymd(20121231)).is_none());
}

#[test]
fn type_1_primaries_follow_the_dates() {
    let t = table();
    let in_2018 = t.get_on(b"76937", Ymd(20180601)).unwrap();
    assert_eq!(in_2018.edit_type, AocType::ListedPrimaries);
    assert_eq!(in_2018.primaries, vec![*b"36555", *b"36556"]);
    let now = t.get_on(b"76937", Ymd(20240801)).unwrap();
    assert_eq!(
        now.primaries,
        vec![*b"36556", *b"36568", *b"36569", *b"36572", *b"36573"]
    );
    assert!(t.is_primary_for(b"76937", b"36555", Ymd(20181231)));
    assert!(!t.is_primary_for(b"76937", b"36555", Ymd(20190101)));
    assert!(t.is_primary_for(b"76937", b"36568", Ymd(20190101)));
    assert!(!t.is_primary_for(b"76937", b"76377", Ymd(20240801)));
    assert_eq!(t.get(b"76937").unwrap().primaries.len(), 6);
}

#[test]
fn type_3_partial_list() {
    let t = table();
    let a = t.get_on(b"96375", Ymd(20240801)).unwrap();
    assert_eq!(a.edit_type, AocType::PartialList);
    assert!(t.is_primary_for(b"96375", b"96374", Ymd(20240801)));
    assert_eq!(t.edits(b"96375")[0].notes, "Partial list of primary codes");
}

#[test]
fn three_d_rendering_codes_are_not_add_ons() {
    let t = table();
    for code in [b"76376", b"76377"] {
        assert!(t.get(code).is_none());
        assert!(!t.is_addon(code, Ymd(20240801)));
        assert!(t.edits(code).is_empty());
    }
}
