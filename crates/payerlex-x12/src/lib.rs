//! X12 837P/837I claims in, 835-style adjustments out, for payerlex.
//!
//! Billing systems and clearinghouses send professional claims as X12 837P 5010
//! (005010X222A1) and facility claims as 837I (005010X223A2). [`Reader`] streams an
//! interchange (ISA/GS/ST ... SE/GE/IEA, several of each, whatever delimiters each ISA
//! declares, with or without line breaks) and yields one record per CLM: a
//! [`payerlex::Claim`] built directly from the segments, or a rejected claim whose error
//! carries 999 coordinates (transaction set, segment position with ST = 1, segment id, loop,
//! element, component, and the claim id). A malformed claim does not stop the others; a file
//! that is not an interchange fails at [`Reader::new`].
//!
//! ```no_run
//! let input = std::fs::read("claims.837")?;
//! let engine = payerlex::Engine::load("policies")?;
//! for record in payerlex_x12::Reader::new(&input)? {
//!     if let payerlex_x12::Record::Claim(read) = record {
//!         let decision = engine.check(&read.claim, &payerlex::NoHistory)?;
//!         payerlex_x12::write_adjustments(&mut std::io::stdout(), &read.claim, &decision)?;
//!     }
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Why the reader is hand-written
//!
//! No Rust crate parses 837 loops with positions, and the two parts of the job suit
//! hand-written code. The tokenizer ([`tokenizer`]) is tiny but data-dependent: delimiters
//! come from each ISA's fixed layout, so a regex or grammar would have to be rebuilt per
//! interchange and would allocate per token; here a segment is one `memchr` and a borrowed
//! slice, with no allocation per segment. Loops have no markers and are recognised by first
//! segment + qualifier, so the walker (module `walker`) is the small table-driven state machine
//! pyx12, stupidedi and imsweb's parser converged on, over tables (module `schema`) that follow
//! the implementation guides.
//!
//! # Stages
//!
//! [`tokenizer`] (bytes -> segments) -> `walker` (segments -> loops, structure errors) ->
//! `assemble` (the segments of each claim and its ancestors) -> `map` (typed claim, value
//! errors) -> [`Reader`]. [`write_adjustments`] writes a decision as SVC/CAS/LQ segments.
//!
//! What is not checked: control counts (SE01, GE01, IEA01; several public samples carry wrong
//! ones) and HL parent ids; segments are validated as far as the mapping reads them (required
//! elements of the segments it maps, and the segment and loop structure of every loop).

mod assemble;
pub mod delimiters;
pub mod error;
pub mod group;
mod map;
mod model;
pub mod payer_map;
mod reader;
mod record;
pub mod remit;
mod schema;
pub mod segment;
pub mod tokenizer;
mod trace;
mod walker;

pub use delimiters::Delimiters;
pub use error::{Coordinates, ErrorKind, X12Error};
pub use group::group_of;
pub use map::PayerSource;
pub use payer_map::{PayerMap, PayerMapError};
pub use payerlex::GroupCode;
pub use reader::{Reader, MAX_CLAIMS_PER_TRANSACTION, MAX_SEGMENTS_PER_TRANSACTION};
pub use record::{ClaimSource, ReadClaim, Record, RejectedClaim};
pub use remit::{write_adjustments, RemitError};
pub use schema::Implementation;
pub use segment::Segment;
pub use tokenizer::{Tokenizer, MAX_ELEMENTS, MAX_SEGMENT_LEN};
pub use trace::{trace_loops, PlacedSegment};
