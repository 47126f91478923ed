//! One module per subcommand, plus the policy loading they share.

pub mod check;
mod load;
pub mod test;
