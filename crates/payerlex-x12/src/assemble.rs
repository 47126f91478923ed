//! Collects, from the placed segments of a transaction set, the ones a claim is built from.
//!
//! A claim in an 837 is spread over its ancestors: the billing provider's loop (2000A/2010AA),
//! the subscriber's and payer's (2000B/2010BA/2010BB), the patient's (2000C/2010CA), then the
//! claim (2300) and its lines (2400). This module keeps the current segment of each of those,
//! by reference into the input (no copy), and the first problem found at each level: an error
//! in a loop rejects every claim under it, and an error no claim reported is handed back when
//! its loop closes, so every problem surfaces once.

use crate::error::X12Error;
use crate::model::MAX_LINES;
use crate::schema::{Role, Scope};
use crate::segment::Segment;

/// Most DTP, REF or HI segments kept per claim. The loop tables allow at most 47 (4010 DTP);
/// beyond, the walker has reported the repeat and the claim is rejected anyway.
const MAX_KEPT: usize = 64;

/// Appends within a bound, so a hostile file cannot grow a claim without limit.
fn push_bounded<T>(items: &mut Vec<T>, item: T, bound: usize) {
    if items.len() < bound {
        items.push(item);
    }
}

/// A segment with where it was found.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Located<'a> {
    pub segment: Segment<'a>,
    /// Position in the transaction set (ST = 1).
    pub position: u32,
    /// The loop it was placed in.
    pub loop_id: &'static str,
}

/// The segments of one hierarchical level (billing provider, subscriber or patient).
#[derive(Debug, Default)]
pub(crate) struct Level<'a> {
    /// The HL segment.
    pub start: Option<Located<'a>>,
    /// Billing: PRV (taxonomy).
    pub taxonomy: Option<Located<'a>>,
    /// NM1 of 2010AA, 2010BA or 2010CA.
    pub name: Option<Located<'a>>,
    /// DMG of 2010BA or 2010CA.
    pub demographics: Option<Located<'a>>,
    /// Subscriber level: NM1 of the payer loop (2010BB).
    pub payer: Option<Located<'a>>,
    /// First problem in the level's own loops.
    pub error: Option<X12Error>,
    /// Whether a claim reported `error`.
    pub error_reported: bool,
}

impl<'a> Level<'a> {
    fn record(&mut self, error: X12Error) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    /// The level's error if no claim reported it (the level is closing).
    pub(crate) fn unreported(&mut self) -> Option<X12Error> {
        let error = self.error.take();
        let reported = std::mem::take(&mut self.error_reported);
        error.filter(|_| !reported)
    }
}

/// One service line's segments.
#[derive(Debug)]
pub(crate) struct RawLine<'a> {
    pub lx: Located<'a>,
    /// SV1 (837P) or SV2 (837I).
    pub service: Option<Located<'a>>,
    /// DTP*472.
    pub date: Option<Located<'a>>,
    /// NM1 of 2420A (2420C in 837I).
    pub rendering: Option<Located<'a>>,
    /// PRV of that loop.
    pub rendering_taxonomy: Option<Located<'a>>,
}

/// One claim's own segments.
#[derive(Debug)]
pub(crate) struct RawClaim<'a> {
    pub clm: Located<'a>,
    /// Whether the claim is under a patient level (2000C): the patient is not the subscriber.
    pub under_patient: bool,
    /// DTP segments of 2300.
    pub dates: Vec<Located<'a>>,
    /// REF segments of 2300.
    pub references: Vec<Located<'a>>,
    /// HI segments.
    pub diagnoses: Vec<Located<'a>>,
    /// NM1 of 2310B (2310D in 837I).
    pub rendering: Option<Located<'a>>,
    /// PRV of that loop.
    pub rendering_taxonomy: Option<Located<'a>>,
    pub lines: Vec<RawLine<'a>>,
    /// First problem inside the claim.
    pub error: Option<X12Error>,
}

impl<'a> RawClaim<'a> {
    /// Empties a finished claim for the next CLM, keeping its vectors' capacity.
    fn reset(&mut self, clm: Located<'a>, under_patient: bool) {
        self.clm = clm;
        self.under_patient = under_patient;
        self.dates.clear();
        self.references.clear();
        self.diagnoses.clear();
        self.rendering = None;
        self.rendering_taxonomy = None;
        self.lines.clear();
        self.error = None;
    }

    fn new(clm: Located<'a>, under_patient: bool) -> Self {
        Self {
            clm,
            under_patient,
            dates: Vec::new(),
            references: Vec::new(),
            diagnoses: Vec::new(),
            rendering: None,
            rendering_taxonomy: None,
            lines: Vec::new(),
            error: None,
        }
    }
}

/// The claim context of a transaction set as it is walked.
#[derive(Debug, Default)]
pub(crate) struct Assembler<'a> {
    pub header: Level<'a>,
    pub billing: Level<'a>,
    pub subscriber: Level<'a>,
    pub patient: Level<'a>,
    pub in_patient: bool,
    pub claim: Option<RawClaim<'a>>,
    /// A finished claim kept for its allocations.
    spare: Option<RawClaim<'a>>,
}

impl<'a> Assembler<'a> {
    /// A segment the walker placed in a loop with `role`.
    pub(crate) fn placed(&mut self, role: Role, entered: bool, at: Located<'a>) {
        let id = at.segment.id();
        match (role, id) {
            (Role::BillingLevel, _) if entered => {
                self.billing = Level {
                    start: Some(at),
                    ..Level::default()
                };
            }
            (Role::BillingLevel, b"PRV") => self.billing.taxonomy = Some(at),
            (Role::BillingName, b"NM1") => self.billing.name = Some(at),
            (Role::SubscriberLevel, _) if entered => {
                self.subscriber = Level {
                    start: Some(at),
                    ..Level::default()
                };
                self.in_patient = false;
            }
            (Role::SubscriberName, b"NM1") => self.subscriber.name = Some(at),
            (Role::SubscriberName, b"DMG") => self.subscriber.demographics = Some(at),
            (Role::PayerName, b"NM1") => self.subscriber.payer = Some(at),
            (Role::PatientLevel, _) if entered => {
                self.patient = Level {
                    start: Some(at),
                    ..Level::default()
                };
                self.in_patient = true;
            }
            (Role::PatientName, b"NM1") => self.patient.name = Some(at),
            (Role::PatientName, b"DMG") => self.patient.demographics = Some(at),
            (Role::Claim, _) if entered => {
                let claim = match self.spare.take() {
                    Some(mut claim) => {
                        claim.reset(at, self.in_patient);
                        claim
                    }
                    None => RawClaim::new(at, self.in_patient),
                };
                self.claim = Some(claim);
            }
            (Role::Claim, b"DTP") => self.with_claim(|c| push_bounded(&mut c.dates, at, MAX_KEPT)),
            (Role::Claim, b"REF") => {
                self.with_claim(|c| push_bounded(&mut c.references, at, MAX_KEPT))
            }
            (Role::Claim, b"HI") => {
                self.with_claim(|c| push_bounded(&mut c.diagnoses, at, MAX_KEPT))
            }
            (Role::ClaimRendering, b"NM1") => self.with_claim(|c| c.rendering = Some(at)),
            (Role::ClaimRendering, b"PRV") => self.with_claim(|c| c.rendering_taxonomy = Some(at)),
            (Role::Line, _) if entered => self.with_claim(|c| {
                let line = RawLine {
                    lx: at,
                    service: None,
                    date: None,
                    rendering: None,
                    rendering_taxonomy: None,
                };
                push_bounded(&mut c.lines, line, MAX_LINES);
            }),
            (Role::Line, b"SV1" | b"SV2") => self.with_line(|l| l.service = Some(at)),
            (Role::Line, b"DTP") if at.segment.element(1) == Some(b"472") => {
                self.with_line(|l| l.date = Some(at))
            }
            (Role::LineRendering, b"NM1") => self.with_line(|l| l.rendering = Some(at)),
            (Role::LineRendering, b"PRV") => self.with_line(|l| l.rendering_taxonomy = Some(at)),
            _ => {}
        }
    }

    /// Takes back a finished claim so the next one reuses its vectors.
    pub(crate) fn recycle(&mut self, claim: RawClaim<'a>) {
        self.spare = Some(claim);
    }

    fn with_claim(&mut self, f: impl FnOnce(&mut RawClaim<'a>)) {
        if let Some(claim) = self.claim.as_mut() {
            f(claim);
        }
    }

    fn with_line(&mut self, f: impl FnOnce(&mut RawLine<'a>)) {
        if let Some(line) = self.claim.as_mut().and_then(|c| c.lines.last_mut()) {
            f(line);
        }
    }

    /// A problem within `scope`. Returns it back when no open claim or level can hold it.
    pub(crate) fn error(&mut self, error: X12Error, scope: Scope) -> Option<X12Error> {
        match scope {
            Scope::Transaction => self.header.record(error),
            Scope::Billing => self.billing.record(error),
            Scope::Subscriber => self.subscriber.record(error),
            Scope::Patient => self.patient.record(error),
            Scope::Claim => match self.claim.as_mut() {
                Some(claim) => {
                    if claim.error.is_none() {
                        claim.error = Some(error);
                    }
                }
                None => return Some(error),
            },
        }
        None
    }

    /// The first problem (by position) a claim inherits from its levels or has itself; marks
    /// the level it came from as reported.
    pub(crate) fn inherited_error(&mut self, claim: &mut RawClaim<'a>) -> Option<X12Error> {
        let under_patient = claim.under_patient;
        let mut best: Option<(u32, usize)> = None;
        let candidates = [
            self.header.error.as_ref(),
            self.billing.error.as_ref(),
            self.subscriber.error.as_ref(),
            self.patient.error.as_ref().filter(|_| under_patient),
            claim.error.as_ref(),
        ];
        for (index, error) in candidates.iter().enumerate() {
            if let Some(error) = error {
                let position = error.at.segment.unwrap_or(0);
                let better = match best {
                    Some((p, _)) => position < p,
                    None => true,
                };
                if better {
                    best = Some((position, index));
                }
            }
        }
        let (_, index) = best?;
        let level = match index {
            0 => &mut self.header,
            1 => &mut self.billing,
            2 => &mut self.subscriber,
            3 => &mut self.patient,
            _ => return claim.error.take(),
        };
        level.error_reported = true;
        level.error.clone()
    }
}
