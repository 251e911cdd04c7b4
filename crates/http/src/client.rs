//! The outbound-HTTP seam: how the application asks a server elsewhere (the
//! telephony provider) for something, without knowing which runtime sends it.
//!
//! Inside Spin the request goes through the host's outbound HTTP (only to
//! the origins the component's `allowed_outbound_hosts` lists); natively,
//! the dev server sends it over hyper. Business code sees only the narrow
//! [`HttpClient`] trait, as a trait object, so no `cfg` reaches a handler.
//!
//! The response body is a [`Body`] that streams: a recording of 100 MB is
//! passed on chunk by chunk, never held whole. Redirects are never followed:
//! a 3xx comes back as it is, for the caller to judge.

use crate::Response;
use bytes::Bytes;
use std::fmt;
use switchboard_storage::BoxFuture;

/// A request to send: its URI is absolute (`https://host/path`).
pub type OutboundRequest = http::Request<Bytes>;

/// A request extension: the longest the caller waits for the answer's head
/// (connecting included), where the client can honour it. Without it the
/// client's own defaults apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestTimeout(pub std::time::Duration);

/// Why no response came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutboundError {
    /// The server could not be reached (refused, reset, unknown name, not an
    /// allowed outbound host).
    Unreachable(String),
    /// The server did not answer (or send the next part) in time.
    Timeout,
    /// The request cannot be sent by this client (a scheme it does not
    /// speak, a URI without a host).
    Unsupported(String),
}

impl fmt::Display for OutboundError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutboundError::Unreachable(why) => write!(f, "unreachable: {why}"),
            OutboundError::Timeout => f.write_str("timed out"),
            OutboundError::Unsupported(why) => write!(f, "unsupported: {why}"),
        }
    }
}

impl std::error::Error for OutboundError {}

/// Sends one request and hands back the response head with a streaming
/// body. Any status is a response (`Ok`), 3xx, 4xx and 5xx included.
pub trait HttpClient {
    fn send(&self, req: OutboundRequest) -> BoxFuture<'_, Result<Response, OutboundError>>;
}
