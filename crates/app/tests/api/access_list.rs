//! Access management (ACC-1): the IP allowlist and how the client address is
//! determined.
#![allow(clippy::unwrap_used)]

use crate::support::{self, Req, TestApp, TestResponse, assert_error};
use serde_json::json;
use switchboard_http::Method;

fn save(s: &support::Session, rules: serde_json::Value) -> TestResponse {
    s.put("/api/settings/access", json!({ "rules": rules }))
}

#[test]
fn rules_are_checked_one_by_one_and_stored_canonically() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let bad = save(
        &owner,
        json!([{ "rule": "127.0.0.1" }, { "rule": "300.0.0.1" }, { "rule": "10.0.0.0/33" }, { "rule": "127.0.0.1/32" }]),
    );
    assert_error(&bad, 422, "validation_failed");
    let fields = bad.json_body()["error"]["fields"].clone();
    assert_eq!(fields["rules.1"]["code"], "ip_rule", "{fields}");
    assert_eq!(fields["rules.2"]["code"], "ip_prefix", "{fields}");
    assert_eq!(fields["rules.2"]["params"]["max"], "32", "{fields}");
    assert_eq!(fields["rules.3"]["code"], "duplicate", "{fields}");
    assert!(
        fields["rules.3"]["message"]
            .as_str()
            .unwrap()
            .contains("already"),
        "duplicate: {fields}"
    );
    assert!(fields.get("rules.0").is_none());

    let ok = save(
        &owner,
        json!([{ "rule": "127.0.0.9/8", "note": "office" }, { "rule": "2001:DB8::/32" }]),
    );
    assert_eq!(ok.status, 200, "{}", ok.json_body());
    let shown = owner.get("/api/settings/access").json_body();
    assert_eq!(
        shown["rules"],
        json!([{ "rule": "127.0.0.0/8", "note": "office" }, { "rule": "2001:db8::/32", "note": "" }])
    );
    assert_eq!(shown["your_ip"], "127.0.0.1");
}

#[test]
fn a_list_that_would_lock_out_the_admin_saving_it_is_refused() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let resp = save(&owner, json!([{ "rule": "203.0.113.0/24" }]));
    assert_error(&resp, 409, "would_lock_you_out");
    assert!(
        resp.json_body()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("127.0.0.1")
    );
    assert_eq!(
        owner.get("/api/settings/access").json_body()["rules"],
        json!([])
    );
}

#[test]
fn other_addresses_are_refused_on_every_admin_route_and_at_sign_in() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    assert_eq!(save(&owner, json!([{ "rule": "127.0.0.1" }])).status, 200);

    let elsewhere = owner.with_peer("198.51.100.20");
    for path in [
        "/api/auth/me",
        "/api/users",
        "/api/history/audit",
        "/api/settings/access",
    ] {
        let resp = elsewhere.get(path);
        assert_error(&resp, 403, "ip_not_allowed");
        assert!(
            resp.json_body()["error"]["message"]
                .as_str()
                .unwrap()
                .contains("198.51.100.20")
        );
    }
    // At sign-in, outside the list looks like an unknown account (item 4).
    assert_error(
        &app.login_from("acme-owner", "owner-pass-123", "198.51.100.20"),
        401,
        "invalid_credentials",
    );
    // Refusals are recorded.
    let denied: Vec<_> = app
        .audit_rows()
        .into_iter()
        .filter(|(a, _, _)| a == "access.ip_denied")
        .collect();
    assert_eq!(denied.len(), 5, "four API calls and the sign-in");
    // The operator and other tenants are not bound by acme's list.
    app.login_at("operator", support::OPERATOR_PASSWORD, "198.51.100.20");
    // An empty list allows everyone again.
    assert_eq!(save(&owner, json!([])).status, 200);
    assert_eq!(elsewhere.get("/api/auth/me").status, 200);
}

#[test]
fn forwarded_addresses_count_only_from_trusted_proxies() {
    let app = TestApp::with_operator().with_var("trusted_proxies", "10.0.0.1");
    let (_, owner) = app.tenant("acme");
    let me = |peer: &str, xff: &str| {
        app.send(
            Req::new(Method::GET, "/api/settings/access")
                .with_header("cookie", &owner.cookie)
                .with_header("x-forwarded-for", xff)
                .with_peer(peer.parse().unwrap()),
        )
        .json_body()["your_ip"]
            .clone()
    };
    assert_eq!(me("10.0.0.1", "6.6.6.6, 203.0.113.7"), "203.0.113.7");
    assert_eq!(
        me("127.0.0.1", "203.0.113.7"),
        "127.0.0.1",
        "not a trusted proxy"
    );
}

#[test]
fn a_forged_forwarded_line_before_the_proxys_own_is_ignored() {
    let app = TestApp::with_operator().with_var("trusted_proxies", "10.0.0.1");
    let (_, owner) = app.tenant("acme");
    // The client sends its own X-Forwarded-For; the proxy adds another line.
    let resp = app.send(
        Req::new(Method::GET, "/api/settings/access")
            .with_header("cookie", &owner.cookie)
            .with_header("x-forwarded-for", "6.6.6.6")
            .with_header("x-forwarded-for", "203.0.113.7")
            .with_peer("10.0.0.1".parse().unwrap()),
    );
    assert_eq!(resp.json_body()["your_ip"], "203.0.113.7");
}

#[test]
fn an_ipv4_client_over_an_ipv6_socket_matches_ipv4_rules() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    assert_eq!(save(&owner, json!([{ "rule": "127.0.0.0/8" }])).status, 200);
    let mapped = owner.with_peer("::ffff:127.0.0.1");
    assert_eq!(mapped.get("/api/auth/me").status, 200);
}

#[test]
fn outside_the_list_a_right_password_looks_like_a_wrong_one_and_sign_out_still_works() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    assert_eq!(save(&owner, json!([{ "rule": "127.0.0.1" }])).status, 200);
    let right = app.login_from("acme-owner", "owner-pass-123", "198.51.100.1");
    let wrong = app.login_from("acme-owner", "wrong-password", "198.51.100.1");
    assert_eq!(
        (right.status, right.body.clone()),
        (wrong.status, wrong.body.clone())
    );
    let moved = owner.with_peer("198.51.100.1");
    let out = moved.post_empty("/api/auth/logout");
    assert_eq!(out.status, 204, "{}", out.json_body());
}
