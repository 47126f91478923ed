//! The envelope: several interchanges, groups and transaction sets; truncated or mismatched
//! trailers; transaction sets that are not 837s; problems outside any claim.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use payerlex_x12::{ErrorKind, Reader, Record};

fn kinds(records: &[Record]) -> Vec<String> {
    records
        .iter()
        .map(|r| match r {
            Record::Claim(c) => format!("claim {}", c.claim.id),
            Record::Rejected(r) => format!(
                "rejected {} {:?}",
                r.source.claim_id.clone().unwrap_or_default(),
                r.error.kind
            ),
            Record::Error(e) => format!(
                "error {:?} {}",
                e.kind,
                e.at.segment_id.clone().unwrap_or_default()
            ),
        })
        .collect()
}

#[test]
fn several_interchanges_each_with_their_own_delimiters() {
    let first = simple("C-1");
    let second = simple("C-2")
        .replace("000000001", "000000002")
        .replace('*', "|")
        .replace(':', "^")
        .replace("^^", "::");
    let records = records(&format!("{first}{second}"));
    assert_eq!(kinds(&records), ["claim C-1", "claim C-2"]);
    match &records[1] {
        Record::Claim(read) => assert_eq!(&*read.source.interchange, "000000002"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_truncated_file_rejects_its_last_claim_and_says_why() {
    let full = simple("C-3");
    let cut = &full[..full.find("SE*").unwrap()];
    let records = records(cut);
    assert_eq!(
        kinds(&records),
        [
            "rejected C-3 Envelope",
            "error Envelope GE",
            "error Envelope IEA"
        ]
    );
    match &records[0] {
        Record::Rejected(r) => assert!(r.error.problem.contains("no SE"), "{}", r.error),
        other => panic!("{other:?}"),
    }
}

#[test]
fn control_numbers_must_match_their_trailers() {
    let input = simple("C-4").replace("SE*99*0001", "SE*99*0002");
    let records = records(&input);
    assert_eq!(kinds(&records), ["claim C-4", "error Envelope SE"]);
}

#[test]
fn other_transaction_sets_and_guides_are_refused_by_name() {
    let remittance = simple("C-5").replace("ST*837*0001*005010X222A1", "ST*835*0001*005010X221A1");
    let records = records(&remittance);
    assert_eq!(kinds(&records)[0], "error Unsupported ST");
    assert!(records.iter().all(|r| !matches!(r, Record::Claim(_))));
    // An 837 of an unknown guide: every CLM gets its own record, refused with the reason.
    let unknown = simple("C-6").replace("005010X222A1", "005010X999A1");
    let records = self::records(&unknown);
    assert_eq!(kinds(&records), ["rejected C-6 Unsupported"]);
    match &records[0] {
        Record::Rejected(r) => assert_eq!(r.error.at.value.as_deref(), Some("005010X999A1")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn segments_outside_a_transaction_set_are_reported_and_a_stray_clm_still_gets_its_record() {
    let input = simple("C-7").replace("GE*1*1~", "GE*1*1~\nNTE*ADD*STRAY~\nCLM*C-8*1***11:B:1~\n");
    let records = records(&input);
    assert_eq!(
        kinds(&records),
        ["claim C-7", "error Envelope NTE", "rejected C-8 Envelope"]
    );
}

#[test]
fn an_error_in_a_loop_without_claims_is_reported_on_its_own() {
    // A billing provider loop with a misplaced segment and no claims, then a sound one.
    let body = format!(
        "{}DMG*D8*19700101*F~\n{}{}{}",
        billing("1234567893"),
        billing("1234567893").replace("HL*1**20*1", "HL*2**20*1"),
        subscriber(3, "M1", "", "00882"),
        claim(
            "C-9",
            "11:B:1",
            "",
            "HI*ABK:S32401A~\n",
            &line(1, "HC:76377*1*UN*1***1", "D8*20260302")
        ),
    );
    let input = interchange(PROFESSIONAL, &body);
    let records = records(&input);
    assert_eq!(
        kinds(&records),
        ["error UnexpectedSegment DMG", "claim C-9"],
        "{input}"
    );
}

#[test]
fn the_reader_streams_claims_in_file_order_with_their_positions() {
    let body = format!(
        "{}{}{}{}{}",
        billing("1234567893"),
        subscriber(2, "M1", "", "00882"),
        claim(
            "A",
            "11:B:1",
            "",
            "HI*ABK:S32401A~\n",
            &line(1, "HC:76377*1*UN*1***1", "D8*20260302")
        ),
        claim(
            "B",
            "11:B:1",
            "",
            "HI*ABK:S32401A~\n",
            &line(1, "HC:76377*1*UN*1***1", "D8*20260302")
        ),
        claim(
            "B",
            "11:B:1",
            "",
            "HI*ABK:S32401A~\n",
            &format!(
                "{}{}",
                line(1, "HC:76377*1*UN*1***1", "D8*20260302"),
                line(1, "HC:74177*1*UN*1***1", "D8*20260302")
            )
        ),
    );
    let input = interchange(PROFESSIONAL, &body);
    let mut reader = Reader::new(input.as_bytes()).unwrap();
    let first = reader.next().unwrap();
    match first {
        // ST, BHT, NM1, PER, NM1 (5), HL, NM1, N3, N4, REF (10), HL, SBR, NM1, NM1 (14), CLM.
        Record::Claim(read) => assert_eq!((read.claim.id.as_str(), read.source.segment), ("A", 15)),
        other => panic!("{other:?}"),
    }
    let rest: Vec<Record> = reader.collect();
    assert_eq!(kinds(&rest), ["claim B", "rejected B InvalidValue"]);
    match &rest[1] {
        Record::Rejected(r) => {
            assert_eq!(r.error.at.segment_id.as_deref(), Some("LX"));
            assert!(r.error.problem.contains("`1` is used twice"), "{}", r.error);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn not_an_interchange_fails_at_once() {
    for input in ["", "hello", "GS*HC*S*R~", "ISA*00*short~"] {
        let error = Reader::new(input.as_bytes()).err().unwrap();
        assert_eq!(error.kind, ErrorKind::Envelope, "{input:?}");
    }
}
