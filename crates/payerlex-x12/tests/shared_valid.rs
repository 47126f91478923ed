//! Every valid 837 sample under /work/shared/data/{imsweb-x12-parser, linuxforhealth-x12,
//! stupidedi-x12} is read with the right number of claims and service lines, and each claim
//! reaches the mapping: the public samples were written for parsers, not for claim edits, so
//! each is refused for a content reason named below, never for its structure.
//!
//! Counts were taken from the files, not from this reader: claims = CLM segments and lines =
//! LX segments, counted with the file's own delimiters (ISA's 106th and 4th characters) as
//! `tr "$TERMINATOR" '\n' < FILE | grep -c "^[[:space:]]*CLM[$SEPARATOR]"` (and `LX` likewise).
//! The reasons were read off the files: NPIs that fail the Luhn check digit (the TR3 examples
//! use dummy NPIs such as 1234567890), ICD-9 qualifiers (BK), an EIN instead of an NPI
//! (4010 NM108 = 24), a taxonomy ending in Y, and files whose composites use `>` while their
//! ISA16 declares `:`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use payerlex_x12::{ErrorKind, Reader, Record};

fn shared(path: &str) -> Vec<u8> {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(path);
    std::fs::read(&full)
        .unwrap_or_else(|e| panic!("{}: {e} (the shared X12 data is required)", full.display()))
}

/// Why the claims of a sample are refused (the first problem of each claim).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Why {
    /// 2010AA NM109 fails the NPI check digit.
    BillingNpi,
    /// 2010AA NM108 is 24 (an EIN), not XX.
    NotAnNpi,
    /// HI01-1 is BK (ICD-9-CM).
    Icd9,
    /// 2000A PRV03 is not a NUCC taxonomy code.
    Taxonomy,
    /// CLM05 uses `>` where ISA16 declares `:`.
    ComponentSeparator,
    /// Two DTP segments on an 837I line (DTP*472 and DTP*304), where the guide allows one.
    TwoLineDates,
}

const IMSWEB: &str = "imsweb-x12-parser/837_5010/";
const LFH: &str = "linuxforhealth-x12/";
const STUPIDEDI_P: &str = "stupidedi-x12/X222A1_HC837_Health_Care_Claim_Professional/pass/";
const STUPIDEDI_I: &str = "stupidedi-x12/X223A2_HC837_Health_Care_Claim_Institutional/pass/";

/// (folder, file, claims, lines, why).
const SAMPLES: &[(&str, &str, usize, usize, Why)] = &[
    (IMSWEB, "x12_valid.txt", 2, 2, Why::BillingNpi),
    (IMSWEB, "x12_valid_different_separators.txt", 2, 2, Why::BillingNpi),
    (IMSWEB, "x12_complex.txt", 6, 10, Why::BillingNpi),
    (IMSWEB, "x12_multiple_isa.txt", 4, 4, Why::BillingNpi),
    (IMSWEB, "x12_multiple_gs.txt", 6, 6, Why::BillingNpi),
    (IMSWEB, "x12_multiple_st.txt", 4, 4, Why::BillingNpi),
    (IMSWEB, "x12_no_errors.txt", 2, 2, Why::BillingNpi),
    (IMSWEB, "x12_many_claims.txt", 820, 820, Why::BillingNpi),
    (IMSWEB, "x12_multiple_transactions.txt", 624, 624, Why::BillingNpi),
    (IMSWEB, "x12_writer_test.txt", 1, 1, Why::BillingNpi),
    (IMSWEB, "x223-test.txt", 1, 1, Why::TwoLineDates),
    (LFH, "837_004010X096A1/automobile-accident.837", 1, 4, Why::BillingNpi),
    (LFH, "837_004010X096A1/homeowners.837", 1, 3, Why::BillingNpi),
    (LFH, "837_004010X096A1/institutional-ppo-repriced.837", 1, 5, Why::BillingNpi),
    (LFH, "837_004010X096A1/institutional.837", 1, 2, Why::BillingNpi),
    (LFH, "837_004010X096A1/workers-compensation.837", 1, 3, Why::BillingNpi),
    (LFH, "837_004010X098A1/coordination-of-benefits.837", 1, 3, Why::NotAnNpi),
    (LFH, "837_004010X098A1/dependent-commercial-insurance-01.837", 1, 6, Why::BillingNpi),
    (LFH, "837_004010X098A1/dependent-commercial-insurance-02.837", 1, 4, Why::NotAnNpi),
    (LFH, "837_004010X098A1/dependent-commercial-insurance-03.837", 1, 2, Why::BillingNpi),
    (LFH, "837_004010X098A1/patient-is-dependent.837", 1, 4, Why::NotAnNpi),
    (LFH, "837_004010X098A1/patient-is-subscriber.837", 1, 4, Why::NotAnNpi),
    (LFH, "837_005010X222A2/demo.ambulance.example5.837", 1, 4, Why::BillingNpi),
    (LFH, "837_005010X222A2/demo.autoaccident.837", 1, 2, Why::BillingNpi),
    (LFH, "837_005010X222A2/demo.cob.2ndary.example4.837", 1, 1, Why::ComponentSeparator),
    (LFH, "837_005010X222A2/demo.cob.example3.A.837", 1, 3, Why::BillingNpi),
    (LFH, "837_005010X222A2/demo.cob.example3.B.837", 1, 3, Why::BillingNpi),
    (LFH, "837_005010X222A2/demo.cob.example3.C.837", 1, 3, Why::BillingNpi),
    (LFH, "837_005010X222A2/demo.cob.example4.837", 1, 1, Why::BillingNpi),
    (LFH, "837_005010X222A2/demo.drug.example10.1.837", 1, 2, Why::Icd9),
    (LFH, "837_005010X222A2/demo.drug.example10.2.837", 1, 6, Why::Icd9),
    (LFH, "837_005010X222A2/demo.drug.example10.3.837", 1, 6, Why::Icd9),
    (LFH, "837_005010X222A2/demo.example1.837", 1, 4, Why::Taxonomy),
    (LFH, "837_005010X222A2/demo.example11.837", 1, 2, Why::ComponentSeparator),
    (LFH, "837_005010X222A2/demo.example12.837", 1, 1, Why::ComponentSeparator),
    (LFH, "837_005010X222A2/demo.example2.837", 1, 4, Why::BillingNpi),
    (LFH, "837_005010X222A2/demo.example6.837", 1, 1, Why::ComponentSeparator),
    (LFH, "837_005010X222A2/demo.example7.837", 1, 2, Why::BillingNpi),
    (LFH, "837_005010X222A2/demo.example8.837", 1, 1, Why::Icd9),
    (LFH, "837_005010X222A2/demo.example9.837", 1, 1, Why::ComponentSeparator),
    (LFH, "837_005010X223A3/institutional-claim.837i", 1, 2, Why::BillingNpi),
    (LFH, "837_005010X223A3/out-of-network-repriced-claim.837i", 1, 1, Why::ComponentSeparator),
    (LFH, "837_005010X223A3/ppo-repriced-claim.837i", 1, 2, Why::ComponentSeparator),
    (LFH, "837_005010X223A3/two-claims-single-provider.837i", 2, 3, Why::BillingNpi),
    (STUPIDEDI_P, "COB-claim-from-billing-provider-to-payer-a.edi", 1, 3, Why::BillingNpi),
    (STUPIDEDI_P, "COB-claim-from-billing-provider-to-payer-b.edi", 1, 3, Why::BillingNpi),
    (STUPIDEDI_P, "COB-claim-from-payer-a-to-payer-b-in-payer-to-payer.edi", 1, 3, Why::BillingNpi),
    (STUPIDEDI_P, "ambulance.edi", 1, 4, Why::BillingNpi),
    (STUPIDEDI_P, "anesthesia.edi", 1, 1, Why::BillingNpi),
    (STUPIDEDI_P, "chiropractic.edi", 1, 1, Why::BillingNpi),
    (STUPIDEDI_P, "commercial-health-insurance.edi", 1, 4, Why::BillingNpi),
    (STUPIDEDI_P, "drug-administered-in-the-physician-office.edi", 1, 2, Why::Icd9),
    (STUPIDEDI_P, "encounter.edi", 1, 4, Why::BillingNpi),
    (STUPIDEDI_P, "home-infusion-therapy-pharmacy-adjudicated-with-HCPCS-in-loop-2400-or-NDC-in-loop-2410.edi", 1, 6, Why::Icd9),
    (STUPIDEDI_P, "home-infusion-therapy-pharmacy-adjudicated-with-NDC-in-loop-2410.edi", 1, 6, Why::Icd9),
    (STUPIDEDI_P, "medicare-secondary-payer-COB.edi", 1, 1, Why::BillingNpi),
    (STUPIDEDI_P, "out-of-network-repriced-claim.edi", 1, 1, Why::Icd9),
    (STUPIDEDI_P, "oxygen.edi", 1, 2, Why::BillingNpi),
    (STUPIDEDI_P, "ppo-repriced-claim.edi", 1, 2, Why::BillingNpi),
    (STUPIDEDI_P, "wheelchair.edi", 1, 1, Why::Icd9),
    (STUPIDEDI_I, "837-institutional-claim.edi", 1, 2, Why::BillingNpi),
    (STUPIDEDI_I, "automobile-accident.edi", 1, 4, Why::BillingNpi),
    (STUPIDEDI_I, "out-of-network-repriced-claim.edi", 1, 1, Why::Icd9),
    (STUPIDEDI_I, "ppo-repriced-claim.edi", 1, 2, Why::BillingNpi),
    (STUPIDEDI_I, "two-claims-for-the-same-provider.edi", 2, 3, Why::BillingNpi),
];

fn why(error: &payerlex_x12::X12Error) -> Option<Why> {
    let at = &error.at;
    let place = (
        at.segment_id.as_deref(),
        at.element,
        at.component,
        at.loop_id,
    );
    match (error.kind, place) {
        (ErrorKind::InvalidValue, (Some("NM1"), Some(9), None, Some("2010AA"))) => {
            Some(Why::BillingNpi)
        }
        (ErrorKind::Unsupported, (Some("NM1"), Some(8), None, Some("2010AA"))) => {
            Some(Why::NotAnNpi)
        }
        (ErrorKind::Unsupported, (Some("HI"), Some(1), Some(1), Some("2300"))) => Some(Why::Icd9),
        (ErrorKind::InvalidValue, (Some("PRV"), Some(3), None, Some("2000A"))) => {
            Some(Why::Taxonomy)
        }
        (ErrorKind::MissingElement, (Some("CLM"), Some(5), Some(3), Some("2300")))
            if error.problem.contains("holds `>`") =>
        {
            Some(Why::ComponentSeparator)
        }
        (ErrorKind::SegmentRepeated, (Some("DTP"), None, None, Some("2400"))) => {
            Some(Why::TwoLineDates)
        }
        _ => None,
    }
}

#[test]
#[cfg_attr(
    x12_data_absent,
    ignore = "needs ../shared/data/{imsweb-x12-parser,linuxforhealth-x12,stupidedi-x12}"
)]
fn every_valid_sample_yields_its_claims_and_lines() {
    for &(folder, file, claims, lines, expected) in SAMPLES {
        let input = shared(&format!("{folder}{file}"));
        let mut seen_claims = 0;
        let mut seen_lines = 0;
        for record in Reader::new(&input).unwrap_or_else(|e| panic!("{file}: {e}")) {
            match record {
                Record::Rejected(rejected) => {
                    seen_claims += 1;
                    seen_lines += rejected.source.service_lines;
                    assert!(rejected.source.claim_id.is_some(), "{file}: CLM01 is read");
                    assert_eq!(
                        why(&rejected.error),
                        Some(expected),
                        "{file}: {}",
                        rejected.error
                    );
                    assert!(
                        rejected.error.at.claim.is_some(),
                        "{file}: the error names its claim"
                    );
                    assert!(
                        rejected.error.at.transaction.is_some(),
                        "{file}: and its transaction set"
                    );
                }
                other => panic!("{file}: {other:?}"),
            }
        }
        assert_eq!((seen_claims, seen_lines), (claims, lines), "{file}");
    }
}

#[test]
#[cfg_attr(
    x12_data_absent,
    ignore = "needs ../shared/data/{imsweb-x12-parser,linuxforhealth-x12,stupidedi-x12}"
)]
fn envelopes_with_several_interchanges_groups_and_sets_name_each_claim_s_origin() {
    let input = shared(&format!("{IMSWEB}x12_multiple_gs.txt"));
    // Three GS groups (each GS06 = 1, ST02 = 987654, as the file has them), two claims each.
    let origins: Vec<(std::sync::Arc<str>, std::sync::Arc<str>, usize, String)> =
        Reader::new(&input)
            .unwrap()
            .map(|record| match record {
                Record::Rejected(r) => (
                    r.source.group,
                    r.source.transaction,
                    r.source.offset,
                    r.source.claim_id.unwrap(),
                ),
                other => panic!("{other:?}"),
            })
            .collect();
    assert_eq!(origins.len(), 6);
    assert!(origins
        .iter()
        .all(|(g, t, _, _)| &**g == "1" && &**t == "987654"));
    assert!(origins.windows(2).all(|w| w[0].2 < w[1].2), "in file order");
    assert_eq!(origins[0].3, "A37YH556");
    assert_eq!(origins[5].3, "A37YH667");
    // The separators differ, the claims do not.
    let plain = shared(&format!("{IMSWEB}x12_valid.txt"));
    let other = shared(&format!("{IMSWEB}x12_valid_different_separators.txt"));
    let ids = |input: &[u8]| -> Vec<(Option<String>, u32, usize)> {
        Reader::new(input)
            .unwrap()
            .map(|record| match record {
                Record::Rejected(r) => {
                    (r.source.claim_id, r.source.segment, r.source.service_lines)
                }
                other => panic!("{other:?}"),
            })
            .collect()
    };
    assert_eq!(ids(&plain), ids(&other));
    // ST = 1, ..., the second CLM is the 29th segment (counted in the file).
    assert_eq!(ids(&plain)[1], (Some("A37YH667".to_owned()), 29, 1));
}
