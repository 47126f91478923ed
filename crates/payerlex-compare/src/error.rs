//! Everything that can stop a comparison run, typed so the `measure` binary can say which
//! engine and which claim (by generated id; the claims are synthetic) went wrong.

use thiserror::Error;

/// Why a comparison could not be made.
#[derive(Debug, Error)]
pub enum CompareError {
    /// An engine could not load or compile the rules.
    #[error("{engine}: cannot load the rules: {message}")]
    Load {
        /// Engine name.
        engine: &'static str,
        /// What went wrong.
        message: String,
    },
    /// A host claim could not be turned into an engine's input.
    #[error("{engine}: claim {claim}: cannot build the input ({field}): {message}")]
    Input {
        /// Engine name.
        engine: &'static str,
        /// Generated claim id.
        claim: String,
        /// The field at fault.
        field: &'static str,
        /// What went wrong.
        message: String,
    },
    /// An engine failed on a claim.
    #[error("{engine}: claim {claim}: evaluation failed: {message}")]
    Evaluate {
        /// Engine name.
        engine: &'static str,
        /// Generated claim id.
        claim: String,
        /// What went wrong.
        message: String,
    },
    /// An engine's output could not be read as findings.
    #[error("{engine}: claim {claim}: unexpected output: {message}")]
    Output {
        /// Engine name.
        engine: &'static str,
        /// Generated claim id.
        claim: String,
        /// What was unexpected.
        message: String,
    },
    /// An engine disagrees with the hand-written reference.
    #[error("{engine} disagrees with the hand-written reference on claim {claim}: reference {expected}, {engine} {actual}")]
    Disagreement {
        /// Engine name.
        engine: &'static str,
        /// Generated claim id.
        claim: String,
        /// The reference's findings.
        expected: String,
        /// The engine's findings.
        actual: String,
    },
}
