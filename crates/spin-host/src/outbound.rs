//! [`HttpClient`] over Spin's outbound HTTP (spin-sdk 6, `wasi:http` 0.3).
//!
//! Spin lets the component reach only the hosts its `allowed_outbound_hosts`
//! lists (a refused one comes back as `HttpRequestDenied`, here
//! [`OutboundError::Unreachable`]) and never follows redirects. The
//! response body is the host's incoming stream, wrapped as a [`Body`]
//! without buffering. Timeouts are set per request: connecting, the first
//! byte of the answer, and the gap between two chunks.

use spin_sdk::http::FullBody;
use spin_sdk::wasip3::http::types::{ErrorCode, RequestOptions};
use spin_sdk::wasip3::http_compat::RequestOptionsExtension;
use switchboard_http::{
    Body, HttpClient, OutboundError, OutboundRequest, RequestTimeout, Response,
};
use switchboard_storage::BoxFuture;

const SECOND_NS: u64 = 1_000_000_000;
/// Connecting to the provider.
const CONNECT_TIMEOUT_NS: u64 = 5 * SECOND_NS;
/// From sending the request to the answer's head.
const FIRST_BYTE_TIMEOUT_NS: u64 = 15 * SECOND_NS;
/// Between two chunks of the answer's body.
const BETWEEN_BYTES_TIMEOUT_NS: u64 = 30 * SECOND_NS;

/// Spin's outbound HTTP.
#[derive(Debug, Default, Clone, Copy)]
pub struct SpinHttpClient;

fn options(timeout: Option<RequestTimeout>) -> RequestOptions {
    let options = RequestOptions::new();
    // The caller's limit, when it set one (the worker's dial), bounds both
    // the connection and the answer's head.
    let limit = |default: u64| {
        timeout.map_or(default, |t| {
            u64::try_from(t.0.as_nanos())
                .unwrap_or(u64::MAX)
                .min(default)
        })
    };
    // A host that does not support a timeout keeps its own default.
    let _ = options.set_connect_timeout(Some(limit(CONNECT_TIMEOUT_NS)));
    let _ = options.set_first_byte_timeout(Some(limit(FIRST_BYTE_TIMEOUT_NS)));
    let _ = options.set_between_bytes_timeout(Some(BETWEEN_BYTES_TIMEOUT_NS));
    options
}

fn outbound_error(code: ErrorCode) -> OutboundError {
    match code {
        ErrorCode::DnsTimeout
        | ErrorCode::ConnectionTimeout
        | ErrorCode::ConnectionReadTimeout
        | ErrorCode::ConnectionWriteTimeout
        | ErrorCode::HttpResponseTimeout => OutboundError::Timeout,
        ErrorCode::HttpRequestUriInvalid | ErrorCode::HttpProtocolError => {
            OutboundError::Unsupported(code.to_string())
        }
        other => OutboundError::Unreachable(other.to_string()),
    }
}

impl HttpClient for SpinHttpClient {
    fn send(&self, req: OutboundRequest) -> BoxFuture<'_, Result<Response, OutboundError>> {
        Box::pin(async move {
            let (mut parts, body) = req.into_parts();
            let timeout = parts.extensions.get::<RequestTimeout>().copied();
            parts
                .extensions
                .insert(RequestOptionsExtension(options(timeout)));
            let req = http::Request::from_parts(parts, FullBody::new(body));
            let resp = spin_sdk::http::send(req).await.map_err(outbound_error)?;
            let (parts, body) = resp.into_parts();
            Ok(Response::from_parts(parts, Body::wrap(body)))
        })
    }
}

use switchboard_http::http;
