//! Smaller hardening items from the outside review (issue 7): own password
//! only with the current one, session-cookie shadowing, response headers,
//! self-test output, forwarded addresses with ports.
#![allow(clippy::unwrap_used)]

mod support;

use serde_json::json;
use support::{OPERATOR_PASSWORD, TestApp, assert_error};
use switchboard_http::{Method, Request};

#[test]
fn an_owner_cannot_reset_their_own_password_without_the_current_one() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let id = owner.user["id"].as_i64().unwrap();
    let resp = app.call(
        &owner,
        Method::Post,
        &format!("/api/users/{id}/password"),
        Some(json!({ "new_password": "taken-over-123" })),
    );
    assert_error(&resp, 403, "use_change_password");
    // The password did not change.
    app.login("acme-owner", "owner-pass-123");
    // Another admin's still can be reset.
    let other = app.admin(&owner, "acme-viewer", "viewer");
    let resp = app.call(
        &owner,
        Method::Post,
        &format!("/api/users/{}/password", other.user["id"]),
        Some(json!({ "new_password": "fresh-pass-123" })),
    );
    assert_eq!(resp.status, 204);
}

fn me_with_cookie(app: &TestApp, cookie: &str, https: bool) -> u16 {
    let mut req = Request::new(Method::Get, "/api/auth/me")
        .with_header("cookie", cookie)
        .with_peer("127.0.0.1".parse().unwrap());
    if https {
        req = req.with_header("spin-full-url", "https://cc.example.com/api/auth/me");
    }
    app.send(req).status
}

#[test]
fn a_duplicated_session_cookie_is_refused_whichever_comes_first() {
    let app = TestApp::with_operator();
    let op = app.operator();
    let token = op.cookie.split_once('=').unwrap().1;
    assert_eq!(
        me_with_cookie(&app, &format!("sb_session={token}"), false),
        200
    );
    assert_eq!(
        me_with_cookie(
            &app,
            &format!("sb_session=bogus; sb_session={token}"),
            false
        ),
        401
    );
    assert_eq!(
        me_with_cookie(
            &app,
            &format!("sb_session={token}; sb_session=bogus"),
            false
        ),
        401
    );
    let two_headers = app.send(
        Request::new(Method::Get, "/api/auth/me")
            .with_header("cookie", "sb_session=bogus")
            .with_header("cookie", &op.cookie)
            .with_peer("127.0.0.1".parse().unwrap()),
    );
    assert_eq!(two_headers.status, 401);
}

#[test]
fn over_https_the_session_cookie_is_host_prefixed() {
    let app = TestApp::with_operator();
    let resp = app.send(
        Request::new(Method::Post, "/api/auth/login")
            .with_json(&json!({ "login_id": "operator", "password": OPERATOR_PASSWORD }))
            .with_header("spin-full-url", "https://cc.example.com/api/auth/login")
            .with_peer("127.0.0.1".parse().unwrap()),
    );
    let set = resp.header("set-cookie").unwrap();
    assert!(set.starts_with("__Host-sb_session="), "{set}");
    assert!(set.contains("; Path=/") && set.contains("; Secure") && !set.contains("Domain"));
    let pair = set.split(';').next().unwrap();
    let token = pair.split_once('=').unwrap().1;
    assert_eq!(me_with_cookie(&app, pair, true), 200);
    // The unprefixed name is not read over https.
    assert_eq!(
        me_with_cookie(&app, &format!("sb_session={token}"), true),
        401
    );
}
