//! The envelope segments (ISA/GS/ST, SE/GE/IEA): opening and closing interchanges, groups
//! and transaction sets, with their control numbers, and choosing the loop tables of each
//! transaction set from its implementation reference.

use super::{text, Group, Reader, Transaction};
use crate::assemble::{Assembler, Located};
use crate::error::{ErrorKind, Shown};
use crate::record::Record;
use crate::schema::Implementation;
use crate::segment::Segment;
use crate::walker::{Spot, Walker};

impl<'a> Reader<'a> {
    pub(super) fn isa(&mut self, segment: &Segment<'a>) {
        self.abandon_transaction("ISA", segment.offset());
        if self.group.take().is_some() {
            self.envelope_error(
                "functional group not closed: GE missing before ISA".to_owned(),
                "GE",
                segment.offset(),
            );
        }
        if self.interchange.is_some() {
            self.envelope_error(
                "interchange not closed: IEA missing before ISA".to_owned(),
                "IEA",
                segment.offset(),
            );
        }
        self.interchange = Some(text(segment.element(13)));
    }

    pub(super) fn gs(&mut self, segment: &Segment<'a>) {
        self.abandon_transaction("GS", segment.offset());
        if self.interchange.is_none() {
            self.envelope_error(
                "GS outside an interchange (after IEA, before ISA)".to_owned(),
                "GS",
                segment.offset(),
            );
        }
        if self.group.is_some() {
            self.envelope_error(
                "functional group not closed: GE missing before GS".to_owned(),
                "GE",
                segment.offset(),
            );
        }
        self.group = Some(Group {
            control: text(segment.element(6)),
            version: segment.element(8).unwrap_or(b"").to_vec(),
        });
    }

    pub(super) fn st(&mut self, segment: &Segment<'a>) {
        self.abandon_transaction("ST", segment.offset());
        if self.group.is_none() {
            self.envelope_error(
                "ST outside a functional group (no GS before it)".to_owned(),
                "ST",
                segment.offset(),
            );
        }
        let control = text(segment.element(2));
        let reference = segment
            .value(3)
            .or_else(|| {
                self.group
                    .as_ref()
                    .map(|g| g.version.as_slice())
                    .filter(|v| !v.is_empty())
            })
            .unwrap_or(b"");
        let implementation = Implementation::from_reference(reference);
        let located = Located {
            segment: *segment,
            position: 1,
            loop_id: "",
        };
        let set = segment.element(1).unwrap_or(b"");
        let refused = if set != b"837" {
            Some(located.element_error(
                ErrorKind::Unsupported,
                format!(
                    "transaction set {} is not a claim (837): skipped",
                    Shown::Code(set).render()
                ),
                1,
                None,
                Shown::Code(set),
            ))
        } else if implementation.is_none() {
            let problem = format!(
                "implementation guide {} (ST03, else GS08) is not 837P/837I 5010 (005010X222, 005010X223) or 4010 (004010X098, 004010X096)",
                Shown::Code(reference).render()
            );
            let error = located
                .error(ErrorKind::Unsupported, problem)
                .shown(Shown::Code(reference));
            Some(if segment.value(3).is_some() {
                error.element(3, None)
            } else {
                error
            })
        } else {
            None
        };
        let walker = match (&refused, implementation) {
            (None, Some(i)) => Some(Walker::new(i.root())),
            _ => None,
        };
        self.transaction = Some(Transaction {
            control,
            implementation,
            walker,
            refused: None,
            position: 1,
            claims: 0,
            assembler: Assembler::default(),
        });
        if let Some(error) = refused {
            // Say it once for the set (stamped with its ST02), then reject each CLM with it.
            let mut shown = error.clone();
            self.stamp(&mut shown, None);
            if let Some(tx) = self.transaction.as_mut() {
                tx.refused = Some(shown.clone());
            }
            if set != b"837" {
                self.pending.push_back(Record::Error(Box::new(shown)));
            }
        }
    }

    pub(super) fn se(&mut self, segment: &Segment<'a>) {
        let Some(tx) = self.transaction.as_mut() else {
            self.envelope_error("SE without ST".to_owned(), "SE", segment.offset());
            return;
        };
        tx.position = tx.position.saturating_add(1);
        let at = Spot {
            position: tx.position,
            offset: segment.offset(),
            id: "SE",
        };
        let control = tx.control.clone();
        self.finish_transaction(at);
        let closing = text(segment.element(2));
        if closing != control {
            self.envelope_error(
                format!(
                    "SE02 {} does not match ST02 {}",
                    Shown::Code(closing.as_bytes()).render(),
                    Shown::Code(control.as_bytes()).render()
                ),
                "SE",
                segment.offset(),
            );
        }
    }

    pub(super) fn ge(&mut self, segment: &Segment<'a>) {
        self.abandon_transaction("GE", segment.offset());
        let Some(control) = self.group.as_ref().map(|g| g.control.clone()) else {
            self.envelope_error("GE without GS".to_owned(), "GE", segment.offset());
            return;
        };
        let closing = text(segment.element(2));
        if closing != control {
            let problem = format!(
                "GE02 {} does not match GS06",
                Shown::Code(closing.as_bytes()).render()
            );
            self.envelope_error(problem, "GE", segment.offset());
        }
        self.group = None;
    }

    pub(super) fn iea(&mut self, segment: &Segment<'a>) {
        self.abandon_transaction("IEA", segment.offset());
        if self.group.take().is_some() {
            self.envelope_error(
                "functional group not closed: GE missing before IEA".to_owned(),
                "GE",
                segment.offset(),
            );
        }
        match self.interchange.as_deref() {
            None => self.envelope_error("IEA without ISA".to_owned(), "IEA", segment.offset()),
            Some(control) => {
                let closing = text(segment.element(2));
                if *closing != *control {
                    self.envelope_error(
                        format!(
                            "IEA02 {} does not match ISA13",
                            Shown::Code(closing.as_bytes()).render()
                        ),
                        "IEA",
                        segment.offset(),
                    );
                }
            }
        }
        self.interchange = None;
    }
}
