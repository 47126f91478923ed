//! The loop walker: places each segment of a transaction set in its loop.
//!
//! A small state machine over the tables of [`crate::schema`], the algorithm X12 parsers
//! share: keep a stack of open loops (at most seven deep in an 837); for each segment, from the
//! innermost loop outwards, accept it as one of the loop's own segments (at or after the last
//! one seen: segments come in TR3 order), else as the first segment of a child loop (matching
//! qualifier), else close the loop and try its parent. A segment no open loop takes is an
//! error: out of order when a loop on the stack lists it, an unknown qualifier when a child
//! loop starts with that segment, unexpected otherwise. Repeat limits are checked as counted,
//! everywhere. Required segments and child loops are checked (when a loop's own segments end
//! and when it closes) in the loops a claim is built from (billing provider, subscriber,
//! payer, patient, claim, line, rendering provider): payerlex checks claims, it is not a 999
//! validator, and a missing REF in an other-payer loop should not keep a claim from its
//! policies. Events go into a caller-owned buffer, so walking allocates nothing per segment.

use crate::error::{ErrorKind, Shown, X12Error};
use crate::schema::{Child, LoopDef, Role, Scope, MAX_CHILDREN, MAX_SLOTS};
use crate::segment::Segment;

/// What the walker says about one segment (or a loop that closed before it).
#[derive(Debug)]
pub(crate) enum WalkEvent {
    /// The segment belongs to `def`; `entered` when it starts a new instance of the loop.
    Placed {
        def: &'static LoopDef,
        entered: bool,
    },
    /// A loop ended; any errors about its missing parts come before this.
    Closed { def: &'static LoopDef },
    /// A problem within `scope`.
    Error { error: X12Error, scope: Scope },
}

#[derive(Debug, Clone, Copy)]
struct Open {
    def: &'static LoopDef,
    /// Index of the last own segment seen (the trigger is slot 0).
    cursor: usize,
    /// First slot own segments may match (1 for loops: a repeated trigger starts a new loop).
    first_own: usize,
    counts: [u16; MAX_SLOTS],
    child_counts: [u32; MAX_CHILDREN],
    /// Children reported missing already (bit per child).
    reported: u32,
    children_started: bool,
    last_child: Option<usize>,
}

impl Open {
    fn new(def: &'static LoopDef, root: bool) -> Self {
        let mut counts = [0u16; MAX_SLOTS];
        if !root {
            counts[0] = 1;
        }
        Self {
            def,
            cursor: 0,
            first_own: usize::from(!root),
            counts,
            child_counts: [0; MAX_CHILDREN],
            reported: 0,
            children_started: false,
            last_child: None,
        }
    }
}

/// Where the walker is, for errors found outside it (unreadable segments).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Context {
    pub loop_id: &'static str,
    pub scope: Scope,
}

/// Walks one transaction set.
#[derive(Debug)]
pub(crate) struct Walker {
    stack: Vec<Open>,
}

fn loop_name(def: &LoopDef) -> Option<&'static str> {
    (!def.id.is_empty()).then_some(def.id)
}

/// Where the walker is in the input when it reports something.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Spot<'s> {
    /// Segment position in the transaction set (ST = 1).
    pub position: u32,
    /// Byte offset of that segment.
    pub offset: usize,
    /// Its id.
    pub id: &'s str,
}

impl<'s> Spot<'s> {
    fn of(segment: &Segment<'s>, position: u32) -> Self {
        Self {
            position,
            offset: segment.offset(),
            id: segment.id_str(),
        }
    }
}

fn placed_error(kind: ErrorKind, problem: String, at: Spot<'_>, def: &LoopDef) -> X12Error {
    let mut error = X12Error::new(kind, problem);
    error.at.segment = Some(at.position);
    error.at.segment_id = Some(at.id.to_owned());
    error.at.loop_id = loop_name(def);
    error.at.offset = at.offset;
    error
}

fn in_loop(def: &LoopDef) -> String {
    match loop_name(def) {
        Some(id) => format!("loop {id}"),
        None => "the transaction set header".to_owned(),
    }
}

fn trigger_matches(child: &Child, segment: &Segment<'_>) -> bool {
    if child.trigger.segment != segment.packed_id() {
        return false;
    }
    if child.trigger.element == 0 {
        return true;
    }
    let value = segment
        .element(usize::from(child.trigger.element))
        .unwrap_or(b"");
    child
        .trigger
        .codes
        .iter()
        .any(|code| code.as_bytes() == value)
}

impl Walker {
    /// A walker at the start of a transaction set (after ST).
    pub(crate) fn new(root: &'static LoopDef) -> Self {
        let mut stack = Vec::with_capacity(8);
        stack.push(Open::new(root, true));
        Self { stack }
    }

    /// The innermost open loop.
    pub(crate) fn context(&self) -> Context {
        match self.stack.last() {
            Some(open) => Context {
                loop_id: open.def.id,
                scope: open.def.scope,
            },
            None => Context {
                loop_id: "",
                scope: Scope::Transaction,
            },
        }
    }

    /// Places `segment` (at `position` in the transaction set), pushing events to `out`.
    pub(crate) fn step(&mut self, segment: &Segment<'_>, position: u32, out: &mut Vec<WalkEvent>) {
        let at = Spot::of(segment, position);
        let id = segment.packed_id();
        for level in (0..self.stack.len()).rev() {
            let Some(open) = self.stack.get(level) else {
                continue;
            };
            let def: &'static LoopDef = open.def;
            let own = if open.children_started {
                None
            } else {
                let from = open.cursor.max(open.first_own);
                def.slots
                    .iter()
                    .enumerate()
                    .skip(from)
                    .find(|(_, s)| s.id == id)
            };
            if let Some((index, slot)) = own {
                self.close_above(level, at, out);
                let Some(open) = self.stack.last_mut() else {
                    return;
                };
                open.cursor = index;
                let count = open
                    .counts
                    .get(index)
                    .copied()
                    .unwrap_or(0)
                    .saturating_add(1);
                if let Some(c) = open.counts.get_mut(index) {
                    *c = count;
                }
                if count > slot.max {
                    let problem = format!(
                        "segment {} appears more than {} time(s) in {}",
                        slot.name,
                        slot.max,
                        in_loop(def)
                    );
                    let error = placed_error(ErrorKind::SegmentRepeated, problem, at, def);
                    out.push(WalkEvent::Error {
                        error,
                        scope: def.scope,
                    });
                }
                out.push(WalkEvent::Placed {
                    def,
                    entered: false,
                });
                return;
            }
            let child = def
                .children
                .iter()
                .enumerate()
                .find(|(_, c)| trigger_matches(c, segment));
            if let Some((index, child)) = child {
                self.close_above(level, at, out);
                self.enter(index, child, at, out);
                return;
            }
        }
        self.misplaced(segment, at, out);
    }

    /// Closes every loop, root included, at the end of the transaction set (SE at `position`).
    pub(crate) fn finish(&mut self, at: Spot<'_>, out: &mut Vec<WalkEvent>) {
        while let Some(open) = self.stack.pop() {
            Self::close(open, at, out);
        }
    }

    fn close_above(&mut self, level: usize, at: Spot<'_>, out: &mut Vec<WalkEvent>) {
        while self.stack.len() > level + 1 {
            if let Some(open) = self.stack.pop() {
                Self::close(open, at, out);
            }
        }
    }

    /// Errors for required segments (if the loop's own part is still open) and loops missing.
    fn close(open: Open, at: Spot<'_>, out: &mut Vec<WalkEvent>) {
        if !open.children_started && open.def.role != Role::Other {
            Self::missing_segments(&open, at, out);
        }
        Self::missing_children(&open, open.def.children.len(), at, out);
        out.push(WalkEvent::Closed { def: open.def });
    }

    fn missing_segments(open: &Open, at: Spot<'_>, out: &mut Vec<WalkEvent>) {
        if open.def.role == Role::Other {
            return;
        }
        for (index, slot) in open.def.slots.iter().enumerate() {
            if slot.required && open.counts.get(index).copied().unwrap_or(0) == 0 {
                let problem = format!(
                    "segment {}, required in {}, is missing",
                    slot.name,
                    in_loop(open.def)
                );
                let mut error = placed_error(ErrorKind::MissingSegment, problem, at, open.def);
                error.at.segment_id = Some(slot.name.to_owned());
                out.push(WalkEvent::Error {
                    error,
                    scope: open.def.scope,
                });
            }
        }
    }

    /// Errors for required children before index `before` that never occurred.
    fn missing_children(open: &Open, before: usize, at: Spot<'_>, out: &mut Vec<WalkEvent>) {
        if open.def.role == Role::Other {
            return;
        }
        for (index, child) in open.def.children.iter().enumerate().take(before) {
            let reported = index < 32 && open.reported & (1 << index) != 0;
            if child.required
                && !reported
                && open.child_counts.get(index).copied().unwrap_or(0) == 0
            {
                let problem = format!(
                    "loop {}, required in {}, is missing",
                    child.def.id,
                    in_loop(open.def)
                );
                let mut error = placed_error(ErrorKind::MissingLoop, problem, at, open.def);
                error.at.loop_id = Some(child.def.id);
                error.at.segment_id = child.def.slots.first().map(|s| s.name.to_owned());
                out.push(WalkEvent::Error {
                    error,
                    scope: open.def.scope,
                });
            }
        }
    }

    fn enter(&mut self, index: usize, child: &Child, at: Spot<'_>, out: &mut Vec<WalkEvent>) {
        let Some(parent) = self.stack.last_mut() else {
            return;
        };
        if !parent.children_started {
            parent.children_started = true;
            Self::missing_segments(parent, at, out);
        }
        Self::missing_children(parent, index, at, out);
        for earlier in 0..index.min(32) {
            parent.reported |= 1 << earlier;
        }
        let out_of_order = parent.last_child.is_some_and(|last| last > index);
        let later = parent
            .last_child
            .and_then(|l| parent.def.children.get(l))
            .map_or("", |c| c.def.id);
        parent.last_child = Some(index);
        let count = parent
            .child_counts
            .get(index)
            .copied()
            .unwrap_or(0)
            .saturating_add(1);
        if let Some(c) = parent.child_counts.get_mut(index) {
            *c = count;
        }
        let parent_def = parent.def;
        self.stack.push(Open::new(child.def, false));
        // The loop is entered first, so errors about it land in the new loop (a claim).
        out.push(WalkEvent::Placed {
            def: child.def,
            entered: true,
        });
        if out_of_order {
            let problem = format!(
                "loop {} must come before loop {later} in {}",
                child.def.id,
                in_loop(parent_def)
            );
            let error = placed_error(ErrorKind::SegmentOutOfOrder, problem, at, child.def);
            out.push(WalkEvent::Error {
                error,
                scope: child.def.scope,
            });
        }
        if count > child.max {
            let problem = format!(
                "loop {} appears more than {} time(s) in {}",
                child.def.id,
                child.max,
                in_loop(parent_def)
            );
            let error = placed_error(ErrorKind::LoopRepeated, problem, at, child.def);
            out.push(WalkEvent::Error {
                error,
                scope: child.def.scope,
            });
        }
    }

    /// A segment no open loop takes: say why as precisely as the tables allow.
    fn misplaced(&self, segment: &Segment<'_>, at: Spot<'_>, out: &mut Vec<WalkEvent>) {
        let Some(top) = self.stack.last() else { return };
        let id = segment.packed_id();
        let scope = top.def.scope;
        // Trigger segments (slot 0) are not "out of order": repeated, they start a new loop.
        let holder = self
            .stack
            .iter()
            .rev()
            .find(|o| o.def.slots.iter().skip(o.first_own).any(|s| s.id == id));
        if let Some(holder) = holder {
            let problem = format!(
                "segment {} is out of order in {}",
                segment.id_str(),
                in_loop(holder.def)
            );
            let error = placed_error(ErrorKind::SegmentOutOfOrder, problem, at, holder.def);
            out.push(WalkEvent::Error { error, scope });
            return;
        }
        let starter = self
            .stack
            .iter()
            .rev()
            .flat_map(|o| o.def.children.iter().map(move |c| (o, c)))
            .find(|(_, c)| c.trigger.segment == id && c.trigger.element > 0);
        if let Some((open, child)) = starter {
            let element = child.trigger.element;
            let value = segment.element(usize::from(element)).unwrap_or(b"");
            let shown = Shown::Code(value);
            let problem = format!(
                "{}{:02} {} starts no loop in {}",
                segment.id_str(),
                element,
                if value.is_empty() {
                    "(empty)".to_owned()
                } else {
                    shown.render()
                },
                in_loop(open.def)
            );
            let error = placed_error(ErrorKind::UnknownQualifier, problem, at, top.def)
                .element(element, None)
                .shown(shown);
            out.push(WalkEvent::Error { error, scope });
            return;
        }
        let problem = format!(
            "segment {} has no place in {}",
            segment.id_str(),
            in_loop(top.def)
        );
        let error = placed_error(ErrorKind::UnexpectedSegment, problem, at, top.def);
        out.push(WalkEvent::Error { error, scope });
    }
}
