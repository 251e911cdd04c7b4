//! A test harness: the real pipeline over in-memory rusqlite stores, with the
//! clock and the variables under the test's control.
#![allow(dead_code, clippy::unwrap_used)]

use futures::executor::block_on;
use std::path::PathBuf;
use std::rc::Rc;
use switchboard_app::config::MapVariables;
use switchboard_app::context::Clock;
use switchboard_app::{Host, mount_for, serve};
use switchboard_http::{Body, HeaderMap, HeaderMapExt, HttpClient, Method, PeerAddr, http};
use switchboard_storage_native::{NativeKv, NativeSql};

pub struct TestApp {
    pub db: Rc<NativeSql>,
    pub kv: Rc<NativeKv>,
    pub vars: MapVariables,
    pub now: jiff::Timestamp,
    pub static_root: Option<PathBuf>,
    /// Outbound HTTP for the hosts (a fake provider), when a test gives one.
    pub http: Option<Rc<dyn HttpClient>>,
}

impl TestApp {
    pub fn new() -> Self {
        Self {
            db: Rc::new(NativeSql::in_memory().unwrap()),
            kv: Rc::new(NativeKv::in_memory().unwrap()),
            vars: MapVariables::default(),
            now: "2026-11-30T01:00:00Z".parse().unwrap(),
            static_root: None,
            http: None,
        }
    }

    pub fn with_http_client(mut self, client: Rc<dyn HttpClient>) -> Self {
        self.http = Some(client);
        self
    }

    pub fn with_var(mut self, name: &str, value: &str) -> Self {
        self.vars = self.vars.with(name, value);
        self
    }

    /// A fresh host, as a new instance has: every request in these tests is
    /// its instance's first (caches cold).
    pub fn host(&self) -> Host {
        let mut host = Host::new(self.db.clone(), self.kv.clone(), Rc::new(self.vars.clone()))
            .with_clock(Clock::Fixed(self.now));
        if let Some(client) = &self.http {
            host = host.with_http_client(client.clone());
        }
        match &self.static_root {
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

    pub fn get(&self, path: &str) -> TestResponse {
        self.send(Req::new(Method::GET, path))
    }

    pub fn post_json(&self, path: &str, body: serde_json::Value) -> TestResponse {
        self.send(Req::new(Method::POST, path).with_json(&body))
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

pub const OPERATOR_PASSWORD: &str = "operator-pass-123";

/// A signed-in admin as a browser would hold it: the cookie and the CSRF
/// token, plus the address requests come from.
#[derive(Clone, Debug)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
    pub peer: std::net::IpAddr,
    pub user: serde_json::Value,
}

impl TestApp {
    /// An app whose operator account is bootstrapped on first sign-in.
    pub fn with_operator() -> Self {
        Self::new().with_var("bootstrap_operator_password", OPERATOR_PASSWORD)
    }

    pub fn advance(&mut self, secs: i64) {
        self.now = self
            .now
            .checked_add(jiff::SignedDuration::from_secs(secs))
            .unwrap();
    }

    pub fn login_from(&self, login_id: &str, password: &str, peer: &str) -> TestResponse {
        self.send(
            Req::new(Method::POST, "/api/auth/login")
                .with_json(&serde_json::json!({ "login_id": login_id, "password": password }))
                .with_peer(peer.parse().unwrap()),
        )
    }

    /// Signs in from 127.0.0.1 and panics unless it works.
    pub fn login(&self, login_id: &str, password: &str) -> Session {
        self.login_at(login_id, password, "127.0.0.1")
    }

    pub fn login_at(&self, login_id: &str, password: &str, peer: &str) -> Session {
        let resp = self.login_from(login_id, password, peer);
        assert_eq!(
            resp.status,
            200,
            "sign-in of {login_id}: {}",
            resp.json_body()
        );
        let set_cookie = resp.header("set-cookie").unwrap();
        let cookie = set_cookie.split(';').next().unwrap().to_owned();
        let body = resp.json_body();
        Session {
            cookie,
            csrf: body["csrf_token"].as_str().unwrap().to_owned(),
            peer: peer.parse().unwrap(),
            user: body["user"].clone(),
        }
    }

    pub fn operator(&self) -> Session {
        self.login("operator", OPERATOR_PASSWORD)
    }

    /// A request as `s`, with its cookie, CSRF token and address.
    pub fn call(
        &self,
        s: &Session,
        method: Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> TestResponse {
        let mut req = Req::new(method, path)
            .with_header("cookie", &s.cookie)
            .with_header("x-csrf-token", &s.csrf)
            .with_peer(s.peer);
        if let Some(b) = body {
            req = req.with_json(&b);
        }
        self.send(req)
    }

    /// A request as `s` with a raw body of `content_type` (uploads).
    pub fn call_raw(
        &self,
        s: &Session,
        method: Method,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> TestResponse {
        self.send(
            Req::new(method, path)
                .with_header("cookie", &s.cookie)
                .with_header("x-csrf-token", &s.csrf)
                .with_header("content-type", content_type)
                .with_peer(s.peer)
                .with_body(body),
        )
    }

    /// Uploads a prompt file as `s`; returns the answer.
    pub fn upload_audio(&self, s: &Session, name: &str, body: Vec<u8>) -> TestResponse {
        self.call_raw(
            s,
            Method::POST,
            &format!("/api/settings/audio?name={name}"),
            "audio/wav",
            body,
        )
    }

    pub fn get_as(&self, s: &Session, path: &str) -> TestResponse {
        self.call(s, Method::GET, path, None)
    }

    /// Creates a tenant named `name` whose owner is `<name>-owner` with
    /// password `owner-pass-123`; returns (tenant id, owner session).
    pub fn tenant(&self, name: &str) -> (i64, Session) {
        let op = self.operator();
        let resp = self.call(
            &op,
            Method::POST,
            "/api/operator/tenants",
            Some(serde_json::json!({
                "name": name,
                "plan": "basic",
                "licence_count": 10,
                "service_start": "2026-01-01",
                "service_end": "2026-12-31",
                "owner": { "login_id": format!("{name}-owner"), "name": "Owner", "password": "owner-pass-123" }
            })),
        );
        assert_eq!(resp.status, 201, "{}", resp.json_body());
        let id = resp.json_body()["tenant"]["id"].as_i64().unwrap();
        (id, self.login(&format!("{name}-owner"), "owner-pass-123"))
    }

    /// Adds an admin with `role` to the owner's tenant and signs them in.
    pub fn admin(&self, owner: &Session, login_id: &str, role: &str) -> Session {
        let resp = self.call(
            owner,
            Method::POST,
            "/api/users",
            Some(serde_json::json!({ "login_id": login_id, "name": login_id, "role": role, "password": "admin-pass-123" })),
        );
        assert_eq!(resp.status, 201, "{}", resp.json_body());
        self.login(login_id, "admin-pass-123")
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

impl TestApp {
    /// Posts `event` (one event's JSON, or `{"events": [...]}`) to
    /// `POST /hooks/events`, signed now with the `webhook_secret` variable,
    /// as the telephony provider does.
    pub fn post_events(&self, event: &serde_json::Value) -> TestResponse {
        let secret = self
            .vars
            .0
            .iter()
            .rev()
            .find(|(n, _)| n == "webhook_secret")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let body = serde_json::to_vec(event).unwrap();
        let ts = self.now.as_second();
        let signature = switchboard_telephony::signature::sign(&secret, ts, &body).unwrap();
        self.send(
            Req::new(Method::POST, "/hooks/events")
                .with_header("content-type", "application/json")
                .with_header("x-switchboard-timestamp", &ts.to_string())
                .with_header("x-switchboard-signature", &signature)
                .with_body(body),
        )
    }

    /// Stores a `recording.ready` event for the tenant whose representative
    /// number is `line` (see [`ars_body`]); returns the recording's ID.
    pub fn recording_ready(&self, event_id: &str, line: &str, url: &str, format: &str) -> i64 {
        let resp = self.post_events(&serde_json::json!({
            "id": event_id,
            "type": "recording.ready",
            "at": "2026-11-30T00:58:00Z",
            "line": line,
            "call": format!("call-{event_id}"),
            "url": url,
            "duration_seconds": 183.5,
            "format": format,
        }));
        assert_eq!(resp.status, 200, "{}", resp.json_body());
        let row = block_on(switchboard_storage::Sql::query_row(
            self.db.as_ref(),
            "SELECT id FROM recordings WHERE event_id = ?",
            &[event_id.into()],
        ))
        .unwrap()
        .unwrap_or_else(|| panic!("no recording from {event_id}: {}", resp.json_body()));
        row.i64(0).unwrap()
    }
}

/// The representative number [`ars_body`] sets, as events name it.
pub const ARS_LINE: &str = "07012345678";
pub const AGENT_PASSWORD: &str = "agent-pass-123";

/// A signed-in agent as an agent app holds it (AGT-1): the bearer token
/// and the address requests come from.
#[derive(Clone, Debug)]
pub struct AgentSession {
    pub token: String,
    pub peer: std::net::IpAddr,
    pub body: serde_json::Value,
}

impl TestApp {
    /// Adds an agent named `login_id` with password [`AGENT_PASSWORD`] to
    /// the owner's tenant (SVC-1); returns its ID.
    pub fn add_agent(&self, owner: &Session, login_id: &str) -> i64 {
        let resp = self.call(
            owner,
            Method::POST,
            "/api/settings/agents",
            Some(serde_json::json!({ "login_id": login_id, "name": format!("상담원 {login_id}"), "password": AGENT_PASSWORD })),
        );
        assert_eq!(resp.status, 201, "{}", resp.json_body());
        resp.json_body()["id"].as_i64().unwrap()
    }

    /// `POST /api/agent/login` from `peer`.
    pub fn agent_login_from(
        &self,
        tenant_id: i64,
        login_id: &str,
        password: &str,
        platform: &str,
        peer: &str,
    ) -> TestResponse {
        self.send(
            Req::new(Method::POST, "/api/agent/login")
                .with_json(&serde_json::json!({
                    "tenant_id": tenant_id, "login_id": login_id,
                    "password": password, "platform": platform
                }))
                .with_peer(peer.parse().unwrap()),
        )
    }

    /// Signs an agent in from 127.0.0.1 on the PC app; panics unless it works.
    pub fn agent_login(&self, tenant_id: i64, login_id: &str) -> AgentSession {
        let resp = self.agent_login_from(tenant_id, login_id, AGENT_PASSWORD, "pc", "127.0.0.1");
        assert_eq!(
            resp.status,
            200,
            "agent sign-in of {login_id}: {}",
            resp.json_body()
        );
        let body = resp.json_body();
        AgentSession {
            token: body["token"].as_str().unwrap().to_owned(),
            peer: "127.0.0.1".parse().unwrap(),
            body,
        }
    }

    /// A request as agent `a`, with its bearer token and address.
    pub fn agent_call(
        &self,
        a: &AgentSession,
        method: Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> TestResponse {
        let mut req = Req::new(method, path)
            .with_header("authorization", &format!("Bearer {}", a.token))
            .with_peer(a.peer);
        if let Some(b) = body {
            req = req.with_json(&b);
        }
        self.send(req)
    }
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

/// A valid body for `PUT /api/settings/ars`.
pub fn ars_body() -> serde_json::Value {
    serde_json::json!({
        "representative_number": "070-1234-5678",
        "caller_id": "02-123-4567",
        "greeting": { "kind": "text", "text": "안녕하십니까? 에이크미입니다." },
        "out_of_hours": "지금은 상담 시간이 아닙니다.",
        "connecting": "상담원에게 연결해 드리겠습니다.",
        "busy": "모든 상담원이 통화 중입니다.",
        "busy_wait_seconds": 30,
        "callback": "콜백을 원하시면 1번을 눌러 주십시오."
    })
}

/// Business hours 09–12 and 13–18 on weekdays, weekend off (ARS-4).
pub fn lunch_break_hours() -> serde_json::Value {
    serde_json::json!({
        "groups": {
            "weekdays": { "available": true, "ranges": [
                { "start": "09:00", "end": "12:00" }, { "start": "13:00", "end": "18:00" }] },
            "weekend": { "available": false, "ranges": [] }
        }
    })
}

/// A valid body for `PUT /api/settings/work` (SVC-4, SVC-5).
pub fn work_body() -> serde_json::Value {
    serde_json::json!({
        "state_after_login": "away",
        "state_after_call": "after_call_work",
        "acw_limit_seconds": 30,
        "popup_url_template": "https://crm.example.com/popup?tel={caller}&call={callId}"
    })
}

/// A body each state-changing route accepts when it acts on the caller's own
/// tenant, so the walks over the route table see real changes; `login_id`
/// names an admin a create makes. A new route gets `{}` until added here.
pub fn valid_body(method: &Method, pattern: &str, login_id: &str) -> Option<serde_json::Value> {
    if method.is_safe() {
        return None;
    }
    Some(match pattern {
        "/api/users" => {
            serde_json::json!({ "login_id": login_id, "name": "w", "role": "viewer", "password": "admin-pass-123" })
        }
        "/api/settings/access" => {
            serde_json::json!({ "rules": [{ "rule": "127.0.0.0/8", "note": "walk" }] })
        }
        "/api/users/{id}" => serde_json::json!({ "name": "renamed" }),
        "/api/users/{id}/password" => serde_json::json!({ "new_password": "walker-pass-123" }),
        "/api/settings/ars" => ars_body(),
        "/api/settings/menus" => {
            serde_json::json!({ "digit": 1, "kind": "agents", "queue": "상담", "callback": true })
        }
        "/api/settings/menus/{id}" => serde_json::json!({ "callback": false }),
        "/api/settings/agents" => {
            serde_json::json!({ "login_id": login_id, "name": "상담원", "password": "agent-pass-123" })
        }
        "/api/settings/agents/{id}" => serde_json::json!({ "name": "renamed" }),
        "/api/settings/agents/{id}/menus" => serde_json::json!({ "menu_ids": [] }),
        "/api/settings/consultation-types" => serde_json::json!({ "name": login_id }),
        "/api/settings/consultation-types/order" => serde_json::json!({ "ids": [] }),
        "/api/settings/consultation-types/{id}" => serde_json::json!({ "name": "renamed" }),
        "/api/settings/hours" => lunch_break_hours(),
        "/api/settings/holidays" => {
            serde_json::json!({ "date": "2026-07-01", "kind": "holiday", "repeat": "yearly", "name": login_id })
        }
        "/api/settings/holidays/{id}" => serde_json::json!({ "name": "renamed" }),
        "/api/settings/contract/licences" => serde_json::json!({ "licence_count": 12 }),
        "/api/settings/contract/company" => {
            serde_json::json!({ "name": "acme", "phone": "02-123-4567", "email": "ops@example.com" })
        }
        "/api/settings/work" => work_body(),
        "/api/agent/login" => {
            serde_json::json!({ "tenant_id": 1, "login_id": login_id, "password": "agent-pass-123", "platform": "pc" })
        }
        "/api/agent/state" => serde_json::json!({ "state": "away" }),
        "/api/agent/calls/{call_id}/consultation" => {
            serde_json::json!({ "type_id": null, "memo": "walk" })
        }
        // Keeps the walked tenant active: its admins sign in after this.
        "/api/operator/tenants/{id}" => serde_json::json!({ "status": "active" }),
        _ => serde_json::json!({}),
    })
}
