//! The shared vocabulary of the stages after parsing: operators, resolved sets, typed
//! conditions and checked rules.
//!
//! `check` produces these types from the syntax tree; `compile`, `eval`, `lint` and the
//! reference interpreter consume them without importing the checker or the AST. Keeping the
//! vocabulary in its own layer is what makes the dependency graph point one way:
//! `source`/`facts` <- `tables` <- `ir` <- `check`/`compile` <- `eval` <- `engine`.

mod cond;
mod needs;
pub mod ops;
mod policy;
mod sets;
mod walk;

pub use cond::*;
pub use needs::Needs;
pub use ops::*;
pub use policy::*;
pub use sets::*;
pub use walk::Visit;
