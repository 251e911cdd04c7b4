//! A test harness: the real pipeline over in-memory rusqlite stores, with the
//! clock and the variables under the test's control.
//!
//! - [`TestApp`]: the app (its stores, variables and clock), shared by every
//!   handle a test holds on it;
//! - [`Session`] and [`AgentSession`]: a signed-in admin or agent app, bound
//!   to its app, so a test reads `owner.patch(path, body)`;
//! - [`events`]: typed builders for the provider's signed events;
//! - [`bodies`]: request bodies, the valid ones from the API document.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod bodies;
pub mod events;
pub mod scenarios;
mod sessions;

pub use bodies::{ars_body, lunch_break_hours, valid_body, work_body};
pub use events::{AgentScript, CallScript};
pub use sessions::{AGENT_PASSWORD, AgentSession, OPERATOR_PASSWORD, Session};

use futures::executor::block_on;
use std::cell::{Cell, RefCell};
use std::ops::Deref;
use std::path::PathBuf;
use std::rc::Rc;
use switchboard_app::Clock;
use switchboard_app::runtime::config::MapVariables;
use switchboard_app::{Host, mount_for, serve};
use switchboard_http::{Body, HeaderMap, HeaderMapExt, HttpClient, Method, PeerAddr, http};
use switchboard_storage_native::{NativeKv, NativeSql};

/// The representative number [`ars_body`] sets, as events name it.
pub const ARS_LINE: &str = "07012345678";

/// The harness's clock when a test starts: Monday 2026-11-30 10:00 in Seoul.
pub const START: &str = "2026-11-30T01:00:00Z";
/// [`START`] in milliseconds since the epoch.
pub const START_MS: i64 = 1_796_000_400_000;

#[test]
fn the_start_of_the_clock_is_one_instant() {
    let start: jiff::Timestamp = START.parse().unwrap();
    assert_eq!(start.as_millisecond(), START_MS);
}

/// The app under test. Cloning it is cheap and shares everything: the
/// stores, the variables and the clock, so the sessions a test holds (each
/// with its own handle) see the clock the test moves.
#[derive(Clone)]
pub struct TestApp(Rc<State>);

/// What a [`TestApp`] holds; its stores are public for tests that look at
/// (or write) rows directly.
pub struct State {
    pub db: Rc<NativeSql>,
    pub kv: Rc<NativeKv>,
    vars: RefCell<MapVariables>,
    now: Cell<jiff::Timestamp>,
    static_root: RefCell<Option<PathBuf>>,
    /// Outbound HTTP for the hosts (a fake provider), when a test gives one.
    http: RefCell<Option<Rc<dyn HttpClient>>>,
}

impl Deref for TestApp {
    type Target = State;

    fn deref(&self) -> &State {
        &self.0
    }
}

impl Default for TestApp {
    fn default() -> Self {
        Self::new()
    }
}

impl TestApp {
    pub fn new() -> Self {
        Self(Rc::new(State {
            // Writes report 0 changed rows, as on the libSQL scale-out
            // target: nothing may depend on the count.
            db: Rc::new(NativeSql::in_memory().unwrap().reporting_no_changes()),
            kv: Rc::new(NativeKv::in_memory().unwrap()),
            vars: RefCell::new(MapVariables::default()),
            now: Cell::new(START.parse().unwrap()),
            static_root: RefCell::new(None),
            http: RefCell::new(None),
        }))
    }

    /// The same app over a SQLite file (for tests that open more
    /// connections to it, as several instances would).
    pub fn on_file(path: &std::path::Path) -> Self {
        Self(Rc::new(State {
            db: Rc::new(NativeSql::open(path).unwrap().reporting_no_changes()),
            kv: Rc::new(NativeKv::in_memory().unwrap()),
            vars: RefCell::new(MapVariables::default()),
            now: Cell::new(START.parse().unwrap()),
            static_root: RefCell::new(None),
            http: RefCell::new(None),
        }))
    }

    /// An app whose operator account is bootstrapped on first sign-in.
    pub fn with_operator() -> Self {
        Self::new().with_var("bootstrap_operator_password", OPERATOR_PASSWORD)
    }

    pub fn with_var(self, name: &str, value: &str) -> Self {
        let vars = self.vars.take().with(name, value);
        *self.vars.borrow_mut() = vars;
        self
    }

    /// The variables every new host reads.
    pub fn vars(&self) -> MapVariables {
        self.vars.borrow().clone()
    }

    pub fn with_http_client(self, client: Rc<dyn HttpClient>) -> Self {
        self.set_http_client(Some(client));
        self
    }

    /// Gives the hosts made from now on this outbound HTTP (or none).
    pub fn set_http_client(&self, client: Option<Rc<dyn HttpClient>>) {
        *self.http.borrow_mut() = client;
    }

    /// Serves the static UI from `crates/app/../../static`, as the web
    /// component does.
    pub fn with_static_ui(self) -> Self {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../static");
        *self.static_root.borrow_mut() = Some(root);
        self
    }

    /// The harness's clock.
    pub fn now(&self) -> jiff::Timestamp {
        self.now.get()
    }

    pub fn set_now(&self, now: jiff::Timestamp) {
        self.now.set(now);
    }

    /// Moves the clock `secs` seconds on (back, when negative).
    pub fn advance(&self, secs: i64) {
        let now = self
            .now()
            .checked_add(jiff::SignedDuration::from_secs(secs))
            .unwrap();
        self.set_now(now);
    }

    /// A fresh host, as a new instance has: every request in these tests is
    /// its instance's first (caches cold).
    pub fn host(&self) -> Host {
        let mut host = Host::new(self.db.clone(), self.kv.clone(), Rc::new(self.vars()))
            .with_clock(Clock::Fixed(self.now()));
        if let Some(client) = self.http.borrow().as_ref() {
            host = host.with_http_client(client.clone());
        }
        match self.static_root.borrow().as_ref() {
            Some(root) => host.with_static_root(root.clone()),
            None => host,
        }
    }

    /// Sends `req` to the component `spin.toml` routes its path to.
    pub fn send(&self, req: Req) -> TestResponse {
        let req = req.0;
        let component = mount_for(req.uri().path());
        let resp = block_on(serve(component, &self.host(), req));
        TestResponse::read(resp)
    }

    /// An anonymous `GET`.
    pub fn get(&self, path: &str) -> TestResponse {
        self.send(Req::new(Method::GET, path))
    }

    /// An anonymous `POST` of a JSON body.
    pub fn post_json(&self, path: &str, body: serde_json::Value) -> TestResponse {
        self.send(Req::new(Method::POST, path).with_json(&body))
    }

    /// Rows of the work history, oldest first, as (action, login_id, outcome).
    pub fn audit_rows(&self) -> Vec<(String, String, i64)> {
        let rows = block_on(switchboard_storage::Sql::query(
            self.db.as_ref(),
            "SELECT action, login_id, outcome FROM audit_log ORDER BY id",
            &[],
        ))
        .unwrap();
        rows.iter()
            .map(|r| (r.text(0).unwrap(), r.text(1).unwrap(), r.i64(2).unwrap()))
            .collect()
    }
}

/// A request being built by a test.
pub struct Req(pub http::Request<Body>);

impl Req {
    pub fn new(method: Method, target: &str) -> Self {
        let mut req = http::Request::new(Body::empty());
        *req.method_mut() = method;
        *req.uri_mut() = target.parse().unwrap();
        Req(req)
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        let name = http::HeaderName::from_bytes(name.as_bytes()).unwrap();
        self.0
            .headers_mut()
            .append(name, http::HeaderValue::from_str(value).unwrap());
        self
    }

    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        *self.0.body_mut() = Body::from(body.into());
        self
    }

    pub fn with_json(self, value: &impl serde::Serialize) -> Self {
        self.with_header("content-type", "application/json")
            .with_body(serde_json::to_vec(value).unwrap())
    }

    pub fn with_peer(mut self, addr: std::net::IpAddr) -> Self {
        self.0.extensions_mut().insert(PeerAddr(addr));
        self
    }
}

/// A response read whole, for assertions.
#[derive(Debug, Clone)]
pub struct TestResponse {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl TestResponse {
    pub fn read(resp: switchboard_http::Response) -> Self {
        let (parts, body) = resp.into_parts();
        TestResponse {
            status: parts.status.as_u16(),
            headers: parts.headers,
            body: block_on(body.collect()).unwrap().to_vec(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.first(name)
    }

    pub fn json_body(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// Asserts the response is a JSON error with `status` and `code`.
pub fn assert_error(resp: &TestResponse, status: u16, code: &str) {
    let body = resp.json_body();
    assert_eq!(resp.status, status, "body: {body}");
    assert_eq!(resp.header("content-type"), Some("application/json"));
    assert_eq!(body["error"]["code"], code, "body: {body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
}

/// Every `{param}` of a route pattern replaced by `value`.
pub fn fill(pattern: &str, value: &str) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        match rest[open..].find('}') {
            Some(close) => {
                out.push_str(value);
                rest = &rest[open + close + 1..];
            }
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A playable PCM WAV file: 8 kHz, 16-bit mono, `samples` samples of a
/// simple ramp (so byte ranges are recognisable).
pub fn wav(samples: usize) -> Vec<u8> {
    let data: Vec<u8> = (0..samples * 2).map(|i| (i % 251) as u8).collect();
    let mut b = Vec::new();
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes()); // PCM
    b.extend_from_slice(&1u16.to_le_bytes()); // mono
    b.extend_from_slice(&8000u32.to_le_bytes());
    b.extend_from_slice(&16000u32.to_le_bytes());
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&(data.len() as u32).to_le_bytes());
    b.extend_from_slice(&data);
    b
}
