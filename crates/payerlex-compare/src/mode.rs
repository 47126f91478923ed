//! What can be measured: the hand-written reference, payerlex in four modes, and the two
//! general engines (regorus in two modes). One name per mode, used on the command line, in
//! `scripts/compare.sh` and in the table.

use std::fmt;
use std::str::FromStr;

/// One thing to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    /// The six rules coded by hand on payerlex `Claim` values.
    Handwritten,
    /// `Engine::check` with `NoHistory`.
    Payerlex,
    /// `Engine::check_into` with `NoHistory`, one `Decision` reused for every claim.
    PayerlexInto,
    /// The decision id alone (`DecisionId::of`: XXH3 of the claim's fields), part of every check.
    PayerlexId,
    /// `Engine::check` reading an `InMemoryHistory` and recording each decided claim in it.
    PayerlexHistory,
    /// `Engine::check_with` with explanations on.
    PayerlexExplain,
    /// Building a payerlex `Claim` from the host's record, and nothing else.
    PayerlexBuild,
    /// regorus's Rego interpreter.
    Regorus,
    /// regorus's Rego VM (RVM).
    RegorusRvm,
    /// zen-engine (GoRules JDM).
    Zen,
}

impl Mode {
    /// Every mode, in table order.
    pub const ALL: [Mode; 10] = [
        Mode::Handwritten,
        Mode::Payerlex,
        Mode::PayerlexInto,
        Mode::PayerlexId,
        Mode::PayerlexHistory,
        Mode::PayerlexExplain,
        Mode::PayerlexBuild,
        Mode::RegorusRvm,
        Mode::Regorus,
        Mode::Zen,
    ];

    /// The command-line name.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Handwritten => "handwritten",
            Mode::Payerlex => "payerlex",
            Mode::PayerlexInto => "payerlex-into",
            Mode::PayerlexId => "payerlex-id",
            Mode::PayerlexHistory => "payerlex-history",
            Mode::PayerlexExplain => "payerlex-explain",
            Mode::PayerlexBuild => "payerlex-build",
            Mode::Regorus => "regorus",
            Mode::RegorusRvm => "regorus-rvm",
            Mode::Zen => "zen",
        }
    }

    /// What the mode's timed call is, for the table.
    pub fn description(self) -> &'static str {
        match self {
            Mode::Handwritten => "hand-written Rust",
            Mode::Payerlex => "payerlex `Engine::check` (NoHistory)",
            Mode::PayerlexInto => "payerlex `check_into`, reused `Decision`",
            Mode::PayerlexId => "of which the decision id (`DecisionId::of`)",
            Mode::PayerlexHistory => "payerlex check + record in InMemoryHistory",
            Mode::PayerlexExplain => "payerlex `check_with` explain",
            Mode::PayerlexBuild => "build a payerlex `Claim` from the host struct",
            Mode::Regorus => "regorus interpreter (Rego)",
            Mode::RegorusRvm => "regorus RVM (Rego)",
            Mode::Zen => "zen-engine (JDM)",
        }
    }

    /// Whether this build can run the mode: regorus and zen need the `engines` feature.
    pub fn is_available(self) -> bool {
        cfg!(feature = "engines") || !self.is_slow()
    }

    /// Engines two orders of magnitude slower, for which fewer rounds are enough.
    pub fn is_slow(self) -> bool {
        matches!(self, Mode::Regorus | Mode::RegorusRvm | Mode::Zen)
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Mode {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Mode::ALL
            .into_iter()
            .find(|m| m.name() == text)
            .ok_or_else(|| {
                let names: Vec<&str> = Mode::ALL.iter().map(|m| m.name()).collect();
                format!("unknown mode `{text}` (one of {})", names.join(", "))
            })
    }
}
