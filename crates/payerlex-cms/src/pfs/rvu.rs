//! One row of the physician fee schedule's relative value file (PPRRVU) and the types of its
//! cells.
//!
//! A row is a code with an optional pricing modifier (blank = global service; `26` =
//! professional component, `TC` = technical component, `53` = discontinued), its status, its
//! work, practice expense and malpractice RVUs (exact decimals, never floats), its PC/TC
//! indicator and global period. Reading the file is [`super::schedule`]'s job; this file only
//! says what a row holds, so the payment code and the engine can use rows without the loader.

use std::fmt;

use payerlex_types::ProcedureCode;
use rust_decimal::Decimal;

/// Global surgery period (PPRRVU `GLOB DAYS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GlobalPeriod {
    /// `000`: day of the procedure.
    Days0,
    /// `010`: 10 post-operative days.
    Days10,
    /// `090`: 90 post-operative days.
    Days90,
    /// `MMM`: maternity.
    Mmm,
    /// `XXX`: the global concept does not apply.
    Xxx,
    /// `YYY`: the contractor sets the period.
    Yyy,
    /// `ZZZ`: within the global period of another service (typical of add-on codes).
    Zzz,
}

impl GlobalPeriod {
    /// Parses the three-character CMS value.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "000" => GlobalPeriod::Days0,
            "010" => GlobalPeriod::Days10,
            "090" => GlobalPeriod::Days90,
            "MMM" => GlobalPeriod::Mmm,
            "XXX" => GlobalPeriod::Xxx,
            "YYY" => GlobalPeriod::Yyy,
            "ZZZ" => GlobalPeriod::Zzz,
            _ => return None,
        })
    }

    /// The post-operative days of a numeric period (0, 10, 90); `None` for MMM, XXX, YYY and
    /// ZZZ, which are not surgeries with a global period of their own.
    pub fn days(self) -> Option<u8> {
        match self {
            GlobalPeriod::Days0 => Some(0),
            GlobalPeriod::Days10 => Some(10),
            GlobalPeriod::Days90 => Some(90),
            GlobalPeriod::Mmm | GlobalPeriod::Xxx | GlobalPeriod::Yyy | GlobalPeriod::Zzz => None,
        }
    }

    /// The CMS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            GlobalPeriod::Days0 => "000",
            GlobalPeriod::Days10 => "010",
            GlobalPeriod::Days90 => "090",
            GlobalPeriod::Mmm => "MMM",
            GlobalPeriod::Xxx => "XXX",
            GlobalPeriod::Yyy => "YYY",
            GlobalPeriod::Zzz => "ZZZ",
        }
    }
}

impl fmt::Display for GlobalPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A pricing modifier as two uppercase ASCII bytes (`26`, `TC`, `53`).
pub type ModifierKey = [u8; 2];

/// Reads a pricing modifier cell: two letters or digits, trimmed, case ignored.
pub(crate) fn modifier_key(s: &str) -> Option<ModifierKey> {
    let b = s.trim().as_bytes();
    let [a, c] = b else { return None };
    (a.is_ascii_alphanumeric() && c.is_ascii_alphanumeric())
        .then(|| [a.to_ascii_uppercase(), c.to_ascii_uppercase()])
}

/// The surgical payment indicators of a PPRRVU row (one digit each; `None` when the file has
/// no such column or the cell is blank). Meanings are the RVU file README's:
/// - `mult_proc` (MULT PROC): 0 no multiple-procedure reduction, 2 standard 100/50% ranking,
///   1, 3, 4, 5, 6, 7, 9 other or special rules;
/// - `bilateral` (BILAT SURG): 0 modifier 50 not allowed, 1 150% adjustment, 2 already
///   bilateral (50 not allowed), 3 each side at 100%, 9 concept does not apply;
/// - `assistant` (ASST SURG): 0 assistant paid with documentation of medical necessity,
///   1 assistant not paid, 2 assistant paid, 9 concept does not apply;
/// - `co_surgeons` (CO SURG): 0 not permitted, 1 paid with documentation, 2 permitted,
///   9 concept does not apply;
/// - `team` (TEAM SURG): same values as `co_surgeons`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SurgeryIndicators {
    /// MULT PROC.
    pub mult_proc: Option<u8>,
    /// BILAT SURG.
    pub bilateral: Option<u8>,
    /// ASST SURG.
    pub assistant: Option<u8>,
    /// CO SURG.
    pub co_surgeons: Option<u8>,
    /// TEAM SURG.
    pub team: Option<u8>,
}

/// One PPRRVU row: a code with an optional pricing modifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RvuRow {
    /// The code.
    pub code: ProcedureCode,
    /// The modifier (`None` = global service).
    pub modifier: Option<ModifierKey>,
    /// Status code (`A` active, `B` bundled, `C` carrier priced, `I` not valid for Medicare,
    /// `N` non-covered, `R` restricted, `T` injections, `X` statutory exclusion, ...).
    pub status: char,
    /// Work RVU.
    pub work: Decimal,
    /// Non-facility practice expense RVU.
    pub pe_nonfacility: Decimal,
    /// `NA` in the non-facility NA indicator (CMS has not set a non-facility PE).
    pub pe_nonfacility_na: bool,
    /// Facility practice expense RVU.
    pub pe_facility: Decimal,
    /// `NA` in the facility NA indicator.
    pub pe_facility_na: bool,
    /// Malpractice RVU.
    pub mp: Decimal,
    /// PC/TC indicator 0-9 (1 = diagnostic test with 26 and TC).
    pub pctc: u8,
    /// Global period, if given.
    pub global: Option<GlobalPeriod>,
    /// Multiple-procedure, bilateral, assistant, co-surgeon and team indicators.
    pub surgery: SurgeryIndicators,
}

impl RvuRow {
    /// The practice expense RVU for the setting.
    pub fn pe(&self, facility: bool) -> Decimal {
        if facility {
            self.pe_facility
        } else {
            self.pe_nonfacility
        }
    }

    /// Work + PE + MP for the setting (the file's "TOTAL" columns).
    pub fn total(&self, facility: bool) -> Decimal {
        self.work + self.pe(facility) + self.mp
    }

    /// The modifier as text (`""` for the global row).
    pub fn modifier_str(&self) -> &str {
        self.modifier
            .as_ref()
            .and_then(|m| std::str::from_utf8(m).ok())
            .unwrap_or("")
    }
}

impl fmt::Display for RvuRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.modifier_str();
        write!(
            f,
            "{}{}{}",
            self.code,
            if m.is_empty() { "" } else { "-" },
            m
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn cell_types_round_trip() {
        for text in ["000", "010", "090", "MMM", "XXX", "YYY", "ZZZ"] {
            assert_eq!(GlobalPeriod::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(GlobalPeriod::parse("90"), None);
        assert_eq!(GlobalPeriod::Days90.days(), Some(90));
        assert_eq!(GlobalPeriod::Days0.days(), Some(0));
        assert_eq!(GlobalPeriod::Zzz.days(), None);
        assert_eq!(modifier_key(" tc "), Some(*b"TC"));
        assert_eq!(modifier_key("2"), None);
        assert_eq!(modifier_key("2-"), None);
    }

    #[test]
    fn totals_and_display() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let row = RvuRow {
            code: ProcedureCode::parse("76377").unwrap(),
            modifier: Some(*b"26"),
            status: 'A',
            work: d("0.79"),
            pe_nonfacility: d("0.28"),
            pe_nonfacility_na: false,
            pe_facility: d("0.20"),
            pe_facility_na: false,
            mp: d("0.05"),
            pctc: 1,
            global: Some(GlobalPeriod::Xxx),
            surgery: SurgeryIndicators::default(),
        };
        assert_eq!(row.total(false), d("1.12"));
        assert_eq!(row.total(true), d("1.04"));
        assert_eq!(row.to_string(), "76377-26");
        let global = RvuRow {
            modifier: None,
            ..row
        };
        assert_eq!(
            (global.to_string().as_str(), global.modifier_str()),
            ("76377", "")
        );
    }
}
