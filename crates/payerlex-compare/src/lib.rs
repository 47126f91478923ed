//! Measures payerlex against the hand-written Rust baseline and two general rule engines,
//! regorus (Rego; interpreter and RVM) and zen-engine (GoRules JDM), on the same six
//! 3D-rendering rules and the same generated claims, in one run.
//!
//! The `measure` binary asserts that every engine agrees with the hand-written reference on
//! every line of every claim before it times anything, then reports ns, allocations and bytes
//! per claim; `scripts/compare.sh` adds instruction counts from callgrind and prints one
//! table. A separate workspace, so `cargo test --workspace` never builds the other engines.
//!
//! payerlex is named in [`payerlex_api`] only (and in the shared hand-written baseline).

pub mod alloc;
pub mod error;
pub mod findings;
pub mod generate;
#[path = "../../payerlex/benches/support/handwritten.rs"]
mod handwritten;
pub mod host;
pub mod mode;
pub mod payerlex_api;
pub mod reference;
#[cfg(feature = "engines")]
pub mod rego;
pub mod runner;
pub mod table;
#[cfg(feature = "engines")]
pub mod zen;

pub use error::CompareError;
pub use mode::Mode;
#[cfg(feature = "engines")]
pub use rego::THREE_D_REGO;
pub use runner::{measure, Measurement, Workload};
