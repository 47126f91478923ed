//! 837 Professional, 5010 (005010X222A1): loop tree.

use super::{child, opt, opt_n, req, req_n, LoopDef, Role, Scope, MANY};

pub(crate) static ROOT: LoopDef = LoopDef {
    id: "",
    role: Role::Other,
    scope: Scope::Transaction,
    slots: &[req("BHT")],
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
        child("NM1", 1, &["PE"], &L2010AC, false, 1),
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
        req_n("REF", 3),
        opt_n("PER", 2),
    ],
    children: &[],
};

static L2010AB: LoopDef = LoopDef {
    id: "2010AB",
    role: Role::Other,
    scope: Scope::Billing,
    slots: &[req("NM1"), req("N3"), req("N4")],
    children: &[],
};

static L2010AC: LoopDef = LoopDef {
    id: "2010AC",
    role: Role::Other,
    scope: Scope::Billing,
    slots: &[req("NM1"), req("N3"), req("N4"), req_n("REF", 2)],
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
        opt_n("REF", 2),
        opt("PER"),
    ],
    children: &[],
};

static L2010BB: LoopDef = LoopDef {
    id: "2010BB",
    role: Role::PayerName,
    scope: Scope::Subscriber,
    slots: &[req("NM1"), opt("N3"), opt("N4"), opt_n("REF", 5)],
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
        opt_n("REF", 2),
        opt("PER"),
    ],
    children: &[],
};

static L2300: LoopDef = LoopDef {
    id: "2300",
    role: Role::Claim,
    scope: Scope::Claim,
    slots: &[
        req("CLM"),
        opt_n("DTP", 17),
        opt_n("PWK", 10),
        opt("CN1"),
        opt("AMT"),
        opt_n("REF", 14),
        opt_n("K3", 10),
        opt("NTE"),
        opt("CR1"),
        opt("CR2"),
        opt_n("CRC", 8),
        req_n("HI", 4),
        opt("HCP"),
    ],
    children: &[
        child("NM1", 1, &["DN", "P3"], &L2310A, false, 2),
        child("NM1", 1, &["82"], &L2310B, false, 1),
        child("NM1", 1, &["77"], &L2310C, false, 1),
        child("NM1", 1, &["DQ"], &L2310D, false, 1),
        child("NM1", 1, &["PW"], &L2310E, false, 1),
        child("NM1", 1, &["45"], &L2310F, false, 1),
        child("SBR", 0, &[], &L2320, false, 10),
        child("LX", 0, &[], &L2400, true, 50),
    ],
};

static L2310A: LoopDef = plain!("2310A", [req("NM1"), opt_n("REF", 3)]);
static L2310B: LoopDef = LoopDef {
    id: "2310B",
    role: Role::ClaimRendering,
    scope: Scope::Claim,
    slots: &[req("NM1"), opt("PRV"), opt_n("REF", 4)],
    children: &[],
};
static L2310C: LoopDef = LoopDef {
    id: "2310C",
    role: Role::Other,
    scope: Scope::Claim,
    slots: &[
        req("NM1"),
        req("N3"),
        req("N4"),
        opt_n("REF", 3),
        opt("PER"),
    ],
    children: &[],
};
static L2310D: LoopDef = plain!("2310D", [req("NM1"), opt_n("REF", 4)]);
static L2310E: LoopDef = plain!("2310E", [req("NM1"), req("N3"), req("N4")]);
static L2310F: LoopDef = plain!("2310F", [req("NM1"), req("N3"), req("N4")]);

static L2320: LoopDef = LoopDef {
    id: "2320",
    role: Role::Other,
    scope: Scope::Claim,
    slots: &[
        req("SBR"),
        opt_n("CAS", 5),
        opt_n("AMT", 3),
        req("OI"),
        opt("MOA"),
    ],
    children: &[
        child("NM1", 1, &["IL"], &L2330A, true, 1),
        child("NM1", 1, &["PR"], &L2330B, true, 1),
        child("NM1", 1, &["DN", "P3"], &L2330C, false, 2),
        child("NM1", 1, &["82"], &L2330D, false, 1),
        child("NM1", 1, &["77"], &L2330E, false, 1),
        child("NM1", 1, &["DQ"], &L2330F, false, 1),
        child("NM1", 1, &["85"], &L2330G, false, 1),
    ],
};

static L2330A: LoopDef = LoopDef {
    id: "2330A",
    role: Role::Other,
    scope: Scope::Claim,
    slots: &[req("NM1"), opt("N3"), opt("N4"), opt("REF")],
    children: &[],
};
static L2330B: LoopDef = LoopDef {
    id: "2330B",
    role: Role::Other,
    scope: Scope::Claim,
    slots: &[
        req("NM1"),
        opt("N3"),
        opt("N4"),
        opt("DTP"),
        opt_n("REF", 6),
    ],
    children: &[],
};
static L2330C: LoopDef = plain!("2330C", [req("NM1"), req_n("REF", 3)]);
static L2330D: LoopDef = plain!("2330D", [req("NM1"), req_n("REF", 3)]);
static L2330E: LoopDef = plain!("2330E", [req("NM1"), req_n("REF", 3)]);
static L2330F: LoopDef = plain!("2330F", [req("NM1"), req_n("REF", 3)]);
static L2330G: LoopDef = plain!("2330G", [req("NM1"), req_n("REF", 2)]);

static L2400: LoopDef = LoopDef {
    id: "2400",
    role: Role::Line,
    scope: Scope::Claim,
    slots: &[
        req("LX"),
        req("SV1"),
        opt("SV5"),
        opt_n("PWK", 11),
        opt("CR1"),
        opt("CR3"),
        opt_n("CRC", 5),
        req_n("DTP", 11),
        opt_n("QTY", 2),
        opt_n("MEA", 5),
        opt("CN1"),
        opt_n("REF", 17),
        opt_n("AMT", 2),
        opt_n("K3", 10),
        opt_n("NTE", 2),
        opt("PS1"),
        opt("HCP"),
    ],
    children: &[
        child("LIN", 0, &[], &L2410, false, 1),
        child("NM1", 1, &["82"], &L2420A, false, 1),
        child("NM1", 1, &["QB"], &L2420B, false, 1),
        child("NM1", 1, &["77"], &L2420C, false, 1),
        child("NM1", 1, &["DQ"], &L2420D, false, 1),
        child("NM1", 1, &["DK"], &L2420E, false, 1),
        child("NM1", 1, &["DN", "P3"], &L2420F, false, 2),
        child("NM1", 1, &["PW"], &L2420G, false, 1),
        child("NM1", 1, &["45"], &L2420H, false, 1),
        child("SVD", 0, &[], &L2430, false, 15),
        child("LQ", 1, &["AS", "UT"], &L2440, false, MANY),
    ],
};

static L2410: LoopDef = LoopDef {
    id: "2410",
    role: Role::Other,
    scope: Scope::Claim,
    slots: &[req("LIN"), req("CTP"), opt("REF")],
    children: &[],
};
static L2420A: LoopDef = LoopDef {
    id: "2420A",
    role: Role::LineRendering,
    scope: Scope::Claim,
    slots: &[req("NM1"), opt("PRV"), opt_n("REF", 20)],
    children: &[],
};
static L2420B: LoopDef = plain!("2420B", [req("NM1"), opt_n("REF", 20)]);
static L2420C: LoopDef = LoopDef {
    id: "2420C",
    role: Role::Other,
    scope: Scope::Claim,
    slots: &[req("NM1"), req("N3"), req("N4"), opt_n("REF", 3)],
    children: &[],
};
static L2420D: LoopDef = plain!("2420D", [req("NM1"), opt_n("REF", 20)]);
static L2420E: LoopDef = LoopDef {
    id: "2420E",
    role: Role::Other,
    scope: Scope::Claim,
    slots: &[
        req("NM1"),
        opt("N3"),
        opt("N4"),
        opt_n("REF", 20),
        opt("PER"),
    ],
    children: &[],
};
static L2420F: LoopDef = plain!("2420F", [req("NM1"), opt_n("REF", 20)]);
static L2420G: LoopDef = plain!("2420G", [req("NM1"), req("N3"), req("N4")]);
static L2420H: LoopDef = plain!("2420H", [req("NM1"), req("N3"), req("N4")]);
static L2430: LoopDef = LoopDef {
    id: "2430",
    role: Role::Other,
    scope: Scope::Claim,
    slots: &[req("SVD"), opt_n("CAS", 5), req("DTP"), opt("AMT")],
    children: &[],
};
static L2440: LoopDef = LoopDef {
    id: "2440",
    role: Role::Other,
    scope: Scope::Claim,
    slots: &[req("LQ"), req_n("FRM", 99)],
    children: &[],
};
