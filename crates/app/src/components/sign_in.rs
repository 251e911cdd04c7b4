//! What admin sign-in (`accounts/auth.rs`, AUTH-3) and agent sign-in
//! (`agent/session.rs`, AGT-1) answer alike: the required fields, the marker
//! for impossible login IDs, and the refusal while a lock lasts. The
//! counters behind it are one gate, `security::throttle::gate`.

use switchboard_domain::LoginId;
use switchboard_http::{ApiError, ErrorCode, FieldErrors, Invalid};

/// Both fields must be filled in (UI-4 shows the messages at the fields).
pub fn require(fields: &mut FieldErrors, login_id: &str, password: &str) {
    if login_id.trim().is_empty() {
        fields.add("login_id", Invalid::required("Enter your login ID."));
    }
    if password.is_empty() {
        fields.add("password", Invalid::required("Enter your password."));
    }
}

/// The login ID as counted and recorded: a login ID that cannot exist goes
/// under one marker, so junk input can neither bloat the history nor mint
/// throttle rows.
pub fn counted_login_id(typed: &str) -> String {
    LoginId::parse(typed).map_or_else(|_| "<invalid>".to_owned(), |l| l.as_str().to_owned())
}

/// 429 `too_many_attempts` with `Retry-After`.
pub fn too_many(secs: i64) -> ApiError {
    let secs = secs.max(1);
    ApiError::too_many_requests(
        ErrorCode::TooManyAttempts,
        format!("Too many failed sign-ins. Try again in {secs} seconds."),
        u64::try_from(secs).unwrap_or(1),
    )
}
