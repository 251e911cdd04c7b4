//! Conversion between spin-sdk's HTTP types and [`switchboard_http`]'s.

use bytes::Bytes;
use http_body_util::Full;
use spin_sdk::http::body::IncomingBodyExt;
use std::net::{IpAddr, SocketAddr};
use switchboard_app::Component;
use switchboard_http::{ApiError, MAX_BODY_BYTES, Method, Request, Response};

pub type SpinResponse = http::Response<Full<Bytes>>;

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

async fn convert(req: spin_sdk::http::Request) -> Result<Request, ApiError> {
    let (parts, body) = req.into_parts();
    let method =
        Method::parse(parts.method.as_str()).ok_or_else(|| ApiError::method_not_allowed(&[]))?;
    let declared = parts
        .headers
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    if declared > MAX_BODY_BYTES {
        return Err(ApiError::payload_too_large(MAX_BODY_BYTES));
    }
    let body = body.bytes().await.map_err(|_| {
        ApiError::bad_request("unreadable_body", "The request body could not be read.")
    })?;
    if body.len() > MAX_BODY_BYTES {
        return Err(ApiError::payload_too_large(MAX_BODY_BYTES));
    }
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .filter_map(|(n, v)| Some((n.as_str().to_ascii_lowercase(), v.to_str().ok()?.to_owned())))
        .collect();
    let mut out = Request::new(method, "/");
    out.path = parts.uri.path().to_owned();
    out.query = parts.uri.query().unwrap_or("").to_owned();
    out.peer_addr = peer_addr(
        headers
            .iter()
            .rev()
            .find(|(n, _)| n == CLIENT_ADDR_HEADER)
            .map(|(_, v)| v.as_str()),
    );
    out.headers = headers;
    out.body = body.to_vec();
    Ok(out)
}

fn into_spin(resp: Response) -> SpinResponse {
    let mut builder = http::Response::builder().status(resp.status);
    for (name, value) in &resp.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder
        .body(Full::new(Bytes::from(resp.body)))
        .unwrap_or_else(|_| {
            let mut fallback = http::Response::new(Full::new(Bytes::new()));
            *fallback.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
            fallback
        })
}

/// Opens the stores and serves `req` as `component`.
pub async fn handle(
    component: &'static Component,
    req: spin_sdk::http::Request,
    static_root: Option<&str>,
) -> SpinResponse {
    let req = match convert(req).await {
        Ok(req) => req,
        Err(err) => return into_spin(err.into_response()),
    };
    let host = match crate::open_host(static_root).await {
        Ok(host) => host,
        Err(detail) => {
            eprintln!("[{}] cannot open stores: {detail}", component.name);
            return into_spin(ApiError::internal(detail).into_response());
        }
    };
    into_spin(switchboard_app::serve(component, &host, req).await)
}

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
