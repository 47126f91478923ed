//! The table layouts payerlex reads, their keys and their typed fields.

/// A table layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableKind {
    /// NCCI procedure-to-procedure edits (practitioner or hospital text files).
    NcciPtp,
    /// Medically Unlikely Edits (the CSV as published).
    Mue,
    /// Add-on code edits.
    AddOnCodes,
    /// Physician fee schedule (PPRRVU), one file per release with its start date.
    FeeSchedule,
    /// Geographic practice cost indices by locality.
    Gpci,
}

/// A numeric field of a table row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableField {
    /// PTP modifier indicator (0 or 1; 9 tombstones are never returned).
    PtpIndicator,
    /// MUE value (units; 0 = not payable).
    MueValue,
    /// MUE adjudication indicator (1 line, 2 date of service policy, 3 date of service clinical).
    MueMai,
    /// Add-on code edit type (1, 2, 3).
    AocType,
    /// Fee schedule PC/TC indicator (0-9).
    FeePctc,
    /// Fee schedule GLOB DAYS as a number of post-operative days (0, 10, 90); no value for
    /// MMM, XXX, YYY and ZZZ, which are not surgeries with a global period of their own.
    FeeGlobDays,
    /// Fee schedule MULT PROC indicator (0-9).
    FeeMultProc,
    /// Fee schedule BILAT SURG indicator (0-3, 9).
    FeeBilatSurg,
    /// Fee schedule ASST SURG indicator (0-2, 9).
    FeeAsstSurg,
    /// Fee schedule CO SURG indicator (0-2, 9).
    FeeCoSurg,
    /// Fee schedule TEAM SURG indicator (0-2, 9).
    FeeTeamSurg,
}

impl TableField {
    /// The value of a fee schedule field in a PPRRVU row (`None` for fields of other layouts,
    /// and for blank cells).
    pub fn of_fee_row(self, row: &payerlex_cms::RvuRow) -> Option<i64> {
        let indicators = &row.surgery;
        let value = match self {
            Self::FeePctc => Some(row.pctc),
            Self::FeeGlobDays => row.global.and_then(payerlex_cms::GlobalPeriod::days),
            Self::FeeMultProc => indicators.mult_proc,
            Self::FeeBilatSurg => indicators.bilateral,
            Self::FeeAsstSurg => indicators.assistant,
            Self::FeeCoSurg => indicators.co_surgeons,
            Self::FeeTeamSurg => indicators.team,
            Self::PtpIndicator | Self::MueValue | Self::MueMai | Self::AocType => None,
        };
        value.map(i64::from)
    }
}

impl TableKind {
    /// Parses a layout name as written in a policy.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "ncci_ptp" => Self::NcciPtp,
            "mue" => Self::Mue,
            "add_on_codes" => Self::AddOnCodes,
            "fee_schedule" => Self::FeeSchedule,
            "gpci" => Self::Gpci,
            _ => return None,
        })
    }

    /// Every layout name, for hints.
    pub const NAMES: &'static [&'static str] =
        &["ncci_ptp", "mue", "add_on_codes", "fee_schedule", "gpci"];

    /// The layout's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::NcciPtp => "ncci_ptp",
            Self::Mue => "mue",
            Self::AddOnCodes => "add_on_codes",
            Self::FeeSchedule => "fee_schedule",
            Self::Gpci => "gpci",
        }
    }

    /// How many code keys a lookup takes (min, max).
    pub fn key_counts(self) -> (usize, usize) {
        match self {
            Self::NcciPtp => (2, 2),
            Self::Mue | Self::FeeSchedule => (1, 1),
            Self::AddOnCodes => (1, 2),
            Self::Gpci => (0, 0),
        }
    }

    /// What the keys are, for messages.
    pub fn key_help(self) -> &'static str {
        match self {
            Self::NcciPtp => "`TABLE[column1, column2]`, e.g. `ptp[code, line.code]`",
            Self::Mue => "`TABLE[code]`, e.g. `mue[line.code]`",
            Self::AddOnCodes => "`TABLE[add_on]` or `TABLE[add_on, primary]`",
            Self::FeeSchedule => "`TABLE[code]`, e.g. `fees[line.code]`",
            Self::Gpci => "GPCI tables are not looked up in rules; they price payment estimates",
        }
    }

    /// The fields a row of this layout has.
    pub fn fields(self) -> &'static [(&'static str, TableField)] {
        match self {
            Self::NcciPtp => &[("indicator", TableField::PtpIndicator)],
            Self::Mue => &[("value", TableField::MueValue), ("mai", TableField::MueMai)],
            Self::AddOnCodes => &[("type", TableField::AocType)],
            Self::FeeSchedule => &[
                ("pctc", TableField::FeePctc),
                ("glob_days", TableField::FeeGlobDays),
                ("mult_proc", TableField::FeeMultProc),
                ("bilat_surg", TableField::FeeBilatSurg),
                ("asst_surg", TableField::FeeAsstSurg),
                ("co_surg", TableField::FeeCoSurg),
                ("team_surg", TableField::FeeTeamSurg),
            ],
            Self::Gpci => &[],
        }
    }

    /// Whether a file may carry a `from DATE` (and must, when there are several).
    pub fn dated_files(self) -> bool {
        self == Self::FeeSchedule
    }
}
