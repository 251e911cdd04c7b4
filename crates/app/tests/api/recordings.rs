//! TEL-4: recordings stay at the provider; admins play and download them
//! through Switchboard, which adds the provider's credentials and never
//! shows the browser the provider's URL or token. The provider here is a
//! fake [`HttpClient`] that records every request and serves bytes
//! honouring `Range`, as a real one would.
#![allow(clippy::unwrap_used)]

use crate::support::{self, ARS_LINE, Req, Session, TestApp, TestResponse, assert_error};
use bytes::Bytes;
use serde_json::json;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use switchboard_http::{
    Body, ByteRange, HeaderMap, HttpClient, Method, OutboundError, OutboundRequest, Response,
    ResponseExt, StatusCode, header,
};
use switchboard_storage::BoxFuture;

const TOKEN: &str = "prov-token-5ecret";
const ORIGIN: &str = "https://rec.provider.example";

/// What the fake provider does with the next request.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    Serve,
    /// Connection refused.
    Down,
    Timeout,
    /// Answers with this status (and a `Location` for 3xx).
    Status(u16),
    /// Answers 206 claiming `bytes 0-{last}` but sends the whole file.
    LyingRange(u64),
}

/// One request the provider received.
#[derive(Debug, Clone)]
struct Seen {
    method: Method,
    uri: String,
    headers: HeaderMap,
}

struct FakeProvider {
    mode: Cell<Mode>,
    file: Vec<u8>,
    seen: RefCell<Vec<Seen>>,
}

impl FakeProvider {
    fn new(len: usize) -> Rc<Self> {
        Rc::new(Self {
            mode: Cell::new(Mode::Serve),
            file: (0..len).map(|i| (i % 251) as u8).collect(),
            seen: RefCell::new(Vec::new()),
        })
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.borrow().clone()
    }
}

/// Headers a real server might send that must never reach the browser.
fn leaky(resp: Response) -> Response {
    resp.with_header(header::SET_COOKIE, "provider-session=abc; Path=/")
        .with_header(header::SERVER, "provider-cdn/1.0")
        .with_header(header::LOCATION, "https://rec.provider.example/elsewhere")
        .with_header(
            header::HeaderName::from_static("x-provider-signed-url"),
            "https://rec.provider.example/r/x?sig=abc",
        )
}

impl HttpClient for FakeProvider {
    fn send(&self, req: OutboundRequest) -> BoxFuture<'_, Result<Response, OutboundError>> {
        self.seen.borrow_mut().push(Seen {
            method: req.method().clone(),
            uri: req.uri().to_string(),
            headers: req.headers().clone(),
        });
        let mode = self.mode.get();
        let total = self.file.len() as u64;
        let range = req
            .headers()
            .get("range")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Box::pin(async move {
            match mode {
                Mode::Down => Err(OutboundError::Unreachable("connection refused".into())),
                Mode::Timeout => Err(OutboundError::Timeout),
                Mode::Status(code) => {
                    let status = StatusCode::from_u16(code).unwrap();
                    let mut resp = leaky(Response::body_of(
                        "text/html",
                        "<h1>provider error page</h1>",
                    ))
                    .with_status(status);
                    if code == 416 {
                        resp = resp.with_header(header::CONTENT_RANGE, &format!("bytes */{total}"));
                    }
                    Ok(resp)
                }
                Mode::LyingRange(last) => Ok(Response::body_of(
                    "application/octet-stream",
                    Body::from(self.file.clone()),
                )
                .with_status(StatusCode::PARTIAL_CONTENT)
                .with_header(header::CONTENT_RANGE, &format!("bytes 0-{last}/{total}"))),
                Mode::Serve => match ByteRange::parse(range.as_deref(), total) {
                    Err(_) => Ok(Response::body_of("text/plain", "")
                        .with_status(StatusCode::RANGE_NOT_SATISFIABLE)
                        .with_header(header::CONTENT_RANGE, &format!("bytes */{total}"))),
                    Ok(r) => {
                        let part =
                            self.file[r.start as usize..(r.start + r.len()) as usize].to_vec();
                        // Streamed in small chunks, as from the network.
                        let chunks: Vec<Result<Bytes, _>> = part
                            .chunks(1000)
                            .map(|c| Ok(Bytes::copy_from_slice(c)))
                            .collect();
                        let body = Body::from_stream(futures::stream::iter(chunks));
                        // The provider's own type is not trusted.
                        Ok(leaky(r.respond("application/octet-stream", body)))
                    }
                },
            }
        })
    }
}

/// An app with the provider configured, tenant `acme` (whose representative
/// number is [`ARS_LINE`]) and its owner.
struct World {
    app: TestApp,
    provider: Rc<FakeProvider>,
    owner: Session,
}

fn world_with(origin: Option<&str>, provider: Rc<FakeProvider>) -> World {
    let mut app = TestApp::with_operator()
        .with_var("webhook_secret", "hook-secret")
        .with_var("provider_api_token", TOKEN)
        .with_http_client(provider.clone());
    if let Some(origin) = origin {
        app = app.with_var("provider_recordings_origin", origin);
    }
    let (_, owner) = app.tenant("acme");
    let ars = owner.put("/api/settings/ars", support::ars_body());
    assert_eq!(ars.status, 200, "{}", ars.json_body());
    World {
        app,
        provider,
        owner,
    }
}

fn world() -> World {
    world_with(Some(ORIGIN), FakeProvider::new(5000))
}

fn url(name: &str) -> String {
    format!("{ORIGIN}/r/{name}")
}

fn get(app: &TestApp, s: &Session, path: &str, range: Option<&str>) -> TestResponse {
    let mut req = Req::new(Method::GET, path)
        .with_header("cookie", &s.cookie)
        .with_peer(s.peer);
    if let Some(r) = range {
        req = req.with_header("range", r);
    }
    app.send(req)
}

/// Neither the token nor anything of the provider's URL reaches the browser.
fn assert_nothing_leaks(resp: &TestResponse) {
    let mut text = String::from_utf8_lossy(&resp.body).to_string();
    for (name, value) in &resp.headers {
        text.push_str(&format!(
            "\n{name}: {}",
            String::from_utf8_lossy(value.as_bytes())
        ));
    }
    for secret in [
        TOKEN,
        "provider.example",
        "/r/",
        "provider-session",
        "provider-cdn",
    ] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
    for name in ["set-cookie", "server", "location", "x-provider-signed-url"] {
        assert!(resp.header(name).is_none(), "{name} passed on");
    }
}

#[test]
fn tel_4_playback_streams_the_recording_with_its_type_and_the_providers_credentials() {
    let w = world();
    let id = w
        .app
        .recording_ready("ev-1", ARS_LINE, &url("c-1.mp3"), "mp3");
    let resp = get(
        &w.app,
        &w.owner,
        &format!("/api/history/recordings/{id}/audio"),
        None,
    );
    assert_eq!(resp.status, 200, "{}", resp.json_body());
    assert_eq!(resp.body, w.provider.file);
    assert_eq!(resp.header("content-type"), Some("audio/mpeg"));
    assert_eq!(resp.header("content-disposition"), Some("inline"));
    assert_eq!(resp.header("content-length"), Some("5000"));
    assert_eq!(resp.header("accept-ranges"), Some("bytes"));
    assert_nothing_leaks(&resp);
    let seen = w.provider.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, Method::GET);
    assert_eq!(seen[0].uri, url("c-1.mp3"));
    assert_eq!(
        seen[0].headers["authorization"],
        format!("Bearer {TOKEN}").as_str()
    );
    // The browser's cookie is Switchboard's, never the provider's business.
    assert!(seen[0].headers.get("cookie").is_none());

    // A WAV recording is served as one.
    let wav = w
        .app
        .recording_ready("ev-2", ARS_LINE, &url("c-2.wav"), "wav");
    let resp = get(
        &w.app,
        &w.owner,
        &format!("/api/history/recordings/{wav}/audio"),
        None,
    );
    assert_eq!(resp.header("content-type"), Some("audio/wav"));
}

#[test]
fn tel_4_a_range_is_passed_to_the_provider_and_its_206_back() {
    let w = world();
    let id = w
        .app
        .recording_ready("ev-1", ARS_LINE, &url("c-1.mp3"), "mp3");
    let path = format!("/api/history/recordings/{id}/audio");
    let resp = get(&w.app, &w.owner, &path, Some("bytes=100-199"));
    assert_eq!(resp.status, 206, "{}", resp.json_body());
    assert_eq!(resp.header("content-range"), Some("bytes 100-199/5000"));
    assert_eq!(resp.header("content-length"), Some("100"));
    assert_eq!(resp.body, w.provider.file[100..200]);
    assert_eq!(resp.header("content-type"), Some("audio/mpeg"));
    assert_nothing_leaks(&resp);
    assert_eq!(w.provider.seen()[0].headers["range"], "bytes=100-199");

    // Seeking to the end, and past it.
    let resp = get(&w.app, &w.owner, &path, Some("bytes=4990-"));
    assert_eq!(resp.status, 206);
    assert_eq!(resp.header("content-range"), Some("bytes 4990-4999/5000"));
    assert_eq!(resp.body.len(), 10);
    let resp = get(&w.app, &w.owner, &path, Some("bytes=9000-"));
    assert_error(&resp, 416, "range_not_satisfiable");
    assert_eq!(resp.header("content-range"), Some("bytes */5000"));

    // Several ranges (a multipart answer) and malformed ones are not
    // passed on: the whole file comes back.
    for odd in [
        "bytes=1-2\tX",
        "bytes=0-1,5-6",
        "bytes=5-1",
        "bytes=--1",
        "bytes=-",
        "items=0-1",
    ] {
        let resp = get(&w.app, &w.owner, &path, Some(odd));
        assert_eq!(resp.status, 200, "{odd}");
        assert_eq!(resp.body.len(), 5000, "{odd}");
        assert!(
            w.provider
                .seen()
                .last()
                .unwrap()
                .headers
                .get("range")
                .is_none(),
            "{odd} was forwarded"
        );
    }
}

#[test]
fn tel_4_metadata_tells_what_the_recording_is_but_not_where() {
    let w = world();
    let id = w
        .app
        .recording_ready("ev-1", ARS_LINE, &url("c-1.mp3"), "mp3");
    let resp = w.owner.get(&format!("/api/history/recordings/{id}"));
    assert_eq!(resp.status, 200, "{}", resp.json_body());
    let body = resp.json_body();
    assert_eq!(body["id"], id);
    assert_eq!(body["call_id"], "call-ev-1");
    assert_eq!(body["duration_ms"], 183_500);
    assert_eq!(body["format"], "mp3");
    assert_eq!(body["content_type"], "audio/mpeg");
    assert_eq!(body["at"], "2026-11-30T00:58:00.000Z");
    assert_nothing_leaks(&resp);
    // Reading metadata asks the provider nothing.
    assert!(w.provider.seen().is_empty());
}

#[test]
fn tel_4_another_tenants_recording_is_not_found() {
    let w = world();
    let id = w
        .app
        .recording_ready("ev-1", ARS_LINE, &url("c-1.mp3"), "mp3");
    let (_, other) = w.app.tenant("bravo");
    for path in [
        format!("/api/history/recordings/{id}"),
        format!("/api/history/recordings/{id}/audio"),
        format!("/api/history/recordings/{id}/download"),
        "/api/history/recordings/999/audio".to_owned(),
    ] {
        let resp = other.get(&path);
        assert_error(&resp, 404, "not_found");
        assert_nothing_leaks(&resp);
    }
    assert!(
        w.provider.seen().is_empty(),
        "no request for a refused view"
    );
}

#[test]
fn tel_4_viewers_play_but_only_download_permission_downloads() {
    let w = world();
    let id = w
        .app
        .recording_ready("ev-1", ARS_LINE, &url("c-1.mp3"), "mp3");
    let viewer = w.owner.add_admin("acme-viewer", "viewer");
    let play = viewer.get(&format!("/api/history/recordings/{id}/audio"));
    // A viewer's player gets one bounded range (here the whole short file).
    assert_eq!(play.status, 206);
    assert_eq!(play.body, w.provider.file);
    assert_eq!(play.header("content-range"), Some("bytes 0-4999/5000"));
    let download = format!("/api/history/recordings/{id}/download");
    assert_error(&viewer.get(&download), 403, "forbidden");
    assert_eq!(
        w.provider.seen().len(),
        1,
        "the refused download fetched nothing"
    );

    let manager = w.owner.add_admin("acme-manager", "manager");
    let resp = manager.get(&download);
    assert_eq!(resp.status, 200);
    assert_eq!(resp.body, w.provider.file);
    assert_eq!(resp.header("content-type"), Some("audio/mpeg"));
    // Named after the call and its time in the tenant's zone (Asia/Seoul).
    assert_eq!(
        resp.header("content-disposition"),
        Some("attachment; filename=\"recording-call-ev-1-20261130-095800.mp3\"")
    );
    assert_nothing_leaks(&resp);
}

#[test]
fn tel_4_provider_failures_are_json_errors_and_redirects_are_not_followed() {
    let w = world();
    let id = w
        .app
        .recording_ready("ev-1", ARS_LINE, &url("c-1.mp3"), "mp3");
    let path = format!("/api/history/recordings/{id}/audio");
    for (mode, status, code) in [
        (Mode::Down, 502, "provider_unavailable"),
        (Mode::Timeout, 502, "provider_unavailable"),
        (Mode::Status(500), 502, "provider_unavailable"),
        (Mode::Status(503), 502, "provider_unavailable"),
        (Mode::Status(401), 502, "provider_unavailable"),
        (Mode::Status(302), 502, "provider_unavailable"),
        (Mode::Status(200 + 7), 502, "provider_unavailable"),
        (Mode::Status(404), 404, "recording_gone"),
        (Mode::Status(410), 404, "recording_gone"),
        (Mode::Status(416), 416, "range_not_satisfiable"),
    ] {
        w.provider.mode.set(mode);
        let before = w.provider.seen().len();
        let resp = w.owner.get(&path);
        assert_error(&resp, status, code);
        assert_nothing_leaks(&resp);
        assert!(!String::from_utf8_lossy(&resp.body).contains("provider error page"));
        assert_eq!(w.provider.seen().len(), before + 1, "{mode:?}: one request");
    }
    w.provider.mode.set(Mode::Status(416));
    let resp = get(&w.app, &w.owner, &path, Some("bytes=9000-"));
    assert_eq!(resp.header("content-range"), Some("bytes */5000"));
}

#[test]
fn tel_4_a_url_outside_the_allowed_origin_is_never_requested() {
    let w = world();
    for (n, outside) in [
        "https://evil.example/r/c-1.mp3",
        "http://rec.provider.example/r/c-1.mp3",
        "https://rec.provider.example:8443/r/c-1.mp3",
        "https://rec.provider.example.evil.example/r/c-1.mp3",
        "http://127.0.0.1:9000/r/c-1.mp3",
    ]
    .iter()
    .enumerate()
    {
        let id = w
            .app
            .recording_ready(&format!("ev-{n}"), ARS_LINE, outside, "mp3");
        for path in [
            format!("/api/history/recordings/{id}/audio"),
            format!("/api/history/recordings/{id}/download"),
        ] {
            let resp = w.owner.get(&path);
            assert_error(&resp, 502, "recording_url_refused");
            assert!(!String::from_utf8_lossy(&resp.body).contains("evil"));
        }
    }
    assert!(w.provider.seen().is_empty(), "{:?}", w.provider.seen());

    // With no origin configured (the manifest's placeholder), nothing is
    // fetched at all.
    for origin in [None, Some("https://recordings.invalid"), Some("not a url")] {
        let w = world_with(origin, FakeProvider::new(10));
        let id = w
            .app
            .recording_ready("ev-1", ARS_LINE, "https://recordings.invalid/x.mp3", "mp3");
        let resp = w.owner.get(&format!("/api/history/recordings/{id}/audio"));
        assert_error(&resp, 502, "recording_url_refused");
        assert!(w.provider.seen().is_empty(), "{origin:?}");
    }
}

#[test]
fn tel_4_a_host_without_outbound_http_says_so() {
    let w = world();
    let id = w
        .app
        .recording_ready("ev-1", ARS_LINE, &url("c-1.mp3"), "mp3");
    w.app.set_http_client(None);
    let resp = w.owner.get(&format!("/api/history/recordings/{id}/audio"));
    assert_error(&resp, 503, "provider_not_configured");
    // Metadata needs no provider.
    let resp = w.owner.get(&format!("/api/history/recordings/{id}"));
    assert_eq!(resp.status, 200);
}

#[test]
fn tel_4_every_view_is_in_the_work_history_with_the_recording_id() {
    let w = world();
    let id = w
        .app
        .recording_ready("ev-1", ARS_LINE, &url("c-1.mp3"), "mp3");
    for suffix in ["", "/audio", "/download"] {
        let resp = w
            .owner
            .get(&format!("/api/history/recordings/{id}{suffix}"));
        assert_eq!(resp.status, 200);
    }
    w.provider.mode.set(Mode::Down);
    let failed = w.owner.get(&format!("/api/history/recordings/{id}/audio"));
    assert_eq!(failed.status, 502);
    let rows = futures::executor::block_on(switchboard_storage::Sql::query(
        w.app.db.as_ref(),
        "SELECT action, outcome, detail, login_id FROM audit_log
         WHERE action LIKE 'recordings.%' ORDER BY id",
        &[],
    ))
    .unwrap();
    let got: Vec<(String, i64, serde_json::Value, String)> = rows
        .iter()
        .map(|r| {
            (
                r.text(0).unwrap(),
                r.i64(1).unwrap(),
                serde_json::from_str(&r.text(2).unwrap()).unwrap(),
                r.text(3).unwrap(),
            )
        })
        .collect();
    let detail = json!({ "recording_id": id, "call_id": "call-ev-1" });
    let expected: Vec<(String, i64, serde_json::Value, String)> = [
        ("recordings.view", 200),
        ("recordings.play", 200),
        ("recordings.download", 200),
        ("recordings.play", 502),
    ]
    .iter()
    .map(|(a, o)| (a.to_string(), *o, detail.clone(), "acme-owner".to_owned()))
    .collect();
    assert_eq!(got, expected);
    // The provider's URL is not in the history either.
    let text = format!("{got:?}");
    assert!(!text.contains("provider.example"), "{text}");
}

/// What the player route gives a viewer of a recording larger than one
/// chunk: 206 with at most 256 KiB per request, whatever the request asks,
/// so the route is no download (issue 14, finding 4). Those who may download
/// get the whole file from the same route.
#[test]
fn tel_4_a_viewers_player_gets_bounded_ranges_and_never_the_file() {
    let w = world_with(Some(ORIGIN), FakeProvider::new(600_000));
    let id = w
        .app
        .recording_ready("ev-1", ARS_LINE, &url("c-1.mp3"), "mp3");
    let path = format!("/api/history/recordings/{id}/audio");
    let viewer = w.owner.add_admin("acme-viewer", "viewer");
    let chunk = 256 * 1024;
    for (range, first) in [
        (None, 0),
        (Some("bytes=0-"), 0),
        (Some("bytes=0-599999"), 0),
        (Some("bytes=300000-"), 300_000),
    ] {
        let mut req = viewer.req(Method::GET, &path);
        if let Some(r) = range {
            req = req.with_header("range", r);
        }
        let resp = w.app.send(req);
        assert_eq!(resp.status, 206, "{range:?}");
        assert_eq!(resp.body.len(), chunk, "{range:?}");
        assert_eq!(
            resp.body,
            w.provider.file[first..first + chunk],
            "{range:?}"
        );
        let last = first + chunk - 1;
        assert_eq!(
            resp.header("content-range"),
            Some(format!("bytes {first}-{last}/600000").as_str())
        );
    }
    // Every chunk a viewer gets is recorded, wherever it starts.
    let plays = w
        .app
        .audit_rows()
        .into_iter()
        .filter(|(action, login, _)| action == "recordings.play" && login == "acme-viewer")
        .count();
    assert_eq!(plays, 4);

    // The owner (who may download) gets what they ask for.
    let whole = w.owner.get(&path);
    assert_eq!(whole.status, 200);
    assert_eq!(whole.body, w.provider.file);
}

/// A provider whose Content-Range promises less than it sends does not get
/// the whole file to a viewer: what leaves is what was promised (outside
/// attack on issue 14, finding 4).
#[test]
fn tel_4_a_viewer_gets_no_more_than_the_provider_promised() {
    let w = world_with(Some(ORIGIN), FakeProvider::new(600_000));
    let id = w
        .app
        .recording_ready("ev-1", ARS_LINE, &url("c-1.mp3"), "mp3");
    let viewer = w.owner.add_admin("acme-viewer", "viewer");
    w.provider.mode.set(Mode::LyingRange(10));
    let resp = viewer.get(&format!("/api/history/recordings/{id}/audio"));
    assert!(
        resp.body.len() <= 11,
        "{} bytes left for a range of 11",
        resp.body.len()
    );
    // A range wider than the bound is refused, not passed on.
    w.provider.mode.set(Mode::LyingRange(599_999));
    let resp = viewer.get(&format!("/api/history/recordings/{id}/audio"));
    assert_error(&resp, 502, "provider_unavailable");
    // A provider that ignores the range (200, the whole file) is refused.
    w.provider.mode.set(Mode::Status(200));
    let resp = viewer.get(&format!("/api/history/recordings/{id}/audio"));
    assert_error(&resp, 502, "provider_unavailable");
}
