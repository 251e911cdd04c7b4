//! The one error shape every client sees.
//!
//! ```json
//! {"error": {"code": "validation_failed", "message": "…",
//!            "fields": {"login_id": {"code": "taken", "message": "…"}}}}
//! ```
//!
//! `code` and each field's `code` come from the catalogue in
//! [`switchboard_domain::codes`]; the UI translates them. `message` is an
//! English explanation. A field error may carry `params` (`{"max": "50"}`)
//! that the UI's text mentions.
//!
//! Every error a client can cause is a 4xx built here. A 5xx comes only from
//! [`ApiError::internal`], which hides its detail from the client (the detail
//! is logged with the request ID instead).

use crate::{Body, Response};
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue, RETRY_AFTER};
use http::{Method, StatusCode};
use serde::Serialize;
use std::collections::BTreeMap;
use switchboard_domain::{ErrorCode, Invalid};

#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
    pub fields: BTreeMap<String, Invalid>,
    /// Values the message mentions, for the UI's own text (`{"ip": …}`).
    pub params: Vec<(&'static str, String)>,
    /// Headers the answer needs (`Retry-After`, `Content-Range`, `Allow`).
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// Detail for the log only, never sent to the client. (Boxed to keep
    /// `Result<_, ApiError>` small.)
    pub internal_detail: Option<Box<str>>,
}

#[derive(Serialize)]
struct Envelope<'a> {
    error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    code: ErrorCode,
    message: &'a str,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    fields: &'a BTreeMap<String, Invalid>,
    #[serde(skip_serializing_if = "<[_]>::is_empty", serialize_with = "as_map")]
    params: &'a [(&'static str, String)],
}

fn as_map<S: serde::Serializer>(
    params: &&[(&'static str, String)],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(params.iter().map(|(k, v)| (k, v)))
}

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            fields: BTreeMap::new(),
            params: Vec::new(),
            headers: Vec::new(),
            internal_detail: None,
        }
    }

    pub fn bad_request(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 422 naming every offending field; 409 (`conflict`) when every one
    /// of them is refused only for what is stored now
    /// ([`FieldCode::is_state_conflict`](switchboard_domain::FieldCode::is_state_conflict)):
    /// a name taken, an ID that is gone. The same request may succeed later,
    /// so it is no validation failure (and the API document says so).
    pub fn validation(fields: BTreeMap<String, Invalid>) -> Self {
        let mut err = if !fields.is_empty() && fields.values().all(|f| f.code.is_state_conflict()) {
            Self::conflict(
                ErrorCode::Conflict,
                "This clashes with what is stored now; see `fields`.",
            )
        } else {
            Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::ValidationFailed,
                "Some fields are not valid; see `fields`.",
            )
        };
        err.fields = fields;
        err
    }

    /// 422 for a single field.
    pub fn field(field: &str, invalid: Invalid) -> Self {
        Self::validation(BTreeMap::from([(field.to_owned(), invalid)]))
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
            message,
        )
    }

    pub fn forbidden(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, message)
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            "No such resource.",
        )
    }

    pub fn method_not_allowed(allowed: &[Method]) -> Self {
        let names: Vec<&str> = allowed.iter().map(Method::as_str).collect();
        let list = names.join(", ");
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::MethodNotAllowed,
            format!("Allowed methods: {list}."),
        )
        .with_header(http::header::ALLOW, &list)
    }

    pub fn conflict(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }

    pub fn payload_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            format!("The request body is larger than {limit} bytes."),
        )
    }

    pub fn unsupported_media_type(expected: &str) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            format!("Send the body as {expected}."),
        )
    }

    pub fn too_many_requests(
        code: ErrorCode,
        message: impl Into<String>,
        retry_after: u64,
    ) -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, code, message)
            .with_header(RETRY_AFTER, &retry_after.to_string())
            .with_param("seconds", retry_after)
    }

    /// A bug or an infrastructure failure: the client learns only that it
    /// happened and the request ID to quote.
    pub fn internal(detail: impl Into<String>) -> Self {
        let mut err = Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::InternalError,
            "Something went wrong on our side. Quote the request ID when reporting it.",
        );
        err.internal_detail = Some(detail.into().into_boxed_str());
        err
    }

    pub fn with_code(mut self, code: ErrorCode) -> Self {
        self.code = code;
        self
    }

    pub fn with_field(mut self, field: &str, invalid: Invalid) -> Self {
        self.fields.insert(field.to_owned(), invalid);
        self
    }

    /// Adds a value the message mentions (`ip`, `seconds`), which the UI's
    /// text for the code may show.
    pub fn with_param(mut self, name: &'static str, value: impl std::fmt::Display) -> Self {
        self.params.push((name, value.to_string()));
        self
    }

    /// Adds a header to the answer. Our own values are always valid header
    /// text; one that is not is left out rather than failing the answer.
    pub fn with_header(mut self, name: HeaderName, value: &str) -> Self {
        if let Ok(v) = HeaderValue::from_str(value) {
            self.headers.push((name, v));
        }
        self
    }

    /// The `Retry-After` seconds, when set.
    pub fn retry_after(&self) -> Option<u64> {
        self.headers
            .iter()
            .find(|(n, _)| n == RETRY_AFTER)
            .and_then(|(_, v)| v.to_str().ok()?.parse().ok())
    }

    pub fn into_response(self) -> Response {
        let body = Envelope {
            error: Inner {
                code: self.code,
                message: &self.message,
                fields: &self.fields,
                params: &self.params,
            },
        };
        let bytes = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
        let mut resp = Response::new(Body::from(bytes));
        *resp.status_mut() = self.status;
        let headers = resp.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        for (name, value) in self.headers {
            headers.append(name, value);
        }
        resp
    }
}

impl From<switchboard_storage::StorageError> for ApiError {
    /// A store that stayed locked past its busy timeout is overload, not a
    /// bug: 503 with `Retry-After`, so clients (the provider redelivering
    /// events, the agent app) try again. Anything else is a 500.
    fn from(err: switchboard_storage::StorageError) -> Self {
        if err.is_busy() {
            let mut busy = ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Busy,
                "The server is busy; try again in a moment.",
            )
            .with_header(RETRY_AFTER, "1");
            busy.internal_detail = Some(err.message.into_boxed_str());
            return busy;
        }
        ApiError::internal(err.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_storage::StorageError;

    #[test]
    fn a_locked_database_is_a_503_to_retry_and_other_store_failures_a_500() {
        let busy = ApiError::from(StorageError::new("database is locked"));
        assert_eq!(busy.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(busy.code, ErrorCode::Busy);
        assert_eq!(busy.retry_after(), Some(1));
        let broken = ApiError::from(StorageError::new("no such table: calls"));
        assert_eq!(broken.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(broken.code, ErrorCode::InternalError);
    }
}
