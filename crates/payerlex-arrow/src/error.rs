//! Errors of the Arrow batch API. A batch the checker cannot read at all (a required column
//! missing, a column of a type it cannot read) is an error of the call; problems of single
//! claims are error rows in the output, so one bad claim never loses a batch.

/// A batch that cannot be read.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ArrowCheckError {
    /// A required column is missing.
    #[error("the batch has no `{column}` column")]
    #[diagnostic(
        code("PLX-A001"),
        help("see the payerlex-arrow input schema: payer, patient, claim and line are required")
    )]
    MissingColumn { column: &'static str },
    /// A column has a type the checker does not read.
    #[error("column `{column}` has type {found}, which the input schema does not allow")]
    #[diagnostic(code("PLX-A003"), help("see the payerlex-arrow input schema"))]
    ColumnType { column: &'static str, found: String },
    /// Building the output batch failed (an internal error).
    #[error("building the output batch failed: {0}")]
    #[diagnostic(code("PLX-A004"))]
    Output(#[from] arrow_schema::ArrowError),
}

/// Why a claim's rows are out of order for its patient: the error of its error rows.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{0}")]
#[diagnostic(code("PLX-A002"))]
pub struct OutOfOrder(pub &'static str);
