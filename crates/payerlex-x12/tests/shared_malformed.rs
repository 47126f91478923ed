//! Each deliberately malformed imsweb sample yields the error it was written for (the errors
//! imsweb's own tests expect of it), with 999 coordinates, while the file's other claims are
//! still read. Positions were counted in the files (ST = 1).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use payerlex_x12::{trace_loops, ErrorKind, Reader, Record, X12Error};

fn imsweb(file: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/imsweb-x12-parser/837_5010")
        .join(file);
    std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (the shared X12 data is required)", path.display()))
}

/// Rejected claims as (claim id, error) and errors outside claims, in order.
fn read(file: &str) -> (Vec<(String, X12Error)>, Vec<X12Error>) {
    let input = imsweb(file);
    let mut claims = Vec::new();
    let mut others = Vec::new();
    for record in Reader::new(&input).unwrap() {
        match record {
            Record::Rejected(r) => claims.push((r.source.claim_id.unwrap_or_default(), r.error)),
            Record::Error(e) => others.push(*e),
            Record::Claim(c) => panic!("{file}: {} was not expected to map", c.claim.id),
        }
    }
    (claims, others)
}

/// (kind, segment position, segment id, loop, element).
fn place(
    e: &X12Error,
) -> (
    ErrorKind,
    Option<u32>,
    Option<&str>,
    Option<&str>,
    Option<u8>,
) {
    (
        e.kind,
        e.at.segment,
        e.at.segment_id.as_deref(),
        e.at.loop_id,
        e.at.element,
    )
}

/// The imsweb samples' billing NPI (1234567890) fails the check digit: the error of a claim
/// whose structure is sound.
fn is_npi_check_digit(e: &X12Error) -> bool {
    e.kind == ErrorKind::InvalidValue
        && e.at.segment_id.as_deref() == Some("NM1")
        && e.at.element == Some(9)
}

#[test]
#[cfg_attr(x12_data_absent, ignore = "needs ../shared/data/imsweb-x12-parser")]
fn a_damaged_or_missing_isa_fails_the_file() {
    let error = Reader::new(&imsweb("x12_bad_first_line.txt"))
        .err()
        .unwrap();
    assert_eq!(error.kind, ErrorKind::Envelope);
    assert_eq!(error.at.segment_id.as_deref(), Some("ISA"));
    assert_eq!(error.at.element, Some(2));
    assert!(
        error.to_string().contains("ISA02 is 10 characters wide"),
        "{error}"
    );
    let error = Reader::new(&imsweb("x12_no_isa_line.txt")).err().unwrap();
    assert_eq!(error.kind, ErrorKind::Envelope);
    assert!(
        error
            .to_string()
            .contains("does not start with an ISA segment"),
        "{error}"
    );
}

#[test]
#[cfg_attr(x12_data_absent, ignore = "needs ../shared/data/imsweb-x12-parser")]
fn bad_segment_identifiers_are_reported_once_each_with_their_loop() {
    let (claims, others) = read("x12_bad_segment_identifier.txt");
    // An empty id in 1000A (the header) rejects both claims of the transaction set.
    assert_eq!(claims.len(), 2);
    for (_, error) in &claims {
        assert_eq!(
            place(error),
            (
                ErrorKind::InvalidSegmentId,
                Some(4),
                None,
                Some("1000A"),
                None
            )
        );
    }
    // `Nd4` in 2010AA and `NM31` in 2000B come out on their own.
    let mut places: Vec<_> = others.iter().map(place).collect();
    places.sort_by_key(|p| p.1);
    assert_eq!(
        places,
        [
            (
                ErrorKind::InvalidSegmentId,
                Some(9),
                Some("Nd4"),
                Some("2010AA"),
                None
            ),
            (
                ErrorKind::InvalidSegmentId,
                Some(18),
                Some("NM31"),
                Some("2000B"),
                None
            ),
        ]
    );
}

#[test]
#[cfg_attr(x12_data_absent, ignore = "needs ../shared/data/imsweb-x12-parser")]
fn an_entity_code_that_starts_no_loop_is_named_with_its_value() {
    let (claims, _) = read("x12_bad_valid_code.txt");
    assert_eq!(claims.len(), 2);
    for (_, error) in &claims {
        assert_eq!(
            place(error),
            (
                ErrorKind::UnknownQualifier,
                Some(7),
                Some("NM1"),
                Some("2000A"),
                Some(1)
            )
        );
        assert_eq!(error.at.value.as_deref(), Some("117"));
    }
}

#[test]
#[cfg_attr(x12_data_absent, ignore = "needs ../shared/data/imsweb-x12-parser")]
fn a_missing_composite_rejects_its_claim_only() {
    let (claims, _) = read("x12_missing_elements.txt");
    assert_eq!(claims[0].0, "A37YH556");
    assert!(is_npi_check_digit(&claims[0].1), "{}", claims[0].1);
    assert_eq!(claims[1].0, "A37YH667");
    assert_eq!(
        place(&claims[1].1),
        (
            ErrorKind::MissingElement,
            Some(29),
            Some("CLM"),
            Some("2300"),
            Some(5)
        )
    );
    assert_eq!(claims[1].1.at.claim.as_deref(), Some("A37YH667"));
}

#[test]
#[cfg_attr(x12_data_absent, ignore = "needs ../shared/data/imsweb-x12-parser")]
fn segments_out_of_order_in_their_loop() {
    let (claims, _) = read("x12_segments_out_of_order.txt");
    assert_eq!(claims.len(), 2);
    for (_, error) in &claims {
        assert_eq!(
            place(error),
            (
                ErrorKind::SegmentOutOfOrder,
                Some(10),
                Some("N4"),
                Some("2010AA"),
                None
            )
        );
    }
}

#[test]
#[cfg_attr(x12_data_absent, ignore = "needs ../shared/data/imsweb-x12-parser")]
fn a_required_segment_missing_from_the_billing_provider() {
    let (claims, _) = read("x12_segment_errors.txt");
    assert_eq!(claims.len(), 1);
    let (id, error) = &claims[0];
    assert_eq!(id, "A37YH556");
    // N3 is missing from 2010AA; found when the loop closes (at NM1*87, segment 12).
    assert_eq!(
        place(error),
        (
            ErrorKind::MissingSegment,
            Some(12),
            Some("N3"),
            Some("2010AA"),
            None
        )
    );
}

#[test]
#[cfg_attr(x12_data_absent, ignore = "needs ../shared/data/imsweb-x12-parser")]
fn loops_repeated_or_missing() {
    let (claims, _) = read("x12_loop_errors1_exceeds_max_1_parent.txt");
    assert_eq!(
        place(&claims[0].1),
        (
            ErrorKind::LoopRepeated,
            Some(13),
            Some("NM1"),
            Some("2010AA"),
            None
        )
    );

    let (claims, _) = read("x12_loop_errors2_exceeds_max_repeats_multiple_parents.txt");
    assert!(
        is_npi_check_digit(&claims[0].1),
        "the first 2000A is sound: {}",
        claims[0].1
    );
    assert_eq!(
        place(&claims[1].1),
        (
            ErrorKind::LoopRepeated,
            Some(32),
            Some("NM1"),
            Some("2010AA"),
            None
        )
    );

    let (claims, _) = read("x12_loop_errors3_missing_loops.txt");
    assert_eq!(
        place(&claims[0].1),
        (
            ErrorKind::MissingLoop,
            Some(7),
            Some("NM1"),
            Some("2010AA"),
            None
        )
    );

    let (claims, _) = read("x12_missing_required_loop_in_one_repeat.txt");
    assert_eq!(claims[0].0, "A37YH667");
    assert_eq!(
        place(&claims[0].1),
        (
            ErrorKind::MissingLoop,
            Some(18),
            Some("NM1"),
            Some("2010BA"),
            None
        )
    );
    assert!(
        is_npi_check_digit(&claims[1].1),
        "the other subscriber is sound: {}",
        claims[1].1
    );
}

#[test]
#[cfg_attr(x12_data_absent, ignore = "needs ../shared/data/imsweb-x12-parser")]
fn service_lines_without_lx_reject_only_their_claims() {
    let (claims, _) = read("x12_missing_required_loops_mult_repeats.txt");
    assert_eq!(claims.len(), 5);
    let unexpected: Vec<usize> = claims
        .iter()
        .enumerate()
        .filter(|(_, (_, e))| e.kind == ErrorKind::UnexpectedSegment)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(
        unexpected,
        [1, 4],
        "the second and fifth claims have SV1 without LX"
    );
    assert_eq!(
        place(&claims[1].1),
        (
            ErrorKind::UnexpectedSegment,
            Some(31),
            Some("SV1"),
            Some("2300"),
            None
        )
    );
    assert_eq!(
        place(&claims[4].1),
        (
            ErrorKind::UnexpectedSegment,
            Some(57),
            Some("SV1"),
            Some("2300"),
            None
        )
    );
    for index in [0, 2, 3] {
        assert!(is_npi_check_digit(&claims[index].1), "{}", claims[index].1);
    }
}

#[test]
#[cfg_attr(x12_data_absent, ignore = "needs ../shared/data/imsweb-x12-parser")]
fn the_ambiguous_rendering_provider_is_the_line_s() {
    // NM1*82 after the service line is 2420A (line rendering), not 2310B or 2330D.
    let placed = trace_loops(&imsweb("x12_ambiguous_loop.txt")).unwrap();
    let rendering: Vec<_> = placed
        .iter()
        .filter(|p| p.segment_id == "NM1" || p.segment_id == "PRV")
        .filter(|p| {
            p.loop_id.is_some_and(|l| {
                l.starts_with("2420") || l.starts_with("2310") || l.starts_with("2330")
            })
        })
        .map(|p| (p.segment_id.as_str(), p.loop_id))
        .collect();
    assert_eq!(rendering, [("NM1", Some("2420A")), ("PRV", Some("2420A"))]);
}
