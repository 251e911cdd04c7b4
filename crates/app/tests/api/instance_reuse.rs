//! One `Host` serves many requests, as one Spin instance does (up to 128).
//! What it keeps must never hide a change made through another instance:
//! sessions, settings and data are read per request.
#![allow(clippy::unwrap_used)]

use crate::support::{self, OPERATOR_PASSWORD, Req, TestApp, TestResponse};
use futures::executor::block_on;
use std::cell::Cell;
use std::rc::Rc;
use switchboard_app::Clock;
use switchboard_app::runtime::config::{MapVariables, Variables};
use switchboard_app::{Host, mount_for, serve};
use switchboard_http::Method;
use switchboard_storage::BoxFuture;

/// Variables that count how often they are read.
struct Counted {
    inner: MapVariables,
    reads: Rc<Cell<usize>>,
}

impl Variables for Counted {
    fn get<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Option<String>> {
        self.reads.set(self.reads.get() + 1);
        self.inner.get(name)
    }
}

fn instance(app: &TestApp, reads: &Rc<Cell<usize>>) -> Host {
    let vars = Counted {
        inner: app.vars(),
        reads: reads.clone(),
    };
    Host::new(app.db.clone(), app.kv.clone(), Rc::new(vars)).with_clock(Clock::Fixed(app.now()))
}

fn send(host: &Host, req: Req) -> TestResponse {
    let req = req.0;
    TestResponse::read(block_on(serve(mount_for(req.uri().path()), host, req)))
}

#[test]
fn an_instance_reads_its_variables_once_and_serves_many_requests() {
    let app = TestApp::with_operator();
    let op = app.operator();
    let reads = Rc::new(Cell::new(0));
    let host = instance(&app, &reads);
    for _ in 0..20 {
        let me = send(&host, op.req(Method::GET, "/api/auth/me"));
        assert_eq!(me.status, 200, "{}", me.json_body());
    }
    let per_load = switchboard_app::runtime::config::VARIABLES.len();
    assert_eq!(
        reads.get(),
        per_load,
        "variables are read by the first request only"
    );
}

#[test]
fn a_sign_out_through_one_instance_ends_the_session_in_another() {
    let app = TestApp::with_operator();
    let reads = Rc::new(Cell::new(0));
    let (a, b) = (instance(&app, &reads), instance(&app, &reads));
    let login = send(
        &a,
        Req::new(Method::POST, "/api/auth/login")
            .with_json(&serde_json::json!({"login_id": "operator", "password": OPERATOR_PASSWORD}))
            .with_peer([127, 0, 0, 1].into()),
    );
    assert_eq!(login.status, 200);
    let session = app.session_from(&login, [127, 0, 0, 1].into());
    assert_eq!(
        send(&b, session.req(Method::GET, "/api/auth/me")).status,
        200
    );
    let out = send(&a, session.req(Method::POST, "/api/auth/logout"));
    assert_eq!(out.status, 204);
    assert_eq!(
        send(&b, session.req(Method::GET, "/api/auth/me")).status,
        401
    );
}

#[test]
fn an_allowlist_saved_through_one_instance_applies_in_another_at_once() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let reads = Rc::new(Cell::new(0));
    let (a, b) = (instance(&app, &reads), instance(&app, &reads));
    let users = || owner.req(Method::GET, "/api/users");
    assert_eq!(send(&b, users()).status, 200, "b has served a request");
    let rules = serde_json::json!({ "rules": [{ "rule": "127.0.0.1" }] });
    let saved = send(
        &a,
        owner
            .req(Method::PUT, "/api/settings/access")
            .with_json(&rules),
    );
    assert_eq!(saved.status, 200, "{}", saved.json_body());
    let elsewhere = support::Session {
        peer: [10, 0, 0, 1].into(),
        ..owner.clone()
    };
    let refused = send(&b, elsewhere.req(Method::GET, "/api/users"));
    assert_eq!(refused.status, 403, "{}", refused.json_body());
}
