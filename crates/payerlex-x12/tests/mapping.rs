//! From 837 segments to claim fields, and the errors (with coordinates, without patient data)
//! when a value cannot be a claim field.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use payerlex_x12::{ErrorKind, PayerMap, Record, X12Error};

fn place(
    e: &X12Error,
) -> (
    ErrorKind,
    Option<&str>,
    Option<u8>,
    Option<u8>,
    Option<&str>,
) {
    (
        e.kind,
        e.at.segment_id.as_deref(),
        e.at.element,
        e.at.component,
        e.at.loop_id,
    )
}

#[test]
fn a_professional_claim_maps_every_field() {
    let body = format!(
        "HL*1**20*1~\nPRV*BI*PXC*2085R0202X~\nNM1*85*2*IMAGING*****XX*1234567893~\nN3*1 MAIN~\nN4*TOWN*IL*62701~\nREF*EI*123456789~\n{}{}",
        "HL*2*1*22*1~\nSBR*P*01*******CI~\nNM1*IL*1*DOE*JOHN****MI*SUB1~\nNM1*PR*2*PAYER*****PI*00882~\nHL*3*2*23*0~\nPAT*19~\nNM1*QC*1*DOE*ANNA****MI*DEP7~\nN3*1 MAIN~\nN4*TOWN*IL*62701~\nDMG*D8*20100615*F~\n",
        claim(
            "C-1",
            "11:B:7",
            "REF*F8*C-0~\nREF*G1*PA-42~\n",
            "HI*ABK:S32401A*ABF:I712~\nNM1*82*1*REN*DER****XX*1987654328~\nPRV*PE*PXC*2085R0202X~\n",
            &format!(
                "{}{}NM1*82*1*LINE*REN****XX*1245319599~\n",
                line(1, "HC:74177:26*100*UN*1.0*22**1:2", "D8*20260302"),
                line(2, "HC:76377:26:XS*100*UN*2.000***2", "RD8*20260303-20260305"),
            )
        )
    );
    let claim = one_claim(&interchange(PROFESSIONAL, &body));
    assert_eq!(claim.id, "C-1");
    assert_eq!(
        claim.payer, "00882",
        "no payer map: the payer id names the pack"
    );
    assert_eq!(
        claim.patient, "DEP7",
        "2010CA NM109 for a patient who is not the subscriber"
    );
    assert_eq!(
        claim.patient_birth_date.map(|d| d.to_string()).as_deref(),
        Some("2010-06-15")
    );
    assert_eq!(
        claim.patient_sex.map(|s| s.to_string()).as_deref(),
        Some("F")
    );
    assert_eq!(claim.provider.npi.to_string(), "1234567893");
    assert_eq!(claim.provider.role.as_str(), "professional");
    assert_eq!(
        claim.provider.taxonomy.map(|t| t.to_string()).as_deref(),
        Some("2085R0202X")
    );
    let rendering = claim.rendering.unwrap();
    assert_eq!(rendering.npi.to_string(), "1987654328");
    assert_eq!(
        rendering.taxonomy.map(|t| t.to_string()).as_deref(),
        Some("2085R0202X")
    );
    assert_eq!(claim.place_of_service.to_string(), "11");
    assert_eq!(claim.frequency.map(|f| f.to_string()).as_deref(), Some("7"));
    assert_eq!(claim.replaces.as_deref(), Some("C-0"));
    assert_eq!(claim.prior_authorization.as_deref(), Some("PA-42"));
    let diagnoses: Vec<String> = claim.diagnoses.iter().map(|d| d.to_string()).collect();
    assert_eq!(diagnoses, ["S32.401A", "I71.2"]);
    assert_eq!(claim.report, None, "an 837 carries no report");
    let [first, second] = &claim.lines[..] else {
        panic!("{:?}", claim.lines)
    };
    assert_eq!(
        (first.number, first.code.to_string(), first.units),
        (1, "74177".to_owned(), 1)
    );
    assert_eq!(
        first
            .modifiers
            .iter()
            .map(|m| m.to_string())
            .collect::<Vec<_>>(),
        ["26"]
    );
    assert_eq!(
        first.place_of_service.map(|p| p.to_string()).as_deref(),
        Some("22")
    );
    assert_eq!(first.diagnosis_pointers, [1, 2]);
    assert_eq!(first.date.to_string(), "2026-03-02");
    assert_eq!(first.rendering, None);
    assert_eq!(
        second
            .modifiers
            .iter()
            .map(|m| m.to_string())
            .collect::<Vec<_>>(),
        ["26", "XS"]
    );
    assert_eq!(second.units, 2);
    assert_eq!(
        second.date.to_string(),
        "2026-03-03",
        "RD8: the first day of the range"
    );
    assert_eq!(second.place_of_service, None);
    assert_eq!(
        second.rendering.map(|r| r.npi.to_string()).as_deref(),
        Some("1245319599")
    );
}

#[test]
fn a_dependent_without_an_id_of_their_own_gets_one_per_dependent() {
    let dependent = |first: &str, born: &str| {
        let body = format!(
            "{}HL*2*1*22*1~\nSBR*P*01*******CI~\nNM1*IL*1*DOE*JOHN****MI*SUB1~\nNM1*PR*2*PAYER*****PI*00882~\nHL*3*2*23*0~\nPAT*19~\nNM1*QC*1*DOE*{first}~\nN3*1 MAIN~\nN4*TOWN*IL*62701~\nDMG*D8*{born}*M~\n{}",
            billing("1234567893"),
            claim("C-2", "11:B:1", "", "HI*ABK:S32401A~\n", &line(1, "HC:76377*1*UN*1***1", "D8*20260302"))
        );
        one_claim(&interchange(PROFESSIONAL, &body)).patient
    };
    let tom = dependent("TOM", "20120101");
    assert_eq!(tom, dependent("Tom", "20120101"), "stable across spellings");
    assert_ne!(tom, dependent("TIM", "20120101"), "twins differ");
    assert_ne!(tom, dependent("TOM", "20140101"));
    assert!(tom.starts_with("SUB1/"), "{tom}");
}

#[test]
fn values_are_checked_with_coordinates_and_codes_are_shown() {
    let with_line = |sv1: &str, hi: &str| {
        let body = format!(
            "{}{}{}",
            billing("1234567893"),
            subscriber(2, "M1", "", "00882"),
            claim("C-3", "11:B:1", "", hi, &line(1, sv1, "D8*20260302"))
        );
        one_rejection(&interchange(PROFESSIONAL, &body))
    };
    let dx = "HI*ABK:S32401A~\n";
    let cases = [
        (
            "HC:7637*1*UN*1***1",
            dx,
            (ErrorKind::InvalidValue, Some(2), Some("7637")),
        ),
        (
            "HC:76377:2X6*1*UN*1***1",
            dx,
            (ErrorKind::InvalidValue, Some(3), Some("2X6")),
        ),
        (
            "ER:76377*1*UN*1***1",
            dx,
            (ErrorKind::Unsupported, Some(1), Some("ER")),
        ),
        (
            "HC:76377*1*UN*0***1",
            dx,
            (ErrorKind::InvalidValue, None, Some("0")),
        ),
        (
            "HC:76377*1*UN*1.5***1",
            dx,
            (ErrorKind::InvalidValue, None, Some("1.5")),
        ),
        (
            "HC:76377*1*MJ*30***1",
            dx,
            (ErrorKind::Unsupported, None, Some("MJ")),
        ),
        (
            "HC:76377*1*UN*1*9X**1",
            dx,
            (ErrorKind::InvalidValue, None, Some("9X")),
        ),
        (
            "HC:76377*1*UN*1***13",
            dx,
            (ErrorKind::InvalidValue, Some(1), Some("13")),
        ),
        (
            "HC:76377*1*UN*1***1:2",
            dx,
            (ErrorKind::InvalidValue, Some(2), Some("2")),
        ),
        (
            "HC:76377*1*UN*1***1",
            "HI*BK:8901~\n",
            (ErrorKind::Unsupported, Some(1), Some("BK")),
        ),
    ];
    for (sv1, hi, (kind, component, value)) in cases {
        let error = with_line(sv1, hi);
        assert_eq!(
            (error.kind, error.at.component, error.at.value.as_deref()),
            (kind, component, value),
            "{sv1} {hi}: {error}"
        );
        assert_eq!(error.at.claim.as_deref(), Some("C-3"));
        assert_eq!(error.at.transaction.as_deref(), Some("0001"));
        assert!(
            error.at.segment.is_some() && error.at.loop_id.is_some(),
            "{error}"
        );
        if let Some(value) = value {
            assert!(error.to_string().contains(&format!("`{value}`")), "{error}");
        }
    }
}

#[test]
fn patient_data_is_withheld_from_messages() {
    let dmg = "DMG*D8*19619931*F~\n";
    let body = format!(
        "{}{}{}",
        billing("1234567893"),
        subscriber(2, "M1", dmg, "00882"),
        claim(
            "C-4",
            "11:B:1",
            "",
            "HI*ABK:S32401A~\n",
            &line(1, "HC:76377*1*UN*1***1", "D8*20260302")
        )
    );
    let error = one_rejection(&interchange(PROFESSIONAL, &body));
    assert_eq!(
        place(&error),
        (
            ErrorKind::InvalidValue,
            Some("DMG"),
            Some(2),
            None,
            Some("2010BA")
        )
    );
    assert_eq!(error.at.value, None);
    assert!(!error.to_string().contains("19619931"), "{error}");
    assert!(error.to_string().contains("(value withheld)"), "{error}");

    let body = format!(
        "{}{}{}",
        billing("1234567890"),
        subscriber(2, "M1", "", "00882"),
        claim(
            "C-5",
            "11:B:1",
            "",
            "HI*ABK:S32401A~\n",
            &line(1, "HC:76377*1*UN*1***1", "D8*20260230")
        )
    );
    let error = one_rejection(&interchange(PROFESSIONAL, &body));
    assert_eq!(
        place(&error),
        (
            ErrorKind::InvalidValue,
            Some("NM1"),
            Some(9),
            None,
            Some("2010AA")
        )
    );
    assert!(!error.to_string().contains("1234567890"), "{error}");
    let body = format!(
        "{}{}{}",
        billing("1234567893"),
        subscriber(2, "M1", "", "00882"),
        claim(
            "C-6",
            "11:B:1",
            "",
            "HI*ABK:Z99999999~\n",
            &line(1, "HC:76377*1*UN*1***1", "D8*20260230")
        )
    );
    let error = one_rejection(&interchange(PROFESSIONAL, &body));
    assert!(
        !error.to_string().contains("Z9999"),
        "diagnoses are withheld: {error}"
    );
}

#[test]
fn structure_is_reported_before_values() {
    // A bad NPI (value) and a missing CLM05 (structure) on one claim: the structure first.
    let body = format!(
        "{}{}CLM*C-7*150****Y*A*Y*Y~\nHI*ABK:S32401A~\n{}",
        billing("1234567890"),
        subscriber(2, "M1", "", "00882"),
        line(1, "HC:76377*1*UN*1***1", "D8*20260302")
    );
    let error = one_rejection(&interchange(PROFESSIONAL, &body));
    assert_eq!(
        place(&error),
        (
            ErrorKind::MissingElement,
            Some("CLM"),
            Some(5),
            None,
            Some("2300")
        )
    );
}

#[test]
fn a_replacement_needs_the_claim_it_replaces() {
    let body = format!(
        "{}{}{}",
        billing("1234567893"),
        subscriber(2, "M1", "", "00882"),
        claim(
            "C-8",
            "11:B:7",
            "",
            "HI*ABK:S32401A~\n",
            &line(1, "HC:76377*1*UN*1***1", "D8*20260302")
        )
    );
    let error = one_rejection(&interchange(PROFESSIONAL, &body));
    assert_eq!(
        place(&error),
        (
            ErrorKind::InvalidValue,
            Some("CLM"),
            Some(5),
            Some(3),
            Some("2300")
        )
    );
    // A frequency-1 claim ignores REF*F8; a replacement of itself is refused at REF02.
    let body = format!(
        "{}{}{}",
        billing("1234567893"),
        subscriber(2, "M1", "", "00882"),
        claim(
            "C-9",
            "11:B:8",
            "REF*F8*C-9~\n",
            "HI*ABK:S32401A~\n",
            &line(1, "HC:76377*1*UN*1***1", "D8*20260302")
        )
    );
    let error = one_rejection(&interchange(PROFESSIONAL, &body));
    assert_eq!(
        place(&error),
        (
            ErrorKind::InvalidValue,
            Some("REF"),
            Some(2),
            None,
            Some("2300")
        )
    );
}

#[test]
fn payers_are_mapped_to_packs() {
    let mut payers = PayerMap::new();
    payers.insert("00882", "medicare");
    let records = records_with(&simple("C-10"), &payers);
    match &records[..] {
        [Record::Claim(read)] => {
            assert_eq!(read.claim.payer, "medicare");
            let at = read.payer_coordinates();
            assert_eq!(
                (at.segment_id.as_deref(), at.element, at.loop_id),
                (Some("NM1"), Some(9), Some("2010BB"))
            );
            assert_eq!(at.value.as_deref(), Some("00882"));
        }
        other => panic!("{other:?}"),
    }
    let mut other = PayerMap::new();
    other.insert("99999", "medicare");
    match &records_with(&simple("C-11"), &other)[..] {
        [Record::Rejected(rejected)] => {
            assert_eq!(
                place(&rejected.error),
                (
                    ErrorKind::InvalidValue,
                    Some("NM1"),
                    Some(9),
                    None,
                    Some("2010BB")
                )
            );
            assert!(
                rejected
                    .error
                    .problem
                    .contains("`00882` is not in the payer map"),
                "{}",
                rejected.error
            );
        }
        other => panic!("{other:?}"),
    }
}

fn facility(tob: &str, lines: &str) -> String {
    let body = format!(
        "{}{}CLM*F-1*500***{tob}:A:1**A*Y*Y~\nDTP*434*RD8*20260316-20260318~\nCL1*1*1*01~\nHI*ABK:S32401A*ABF:I712~\n{lines}",
        billing("1245319599"),
        subscriber(2, "M9", "DMG***U~\n", "00882"),
    );
    interchange(INSTITUTIONAL, &body)
}

#[test]
fn an_institutional_claim_skips_revenue_code_only_lines() {
    let lines = "LX*1~\nSV2*0120**800*DA*2~\nLX*2~\nSV2*0350*HC:76377:TC*200*UN*1~\nDTP*472*D8*20260317~\nLX*3~\nSV2*0350*HC:74177*300*UN*1.00~\nNM1*82*1*REN*DER****XX*1987654328~\n";
    let input = facility("13", lines);
    match &records(&input)[..] {
        [Record::Claim(read)] => {
            let claim = &read.claim;
            assert_eq!(read.source.service_lines, 3, "three LX loops were read");
            assert_eq!(
                claim.lines.len(),
                2,
                "the room-and-board line (0120, no HCPCS) is not checked"
            );
            assert_eq!(claim.provider.role.as_str(), "facility");
            assert_eq!(
                claim.place_of_service.to_string(),
                "22",
                "type of bill 13x: outpatient hospital"
            );
            assert_eq!(
                claim.patient_sex.map(|s| s.to_string()).as_deref(),
                Some("U")
            );
            assert_eq!(claim.lines[0].number, 2);
            assert_eq!(
                claim.lines[0]
                    .modifiers
                    .iter()
                    .map(|m| m.to_string())
                    .collect::<Vec<_>>(),
                ["TC"]
            );
            assert_eq!(claim.lines[0].date.to_string(), "2026-03-17");
            assert_eq!(
                claim.lines[1].date.to_string(),
                "2026-03-16",
                "no DTP*472: the statement's first day"
            );
            assert!(
                claim.lines.iter().all(|l| l.diagnosis_pointers.is_empty()),
                "837I lines have no pointers"
            );
            assert_eq!(
                claim.lines[1]
                    .rendering
                    .map(|r| r.npi.to_string())
                    .as_deref(),
                Some("1987654328"),
                "2420C"
            );
            assert_eq!(claim.diagnoses.len(), 2);
        }
        other => panic!("{other:?}"),
    }
    let error = one_rejection(&facility("13", "LX*1~\nSV2*0120**800*DA*2~\n"));
    assert_eq!(
        place(&error),
        (
            ErrorKind::Unsupported,
            Some("CLM"),
            None,
            None,
            Some("2300")
        )
    );
    let error = one_rejection(&facility("99", "LX*1~\nSV2*0350*HC:76377*200*UN*1~\n"));
    assert_eq!(
        (error.kind, error.at.value.as_deref()),
        (ErrorKind::Unsupported, Some("99"))
    );
}

#[test]
fn line_breaks_and_delimiters_do_not_change_the_claims() {
    let plain = simple("C-12");
    let one_line = plain.replace('\n', "");
    let crlf = plain.replace('\n', "\r\n");
    let other = plain
        .replace('*', "|")
        .replace(':', ">")
        .replace('~', "\n")
        .replace("\n\n", "\n");
    let expected = one_claim(&plain);
    for input in [one_line, crlf, other] {
        assert_eq!(one_claim(&input), expected, "{input}");
    }
}
