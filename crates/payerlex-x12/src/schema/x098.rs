//! 837 Professional, 4010 (004010X098A1): loop tree. Read for structure only: 4010 claims
//! carry ICD-9 diagnoses, which the mapping refuses with a clear error.

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
    slots: &[req("HL"), req("SBR"), opt("PAT")],
    children: &[
        child("NM1", 1, &["IL"], &L2010BA, true, 1),
        child("NM1", 1, &["PR"], &L2010BB, true, 1),
        child("NM1", 1, &["QD"], &L2010BC, false, 1),
        child("NM1", 1, &["AO"], &L2010BD, false, 1),
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
    role: Role::PayerName,
    scope: Scope::Subscriber,
    slots: &[req("NM1"), opt("N3"), opt("N4"), opt_n("REF", 3)],
    children: &[],
};

static L2010BC: LoopDef = LoopDef {
    id: "2010BC",
    role: Role::Other,
    scope: Scope::Subscriber,
    slots: &[req("NM1"), req("N3"), req("N4")],
    children: &[],
};

static L2010BD: LoopDef = LoopDef {
    id: "2010BD",
    role: Role::Other,
    scope: Scope::Subscriber,
    slots: &[req("NM1"), opt_n("REF", 2)],
    children: &[],
};

static L2000C: LoopDef = LoopDef {
    id: "2000C",
    role: Role::PatientLevel,
    scope: Scope::Patient,
    slots: &[req("HL"), req("PAT")],
    children: &[
        child("NM1", 1, &["QC"], &L2010CA, true, 1),
        child("CLM", 0, &[], &L2300, false, 100),
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
        opt_n("DTP", 47),
        opt_n("PWK", 10),
        opt("CN1"),
        opt_n("AMT", 3),
        opt_n("REF", 19),
        opt_n("K3", 10),
        opt("NTE"),
        opt("CR1"),
        opt("CR2"),
        opt_n("CRC", 8),
        opt("HI"),
        opt("HCP"),
    ],
    children: &[
        child("CR7", 0, &[], &L2305, false, 6),
        child("NM1", 1, &["DN", "P3"], &L2310A, false, 2),
        child("NM1", 1, &["82"], &L2310B, false, 1),
        child("NM1", 1, &["QB"], &L2310C, false, 1),
        child("NM1", 1, &["77", "FA", "LI", "TL"], &L2310D, false, 1),
        child("NM1", 1, &["DQ"], &L2310E, false, 1),
        child("SBR", 0, &[], &L2320, false, 10),
        child("LX", 0, &[], &L2400, true, 50),
    ],
};

static L2305: LoopDef = plain!("2305", [req("CR7"), opt_n("HSD", 3)]);
static L2310A: LoopDef = plain!("2310A", [req("NM1"), opt("PRV"), opt_n("REF", 5)]);
static L2310B: LoopDef = LoopDef {
    id: "2310B",
    role: Role::ClaimRendering,
    scope: Scope::Claim,
    slots: &[req("NM1"), opt("PRV"), opt_n("REF", 5)],
    children: &[],
};
static L2310C: LoopDef = plain!("2310C", [req("NM1"), opt_n("REF", 5)]);
static L2310D: LoopDef = plain!("2310D", [req("NM1"), req("N3"), req("N4"), opt_n("REF", 5)]);
static L2310E: LoopDef = plain!("2310E", [req("NM1"), opt_n("REF", 5)]);

static L2320: LoopDef = LoopDef {
    id: "2320",
    role: Role::Other,
    scope: Scope::Claim,
    slots: &[
        req("SBR"),
        opt_n("CAS", 5),
        opt_n("AMT", 10),
        opt("DMG"),
        req("OI"),
        opt("MOA"),
    ],
    children: &[
        child("NM1", 1, &["IL"], &L2330A, true, 1),
        child("NM1", 1, &["PR"], &L2330B, true, 1),
        child("NM1", 1, &["QC"], &L2330C, false, 1),
        child("NM1", 1, &["DN", "P3"], &L2330D, false, 2),
        child("NM1", 1, &["82"], &L2330E, false, 1),
        child("NM1", 1, &["QB"], &L2330F, false, 1),
        child("NM1", 1, &["77", "FA", "LI", "TL"], &L2330G, false, 1),
        child("NM1", 1, &["DQ"], &L2330H, false, 1),
    ],
};

static L2330A: LoopDef = plain!("2330A", [req("NM1"), opt("N3"), opt("N4"), opt_n("REF", 3)]);
static L2330B: LoopDef = plain!(
    "2330B",
    [req("NM1"), opt_n("PER", 2), opt("DTP"), opt_n("REF", 6)]
);
static L2330C: LoopDef = plain!("2330C", [req("NM1"), opt_n("REF", 3)]);
static L2330D: LoopDef = plain!("2330D", [req("NM1"), req_n("REF", 3)]);
static L2330E: LoopDef = plain!("2330E", [req("NM1"), req_n("REF", 3)]);
static L2330F: LoopDef = plain!("2330F", [req("NM1"), req_n("REF", 3)]);
static L2330G: LoopDef = plain!("2330G", [req("NM1"), req_n("REF", 3)]);
static L2330H: LoopDef = plain!("2330H", [req("NM1"), req_n("REF", 3)]);

static L2400: LoopDef = LoopDef {
    id: "2400",
    role: Role::Line,
    scope: Scope::Claim,
    slots: &[
        req("LX"),
        req("SV1"),
        opt("SV5"),
        opt("PWK"),
        opt("CR1"),
        opt_n("CR2", 5),
        opt("CR3"),
        opt("CR5"),
        opt_n("CRC", 6),
        req_n("DTP", 16),
        opt_n("MEA", 20),
        opt("CN1"),
        opt_n("REF", 15),
        opt_n("AMT", 3),
        opt_n("K3", 10),
        opt("NTE"),
        opt("PS1"),
        opt("HSD"),
        opt("HCP"),
    ],
    children: &[
        child("LIN", 0, &[], &L2410, false, 25),
        child("NM1", 1, &["82"], &L2420A, false, 1),
        child("NM1", 1, &["QB"], &L2420B, false, 1),
        child("NM1", 1, &["77", "FA", "LI", "TL"], &L2420C, false, 1),
        child("NM1", 1, &["DQ"], &L2420D, false, 1),
        child("NM1", 1, &["DK"], &L2420E, false, 1),
        child("NM1", 1, &["DN", "P3"], &L2420F, false, 2),
        child("NM1", 1, &["PR"], &L2420G, false, 4),
        child("SVD", 0, &[], &L2430, false, 25),
        child("LQ", 1, &["AS", "UT"], &L2440, false, 5),
    ],
};

static L2410: LoopDef = plain!("2410", [req("LIN"), opt("CTP"), opt("REF")]);
static L2420A: LoopDef = LoopDef {
    id: "2420A",
    role: Role::LineRendering,
    scope: Scope::Claim,
    slots: &[req("NM1"), opt("PRV"), opt_n("REF", 5)],
    children: &[],
};
static L2420B: LoopDef = plain!("2420B", [req("NM1"), opt_n("REF", 5)]);
static L2420C: LoopDef = plain!("2420C", [req("NM1"), req("N3"), req("N4"), opt_n("REF", 5)]);
static L2420D: LoopDef = plain!("2420D", [req("NM1"), opt_n("REF", 5)]);
static L2420E: LoopDef = plain!(
    "2420E",
    [
        req("NM1"),
        opt("N3"),
        opt("N4"),
        opt_n("REF", 5),
        opt("PER")
    ]
);
static L2420F: LoopDef = plain!("2420F", [req("NM1"), opt("PRV"), opt_n("REF", 5)]);
static L2420G: LoopDef = plain!("2420G", [req("NM1"), req_n("REF", 2)]);
static L2430: LoopDef = plain!("2430", [req("SVD"), opt_n("CAS", 99), req("DTP")]);
static L2440: LoopDef = plain!("2440", [req("LQ"), req_n("FRM", 99)]);
