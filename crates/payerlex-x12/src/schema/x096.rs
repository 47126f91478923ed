//! 837 Institutional, 4010 (004010X096A1): loop tree. Read for structure only: 4010 claims
//! carry ICD-9 diagnoses, which the mapping refuses with a clear error. The payer is 2010BC
//! here (2010BB is the credit card holder), and there is no rendering provider loop.

use super::{child, opt, opt_n, req, req_n, LoopDef, Role, Scope, MANY};

pub(crate) static ROOT: LoopDef = LoopDef {
    id: "",
    role: Role::Other,
    scope: Scope::Transaction,
    slots: &[req("BHT"), req("REF")],
    children: &[
        child("NM1", 1, &["41"], &L1000A, true, 1),
        child("NM1", 1, &["40"], &L1000B, true, 1),
        child("HL", 3, &["20"], &L2000A, true, MANY),
    ],
};

static L1000A: LoopDef = LoopDef {
    id: "1000A",
    role: Role::Other,
    scope: Scope::Transaction,
    slots: &[req("NM1"), req_n("PER", 2)],
    children: &[],
};

static L1000B: LoopDef = LoopDef {
    id: "1000B",
    role: Role::Other,
    scope: Scope::Transaction,
    slots: &[req("NM1")],
    children: &[],
};

static L2000A: LoopDef = LoopDef {
    id: "2000A",
    role: Role::BillingLevel,
    scope: Scope::Billing,
    slots: &[req("HL"), opt("PRV"), opt("CUR")],
    children: &[
        child("NM1", 1, &["85"], &L2010AA, true, 1),
        child("NM1", 1, &["87"], &L2010AB, false, 1),
        child("HL", 3, &["22"], &L2000B, true, MANY),
    ],
};

static L2010AA: LoopDef = LoopDef {
    id: "2010AA",
    role: Role::BillingName,
    scope: Scope::Billing,
    slots: &[
        req("NM1"),
        req("N3"),
        req("N4"),
        opt_n("REF", 16),
        opt_n("PER", 2),
    ],
    children: &[],
};

static L2010AB: LoopDef = LoopDef {
    id: "2010AB",
    role: Role::Other,
    scope: Scope::Billing,
    slots: &[req("NM1"), req("N3"), req("N4"), opt_n("REF", 5)],
    children: &[],
};

static L2000B: LoopDef = LoopDef {
    id: "2000B",
    role: Role::SubscriberLevel,
    scope: Scope::Subscriber,
    slots: &[req("HL"), req("SBR")],
    children: &[
        child("NM1", 1, &["IL"], &L2010BA, true, 1),
        child("NM1", 1, &["AO"], &L2010BB, false, 1),
        child("NM1", 1, &["PR"], &L2010BC, true, 1),
        child("NM1", 1, &["QD"], &L2010BD, false, 1),
        child("CLM", 0, &[], &L2300, false, 100),
        child("HL", 3, &["23"], &L2000C, false, MANY),
    ],
};

static L2010BA: LoopDef = LoopDef {
    id: "2010BA",
    role: Role::SubscriberName,
    scope: Scope::Subscriber,
    slots: &[
        req("NM1"),
        opt("N3"),
        opt("N4"),
        opt("DMG"),
        opt_n("REF", 5),
    ],
    children: &[],
};

static L2010BB: LoopDef = LoopDef {
    id: "2010BB",
    role: Role::Other,
    scope: Scope::Subscriber,
    slots: &[req("NM1"), opt_n("REF", 2)],
    children: &[],
};

static L2010BC: LoopDef = LoopDef {
    id: "2010BC",
    role: Role::PayerName,
    scope: Scope::Subscriber,
    slots: &[req("NM1"), opt("N3"), opt("N4"), opt_n("REF", 3)],
    children: &[],
};

static L2010BD: LoopDef = LoopDef {
    id: "2010BD",
    role: Role::Other,
    scope: Scope::Subscriber,
    slots: &[req("NM1"), req("N3"), req("N4")],
    children: &[],
};

static L2000C: LoopDef = LoopDef {
    id: "2000C",
    role: Role::PatientLevel,
    scope: Scope::Patient,
    slots: &[req("HL"), req("PAT")],
    children: &[
        child("NM1", 1, &["QC"], &L2010CA, true, 1),
        child("CLM", 0, &[], &L2300, true, 100),
    ],
};

static L2010CA: LoopDef = LoopDef {
    id: "2010CA",
    role: Role::PatientName,
    scope: Scope::Patient,
    slots: &[
        req("NM1"),
        req("N3"),
        req("N4"),
        req("DMG"),
        opt_n("REF", 6),
    ],
    children: &[],
};

static L2300: LoopDef = LoopDef {
    id: "2300",
    role: Role::Claim,
    scope: Scope::Claim,
    slots: &[
        req("CLM"),
        req_n("DTP", 3),
        opt("CL1"),
        opt_n("PWK", 10),
        opt("CN1"),
        opt_n("AMT", 4),
        opt_n("REF", 13),
        opt_n("K3", 10),
        opt_n("NTE", 11),
        opt("CR6"),
        opt_n("CRC", 8),
        opt_n("HI", 17),
        opt_n("QTY", 4),
        opt("HCP"),
    ],
    children: &[
        child("CR7", 0, &[], &L2305, false, 6),
        child("NM1", 1, &["71"], &L2310A, false, 1),
        child("NM1", 1, &["72"], &L2310B, false, 1),
        child("NM1", 1, &["73"], &L2310C, false, 1),
        child("NM1", 1, &["FA"], &L2310E, false, 1),
        child("SBR", 0, &[], &L2320, false, 10),
        child("LX", 0, &[], &L2400, true, 999),
    ],
};

static L2305: LoopDef = plain!("2305", [req("CR7"), opt_n("HSD", 12)]);
static L2310A: LoopDef = plain!("2310A", [req("NM1"), opt("PRV"), opt_n("REF", 5)]);
static L2310B: LoopDef = plain!("2310B", [req("NM1"), opt("PRV"), opt_n("REF", 5)]);
static L2310C: LoopDef = plain!("2310C", [req("NM1"), opt("PRV"), opt_n("REF", 5)]);
static L2310E: LoopDef = plain!(
    "2310E",
    [
        req("NM1"),
        opt("PRV"),
        req("N3"),
        req("N4"),
        opt_n("REF", 5)
    ]
);

static L2320: LoopDef = LoopDef {
    id: "2320",
    role: Role::Other,
    scope: Scope::Claim,
    slots: &[
        req("SBR"),
        opt_n("CAS", 5),
        opt_n("AMT", 11),
        opt("DMG"),
        req("OI"),
        opt("MIA"),
        opt("MOA"),
    ],
    children: &[
        child("NM1", 1, &["IL"], &L2330A, true, 1),
        child("NM1", 1, &["PR"], &L2330B, true, 1),
        child("NM1", 1, &["QC"], &L2330C, false, 1),
        child("NM1", 1, &["71"], &L2330D, false, 1),
        child("NM1", 1, &["72"], &L2330E, false, 1),
        child("NM1", 1, &["73"], &L2330F, false, 1),
        child("NM1", 1, &["FA"], &L2330H, false, 1),
    ],
};

static L2330A: LoopDef = plain!("2330A", [req("NM1"), opt("N3"), opt("N4"), opt_n("REF", 3)]);
static L2330B: LoopDef = plain!(
    "2330B",
    [
        req("NM1"),
        opt("N3"),
        opt("N4"),
        opt("DTP"),
        opt_n("REF", 2)
    ]
);
static L2330C: LoopDef = plain!("2330C", [req("NM1"), opt_n("REF", 3)]);
static L2330D: LoopDef = plain!("2330D", [req("NM1"), req_n("REF", 3)]);
static L2330E: LoopDef = plain!("2330E", [req("NM1"), req_n("REF", 3)]);
static L2330F: LoopDef = plain!("2330F", [req("NM1"), req_n("REF", 3)]);
static L2330H: LoopDef = plain!("2330H", [req("NM1"), req_n("REF", 3)]);

static L2400: LoopDef = LoopDef {
    id: "2400",
    role: Role::Line,
    scope: Scope::Claim,
    slots: &[
        req("LX"),
        req("SV2"),
        opt_n("PWK", 5),
        opt_n("DTP", 2),
        opt_n("AMT", 2),
        opt("HCP"),
    ],
    children: &[
        child("LIN", 0, &[], &L2410, false, 25),
        child("NM1", 1, &["71"], &L2420A, false, 1),
        child("NM1", 1, &["72"], &L2420B, false, 1),
        child("NM1", 1, &["73"], &L2420C, false, 1),
        child("SVD", 0, &[], &L2430, false, 25),
    ],
};

static L2410: LoopDef = plain!("2410", [req("LIN"), opt("CTP"), opt("REF")]);
static L2420A: LoopDef = plain!("2420A", [req("NM1"), opt("PRV"), opt("REF")]);
static L2420B: LoopDef = plain!("2420B", [req("NM1"), opt("PRV"), opt("REF")]);
static L2420C: LoopDef = plain!("2420C", [req("NM1"), opt("PRV"), opt("REF")]);
static L2430: LoopDef = plain!("2430", [req("SVD"), opt_n("CAS", 99), opt("DTP")]);
