//! Reading request bodies under the size limit, with JSON errors.
//!
//! The size limit itself is tower-http's `RequestBodyLimitLayer` (see [`super::router`]): it
//! answers 413 at once when `Content-Length` is too large, and cuts a body that grows past
//! the limit while streaming. Here the second case becomes the same JSON error as every other.

use axum::body::Body;
use axum::http::StatusCode;
use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError};

use crate::errors::{codes, ApiError};

/// The whole body, or 413 when it passes the route's limit.
pub async fn read_all(body: Body) -> Result<Bytes, ApiError> {
    match body.collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) => Err(body_error(&error)),
    }
}

/// The whole body as UTF-8 text.
pub async fn read_text(body: Body) -> Result<String, ApiError> {
    let bytes = read_all(body).await?;
    String::from_utf8(bytes.to_vec()).map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            codes::UNREADABLE_BODY,
            "the body is not UTF-8 text",
        )
    })
}

/// The answer for a body that failed while being read.
pub fn body_error(error: &(dyn std::error::Error + 'static)) -> ApiError {
    if is_length_limit(error) {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            codes::BODY_TOO_LARGE,
            "the body is larger than this route accepts",
        )
    } else {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            codes::UNREADABLE_BODY,
            "the body could not be read",
        )
    }
}

/// Whether the error (or one of its sources) is the body limit's.
pub fn is_length_limit(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if error.is::<LengthLimitError>() {
            return true;
        }
        current = error.source();
    }
    false
}
