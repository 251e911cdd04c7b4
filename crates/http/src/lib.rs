//! Runtime-neutral HTTP plumbing.
//!
//! Components receive Spin's `wasip3` HTTP types; the native dev server and the
//! tests receive plain values. Both convert into the small [`Request`] and
//! [`Response`] defined here, so routing, error bodies and limits are written
//! once and tested natively.

mod error;
mod fields;
mod message;
mod query;
mod router;

pub use error::ApiError;
pub use fields::FieldErrors;
pub use message::{Method, Request, Response};
pub use query::{percent_decode, query_pairs};
pub use router::{Handler, Match, Route, Router};

/// The largest request body any adapter reads before answering 413. Routes set
/// their own, smaller, limits (JSON bodies default to [`JSON_BODY_LIMIT`]).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// The default limit for JSON request bodies.
pub const JSON_BODY_LIMIT: usize = 64 * 1024;
