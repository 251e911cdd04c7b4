//! Runtime-neutral HTTP plumbing over the ecosystem's crates.
//!
//! Requests and responses are `http::Request` / `http::Response`; a Spin
//! component (spin-sdk 6), the native dev server (hyper 1) and the tests all
//! speak them, so the adapters only carry bodies across. This crate adds:
//!
//! - [`Body`]: a buffered or streamed body, read within a limit;
//! - [`RequestExt`] / [`ResponseExt`]: `req.json()`, `req.id_param()`,
//!   `Response::ok(..)` and friends;
//! - [`Router`]: the route table on `matchit`;
//! - [`ApiError`] / [`FieldErrors`]: the coded JSON error shape;
//! - [`ByteRange`]: single-range `Range` requests;
//! - [`HttpClient`]: the outbound-HTTP seam (Spin's client, hyper natively);
//! - query strings and forms on `serde_urlencoded`.

mod body;
mod client;
mod error;
mod fields;
mod message;
mod query;
mod range;
mod router;

pub use body::{BODY_DEADLINE, Body, BodyError, ReadError};
pub use client::{HttpClient, OutboundError, OutboundRequest, RequestTimeout};
pub use error::ApiError;
pub use fields::FieldErrors;
pub use http::{self, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
pub use message::{
    HeaderMapExt, IncomingRequest, PathParams, PeerAddr, Request, RequestExt, Response, ResponseExt,
};
pub use query::{decode_form, decode_path, query_pairs};
pub use range::ByteRange;
pub use router::{Handler, Match, Route, Router};
pub use switchboard_domain::{ErrorCode, FieldCode, Invalid, nullable, present};

/// The largest request body any route accepts. Routes set their own, smaller,
/// limits (JSON bodies default to [`JSON_BODY_LIMIT`]).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// The default limit for JSON request bodies.
pub const JSON_BODY_LIMIT: usize = 64 * 1024;
