//! The application skeleton as a client sees it (RUN-1, RUN-2, RUN-3, RUN-4,
//! UI-1): every component answers its health route, errors are JSON, the
//! schema is created on first use, the worker's tick is visible.
#![allow(clippy::unwrap_used)]

use crate::support::{Req, TestApp, assert_error};
use switchboard_app::{COMPONENTS, runtime::schema::MIGRATIONS, worker};
use switchboard_http::Method;

const HEALTH_ROUTES: [(&str, &str); 7] = [
    ("/api/auth/health", "accounts"),
    ("/api/agent/health", "agent"),
    ("/api/dashboard/health", "dashboard"),
    ("/api/settings/health", "settings"),
    ("/api/history/health", "history"),
    ("/hooks/health", "hooks"),
    ("/api/health", "web"),
];

#[test]
fn every_component_answers_its_health_route_with_the_current_schema() {
    let app = TestApp::new();
    let latest = MIGRATIONS.last().unwrap().version;
    for (path, component) in HEALTH_ROUTES {
        let resp = app.get(path);
        let body = resp.json_body();
        assert_eq!(resp.status, 200, "{path}: {body}");
        assert_eq!(body["status"], "ok");
        assert_eq!(
            body["component"], component,
            "{path} is served by {component}"
        );
        assert_eq!(body["schema_version"], latest);
    }
    assert_eq!(
        HEALTH_ROUTES.len(),
        COMPONENTS.len(),
        "one health route per HTTP component"
    );
}

#[test]
fn the_first_request_creates_the_schema_and_later_ones_keep_it() {
    let app = TestApp::new();
    app.get("/api/dashboard/health");
    app.get("/api/settings/health");
    let rows = futures::executor::block_on(switchboard_storage::Sql::query(
        app.db.as_ref(),
        "SELECT version FROM schema_migrations ORDER BY version",
        &[],
    ))
    .unwrap();
    let versions: Vec<i64> = rows.iter().map(|r| r.i64(0).unwrap()).collect();
    let expected: Vec<i64> = MIGRATIONS.iter().map(|m| m.version).collect();
    assert_eq!(versions, expected);
}

#[test]
fn unknown_api_paths_are_json_404s_in_every_component() {
    let app = TestApp::new();
    for path in [
        "/api/dashboard/nope",
        "/api/settings/nope",
        "/api/nope",
        "/hooks/nope",
        "/agent-api/nope",
    ] {
        assert_error(&app.get(path), 404, "not_found");
    }
}

#[test]
fn a_wrong_method_is_a_json_405() {
    let app = TestApp::new();
    let resp = app.send(Req::new(Method::DELETE, "/api/dashboard/health"));
    assert_error(&resp, 405, "method_not_allowed");
}

#[test]
fn every_response_carries_a_request_id_and_a_sane_client_id_is_kept() {
    let app = TestApp::new();
    let generated = app.get("/api/health");
    let id = generated.header("x-request-id").unwrap();
    assert_eq!(id.len(), 24);
    let kept =
        app.send(Req::new(Method::GET, "/api/health").with_header("X-Request-Id", "abc-123"));
    assert_eq!(kept.header("x-request-id"), Some("abc-123"));
    let replaced =
        app.send(Req::new(Method::GET, "/api/health").with_header("X-Request-Id", "<script>"));
    assert_ne!(replaced.header("x-request-id"), Some("<script>"));
}

#[test]
fn api_responses_are_not_cached_or_sniffed() {
    let resp = TestApp::new().get("/api/dashboard/health");
    assert_eq!(resp.header("cache-control"), Some("no-store"));
    assert_eq!(resp.header("x-content-type-options"), Some("nosniff"));
}

#[test]
fn the_storage_selftest_is_hidden_unless_enabled() {
    let off = TestApp::new();
    let resp = off.send(Req::new(Method::POST, "/api/system/storage-selftest"));
    assert_error(&resp, 404, "not_found");
    // Switched off, the self-test routes do not exist for any method: a 405
    // would reveal them.
    for (method, path) in [
        (Method::GET, "/api/system/storage-selftest"),
        (Method::OPTIONS, "/api/system/stream-selftest"),
        (Method::GET, "/api/system/stream-selftest?bytes=10"),
    ] {
        assert_error(&off.send(Req::new(method, path)), 404, "not_found");
    }

    let on = TestApp::new().with_var("storage_selftest", "true");
    let resp = on.send(Req::new(Method::POST, "/api/system/storage-selftest"));
    let body = resp.json_body();
    assert_eq!(resp.status, 200, "{body}");
    assert_eq!(body["key_value_checks"], 11);
    assert_eq!(body["sql_checks"], 10);
    // It cleans up after itself.
    let keys =
        futures::executor::block_on(switchboard_storage::KeyValue::keys(on.kv.as_ref())).unwrap();
    assert!(keys.iter().all(|k| !k.starts_with("selftest:")), "{keys:?}");
}

#[test]
fn the_web_component_serves_the_ui_files_and_nothing_outside_them() {
    let app = TestApp::new().with_static_ui();
    let index = app.get("/");
    assert_eq!(index.status, 200);
    assert_eq!(
        index.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(String::from_utf8_lossy(&index.body).contains("Switchboard"));
    let js = app.get("/js/app.js");
    assert_eq!(js.status, 200);
    assert_eq!(
        js.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_error(&app.get("/../Cargo.toml"), 404, "not_found");
    assert_error(&app.get("/no-such-file.js"), 404, "not_found");
}

#[test]
fn a_worker_tick_is_reported_by_the_status_route() {
    let app = TestApp::new();
    assert!(app.get("/api/health").json_body()["worker_last_tick"].is_null());
    let report = futures::executor::block_on(worker::tick(&app.host())).unwrap();
    assert_eq!(report.at, "2026-11-30T01:00:00Z");
    assert_eq!(
        app.get("/api/health").json_body()["worker_last_tick"],
        "2026-11-30T01:00:00Z"
    );
}
