//! Access is decided from the headers before any body byte is read (issue
//! 14, finding 2): anonymous clients, clients without the CSRF token or the
//! role, agents without a token and unsigned provider calls are answered
//! without the server holding their bodies. Each request here carries a
//! body that records being read and fails if it is.
#![allow(clippy::unwrap_used)]

use crate::support::{Req, TestApp, TestResponse, assert_error};
use std::cell::Cell;
use std::rc::Rc;
use std::task::Poll;
use switchboard_http::{Body, BodyError, Method};

/// A 5 MB body that must never be read: its first poll is recorded.
fn watched(req: Req, read: &Rc<Cell<bool>>) -> Req {
    let flag = read.clone();
    let body = Body::from_stream(futures::stream::poll_fn(move |_| {
        flag.set(true);
        Poll::Ready(Some(Err(BodyError("the body was read".into()))))
    }));
    let mut req = req.with_header("content-length", "5000000");
    *req.0.body_mut() = body;
    req
}

fn send_unread(app: &TestApp, req: Req) -> TestResponse {
    let read = Rc::new(Cell::new(false));
    let resp = app.send(watched(req, &read));
    assert!(!read.get(), "the body was read before access was decided");
    resp
}

fn upload(path: &str) -> Req {
    Req::new(Method::POST, path)
        .with_header("content-type", "audio/wav")
        .with_peer("127.0.0.1".parse().unwrap())
}

#[test]
fn an_anonymous_upload_is_refused_before_its_body_is_read() {
    let app = TestApp::with_operator();
    let resp = send_unread(&app, upload("/api/settings/audio?name=x"));
    assert_error(&resp, 401, "unauthenticated");
}

#[test]
fn a_session_without_the_csrf_token_or_the_role_is_refused_before_the_body() {
    let app = TestApp::with_operator();
    let owner = app.tenant("acme").1;
    let no_csrf = upload("/api/settings/audio?name=x").with_header("cookie", &owner.cookie);
    assert_error(&send_unread(&app, no_csrf), 403, "csrf_failed");

    let viewer = owner.add_admin("acme-viewer", "viewer");
    let as_viewer = upload("/api/settings/audio?name=x")
        .with_header("cookie", &viewer.cookie)
        .with_header("x-csrf-token", &viewer.csrf);
    assert_error(&send_unread(&app, as_viewer), 403, "forbidden");
}

#[test]
fn the_owner_s_upload_is_read() {
    // The other side of the tests above: with every header right, the body
    // is read (here it fails, so the answer is the unreadable-body error).
    let app = TestApp::with_operator();
    let owner = app.tenant("acme").1;
    let read = Rc::new(Cell::new(false));
    let req = upload("/api/settings/audio?name=x")
        .with_header("cookie", &owner.cookie)
        .with_header("x-csrf-token", &owner.csrf);
    let resp = app.send(watched(req, &read));
    assert!(read.get());
    assert_error(&resp, 400, "unreadable_body");
}

#[test]
fn an_agent_route_without_a_token_is_refused_before_the_body() {
    let app = TestApp::with_operator();
    let req =
        Req::new(Method::PUT, "/api/agent/state").with_header("content-type", "application/json");
    assert_error(&send_unread(&app, req), 401, "unauthenticated");
}

#[test]
fn provider_events_without_fresh_signature_headers_are_refused_before_the_body() {
    let app = TestApp::with_operator().with_var("webhook_secret", "whsec-test");
    let bare =
        Req::new(Method::POST, "/hooks/events").with_header("content-type", "application/json");
    assert_error(&send_unread(&app, bare), 401, "bad_signature");

    let stale = app.now().as_second() - 301;
    let old = Req::new(Method::POST, "/hooks/events")
        .with_header("content-type", "application/json")
        .with_header("x-switchboard-timestamp", &stale.to_string())
        .with_header(
            "x-switchboard-signature",
            &format!("v1={}", "ab".repeat(32)),
        );
    assert_error(&send_unread(&app, old), 401, "bad_signature");
}
