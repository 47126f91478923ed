//! The rows a pack's loaded CMS tables hold for one code on one date: MUE, PTP pairs, add-on
//! status, fee-schedule indicators and payment estimates.
//!
//! Read straight from the tables the pack loaded (`payerlex-cms` types behind the pack's
//! table slots), with the same dating rules the rules use: the PTP edit in force on the
//! date, the add-on edits in force, the fee schedule release in force.

use payerlex_cms::{Decimal, FeeSchedule};
use serde::Serialize;

use crate::eval::Dec;
use crate::facts::{Date, ProcedureCode};
use crate::tables::{TableData, TableSlot};

/// Most PTP pairs listed per column (a real table pairs some codes with hundreds).
pub const MAX_PAIRS: usize = 500;

/// The MUE of a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MueRow {
    /// The table's name in its policy.
    pub table: String,
    /// Most units per line (MAI 1) or per date of service (MAI 2, 3); 0 = not payable.
    pub value: u32,
    /// MUE adjudication indicator.
    pub mai: u8,
    /// What the indicator means, as CMS writes it.
    pub mai_text: &'static str,
}

/// A PTP pair the code belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PtpPair {
    /// The other code of the pair.
    pub code: String,
    /// Modifier indicator: 0 no modifier allows the pair, 1 an NCCI-associated modifier does.
    pub indicator: u8,
    /// First day the edit applies.
    pub effective: String,
    /// Deletion date, when the edit ends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted: Option<String>,
}

/// PTP edits in force on the date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PtpRows {
    /// The table's name in its policy.
    pub table: String,
    /// Pairs where the code is column 1 (the other code is denied or needs a modifier).
    pub column1_of: Vec<PtpPair>,
    /// Pairs where the code is column 2 (this code is denied or needs a modifier).
    pub column2_of: Vec<PtpPair>,
    /// Whether the lists stop at [`MAX_PAIRS`].
    pub truncated: bool,
}

/// An add-on edit in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddOnEdit {
    /// The other code: a primary of this add-on, or an add-on this code is a primary of.
    pub code: String,
    /// Edit type (1 listed primaries, 2 none listed, 3 a partial list).
    #[serde(rename = "type")]
    pub edit_type: u8,
}

/// Add-on status of the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddOnRows {
    /// The table's name in its policy.
    pub table: String,
    /// Edit type when the code is an add-on code on the date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub add_on_type: Option<u8>,
    /// Its primaries, when it is an add-on code.
    pub primaries: Vec<String>,
    /// Add-on codes this code is a listed primary of.
    pub primary_of: Vec<AddOnEdit>,
}

/// A payment estimate (national GPCIs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceRow {
    /// `null` for the global service, else `26` or `TC`.
    pub modifier: Option<String>,
    /// Work RVU.
    pub work_rvu: Dec,
    /// Malpractice RVU.
    pub mp_rvu: Dec,
    /// Non-facility practice expense RVU.
    pub pe_rvu_non_facility: Dec,
    /// Facility practice expense RVU.
    pub pe_rvu_facility: Dec,
    /// Amount in a non-facility setting (office).
    pub non_facility: Dec,
    /// Amount in a facility setting (hospital).
    pub facility: Dec,
}

/// Fee-schedule indicators and estimates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeeRows {
    /// The table's name in its policy.
    pub table: String,
    /// The release's first date.
    pub release_from: String,
    /// PPRRVU status code (`A` active, `B` bundled, `C` carrier priced, ...).
    pub status: String,
    /// PC/TC indicator.
    pub pctc: u8,
    /// What the PC/TC indicator allows.
    pub pctc_text: &'static str,
    /// Global surgery period (`000`, `010`, `090`, `XXX`, `YYY`, `ZZZ`, `MMM`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global: Option<String>,
    /// Dollars per RVU.
    pub conversion_factor: Dec,
    /// Global, -26 and -TC, when the release has those rows; national GPCIs (1.0).
    pub estimates: Vec<PriceRow>,
}

/// What a PC/TC indicator means for billing, after the PPRRVU README.
pub fn pctc_text(pctc: u8) -> &'static str {
    match pctc {
        0 => "physician service: -26 and -TC do not apply",
        1 => "diagnostic test: global, -26 (professional) or -TC (technical)",
        2 => "professional component only code",
        3 => "technical component only code",
        4 => "global test only code",
        5 => "incident-to code: -26 and -TC do not apply",
        6 => "laboratory physician interpretation code: -26 only",
        7 => "physical therapy service: -26 and -TC do not apply",
        8 => "physician interpretation code: -26 only",
        9 => "not subject to the PC/TC concept",
        _ => "unknown indicator",
    }
}

fn day(date: Date) -> String {
    date.to_string()
}

pub(super) fn mue(slot: &TableSlot, code: ProcedureCode) -> Option<MueRow> {
    let Some(TableData::Mue(table)) = slot.data() else {
        return None;
    };
    let entry = table.get(code)?;
    Some(MueRow {
        table: slot.name.clone(),
        value: entry.value,
        mai: entry.mai.number(),
        mai_text: entry.mai.cms_text(),
    })
}

pub(super) fn ptp(slot: &TableSlot, code: ProcedureCode, date: Date) -> Option<PtpRows> {
    let Some(TableData::Ptp(table)) = slot.data() else {
        return None;
    };
    let key = code;
    let dos = date;
    let mut rows = PtpRows {
        table: slot.name.clone(),
        column1_of: Vec::new(),
        column2_of: Vec::new(),
        truncated: false,
    };
    let pair = |other: ProcedureCode, c1: ProcedureCode, c2: ProcedureCode| {
        table.edit(c1, c2, dos).map(|edit| PtpPair {
            code: other.to_string(),
            indicator: edit.indicator.number(),
            effective: day(edit.effective),
            deleted: edit.deletion.map(day),
        })
    };
    for (c1, c2) in table.iter_pairs() {
        let (list, found) = if c1 == key {
            (&mut rows.column1_of, pair(c2, c1, c2))
        } else if c2 == key {
            (&mut rows.column2_of, pair(c1, c1, c2))
        } else {
            continue;
        };
        if let Some(found) = found {
            if list.len() < MAX_PAIRS {
                list.push(found);
            } else {
                rows.truncated = true;
            }
        }
    }
    rows.column1_of.sort_by(|a, b| a.code.cmp(&b.code));
    rows.column2_of.sort_by(|a, b| a.code.cmp(&b.code));
    Some(rows)
}

pub(super) fn add_on(slot: &TableSlot, code: ProcedureCode, date: Date) -> Option<AddOnRows> {
    let Some(TableData::AddOn(table)) = slot.data() else {
        return None;
    };
    let key = code;
    let dos = date;
    let this = table.get_on(key, dos);
    let mut primary_of: Vec<AddOnEdit> = table
        .addon_codes()
        .flat_map(|addon| {
            table
                .edits(addon)
                .iter()
                .filter(|e| e.primary == Some(key) && e.in_force_on(dos))
                .map(move |e| AddOnEdit {
                    code: addon.to_string(),
                    edit_type: e.edit_type.number(),
                })
        })
        .collect();
    primary_of.sort_by(|a, b| a.code.cmp(&b.code));
    primary_of.dedup();
    Some(AddOnRows {
        table: slot.name.clone(),
        add_on_type: this.as_ref().map(|a| a.edit_type.number()),
        primaries: this
            .map(|a| a.primaries.iter().map(|p| p.to_string()).collect())
            .unwrap_or_default(),
        primary_of,
    })
}

pub(super) fn fees(slot: &TableSlot, code: ProcedureCode, date: Date) -> Option<FeeRows> {
    let Some(TableData::Fees(schedules)) = slot.data() else {
        return None;
    };
    let schedule = schedules.for_date(date)?;
    let key = code;
    let row = schedule.get(key, None)?;
    let estimates = [None, Some("26"), Some("TC")]
        .into_iter()
        .filter_map(|modifier| price(schedule, key, modifier))
        .collect();
    Some(FeeRows {
        table: slot.name.clone(),
        release_from: day(schedule.effective_from()),
        status: row.status.to_string(),
        pctc: row.pctc,
        pctc_text: pctc_text(row.pctc),
        global: row.global.map(|g| g.as_str().to_owned()),
        conversion_factor: Dec(schedule.conversion_factor()),
        estimates,
    })
}

fn price(schedule: &FeeSchedule, key: ProcedureCode, modifier: Option<&str>) -> Option<PriceRow> {
    let row = schedule.get(key, modifier)?;
    let amount = |facility| {
        payerlex_cms::estimate(schedule, None, key, modifier, facility)
            .map_or(Decimal::ZERO, |e| e.amount)
    };
    Some(PriceRow {
        modifier: modifier.map(str::to_owned),
        work_rvu: Dec(row.work),
        mp_rvu: Dec(row.mp),
        pe_rvu_non_facility: Dec(row.pe_nonfacility),
        pe_rvu_facility: Dec(row.pe_facility),
        non_facility: Dec(amount(false)),
        facility: Dec(amount(true)),
    })
}
