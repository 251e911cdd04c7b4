//! The simulator's own HTTP server, standing in for the provider's API:
//!
//! - `GET /recordings/{call}/{duration_ms}.wav`: the recording the
//!   `recording.ready` event pointed at (a generated WAV; `Range` honoured:
//!   206 with `Content-Range`, 416 past the end);
//! - `POST /originate` with `{"callback_id", "number", "agent"}`: the
//!   callback worker asks for a dial. The outcome is drawn from the
//!   configured rates: a provider error answers 503 and nothing happens;
//!   otherwise 202 `{"status":"dialing"}`, and the call's events (and then
//!   `callback.attempt` with `completed`, `no_answer` or `busy`) follow
//!   through the webhook. A request repeating an accepted
//!   `Idempotency-Key` is answered 202 `{"status":"dialing","duplicate":true}`
//!   and dials nothing;
//! - `GET /health`.
//!
//! With a provider token set, every route but `/health` needs
//! `Authorization: Bearer <token>` (401 otherwise), as a real provider's
//! API would.

use crate::model::Originate;
use crate::random::Random;
use crate::wav;
use anyhow::{Context, Result};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use switchboard_telephony::{AttemptResult, WireEvent, parse_body};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// Shares of originate outcomes (they need not add up to 1: the rest is
/// busy).
#[derive(Debug, Clone, Copy)]
pub struct OriginateRates {
    pub success: f64,
    pub no_answer: f64,
    pub error: f64,
}

pub struct ServerState {
    pub token: Option<String>,
    pub rates: OriginateRates,
    pub rng: Mutex<Random>,
    pub orders: mpsc::UnboundedSender<Originate>,
    /// A line to check a dial's number and agent against the event contract.
    pub line: String,
    /// Idempotency keys of the dials accepted so far: a request sent again
    /// with the same `Idempotency-Key` (a worker that died before recording
    /// the answer) is answered 202 again and dials nothing.
    pub keys: Mutex<std::collections::HashSet<String>>,
}

type Resp = Response<Full<Bytes>>;

fn answer(status: StatusCode, content_type: &str, body: impl Into<Bytes>) -> Resp {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    if let Ok(v) = content_type.parse() {
        r.headers_mut().insert("content-type", v);
    }
    r
}

fn json(status: StatusCode, v: &serde_json::Value) -> Resp {
    answer(status, "application/json", v.to_string())
}

/// Binds `listen` and serves in the background; returns the bound address.
pub async fn start(listen: &str, state: Arc<ServerState>) -> Result<SocketAddr> {
    let listener = TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let state = state.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req| {
                    let state = state.clone();
                    async move { Ok::<_, std::convert::Infallible>(handle(&state, req).await) }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(addr)
}

async fn handle(state: &ServerState, req: Request<Incoming>) -> Resp {
    let path = req.uri().path().to_owned();
    if path == "/health" {
        return json(StatusCode::OK, &serde_json::json!({ "status": "ok" }));
    }
    if let Some(token) = &state.token {
        let sent = req
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if sent != Some(token.as_str()) {
            return json(
                StatusCode::UNAUTHORIZED,
                &serde_json::json!({ "error": "a bearer token is required" }),
            );
        }
    }
    match (req.method().as_str(), path.as_str()) {
        ("GET" | "HEAD", p) if p.starts_with("/recordings/") => recording(&req, p),
        ("POST", "/originate") => originate(state, req).await,
        _ => json(
            StatusCode::NOT_FOUND,
            &serde_json::json!({ "error": "not found" }),
        ),
    }
}

/// `/recordings/{call}/{duration_ms}.wav`
fn recording(req: &Request<Incoming>, path: &str) -> Resp {
    let not_found = || {
        json(
            StatusCode::NOT_FOUND,
            &serde_json::json!({ "error": "no such recording" }),
        )
    };
    let mut parts = path.trim_start_matches("/recordings/").split('/');
    let (Some(_call), Some(file), None) = (parts.next(), parts.next(), parts.next()) else {
        return not_found();
    };
    let Some(duration) = file
        .strip_suffix(".wav")
        .and_then(|d| d.parse::<u64>().ok())
        .filter(|d| *d <= wav::MAX_MS)
    else {
        return not_found();
    };
    let size = wav::size(duration);
    let range = req
        .headers()
        .get("range")
        .and_then(|v| v.to_str().ok())
        .map(|r| parse_range(r, size));
    let head = req.method() == hyper::Method::HEAD;
    let (status, start, end) = match range {
        None => (StatusCode::OK, 0, size),
        Some(Some((s, e))) => (StatusCode::PARTIAL_CONTENT, s, e),
        Some(None) => {
            let mut r = answer(StatusCode::RANGE_NOT_SATISFIABLE, "text/plain", "");
            if let Ok(v) = format!("bytes */{size}").parse() {
                r.headers_mut().insert("content-range", v);
            }
            return r;
        }
    };
    let body = if head {
        Vec::new()
    } else {
        wav::bytes(duration, start, end)
    };
    let mut r = answer(status, "audio/wav", body);
    let h = r.headers_mut();
    if let Ok(v) = "bytes".parse() {
        h.insert("accept-ranges", v);
    }
    if let Ok(v) = (end - start).to_string().parse() {
        h.insert("content-length", v);
    }
    if status == StatusCode::PARTIAL_CONTENT
        && let Ok(v) = format!("bytes {start}-{}/{size}", end - 1).parse()
    {
        h.insert("content-range", v);
    }
    r
}

/// One `bytes=` range as `[start, end)`; `None` when unsatisfiable or not
/// understood (several ranges are not supported).
pub fn parse_range(header: &str, size: u64) -> Option<(u64, u64)> {
    let spec = header.trim().strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (a, b) = spec.split_once('-')?;
    let (a, b) = (a.trim(), b.trim());
    if a.is_empty() {
        let n: u64 = b.parse().ok()?;
        if n == 0 || size == 0 {
            return None;
        }
        return Some((size.saturating_sub(n), size));
    }
    let start: u64 = a.parse().ok()?;
    if start >= size {
        return None;
    }
    let end = if b.is_empty() {
        size
    } else {
        let last: u64 = b.parse().ok()?;
        if last < start {
            return None;
        }
        (last + 1).min(size)
    };
    Some((start, end))
}

async fn originate(state: &ServerState, req: Request<Incoming>) -> Resp {
    let bad = |why: &str| {
        json(
            StatusCode::UNPROCESSABLE_ENTITY,
            &serde_json::json!({ "error": why }),
        )
    };
    let key = req
        .headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(k) = &key
        && state.keys.lock().is_ok_and(|keys| keys.contains(k))
    {
        return json(
            StatusCode::ACCEPTED,
            &serde_json::json!({ "status": "dialing", "duplicate": true }),
        );
    }
    let Ok(body) = Limited::new(req.into_body(), 64 * 1024).collect().await else {
        return bad("body too large or unreadable");
    };
    let v: serde_json::Value = match serde_json::from_slice(&body.to_bytes()) {
        Ok(v) => v,
        Err(_) => return bad("expected JSON {callback_id, number, agent}"),
    };
    let (Some(callback_id), Some(number), Some(agent)) = (
        v["callback_id"].as_i64(),
        v["number"].as_str(),
        v["agent"].as_str(),
    ) else {
        return bad("expected JSON {callback_id, number, agent}");
    };
    // The dial's events must pass the app's own contract.
    let probe = WireEvent {
        id: "probe".into(),
        kind: "call.outbound".into(),
        at: "2026-01-01T00:00:00Z".into(),
        line: state.line.clone(),
        call: Some("probe".into()),
        agent: Some(agent.into()),
        to: Some(number.into()),
        callback: Some(callback_id),
        ..WireEvent::default()
    };
    let Ok(probe) = serde_json::to_vec(&probe) else {
        return bad("cannot encode");
    };
    if parse_body(&probe).is_err() {
        return bad("number, agent or callback_id is not valid");
    }
    let draw = match state.rng.lock() {
        Ok(mut rng) => rng.unit(),
        Err(_) => 0.0,
    };
    let r = state.rates;
    let outcome = if draw < r.error {
        return json(
            StatusCode::SERVICE_UNAVAILABLE,
            &serde_json::json!({ "error": "simulated provider error" }),
        );
    } else if draw < r.error + r.success {
        AttemptResult::Completed
    } else if draw < r.error + r.success + r.no_answer {
        AttemptResult::NoAnswer
    } else {
        AttemptResult::Busy
    };
    let order = Originate {
        callback_id,
        number: number.into(),
        agent: agent.into(),
        outcome,
    };
    if state.orders.send(order).is_err() {
        return json(
            StatusCode::SERVICE_UNAVAILABLE,
            &serde_json::json!({ "error": "the simulator is stopping" }),
        );
    }
    if let (Some(k), Ok(mut keys)) = (key, state.keys.lock()) {
        keys.insert(k);
    }
    json(
        StatusCode::ACCEPTED,
        &serde_json::json!({ "status": "dialing" }),
    )
}

#[cfg(test)]
mod tests {
    use super::parse_range;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=0-9", 100), Some((0, 10)));
        assert_eq!(parse_range("bytes=90-", 100), Some((90, 100)));
        assert_eq!(parse_range("bytes=-10", 100), Some((90, 100)));
        assert_eq!(parse_range("bytes=95-200", 100), Some((95, 100)));
        assert_eq!(parse_range("bytes=100-", 100), None);
        assert_eq!(parse_range("bytes=5-4", 100), None);
        assert_eq!(parse_range("bytes=0-1,5-6", 100), None);
        assert_eq!(parse_range("items=0-1", 100), None);
    }
}
