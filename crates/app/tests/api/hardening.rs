//! Smaller hardening items from the outside review (issue 7): own password
//! only with the current one, session-cookie shadowing, response headers,
//! self-test output, forwarded addresses with ports.
#![allow(clippy::unwrap_used)]

use crate::support::{OPERATOR_PASSWORD, Req, TestApp, assert_error};
use serde_json::json;
use switchboard_http::Method;

#[test]
fn an_owner_cannot_reset_their_own_password_without_the_current_one() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let id = owner.user["id"].as_i64().unwrap();
    let resp = owner.post(
        &format!("/api/users/{id}/password"),
        json!({ "new_password": "taken-over-123" }),
    );
    assert_error(&resp, 403, "use_change_password");
    // The password did not change.
    app.owner_of("acme");
    // Another admin's still can be reset.
    let other = owner.add_admin("acme-viewer", "viewer");
    let resp = owner.post(
        &format!("/api/users/{}/password", other.user["id"]),
        json!({ "new_password": "fresh-pass-123" }),
    );
    assert_eq!(resp.status, 204);
}

fn me_with_cookie(app: &TestApp, cookie: &str, https: bool) -> u16 {
    let mut req = Req::new(Method::GET, "/api/auth/me")
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
        Req::new(Method::GET, "/api/auth/me")
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
        Req::new(Method::POST, "/api/auth/login")
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

#[test]
fn every_response_forbids_framing_and_foreign_content() {
    let app = TestApp::new().with_static_ui();
    for path in [
        "/api/health",
        "/",
        "/js/app.js",
        "/api/nowhere",
        "/api/auth/me",
    ] {
        let resp = app.get(path);
        let csp = resp.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe"),
            "{path}"
        );
        assert_eq!(resp.header("x-frame-options"), Some("DENY"), "{path}");
        assert_eq!(resp.header("x-content-type-options"), Some("nosniff"));
    }
}

#[test]
fn the_ui_has_nothing_inline_that_the_policy_would_block() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../static");
    let mut files = vec![root.join("index.html")];
    let mut dirs = vec![root.join("js")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for banned in [
            "<style",
            "style=",
            "javascript:",
            "eval(",
            "new Function",
            " onclick=",
            " onload=",
        ] {
            assert!(!text.contains(banned), "{}: {banned}", file.display());
        }
        if file.extension().is_some_and(|e| e == "html") {
            for tag in text.match_indices("<script") {
                let rest = &text[tag.0..];
                let open = &rest[..rest.find('>').unwrap()];
                assert!(
                    open.contains("src=\"/"),
                    "inline script in {}",
                    file.display()
                );
            }
        }
    }
}

#[test]
fn a_trusted_proxys_forwarded_entry_with_a_port_names_the_client() {
    let app = TestApp::with_operator().with_var("trusted_proxies", "10.0.0.1");
    for xff in ["203.0.113.7:4444", "[2001:db8::1]:443"] {
        let resp = app.send(
            Req::new(Method::POST, "/api/auth/login")
                .with_json(&json!({ "login_id": "operator", "password": OPERATOR_PASSWORD }))
                .with_header("x-forwarded-for", xff)
                .with_peer("10.0.0.1".parse().unwrap()),
        );
        assert_eq!(resp.status, 200);
    }
    let ips: Vec<String> = futures::executor::block_on(switchboard_storage::Sql::query(
        app.db.as_ref(),
        "SELECT client_ip FROM audit_log WHERE action = 'auth.login' ORDER BY id",
        &[],
    ))
    .unwrap()
    .iter()
    .map(|r| r.text(0).unwrap())
    .collect();
    assert_eq!(ips, ["203.0.113.7", "2001:db8::1"]);
}

#[test]
fn https_is_believed_from_a_trusted_proxy_only() {
    let app = TestApp::with_operator().with_var("trusted_proxies", "10.0.0.1");
    let login = |peer: &str| {
        app.send(
            Req::new(Method::POST, "/api/auth/login")
                .with_json(&json!({ "login_id": "operator", "password": OPERATOR_PASSWORD }))
                .with_header("x-forwarded-proto", "https")
                .with_peer(peer.parse().unwrap()),
        )
    };
    let from_proxy = login("10.0.0.1");
    assert!(
        from_proxy
            .header("set-cookie")
            .unwrap()
            .starts_with("__Host-")
    );
    let from_stranger = login("198.51.100.1");
    let cookie = from_stranger.header("set-cookie").unwrap();
    assert!(
        cookie.starts_with("sb_session=") && !cookie.contains("Secure"),
        "{cookie}"
    );
}

#[test]
fn head_answers_have_no_body() {
    let app = TestApp::new().with_static_ui();
    for path in ["/api/health", "/", "/api/nowhere"] {
        let get = app.get(path);
        let head = app.send(Req::new(Method::HEAD, path));
        assert_eq!(head.status, get.status, "{path}");
        assert!(!get.body.is_empty(), "{path}");
        assert!(head.body.is_empty(), "HEAD {path} kept its body");
    }
}
