//! The streaming reader: interchange in, one record per claim out.
//!
//! It runs the tokenizer, tracks the envelope (ISA/GS/ST ... SE/GE/IEA, several of each),
//! walks each transaction set's loops and hands every finished claim (its 2300 loop closed)
//! to the mapping, yielding it before reading further: the input is one borrowed buffer and
//! nothing is kept per claim once it is yielded. Every CLM yields exactly one record, a claim
//! or a rejected claim; problems outside any claim (the envelope, a loop with no claims)
//! yield error records of their own.

mod envelope;

use std::collections::VecDeque;
use std::sync::Arc;

use crate::assemble::{Assembler, Located};
use crate::error::{ErrorKind, Shown, X12Error};
use crate::map::map_claim;
use crate::record::{ClaimSource, ReadClaim, Record, RejectedClaim};
use crate::schema::{Implementation, Role, Scope};
use crate::segment::Segment;
use crate::tokenizer::Tokenizer;
use crate::walker::{Spot, WalkEvent, Walker};
use crate::PayerMap;

/// Most claims one transaction set may carry (the TR3 recommends at most 5,000).
pub const MAX_CLAIMS_PER_TRANSACTION: usize = 100_000;

/// Most segments one transaction set may carry (positions must fit the coordinates).
pub const MAX_SEGMENTS_PER_TRANSACTION: u32 = 50_000_000;

pub(crate) struct Transaction<'a> {
    control: Arc<str>,
    implementation: Option<Implementation>,
    walker: Option<Walker>,
    /// Why the set is not read (not an 837, unknown guide): each CLM is rejected with this.
    refused: Option<X12Error>,
    position: u32,
    claims: usize,
    assembler: Assembler<'a>,
}

pub(crate) struct Group {
    control: Arc<str>,
    version: Vec<u8>,
}

/// Streams the claims of an X12 interchange (see the crate docs).
pub struct Reader<'a> {
    tokens: Tokenizer<'a>,
    payers: Option<&'a PayerMap>,
    interchange: Option<Arc<str>>,
    group: Option<Group>,
    transaction: Option<Transaction<'a>>,
    pending: VecDeque<Record>,
    events: Vec<WalkEvent>,
    finished: bool,
}

pub(crate) fn text(bytes: Option<&[u8]>) -> Arc<str> {
    Arc::from(String::from_utf8_lossy(bytes.unwrap_or(b"")).trim())
}

impl<'a> Reader<'a> {
    /// A reader over a whole input. Fails when the input is not an interchange (no ISA, or an
    /// ISA that is not in its fixed 106-character layout): the file is unusable.
    pub fn new(input: &'a [u8]) -> Result<Self, X12Error> {
        Ok(Self {
            tokens: Tokenizer::new(input)?,
            payers: None,
            interchange: None,
            group: None,
            transaction: None,
            pending: VecDeque::new(),
            events: Vec::with_capacity(16),
            finished: false,
        })
    }

    /// Maps payer ids (2010BB NM109) to pack ids; a payer missing from the map rejects its
    /// claims. Without a map the payer id itself names the pack.
    pub fn with_payer_map(mut self, payers: &'a PayerMap) -> Self {
        self.payers = Some(payers);
        self
    }

    fn envelope_error(&mut self, problem: String, segment_id: &str, offset: usize) {
        let mut error = X12Error::new(ErrorKind::Envelope, problem);
        error.at.segment_id = Some(segment_id.to_owned());
        error.at.offset = offset;
        self.standalone(error);
    }

    /// Adds envelope coordinates and queues an error record.
    fn standalone(&mut self, mut error: X12Error) {
        self.stamp(&mut error, None);
        self.pending.push_back(Record::Error(Box::new(error)));
    }

    fn stamp(&self, error: &mut X12Error, claim: Option<&str>) {
        if error.at.interchange.is_none() {
            error.at.interchange = self.interchange.as_deref().map(str::to_owned);
        }
        if error.at.group.is_none() {
            error.at.group = self.group.as_ref().map(|g| g.control.to_string());
        }
        if error.at.transaction.is_none() {
            error.at.transaction = self.transaction.as_ref().map(|t| t.control.to_string());
        }
        if error.at.claim.is_none() {
            error.at.claim = claim.map(str::to_owned);
        }
    }

    fn segment(&mut self, segment: Segment<'a>) {
        match segment.id() {
            b"ISA" => self.isa(&segment),
            b"GS" => self.gs(&segment),
            b"ST" => self.st(&segment),
            b"SE" => self.se(&segment),
            b"GE" => self.ge(&segment),
            b"IEA" => self.iea(&segment),
            _ if self.transaction.is_some() => self.body(segment),
            _ => {
                if segment.id() == b"CLM" {
                    let mut error = X12Error::new(
                        ErrorKind::Envelope,
                        "CLM outside a transaction set (no ST before it)",
                    );
                    error.at.segment_id = Some("CLM".to_owned());
                    error.at.offset = segment.offset();
                    self.reject_unplaced_claim(&segment, 0, error);
                } else {
                    let problem = format!("segment {} outside a transaction set", segment.id_str());
                    self.envelope_error(problem, segment.id_str(), segment.offset());
                }
            }
        }
    }

    /// Ends a transaction set that has no SE (the next envelope segment, or the input's end,
    /// came first). An open claim is rejected: it may be incomplete.
    fn abandon_transaction(&mut self, before: &str, offset: usize) {
        let Some(tx) = self.transaction.as_mut() else {
            return;
        };
        let position = tx.position.saturating_add(1);
        let mut error = X12Error::new(
            ErrorKind::Envelope,
            format!(
                "transaction set {} has no SE before {before} (truncated?)",
                Shown::Code(tx.control.as_bytes()).render()
            ),
        );
        error.at.segment = Some(position);
        error.at.segment_id = Some("SE".to_owned());
        error.at.offset = offset;
        let claim_open = tx.assembler.claim.is_some();
        if claim_open {
            let mut error = error.clone();
            error.problem.push_str(": the claim may be incomplete");
            self.route(error, Scope::Claim);
        }
        let at = Spot {
            position,
            offset,
            id: "SE",
        };
        self.finish_transaction(at);
        if !claim_open {
            self.standalone(error);
        }
    }

    fn finish_transaction(&mut self, at: Spot<'_>) {
        let mut events = std::mem::take(&mut self.events);
        if let Some(walker) = self.transaction.as_mut().and_then(|t| t.walker.as_mut()) {
            walker.finish(at, &mut events);
        }
        self.process(&mut events, None);
        self.events = events;
        self.transaction = None;
    }

    fn body(&mut self, segment: Segment<'a>) {
        let Some(tx) = self.transaction.as_mut() else {
            return;
        };
        tx.position = tx.position.saturating_add(1);
        let position = tx.position;
        if position > MAX_SEGMENTS_PER_TRANSACTION && tx.refused.is_none() {
            let located = Located {
                segment,
                position,
                loop_id: "",
            };
            let error = located.error(ErrorKind::Limit, format!("more than {MAX_SEGMENTS_PER_TRANSACTION} segments in one transaction set: the rest is skipped"));
            tx.walker = None;
            let mut shown = error.clone();
            self.stamp(&mut shown, None);
            if let Some(tx) = self.transaction.as_mut() {
                tx.refused = Some(shown.clone());
            }
            self.pending.push_back(Record::Error(Box::new(shown)));
        }
        let Some(tx) = self.transaction.as_mut() else {
            return;
        };
        if let Some(refused) = tx.refused.clone() {
            if segment.id() == b"CLM" {
                self.reject_unplaced_claim(&segment, position, refused);
            }
            return;
        }
        let mut events = std::mem::take(&mut self.events);
        if let Some(walker) = tx.walker.as_mut() {
            walker.step(&segment, position, &mut events);
        }
        self.process(&mut events, Some((segment, position)));
        self.events = events;
    }

    /// Acts on what the walker said about `current` (or, without one, about closing loops).
    fn process(&mut self, events: &mut Vec<WalkEvent>, current: Option<(Segment<'a>, u32)>) {
        let unplaced_claim = current
            .filter(|(s, _)| s.id() == b"CLM")
            .filter(|_| !events.iter().any(|e| matches!(e, WalkEvent::Placed { .. })));
        let mut unplaced_reported = false;
        for event in events.drain(..) {
            match event {
                WalkEvent::Placed { def, entered } => {
                    let Some((segment, position)) = current else {
                        continue;
                    };
                    let Some(tx) = self.transaction.as_mut() else {
                        continue;
                    };
                    let at = Located {
                        segment,
                        position,
                        loop_id: def.id,
                    };
                    tx.assembler.placed(def.role, entered, at);
                    if def.role == Role::Claim && entered {
                        tx.claims += 1;
                        if tx.claims > MAX_CLAIMS_PER_TRANSACTION {
                            let error = at.error(ErrorKind::Limit, format!("more than {MAX_CLAIMS_PER_TRANSACTION} claims in one transaction set"));
                            self.route(error, Scope::Claim);
                        }
                    }
                }
                WalkEvent::Error { error, scope } => match unplaced_claim {
                    Some((segment, position)) if !unplaced_reported => {
                        unplaced_reported = true;
                        self.reject_unplaced_claim(&segment, position, error);
                    }
                    _ => self.route(error, scope),
                },
                WalkEvent::Closed { def } => self.closed(def.role, def.id.is_empty()),
            }
        }
    }

    fn route(&mut self, mut error: X12Error, scope: Scope) {
        self.stamp(&mut error, None);
        let Some(tx) = self.transaction.as_mut() else {
            self.pending.push_back(Record::Error(Box::new(error)));
            return;
        };
        if let Some(error) = tx.assembler.error(error, scope) {
            self.pending.push_back(Record::Error(Box::new(error)));
        }
    }

    fn closed(&mut self, role: Role, root: bool) {
        let Some(tx) = self.transaction.as_mut() else {
            return;
        };
        let leftover = match role {
            Role::Claim => {
                self.finish_claim();
                None
            }
            Role::BillingLevel => tx.assembler.billing.unreported(),
            Role::SubscriberLevel => tx.assembler.subscriber.unreported(),
            Role::PatientLevel => tx.assembler.patient.unreported(),
            _ if root => tx.assembler.header.unreported(),
            _ => None,
        };
        if let Some(error) = leftover {
            self.pending.push_back(Record::Error(Box::new(error)));
        }
    }

    fn source(
        &self,
        segment: &Segment<'_>,
        position: u32,
        claim_id: Option<String>,
        service_lines: usize,
    ) -> ClaimSource {
        ClaimSource {
            interchange: self.interchange.clone().unwrap_or_else(|| Arc::from("")),
            group: self
                .group
                .as_ref()
                .map(|g| g.control.clone())
                .unwrap_or_else(|| Arc::from("")),
            transaction: self
                .transaction
                .as_ref()
                .map(|t| t.control.clone())
                .unwrap_or_else(|| Arc::from("")),
            implementation: self.transaction.as_ref().and_then(|t| t.implementation),
            segment: position,
            offset: segment.offset(),
            claim_id,
            service_lines,
        }
    }

    /// A CLM that opened no claim: one rejected record for it, so every CLM has one.
    fn reject_unplaced_claim(&mut self, segment: &Segment<'_>, position: u32, mut error: X12Error) {
        let claim_id = readable_claim_id(segment);
        self.stamp(&mut error, claim_id.as_deref());
        let source = self.source(segment, position, claim_id, 0);
        self.pending
            .push_back(Record::Rejected(Box::new(RejectedClaim { error, source })));
    }

    fn finish_claim(&mut self) {
        let Some(tx) = self.transaction.as_mut() else {
            return;
        };
        let Some(mut raw) = tx.assembler.claim.take() else {
            return;
        };
        let claim_id = readable_claim_id(&raw.clm.segment);
        let inherited = tx.assembler.inherited_error(&mut raw);
        let implementation = tx.implementation;
        let result = match (inherited, implementation) {
            (Some(error), _) => Err(error),
            (None, Some(implementation)) => {
                map_claim(&raw, &tx.assembler, implementation, self.payers)
            }
            (None, None) => Err(raw
                .clm
                .error(ErrorKind::Unsupported, "unknown implementation guide")),
        };
        let source = self.source(
            &raw.clm.segment,
            raw.clm.position,
            claim_id.clone(),
            raw.lines.len(),
        );
        let record = match result {
            Ok(mapped) => Record::Claim(Box::new(ReadClaim {
                claim: mapped.claim,
                source,
                payer: mapped.payer,
            })),
            Err(mut error) => {
                self.stamp(&mut error, claim_id.as_deref());
                Record::Rejected(Box::new(RejectedClaim { error, source }))
            }
        };
        self.pending.push_back(record);
        if let Some(tx) = self.transaction.as_mut() {
            tx.assembler.recycle(raw);
        }
    }

    fn token_error(&mut self, mut error: X12Error) {
        let Some(tx) = self.transaction.as_mut() else {
            self.standalone(error);
            return;
        };
        tx.position = tx.position.saturating_add(1);
        error.at.segment = Some(tx.position);
        let scope = match tx.walker.as_ref() {
            Some(walker) => {
                let context = walker.context();
                if !context.loop_id.is_empty() {
                    error.at.loop_id = Some(context.loop_id);
                }
                context.scope
            }
            None => Scope::Transaction,
        };
        if error.kind == ErrorKind::Envelope {
            // A damaged ISA: nothing after it can be read.
            self.abandon_transaction("a damaged ISA", error.at.offset);
            self.standalone(error);
            return;
        }
        self.route(error, scope);
    }

    fn end(&mut self) {
        let offset = self.tokens.offset();
        self.abandon_transaction("the end of the input", offset);
        if self.group.take().is_some() {
            self.envelope_error(
                "functional group not closed: GE missing at the end of the input".to_owned(),
                "GE",
                offset,
            );
        }
        if self.interchange.take().is_some() {
            self.envelope_error(
                "interchange not closed: IEA missing at the end of the input".to_owned(),
                "IEA",
                offset,
            );
        }
    }
}

/// CLM01 as text, when it is printable.
fn readable_claim_id(clm: &Segment<'_>) -> Option<String> {
    let raw = clm.value(1)?;
    let text = std::str::from_utf8(raw).ok()?;
    (text.len() <= 80 && text.bytes().all(|b| (b' '..=b'~').contains(&b))).then(|| text.to_owned())
}

impl Iterator for Reader<'_> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            if let Some(record) = self.pending.pop_front() {
                return Some(record);
            }
            if self.finished {
                return None;
            }
            match self.tokens.next() {
                Some(Ok(segment)) => self.segment(segment),
                Some(Err(error)) => self.token_error(error),
                None => {
                    self.end();
                    self.finished = true;
                }
            }
        }
    }
}
