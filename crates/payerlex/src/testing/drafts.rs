//! Drafts: the random choices of one generated claim, before they are resolved into a valid
//! claim and history.
//!
//! Many choices only make sense relative to the claim as a whole: a history date is "90 days
//! before the claim's main date", a rendering NPI is "the billing NPI" or "another one", an
//! authorisation covers "the second line's code, on its date", a birth date makes the patient
//! 18 "on the line's date" but must not fall after any line. proptest draws (and shrinks) the
//! choices as plain data here; `build` resolves them once the anchor date, the lines and the
//! billing NPI are known, so every generated claim passes `Claim::validate` by construction
//! and a shrunk choice (index 0, `None`, an empty list) means the plainest claim.

use super::space_context::DateShift;
use crate::eval::Outcome;
use crate::facts::{
    Authorization, Claim, Date, Diagnosis, Frequency, Line, LineDiagnoses, Modifiers, Npi,
    PlaceOfService, PriorLine, ProcedureCode, ProviderRole, Rendering, Sex, Taxonomy,
};

/// A line's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DraftDate {
    /// The claim's main date of service.
    Anchor,
    /// A fixed date of the space (around an effective or expiry date).
    At(Date),
    /// A date relative to the main date (a window's or a date shift's edge).
    Shift(DateShift),
}

impl DraftDate {
    pub(super) fn resolve(self, anchor: Date) -> Date {
        match self {
            DraftDate::Anchor => anchor,
            DraftDate::At(date) => date,
            DraftDate::Shift(shift) => shift.apply(anchor),
        }
    }
}

/// A rendering provider: an index into the candidate NPIs (0: the billing provider's own NPI)
/// and a taxonomy, if stated.
pub(super) type RenderingDraft = Option<(usize, Option<Taxonomy>)>;

/// The NPI of `candidates[index]` where candidates are `billing` then every NPI of `npis`
/// that differs from it (`OTHER` stands in when `npis` is empty).
fn npi_at(index: usize, billing: Npi, npis: &[Npi], fallback_other: Npi) -> Npi {
    if index == 0 {
        return billing;
    }
    let others: Vec<Npi> = npis.iter().copied().filter(|n| *n != billing).collect();
    if others.is_empty() {
        return if fallback_other == billing {
            billing
        } else {
            fallback_other
        };
    }
    others[(index - 1) % others.len()]
}

fn rendering(draft: RenderingDraft, billing: Npi, npis: &[Npi], other: Npi) -> Option<Rendering> {
    draft.map(|(index, taxonomy)| Rendering {
        npi: npi_at(index, billing, npis, other),
        taxonomy,
    })
}

/// One line of the claim.
#[derive(Debug, Clone)]
pub(super) struct LineDraft {
    pub code: ProcedureCode,
    pub modifiers: Modifiers,
    pub units: u32,
    pub date: DraftDate,
    /// Bit i: point to diagnosis i+1 (when the claim has it).
    pub pointers: u8,
    pub place: Option<PlaceOfService>,
    pub rendering: RenderingDraft,
}

impl LineDraft {
    pub(super) fn build(self, number: u32, diagnoses: usize, anchor: Date) -> Line {
        let diagnosis_pointers = (0u8..4)
            .filter(|i| self.pointers & (1 << i) != 0 && usize::from(*i) < diagnoses)
            .map(|i| i + 1)
            .collect();
        let mut line = Line::new(number, self.code, self.units, self.date.resolve(anchor));
        line.modifiers = self.modifiers;
        line.diagnosis_pointers = diagnosis_pointers;
        line.place_of_service = self.place;
        line
    }
}

/// One line of an earlier claim.
#[derive(Debug, Clone)]
pub(super) struct HistoryLineDraft {
    pub code: ProcedureCode,
    pub modifiers: Modifiers,
    pub units: u32,
    pub date: DraftDate,
    pub place: Option<PlaceOfService>,
    pub rendering: RenderingDraft,
    pub diagnoses: Vec<Diagnosis>,
}

/// An earlier claim of the patient.
#[derive(Debug, Clone)]
pub(super) struct HistoryDraft {
    pub lines: Vec<HistoryLineDraft>,
    pub other_provider: bool,
    /// Which other NPI bills it when `other_provider` (an index among the NPIs).
    pub other_index: usize,
    pub role: ProviderRole,
    pub outcome: Outcome,
}

/// What history lines resolve against.
pub(super) struct HistoryContext<'a> {
    pub billing: Npi,
    pub npis: &'a [Npi],
    pub other: Npi,
    pub anchor: Date,
}

impl HistoryDraft {
    pub(super) fn build(self, index: usize, cx: &HistoryContext<'_>) -> Vec<PriorLine> {
        let npi = if self.other_provider {
            npi_at(self.other_index + 1, cx.billing, cx.npis, cx.other)
        } else {
            cx.billing
        };
        let (role, outcome) = (self.role, self.outcome);
        self.lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| {
                let mut line = PriorLine::new(
                    format!("H{}", index + 1),
                    i as u32 + 1,
                    l.code,
                    l.units,
                    l.date.resolve(cx.anchor),
                    npi,
                    outcome,
                );
                line.modifiers = l.modifiers;
                line.role = role;
                line.place_of_service = l.place.unwrap_or(PlaceOfService::OFFICE);
                if let Some(r) = rendering(l.rendering, npi, cx.npis, cx.other) {
                    line.rendering_npi = r.npi;
                    line.rendering_taxonomy = r.taxonomy;
                }
                line.diagnoses = LineDiagnoses::from_diagnoses(&l.diagnoses);
                line
            })
            .collect()
    }
}

/// An authorisation record: which line it is drawn around, which codes it lists, which
/// dates it spans and how many units it allows.
#[derive(Debug, Clone)]
pub(super) struct AuthorizationDraft {
    /// The line it is drawn around (modulo the number of lines).
    pub line: usize,
    /// Whether it lists that line's code.
    pub lists_code: bool,
    /// Another code it lists.
    pub extra_code: Option<ProcedureCode>,
    /// 0: the line's date only; 1: a month either side; 2: ends the day before; 3: starts
    /// the day after.
    pub span: u8,
    /// 0: unlimited; 1: the line's units; 2: one fewer; 3: one more.
    pub units: u8,
}

impl AuthorizationDraft {
    fn build(&self, number: usize, lines: &[Line]) -> Option<Authorization> {
        let target = lines.get(self.line % lines.len().max(1))?;
        let mut codes = Vec::new();
        if self.lists_code {
            codes.push(target.code);
        }
        codes.extend(self.extra_code.filter(|c| !codes.contains(c)));
        if codes.is_empty() {
            codes.push(target.code);
        }
        let d = target.date;
        let (from, to) = match self.span {
            0 => (d, d),
            1 => (d.add_days(-30), d.add_days(30)),
            2 => (d.add_days(-10), d.add_days(-1)),
            _ => (d.add_days(1), d.add_days(10)),
        };
        let units = match self.units {
            0 => None,
            1 => Some(target.units),
            2 => Some(target.units.saturating_sub(1)),
            _ => Some(target.units.saturating_add(1)),
        };
        Some(Authorization {
            number: format!("AUTH-{}", number + 1),
            codes,
            units,
            from,
            to,
        })
    }
}

/// How the claim relates to earlier ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FrequencyDraft {
    /// Frequency 1 stated.
    Original,
    /// Replaces earlier claim number `n` (`H{n+1}`; past the history: a claim never seen).
    Replaces(usize),
    /// Voids earlier claim number `n`.
    Voids(usize),
}

/// The patient, the providers, authorisations and frequency of a claim.
#[derive(Debug, Clone)]
pub(super) struct PartiesDraft {
    pub birth: Option<DateShift>,
    pub sex: Option<Sex>,
    /// Index of the billing NPI among the NPIs (0: the usual one).
    pub billing: usize,
    pub billing_taxonomy: Option<Taxonomy>,
    pub rendering: RenderingDraft,
    pub authorizations: Vec<AuthorizationDraft>,
    pub frequency: Option<FrequencyDraft>,
}

impl PartiesDraft {
    /// The billing NPI this draft chooses (`own` when no NPIs vary).
    pub(super) fn billing_npi(&self, npis: &[Npi], own: Npi) -> Npi {
        npis.get(self.billing).copied().unwrap_or(own)
    }

    /// Fills in `claim` (whose lines are built); `line_renderings` are the lines' drafts.
    pub(super) fn apply(
        self,
        claim: &mut Claim,
        anchor: Date,
        line_renderings: Vec<RenderingDraft>,
        npis: &[Npi],
        other: Npi,
    ) {
        let billing = claim.provider.npi;
        claim.provider.taxonomy = self.billing_taxonomy;
        claim.rendering = rendering(self.rendering, billing, npis, other);
        for (line, draft) in claim.lines.iter_mut().zip(line_renderings) {
            line.rendering = rendering(draft, billing, npis, other);
        }
        claim.patient_sex = self.sex;
        // A birth date after a line's date is invalid: such a patient is born that day.
        let first = claim.lines.iter().map(|l| l.date).min();
        claim.patient_birth_date = self
            .birth
            .map(|shift| shift.apply(anchor))
            .map(|born| first.map_or(born, |first| born.min(first)));
        claim.authorizations = self
            .authorizations
            .iter()
            .enumerate()
            .filter_map(|(i, a)| a.build(i, &claim.lines))
            .collect();
        let (frequency, replaces) = match self.frequency {
            None => (None, None),
            Some(FrequencyDraft::Original) => (Frequency::parse("1").ok(), None),
            Some(FrequencyDraft::Replaces(n)) => {
                (Some(Frequency::Replacement), Some(format!("H{}", n + 1)))
            }
            Some(FrequencyDraft::Voids(n)) => (Some(Frequency::Void), Some(format!("H{}", n + 1))),
        };
        claim.frequency = frequency;
        claim.replaces = replaces;
    }
}
