//! Medicare payment estimates for lines that are not denied, when the pack has a fee schedule.
//!
//! Amount = (work x GPCIw + PE x GPCIpe + MP x GPCImp) x conversion factor, in exact decimal
//! arithmetic, rounded to cents, with the schedule in force on the date of service, the
//! facility or non-facility PE by place of service, and the -26/-TC row when the line carries
//! one of those modifiers.

use std::fmt;

use payerlex_cms::Decimal;
use serde::{Deserialize, Serialize};

use crate::compile::Pricing;
use crate::facts::{Claim, Line, Modifier, PlaceOfService};
use crate::tables::TableData;

/// A decimal amount, serialised as a string so no float ever touches money.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dec(pub Decimal);

impl fmt::Display for Dec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for Dec {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Dec {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse::<Decimal>()
            .map(Dec)
            .map_err(serde::de::Error::custom)
    }
}

/// The geographic indices used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GpciUsed {
    /// `national`, or `CONTRACTOR-LOCALITY`.
    pub locality: String,
    /// Work GPCI.
    pub work: Dec,
    /// Practice expense GPCI.
    pub pe: Dec,
    /// Malpractice GPCI.
    pub mp: Dec,
}

/// A line's payment estimate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Estimate {
    /// Amount for all units, in dollars.
    pub amount: Dec,
    /// Amount for one unit.
    pub unit_amount: Dec,
    /// Units priced.
    pub units: u32,
    /// The pricing modifier (`26`, `TC`), or `null` for the global service.
    pub modifier: Option<Modifier>,
    /// Priced at the facility rate (place of service is a facility).
    pub facility: bool,
    /// Work RVU.
    pub work_rvu: Dec,
    /// Practice expense RVU for the setting.
    pub pe_rvu: Dec,
    /// Malpractice RVU.
    pub mp_rvu: Dec,
    /// Geographic indices.
    pub gpci: GpciUsed,
    /// Dollars per RVU in force on the date of service.
    pub conversion_factor: Dec,
    /// Payment adjustments applied to the amount, in order (bilateral, multiple procedures;
    /// see `surgical_pricing`); `amount` is the amount after the last one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adjustments: Vec<super::surgical_pricing::PaymentAdjustment>,
}

/// Places of service paid at the facility rate (CMS MPFS facility settings).
const FACILITY_PLACES: &[u8] = &[
    2, 19, 21, 22, 23, 24, 26, 31, 34, 41, 42, 51, 52, 53, 56, 61,
];

fn is_facility(place: PlaceOfService) -> bool {
    FACILITY_PLACES.contains(&place.number())
}

/// The estimate for a line, when the schedule in force on its date prices its code.
pub fn estimate(pricing: &Pricing, claim: &Claim, line: &Line) -> Option<Estimate> {
    let Some(TableData::Fees(schedules)) = pricing.fees.data() else {
        return None;
    };
    // The pricing modifier, compared as packed values: no allocation per line.
    let pricing_modifier = |text: &'static str| Modifier::parse(text).ok().map(|m| (m, text));
    let (modifier, modifier_text) = [pricing_modifier("26"), pricing_modifier("TC")]
        .into_iter()
        .flatten()
        .find(|(m, _)| line.modifiers.contains(*m))
        .map_or((None, None), |(m, text)| (Some(m), Some(text)));
    let facility = is_facility(claim.line_place(line));
    let (gpci, locality) = match (
        &claim.locality,
        pricing.gpci.as_ref().and_then(|g| g.data()),
    ) {
        (Some(wanted), Some(TableData::Gpci(table))) => {
            match table.get(&wanted.contractor, &wanted.locality) {
                Some(g) => (
                    Some(g.clone()),
                    format!("{}-{}", wanted.contractor, wanted.locality),
                ),
                None => (
                    None,
                    format!(
                        "national (locality {}-{} not in the GPCI table)",
                        wanted.contractor, wanted.locality
                    ),
                ),
            }
        }
        (Some(wanted), _) => (
            None,
            format!(
                "national (no GPCI table for locality {}-{})",
                wanted.contractor, wanted.locality
            ),
        ),
        (None, _) => (None, "national".to_owned()),
    };
    let priced =
        schedules.estimate_on(line.date, gpci.as_ref(), line.code, modifier_text, facility)?;
    let units = Decimal::from(line.units);
    Some(Estimate {
        amount: Dec(priced.amount * units),
        unit_amount: Dec(priced.amount),
        units: line.units,
        modifier,
        facility,
        work_rvu: Dec(priced.work_rvu),
        pe_rvu: Dec(priced.pe_rvu),
        mp_rvu: Dec(priced.mp_rvu),
        gpci: GpciUsed {
            locality,
            work: Dec(priced.gpci_work),
            pe: Dec(priced.gpci_pe),
            mp: Dec(priced.gpci_mp),
        },
        conversion_factor: Dec(priced.conversion_factor),
        adjustments: Vec::new(),
    })
}
