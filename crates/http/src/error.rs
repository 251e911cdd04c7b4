//! The one error shape every client sees.
//!
//! ```json
//! {"error": {"code": "validation_failed", "message": "…", "fields": {"login_id": "…"}}}
//! ```
//!
//! Every error a client can cause is a 4xx built here. A 5xx comes only from
//! [`ApiError::internal`], which hides its detail from the client (the detail
//! is logged with the request ID instead).

use crate::Response;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub fields: BTreeMap<String, String>,
    /// Seconds a client should wait before retrying (429, 503).
    pub retry_after: Option<u64>,
    /// Detail for the log only, never sent to the client.
    pub internal_detail: Option<String>,
}

#[derive(Serialize)]
struct Body<'a> {
    error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    fields: &'a BTreeMap<String, String>,
}

impl ApiError {
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
            fields: BTreeMap::new(),
            retry_after: None,
            internal_detail: None,
        }
    }

    pub fn bad_request(code: &str, message: impl Into<String>) -> Self {
        Self::new(400, code, message)
    }

    /// 422 with one message per offending field.
    pub fn validation(fields: BTreeMap<String, String>) -> Self {
        let mut err = Self::new(
            422,
            "validation_failed",
            "Some fields are not valid; see `fields`.",
        );
        err.fields = fields;
        err
    }

    /// 422 for a single field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::validation(BTreeMap::from([(field.to_owned(), message.into())]))
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(401, "unauthenticated", message)
    }

    pub fn forbidden(code: &str, message: impl Into<String>) -> Self {
        Self::new(403, code, message)
    }

    pub fn not_found() -> Self {
        Self::new(404, "not_found", "No such resource.")
    }

    pub fn method_not_allowed(allowed: &[crate::Method]) -> Self {
        let names: Vec<&str> = allowed.iter().map(|m| m.as_str()).collect();
        Self::new(
            405,
            "method_not_allowed",
            format!("Allowed methods: {}.", names.join(", ")),
        )
    }

    pub fn conflict(code: &str, message: impl Into<String>) -> Self {
        Self::new(409, code, message)
    }

    pub fn payload_too_large(limit: usize) -> Self {
        Self::new(
            413,
            "payload_too_large",
            format!("The request body is larger than {limit} bytes."),
        )
    }

    pub fn unsupported_media_type(expected: &str) -> Self {
        Self::new(
            415,
            "unsupported_media_type",
            format!("Send the body as {expected}."),
        )
    }

    pub fn too_many_requests(code: &str, message: impl Into<String>, retry_after: u64) -> Self {
        let mut err = Self::new(429, code, message);
        err.retry_after = Some(retry_after);
        err
    }

    /// A bug or an infrastructure failure: the client learns only that it
    /// happened and the request ID to quote.
    pub fn internal(detail: impl Into<String>) -> Self {
        let mut err = Self::new(
            500,
            "internal_error",
            "Something went wrong on our side. Quote the request ID when reporting it.",
        );
        err.internal_detail = Some(detail.into());
        err
    }

    pub fn with_code(mut self, code: &str) -> Self {
        self.code = code.to_owned();
        self
    }

    pub fn with_field(mut self, field: &str, message: impl Into<String>) -> Self {
        self.fields.insert(field.to_owned(), message.into());
        self
    }

    pub fn into_response(self) -> Response {
        let body = Body {
            error: Inner {
                code: &self.code,
                message: &self.message,
                fields: &self.fields,
            },
        };
        let mut resp = Response::json(self.status, &body);
        if let Some(secs) = self.retry_after {
            resp = resp.with_header("retry-after", &secs.to_string());
        }
        resp
    }
}

impl From<switchboard_storage::StorageError> for ApiError {
    fn from(err: switchboard_storage::StorageError) -> Self {
        ApiError::internal(err.message)
    }
}
