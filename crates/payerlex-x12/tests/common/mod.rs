//! Small 837 interchanges written inline, for the mapping and envelope tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use payerlex::Claim;
use payerlex_x12::{PayerMap, Reader, Record, X12Error};

pub const PROFESSIONAL: &str = "005010X222A1";
pub const INSTITUTIONAL: &str = "005010X223A2";

pub const ISA: &str = "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *260320*1200*^*00501*000000001*0*T*:~";

/// ST ... SE around `body` (which starts at the first HL), in one GS and one ISA.
pub fn interchange(implementation: &str, body: &str) -> String {
    format!(
        "{ISA}\nGS*HC*S*R*20260320*1200*1*X*{implementation}~\n{}GE*1*1~\nIEA*1*000000001~\n",
        transaction("0001", implementation, body)
    )
}

/// One transaction set.
pub fn transaction(control: &str, implementation: &str, body: &str) -> String {
    format!(
        "ST*837*{control}*{implementation}~\nBHT*0019*00*1*20260320*1200*CH~\nNM1*41*2*SUBMITTER*****46*S1~\nPER*IC*OFFICE*TE*5555550100~\nNM1*40*2*RECEIVER*****46*R1~\n{body}SE*99*{control}~\n"
    )
}

/// 2000A/2010AA with an NPI (HL 1).
pub fn billing(npi: &str) -> String {
    format!("HL*1**20*1~\nNM1*85*2*IMAGING*****XX*{npi}~\nN3*1 MAIN~\nN4*TOWN*IL*62701~\nREF*EI*123456789~\n")
}

/// 2000B/2010BA/2010BB for a subscriber who is the patient (HL `hl` under HL 1).
pub fn subscriber(hl: u32, member: &str, dmg: &str, payer: &str) -> String {
    format!(
        "HL*{hl}*1*22*0~\nSBR*P*18*******MB~\nNM1*IL*1*DOE*JANE****MI*{member}~\n{dmg}NM1*PR*2*PAYER*****PI*{payer}~\n"
    )
}

/// A professional claim (2300) with `lines` (2400 segments) after HI.
pub fn claim(id: &str, clm05: &str, between: &str, hi: &str, lines: &str) -> String {
    format!("CLM*{id}*150***{clm05}*Y*A*Y*Y~\n{between}{hi}{lines}")
}

/// One 837P line.
pub fn line(number: u32, sv1: &str, date: &str) -> String {
    format!("LX*{number}~\nSV1*{sv1}~\nDTP*472*{date}~\n")
}

/// A whole professional interchange with one claim of two lines.
pub fn simple(id: &str) -> String {
    let body = format!(
        "{}{}{}",
        billing("1234567893"),
        subscriber(2, "M1", "DMG*D8*19700101*F~\n", "00882"),
        claim(
            id,
            "11:B:1",
            "",
            "HI*ABK:S32401A~\n",
            &format!(
                "{}{}",
                line(1, "HC:74177*100*UN*1***1", "D8*20260302"),
                line(2, "HC:76377*100*UN*1***1", "D8*20260302")
            )
        )
    );
    interchange(PROFESSIONAL, &body)
}

/// Every record of an input.
pub fn records(input: &str) -> Vec<Record> {
    Reader::new(input.as_bytes()).unwrap().collect()
}

/// Every record, with a payer map.
pub fn records_with(input: &str, payers: &PayerMap) -> Vec<Record> {
    Reader::new(input.as_bytes())
        .unwrap()
        .with_payer_map(payers)
        .collect()
}

/// The one claim of an input.
pub fn one_claim(input: &str) -> Claim {
    let records = records(input);
    assert_eq!(records.len(), 1, "{records:?}");
    match records.into_iter().next() {
        Some(Record::Claim(read)) => read.claim,
        other => panic!("{other:?}"),
    }
}

/// The error of the one (rejected) claim of an input.
pub fn one_rejection(input: &str) -> X12Error {
    let records = records(input);
    assert_eq!(records.len(), 1, "{records:?}");
    match records.into_iter().next() {
        Some(Record::Rejected(rejected)) => rejected.error,
        other => panic!("{other:?}"),
    }
}
