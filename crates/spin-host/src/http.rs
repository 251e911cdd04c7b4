//! The HTTP hand-over: spin-sdk 6 already speaks the `http` crate's types,
//! so a request keeps its method, URI and headers, and only its body is
//! wrapped as a stream ([`Body::wrap`]). The pipeline reads that stream within
//! the route's limit, so a chunked upload far over it is refused after at
//! most the limit plus one chunk. The response's [`Body`] implements
//! `http_body::Body`, which spin-sdk streams out as the client reads.

use std::net::{IpAddr, SocketAddr};
use switchboard_app::Component;
use switchboard_http::{ApiError, BODY_DEADLINE, Body, HeaderMapExt, PeerAddr, Response};

pub type SpinResponse = Response;

/// The header in which Spin reports the peer's `ip:port`. Spin adds it to
/// every incoming request *after* the client's own headers (it rebuilds the
/// header map as client headers + its own), so a client can send a forged
/// `spin-client-addr` but never the last one: we read the last.
pub const CLIENT_ADDR_HEADER: &str = "spin-client-addr";

fn peer_addr(value: Option<&str>) -> Option<IpAddr> {
    let value = value?;
    value
        .parse::<SocketAddr>()
        .map(|s| s.ip())
        .or_else(|_| value.parse::<IpAddr>())
        .ok()
}

/// Serves `req` as `component` with this instance's stores.
pub async fn handle(
    component: &'static Component,
    req: spin_sdk::http::Request,
    static_root: Option<&str>,
) -> SpinResponse {
    let (mut parts, body) = req.into_parts();
    if let Some(peer) = peer_addr(parts.headers.last(CLIENT_ADDR_HEADER)) {
        parts.extensions.insert(PeerAddr(peer));
    }
    // The whole body within BODY_DEADLINE of its first read (a trickling
    // client is cut off; the per-chunk pace is Spin's).
    let deadline = spin_sdk::wasip3::clocks::monotonic_clock::wait_for(
        u64::try_from(BODY_DEADLINE.as_nanos()).unwrap_or(u64::MAX),
    );
    let req = http::Request::from_parts(parts, Body::wrap(body).with_deadline(deadline));
    let host = match crate::instance_host(static_root).await {
        Ok(host) => host,
        Err(detail) => {
            eprintln!("[{}] cannot open stores: {detail}", component.name);
            return ApiError::internal(detail).into_response();
        }
    };
    switchboard_app::serve(component, &host, req).await
}

use switchboard_http::http;

#[cfg(test)]
mod tests {
    use super::peer_addr;

    #[test]
    fn reads_the_peer_from_spin_client_addr() {
        assert_eq!(
            peer_addr(Some("127.0.0.1:5123")),
            Some([127, 0, 0, 1].into())
        );
        assert_eq!(peer_addr(Some("[::1]:80")), Some("::1".parse().unwrap()));
        assert_eq!(peer_addr(Some("10.0.0.9")), Some([10, 0, 0, 9].into()));
        assert_eq!(peer_addr(Some("garbage")), None);
        assert_eq!(peer_addr(None), None);
    }
}
