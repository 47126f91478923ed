//! Which loop each segment lands in: the walker's view of an interchange, for debugging a
//! file ("why is my NM1*82 not the line's rendering provider?") and for tests.

use crate::error::X12Error;
use crate::schema::Implementation;
use crate::tokenizer::Tokenizer;
use crate::walker::{WalkEvent, Walker};

/// A segment of a transaction set and the loop it was placed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedSegment {
    /// ST02 of its transaction set.
    pub transaction: String,
    /// Position in the transaction set (ST = 1).
    pub position: u32,
    /// Segment id.
    pub segment_id: String,
    /// The loop (`2420A`); `None` for the header and for segments no loop takes.
    pub loop_id: Option<&'static str>,
}

/// Places every segment inside the transaction sets of `input` (envelope segments and
/// unreadable segments are left out; see [`crate::Reader`] for errors).
pub fn trace_loops(input: &[u8]) -> Result<Vec<PlacedSegment>, X12Error> {
    let mut placed = Vec::new();
    let mut events = Vec::new();
    let mut version: Vec<u8> = Vec::new();
    let mut open: Option<(String, u32, Option<Walker>)> = None;
    for segment in Tokenizer::new(input)? {
        let Ok(segment) = segment else {
            // An unreadable segment still takes a position.
            if let Some((_, position, _)) = open.as_mut() {
                *position += 1;
            }
            continue;
        };
        match segment.id() {
            b"GS" => version = segment.element(8).unwrap_or(b"").to_vec(),
            b"ST" => {
                let reference = segment.value(3).unwrap_or(&version);
                let walker =
                    Implementation::from_reference(reference).map(|i| Walker::new(i.root()));
                let control =
                    String::from_utf8_lossy(segment.element(2).unwrap_or(b"")).into_owned();
                open = Some((control, 1, walker));
            }
            b"SE" | b"GE" | b"IEA" | b"ISA" => open = None,
            _ => {
                let Some((control, position, walker)) = open.as_mut() else {
                    continue;
                };
                *position += 1;
                let mut loop_id = None;
                if let Some(walker) = walker.as_mut() {
                    events.clear();
                    walker.step(&segment, *position, &mut events);
                    loop_id = events.iter().find_map(|e| match e {
                        WalkEvent::Placed { def, .. } if !def.id.is_empty() => Some(def.id),
                        _ => None,
                    });
                }
                placed.push(PlacedSegment {
                    transaction: control.clone(),
                    position: *position,
                    segment_id: segment.id_str().to_owned(),
                    loop_id,
                });
            }
        }
    }
    Ok(placed)
}
