//! Error answers: one JSON shape for every route, `{"error": "...", "code": "PLX-..."}`.
//!
//! Claim problems carry the library's stable codes (`PLX-R001` for a record that is not a
//! claim, `PLX-R020` for an unknown payer...); problems of the service itself have `PLX-S`
//! codes, listed in the crate README. Messages name fields and problems, never values a
//! patient could be identified by (the library's messages already follow that rule, and the
//! service adds none); store failures are described to the operator's log, not the client.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use crate::checking::CheckFailure;
use crate::payerlex_api::{ClaimParseError, ErrorRecord};

/// The body of every error answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What is wrong (a field's JSON path and the problem; never a value).
    pub error: String,
    /// The stable code of the problem, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// Service problem codes.
pub mod codes {
    /// No such route.
    pub const NOT_FOUND: &str = "PLX-S000";
    /// The body is larger than the route accepts.
    pub const BODY_TOO_LARGE: &str = "PLX-S001";
    /// The body is not UTF-8, or could not be read.
    pub const UNREADABLE_BODY: &str = "PLX-S002";
    /// The state store failed; nothing was recorded.
    pub const STORE_UNAVAILABLE: &str = "PLX-S003";
    /// The time limit was reached.
    pub const TIME_LIMIT: &str = "PLX-S004";
    /// An internal failure (a task ended without an answer).
    pub const INTERNAL: &str = "PLX-S005";
    /// A batch record is longer than the record limit.
    pub const RECORD_TOO_LARGE: &str = "PLX-S006";
    /// The service is overloaded (the playground is busy).
    pub const BUSY: &str = "PLX-S007";
    /// The body's content type is not one the route reads.
    pub const UNSUPPORTED_MEDIA_TYPE: &str = "PLX-S008";
}

/// An error answer.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Body.
    pub body: ErrorBody,
}

impl ApiError {
    /// An error with a service code.
    pub fn new(status: StatusCode, code: &str, error: impl Into<String>) -> Self {
        Self {
            status,
            body: ErrorBody {
                error: error.into(),
                code: Some(code.to_owned()),
            },
        }
    }

    /// 400 for a body that is not a claim.
    pub fn bad_claim(error: &ClaimParseError) -> Self {
        let record = ErrorRecord::new(1, error);
        Self {
            status: StatusCode::BAD_REQUEST,
            body: ErrorBody {
                error: record.error,
                code: Some(record.code).filter(|c| !c.is_empty()),
            },
        }
    }

    /// 500 for a blocking task that did not answer.
    pub fn internal(what: &str) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::INTERNAL,
            format!("{what} did not finish"),
        )
    }
}

impl From<CheckFailure> for ApiError {
    fn from(failure: CheckFailure) -> Self {
        match failure {
            CheckFailure::Claim(error) => {
                let record = ErrorRecord::new(1, &error);
                Self {
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                    body: ErrorBody {
                        error: record.error,
                        code: Some(record.code).filter(|c| !c.is_empty()),
                    },
                }
            }
            CheckFailure::Store(error) => {
                eprintln!("payerlex-serve: state store: {error}");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    codes::STORE_UNAVAILABLE,
                    "the state store failed; the claim was not decided",
                )
            }
            CheckFailure::Log(error) => {
                eprintln!("payerlex-serve: decision log record: {error}");
                Self::internal("writing the decision log record")
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}
