//! One module per subcommand, plus the policy loading they share.

pub mod check;
pub mod diff;
pub mod explain;
pub mod fmt;
pub mod limits;
mod load;
pub mod lsp;
pub mod replay;
pub mod report;
pub mod test;
