//! One `Host` serves many requests, as one Spin instance does (up to 128).
//! What it keeps must never hide a change made through another instance:
//! sessions, settings and data are read per request.
#![allow(clippy::unwrap_used)]

use crate::support;

use crate::support::{OPERATOR_PASSWORD, Req, TestApp, TestResponse};
use futures::executor::block_on;
use std::cell::Cell;
use std::rc::Rc;
use switchboard_app::config::{MapVariables, Variables};
use switchboard_app::context::Clock;
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
        inner: app.vars.clone(),
        reads: reads.clone(),
    };
    Host::new(app.db.clone(), app.kv.clone(), Rc::new(vars)).with_clock(Clock::Fixed(app.now))
}

fn send(host: &Host, req: Req) -> TestResponse {
    let req = req.0;
    TestResponse::read(block_on(serve(mount_for(req.uri().path()), host, req)))
}

fn as_session(req: Req, s: &support::Session) -> Req {
    req.with_header("cookie", &s.cookie)
        .with_header("x-csrf-token", &s.csrf)
        .with_peer(s.peer)
}

#[test]
fn an_instance_reads_its_variables_once_and_serves_many_requests() {
    let app = TestApp::with_operator();
    let op = app.operator();
    let reads = Rc::new(Cell::new(0));
    let host = instance(&app, &reads);
    for _ in 0..20 {
        let me = send(
            &host,
            as_session(Req::new(Method::GET, "/api/auth/me"), &op),
        );
        assert_eq!(me.status, 200, "{}", me.json_body());
    }
    let per_load = switchboard_app::config::VARIABLES.len();
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
    let session = support::Session {
        cookie: login
            .header("set-cookie")
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned(),
        csrf: login.json_body()["csrf_token"].as_str().unwrap().to_owned(),
        peer: [127, 0, 0, 1].into(),
        user: login.json_body()["user"].clone(),
    };
    assert_eq!(
        send(
            &b,
            as_session(Req::new(Method::GET, "/api/auth/me"), &session)
        )
        .status,
        200
    );
    let out = send(
        &a,
        as_session(Req::new(Method::POST, "/api/auth/logout"), &session),
    );
    assert_eq!(out.status, 204);
    assert_eq!(
        send(
            &b,
            as_session(Req::new(Method::GET, "/api/auth/me"), &session)
        )
        .status,
        401
    );
}

#[test]
fn an_allowlist_saved_through_one_instance_applies_in_another_at_once() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let reads = Rc::new(Cell::new(0));
    let (a, b) = (instance(&app, &reads), instance(&app, &reads));
    let users = || as_session(Req::new(Method::GET, "/api/users"), &owner);
    assert_eq!(send(&b, users()).status, 200, "b has served a request");
    let rules = serde_json::json!({ "rules": [{ "rule": "127.0.0.1" }] });
    let saved = send(
        &a,
        as_session(Req::new(Method::PUT, "/api/settings/access"), &owner).with_json(&rules),
    );
    assert_eq!(saved.status, 200, "{}", saved.json_body());
    let elsewhere = support::Session {
        peer: [10, 0, 0, 1].into(),
        ..owner.clone()
    };
    let refused = send(
        &b,
        as_session(Req::new(Method::GET, "/api/users"), &elsewhere),
    );
    assert_eq!(refused.status, 403, "{}", refused.json_body());
}
