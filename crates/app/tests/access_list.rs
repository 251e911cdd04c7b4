//! Access management (ACC-1): the IP allowlist and how the client address is
//! determined.
#![allow(clippy::unwrap_used)]

mod support;

use serde_json::json;
use support::{TestApp, assert_error};
use switchboard_http::{Method, Request};

fn save(
    app: &TestApp,
    s: &support::Session,
    rules: serde_json::Value,
) -> switchboard_http::Response {
    app.call(
        s,
        Method::Put,
        "/api/settings/access",
        Some(json!({ "rules": rules })),
    )
}

#[test]
fn rules_are_checked_one_by_one_and_stored_canonically() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let bad = save(
        &app,
        &owner,
        json!([{ "rule": "127.0.0.1" }, { "rule": "300.0.0.1" }, { "rule": "10.0.0.0/33" }, { "rule": "127.0.0.1/32" }]),
    );
    assert_error(&bad, 422, "validation_failed");
    let fields = bad.json_body()["error"]["fields"].clone();
    assert!(
        fields["rules.1"].is_string() && fields["rules.2"].is_string(),
        "{fields}"
    );
    assert!(
        fields["rules.3"].as_str().unwrap().contains("already"),
        "duplicate: {fields}"
    );
    assert!(fields.get("rules.0").is_none());

    let ok = save(
        &app,
        &owner,
        json!([{ "rule": "127.0.0.9/8", "note": "office" }, { "rule": "2001:DB8::/32" }]),
    );
    assert_eq!(ok.status, 200, "{}", ok.json_body());
    let shown = app.get_as(&owner, "/api/settings/access").json_body();
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
    let resp = save(&app, &owner, json!([{ "rule": "203.0.113.0/24" }]));
    assert_error(&resp, 409, "would_lock_you_out");
    assert!(
        resp.json_body()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("127.0.0.1")
    );
    assert_eq!(
        app.get_as(&owner, "/api/settings/access").json_body()["rules"],
        json!([])
    );
}

#[test]
fn other_addresses_are_refused_on_every_admin_route_and_at_sign_in() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    assert_eq!(
        save(&app, &owner, json!([{ "rule": "127.0.0.1" }])).status,
        200
    );

    let mut elsewhere = owner.clone();
    elsewhere.peer = "198.51.100.20".parse().unwrap();
    for path in [
        "/api/auth/me",
        "/api/users",
        "/api/history/audit",
        "/api/settings/access",
    ] {
        let resp = app.get_as(&elsewhere, path);
        assert_error(&resp, 403, "ip_not_allowed");
        assert!(
            resp.json_body()["error"]["message"]
                .as_str()
                .unwrap()
                .contains("198.51.100.20")
        );
    }
    assert_error(
        &app.login_from("acme-owner", "owner-pass-123", "198.51.100.20"),
        403,
        "ip_not_allowed",
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
    assert_eq!(save(&app, &owner, json!([])).status, 200);
    assert_eq!(app.get_as(&elsewhere, "/api/auth/me").status, 200);
}

#[test]
fn forwarded_addresses_count_only_from_trusted_proxies() {
    let app = TestApp::with_operator().with_var("trusted_proxies", "10.0.0.1");
    let (_, owner) = app.tenant("acme");
    let me = |peer: &str, xff: &str| {
        app.send(
            Request::new(Method::Get, "/api/settings/access")
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
