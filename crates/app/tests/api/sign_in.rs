//! Sign-in, sessions, CSRF and back-off (AUTH-3), as a browser meets them.
#![allow(clippy::unwrap_used)]

use crate::support::{self, OPERATOR_PASSWORD, Req, TestApp, assert_error};
use serde_json::json;
use switchboard_http::Method;

#[test]
fn without_a_bootstrap_password_there_is_no_operator_to_sign_in_as() {
    let app = TestApp::new();
    assert_error(
        &app.login_from("operator", "anything-at-all", "127.0.0.1"),
        401,
        "invalid_credentials",
    );
}

#[test]
fn the_operator_is_bootstrapped_from_variables_on_first_sign_in() {
    let app = TestApp::with_operator();
    let op = app.operator();
    assert_eq!(op.user["role"], "operator");
    assert!(
        op.user.get("password_hash").is_none(),
        "hashes never leave the server"
    );
    let me = op.get("/api/auth/me").json_body();
    assert_eq!(me["permissions"], json!(["operator"]));
    assert!(me["tenant"].is_null());
}

#[test]
fn the_session_cookie_is_http_only_strict_and_secure_only_over_https() {
    let app = TestApp::with_operator();
    let creds = json!({ "login_id": "operator", "password": OPERATOR_PASSWORD });
    let plain = app.send(Req::new(Method::POST, "/api/auth/login").with_json(&creds));
    let cookie = plain.header("set-cookie").unwrap();
    assert!(cookie.starts_with("sb_session="));
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    assert!(!cookie.contains("Secure"));
    let tls = app.send(
        Req::new(Method::POST, "/api/auth/login")
            .with_json(&creds)
            .with_header("spin-full-url", "https://cc.example.com/api/auth/login"),
    );
    assert!(tls.header("set-cookie").unwrap().contains("; Secure"));
}

#[test]
fn a_wrong_password_and_an_unknown_account_get_the_same_answer() {
    let app = TestApp::with_operator();
    let wrong = app.login_from("operator", "not-the-password", "127.0.0.1");
    let unknown = app.login_from("nobody-here", "not-the-password", "127.0.0.1");
    assert_error(&wrong, 401, "invalid_credentials");
    assert_error(&unknown, 401, "invalid_credentials");
    assert_eq!(
        wrong.json_body()["error"]["message"],
        unknown.json_body()["error"]["message"]
    );
}

#[test]
fn missing_credentials_are_named_per_field() {
    let app = TestApp::new();
    let resp = app.post_json(
        "/api/auth/login",
        json!({ "login_id": " ", "password": "" }),
    );
    assert_error(&resp, 422, "validation_failed");
    let fields = &resp.json_body()["error"]["fields"];
    assert_eq!(fields["login_id"]["code"], "required", "{fields}");
    assert_eq!(fields["password"]["code"], "required", "{fields}");
}

#[test]
fn repeated_failures_lock_the_account_with_a_growing_back_off() {
    let app = TestApp::with_operator();
    for _ in 0..5 {
        assert_error(
            &app.login_from("operator", "wrong-password", "127.0.0.1"),
            401,
            "invalid_credentials",
        );
    }
    let locked = app.login_from("operator", "wrong-password", "127.0.0.1");
    assert_error(&locked, 429, "too_many_attempts");
    assert_eq!(locked.header("retry-after"), Some("30"));
    assert!(
        locked.json_body()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("30 seconds")
    );
    // Even the right password waits out the lock…
    assert_error(
        &app.login_from("operator", OPERATOR_PASSWORD, "127.0.0.1"),
        429,
        "too_many_attempts",
    );
    // …and another failure after it doubles the lock.
    app.advance(31);
    let again = app.login_from("operator", "wrong-password", "127.0.0.1");
    assert_eq!(again.header("retry-after"), Some("60"));
    app.advance(61);
    app.login("operator", OPERATOR_PASSWORD);
    // Success resets the account's counter.
    assert_error(
        &app.login_from("operator", "wrong-password", "127.0.0.1"),
        401,
        "invalid_credentials",
    );
}

#[test]
fn one_address_guessing_many_accounts_is_locked_out() {
    let app = TestApp::with_operator();
    for i in 0..20 {
        let resp = app.login_from(&format!("guess{i}"), "wrong-password", "198.51.100.9");
        assert_error(&resp, 401, "invalid_credentials");
    }
    let resp = app.login_from("guess-final", "wrong-password", "198.51.100.9");
    assert_error(&resp, 429, "too_many_attempts");
    assert_error(
        &app.login_from("operator", OPERATOR_PASSWORD, "198.51.100.9"),
        429,
        "too_many_attempts",
    );
    // Another address is unaffected.
    app.login_at("operator", OPERATOR_PASSWORD, "198.51.100.10");
}

#[test]
fn me_needs_a_session() {
    let app = TestApp::new();
    assert_error(&app.get("/api/auth/me"), 401, "unauthenticated");
    let forged = app
        .send(Req::new(Method::GET, "/api/auth/me").with_header("cookie", "sb_session=deadbeef"));
    assert_error(&forged, 401, "unauthenticated");
}

#[test]
fn state_changes_need_the_sessions_csrf_token() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let body = json!({ "login_id": "csrf-test", "name": "x", "role": "viewer", "password": "admin-pass-123" });
    let no_token = app.send(
        Req::new(Method::POST, "/api/users")
            .with_header("cookie", &owner.cookie)
            .with_json(&body)
            .with_peer(owner.peer),
    );
    assert_error(&no_token, 403, "csrf_failed");
    let mut wrong = owner.clone();
    wrong.csrf = "0".repeat(owner.csrf.len());
    assert_error(&wrong.post("/api/users", body.clone()), 403, "csrf_failed");
    assert_eq!(owner.post("/api/users", body).status, 201);
}

#[test]
fn sessions_slide_while_used_and_end_when_idle() {
    let app = TestApp::with_operator().with_var("session_lifetime_minutes", "30");
    let op = app.operator();
    for _ in 0..4 {
        app.advance(25 * 60);
        assert_eq!(op.get("/api/auth/me").status, 200, "used within 30 minutes");
    }
    app.advance(31 * 60);
    assert_error(&op.get("/api/auth/me"), 401, "unauthenticated");
}

#[test]
fn signing_out_ends_the_session() {
    let app = TestApp::with_operator();
    let op = app.operator();
    let resp = op.post_empty("/api/auth/logout");
    assert_eq!(resp.status, 204);
    assert!(resp.header("set-cookie").unwrap().contains("Max-Age=0"));
    assert_error(&op.get("/api/auth/me"), 401, "unauthenticated");
}

#[test]
fn changing_ones_password_ends_other_sessions_and_keeps_this_one() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let other_device = app.owner_of("acme");
    let wrong = owner.post(
        "/api/auth/password",
        json!({ "current_password": "nope-nope-nope", "new_password": "brand-new-pass-1" }),
    );
    assert_error(&wrong, 403, "wrong_password");
    assert_eq!(
        wrong.json_body()["error"]["fields"]["current_password"]["code"],
        "wrong_password"
    );
    let short = owner.post(
        "/api/auth/password",
        json!({ "current_password": "owner-pass-123", "new_password": "short" }),
    );
    assert_eq!(
        short.json_body()["error"]["fields"]["new_password"]["code"],
        "too_short"
    );

    let ok = owner.post(
        "/api/auth/password",
        json!({ "current_password": "owner-pass-123", "new_password": "brand-new-pass-1" }),
    );
    assert_eq!(ok.status, 200, "{}", ok.json_body());
    let continued = support::Session {
        cookie: ok
            .header("set-cookie")
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned(),
        csrf: ok.json_body()["csrf_token"].as_str().unwrap().to_owned(),
        ..owner.clone()
    };
    assert_eq!(continued.get("/api/auth/me").status, 200);
    assert_error(&other_device.get("/api/auth/me"), 401, "unauthenticated");
    assert_error(
        &app.login_from("acme-owner", "owner-pass-123", "127.0.0.1"),
        401,
        "invalid_credentials",
    );
    app.login("acme-owner", "brand-new-pass-1");
}

#[test]
fn an_owner_resets_another_admins_password_and_their_sessions_end() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let manager = owner.add_admin("acme-manager", "manager");
    let id = manager.user["id"].as_i64().unwrap();
    let resp = owner.post(
        &format!("/api/users/{id}/password"),
        json!({ "new_password": "reset-by-owner-1" }),
    );
    assert_eq!(resp.status, 204);
    assert_error(&manager.get("/api/auth/me"), 401, "unauthenticated");
    app.login("acme-manager", "reset-by-owner-1");
}

#[test]
fn a_disabled_admin_is_signed_out_and_cannot_sign_in() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let viewer = owner.add_admin("acme-viewer", "viewer");
    let id = viewer.user["id"].as_i64().unwrap();
    let resp = owner.patch(&format!("/api/users/{id}"), json!({ "status": "disabled" }));
    assert_eq!(resp.json_body()["status"], "disabled");
    assert_error(&viewer.get("/api/auth/me"), 401, "unauthenticated");
    assert_error(
        &app.login_from("acme-viewer", "admin-pass-123", "127.0.0.1"),
        401,
        "invalid_credentials",
    );
}

#[test]
fn parallel_guesses_cannot_slip_past_the_lock() {
    use futures::executor::block_on;
    use switchboard_app::security::throttle::{self, Attempt};
    use switchboard_storage::Sql;
    use switchboard_storage_native::NativeSql;
    let dir = std::env::temp_dir().join(format!("sb-throttle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("db.sqlite");
    let _ = std::fs::remove_file(&path);
    let db = NativeSql::open(&path).unwrap();
    block_on(switchboard_app::runtime::schema::migrate(&db)).unwrap();
    // 16 instances guess at once, 4 times each.
    let handles: Vec<_> = (0..16)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || {
                let db = NativeSql::open(&path).unwrap();
                (0..4)
                    .filter(|_| {
                        let a = block_on(throttle::attempt(
                            &db,
                            "account:victim",
                            throttle::ACCOUNT,
                            1_000,
                        ))
                        .unwrap();
                        matches!(a, Attempt::Proceed { .. })
                    })
                    .count()
            })
        })
        .collect();
    let checked: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(
        checked, 6,
        "5 free attempts and one probe reach the password check"
    );
    let rows = block_on(db.query("SELECT failures FROM login_throttle", &[])).unwrap();
    assert_eq!(rows.first().unwrap().i64(0).unwrap(), 6);
}

#[test]
fn successful_sign_ins_from_one_office_address_do_not_lock_it() {
    let app = TestApp::with_operator();
    for _ in 0..30 {
        app.login_at("operator", OPERATOR_PASSWORD, "203.0.113.50");
    }
}

#[test]
fn junk_login_ids_and_refusals_during_a_lock_do_not_fill_the_history() {
    let app = TestApp::with_operator();
    let junk = "=".repeat(5000);
    assert_error(
        &app.login_from(&junk, "whatever-password", "127.0.0.1"),
        401,
        "invalid_credentials",
    );
    for _ in 0..10 {
        app.login_from("operator", "wrong-password", "127.0.0.1");
    }
    // Requests without a session are not anyone's history.
    for _ in 0..5 {
        app.post_json("/api/users", json!({}));
    }
    let rows = app.audit_rows();
    let logins: Vec<_> = rows.iter().filter(|(a, _, _)| a == "auth.login").collect();
    assert_eq!(
        logins.len(),
        1 + 6,
        "the junk attempt, five failures and the one that locked: {rows:?}"
    );
    assert!(rows.iter().any(|(_, l, _)| l == "<invalid>"));
    assert!(rows.iter().all(|(_, l, _)| l.len() < 100));
    assert!(rows.iter().all(|(a, _, _)| a != "users.create"));
}

#[test]
fn guessing_the_current_password_with_a_stolen_session_is_throttled() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let guess = || {
        owner.post(
            "/api/auth/password",
            json!({ "current_password": "guess-guess-guess", "new_password": "brand-new-pass-1" }),
        )
    };
    for _ in 0..5 {
        assert_error(&guess(), 403, "wrong_password");
    }
    assert_error(&guess(), 429, "too_many_attempts");
    assert_error(&guess(), 429, "too_many_attempts");
}

#[test]
fn no_session_outlives_the_absolute_limit_even_while_used() {
    let app = TestApp::with_operator();
    let op = app.operator();
    for _ in 0..23 {
        app.advance(3600);
        assert_eq!(op.get("/api/auth/me").status, 200);
    }
    app.advance(3600);
    assert_error(&op.get("/api/auth/me"), 401, "unauthenticated");
}
