//! NCCI procedure-to-procedure (PTP) edits: code pairs not paid together for the same patient,
//! provider and date of service.
//!
//! Layout, as CMS publishes the practitioner and hospital tables (`ccipra-v321r0-f1.txt` ...,
//! tab-delimited, Latin-1, CRLF): a few notice lines (AMA copyright, `Column1/Column2 Edits`),
//! a header line starting `Column 1<TAB>Column 2<TAB>*=in existence<TAB>Effective<TAB>Deletion
//! <TAB>Modifier<TAB>PTP Edit Rationale` that wraps over the next lines (`prior to 1996`,
//! `Date`, `0=not allowed` ... in later cells), then one row per edit:
//!
//! ```text
//! column 1 <TAB> column 2 <TAB> "*" or blank <TAB> YYYYMMDD <TAB> YYYYMMDD or "*" <TAB> 0|1|9 <TAB> rationale
//! ```
//!
//! Shape checks: the first row whose first cell is a code must come after a line naming
//! `Column 1` and `Column 2` (spaces and case ignored); lines before it are notice or header;
//! after it every non-blank line must be a valid row. Older releases without the rationale
//! column (six cells) are accepted.
//!
//! Semantics:
//! - In force on a date of service when `effective <= DOS <= deletion` (CMS's deletion date is
//!   the last day the edit applies, e.g. `20231231` at the end of a quarter); `*` = open.
//! - Modifier indicator 0: never together, column 2 denied. 1: column 2 allowed only with an
//!   NCCI-associated modifier ([`is_ncci_associated_modifier`]). 9: not applicable, a
//!   tombstone (deletion = effective) that never fires: [`PtpTable::edit`] never returns it.
//! - Duplicate pairs (real files have them): all rows are kept; [`PtpTable::edit`] returns the
//!   row in force on the DOS asked; if several are, the one with the later deletion date (open
//!   beats any date), then the later effective date, then indicator 0 over 1.
//!
//! Storage is built for the full national table (millions of rows): a hash map from the pair,
//! packed into one `u64`, to the pair's periods (12 bytes each, the common single row inline),
//! rationale texts interned, and a set of codes that are ever column 2 so that
//! [`PtpTable::has_column2`] lets the engine skip codes that can never be denied by PTP.
//!
//! Files, one job each: this one holds the row types and the modifier rule; `table` the
//! storage and the lookups; `read` the file layout.

use std::fmt;
use std::sync::Arc;

use payerlex_types::Date;

mod read;
mod table;

pub use table::PtpTable;

/// PTP modifier indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ModifierIndicator {
    /// 0: no modifier allows the pair; column 2 is denied.
    NotAllowed = 0,
    /// 1: an NCCI-associated modifier allows the pair.
    Allowed = 1,
    /// 9: the edit does not apply (deleted back to its effective date).
    NotApplicable = 9,
}

impl ModifierIndicator {
    /// The digit CMS writes.
    pub fn number(self) -> u8 {
        self as u8
    }

    pub(crate) fn parse(b: &[u8]) -> Option<Self> {
        match b {
            b"0" => Some(ModifierIndicator::NotAllowed),
            b"1" => Some(ModifierIndicator::Allowed),
            b"9" => Some(ModifierIndicator::NotApplicable),
            _ => None,
        }
    }
}

impl fmt::Display for ModifierIndicator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number())
    }
}

/// True for the NCCI-associated modifiers that may bypass an indicator-1 PTP edit: E1-E4, FA,
/// F1-F9, TA, T1-T9, LT, RT, LC, LD, RC, LM, RI, 24, 25, 27, 57, 58, 59, 78, 79, 91, XE, XS,
/// XP, XU. Case and surrounding spaces are ignored. 22, 76 and 77 are not among them: they
/// never bypass a PTP edit.
pub fn is_ncci_associated_modifier(m: &str) -> bool {
    let b = m.trim().as_bytes();
    let [a, c] = b else { return false };
    matches!(
        (a.to_ascii_uppercase(), c.to_ascii_uppercase()),
        (b'E', b'1'..=b'4')
            | (b'F' | b'T', b'A' | b'1'..=b'9')
            | (b'L', b'T' | b'C' | b'D' | b'M')
            | (b'R', b'T' | b'C' | b'I')
            | (b'X', b'E' | b'S' | b'P' | b'U')
            | (b'2', b'4' | b'5' | b'7')
            | (b'5', b'7' | b'8' | b'9')
            | (b'7', b'8' | b'9')
            | (b'9', b'1')
    )
}

/// One PTP row, as returned by a lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PtpEdit {
    /// Modifier indicator (never [`ModifierIndicator::NotApplicable`] from [`PtpTable::edit`]).
    pub indicator: ModifierIndicator,
    /// First date the edit applies.
    pub effective: Date,
    /// Last date the edit applies; `None` = open (`*`).
    pub deletion: Option<Date>,
    /// The `*` "in existence prior to 1996" flag.
    pub prior_to_1996: bool,
    /// CMS's PTP edit rationale (e.g. "Misuse of column two code with column one code").
    pub rationale: Arc<str>,
}

impl PtpEdit {
    /// True if the edit is in force on `dos` (`effective <= dos <= deletion`).
    pub fn in_force_on(&self, dos: Date) -> bool {
        self.effective <= dos && self.deletion.map_or(true, |d| dos <= d)
    }

    /// True if the modifiers let the pair through: only for indicator 1, and only if one of
    /// them is NCCI-associated. Indicator 0 (and 9) is never bypassed.
    pub fn bypassed_by(&self, modifiers: &[&str]) -> bool {
        self.indicator == ModifierIndicator::Allowed
            && modifiers.iter().any(|m| is_ncci_associated_modifier(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn associated_modifiers() {
        for m in [
            "E1", "E4", "FA", "F1", "F9", "TA", "T1", "T9", "LT", "RT", "LC", "LD", "RC", "LM",
            "RI", "24", "25", "27", "57", "58", "59", "78", "79", "91", "XE", "XS", "XP", "XU",
            "xu", " 59 ",
        ] {
            assert!(is_ncci_associated_modifier(m), "{m}");
        }
        for m in [
            "22", "76", "77", "26", "TC", "E5", "F0", "T0", "XX", "50", "", "5", "591", "LL", "RA",
        ] {
            assert!(!is_ncci_associated_modifier(m), "{m}");
        }
    }

    #[test]
    fn only_indicator_1_is_bypassed() {
        let day = |y, m, d| Date::from_ymd(y, m, d).unwrap_or(Date::MIN);
        let mut edit = PtpEdit {
            indicator: ModifierIndicator::Allowed,
            effective: day(2024, 7, 1),
            deletion: Some(day(2024, 9, 30)),
            prior_to_1996: false,
            rationale: Arc::from(""),
        };
        assert!(edit.bypassed_by(&["26", "59"]) && !edit.bypassed_by(&["26"]));
        assert!(edit.in_force_on(day(2024, 9, 30)) && !edit.in_force_on(day(2024, 10, 1)));
        assert!(!edit.in_force_on(day(2024, 6, 30)));
        edit.indicator = ModifierIndicator::NotAllowed;
        assert!(!edit.bypassed_by(&["59"]));
    }
}
