//! CON-3: the admins of a terminated tenant, or of one whose service period
//! has ended in its time zone, cannot sign in and are told why — but only
//! after their password, so a stranger learns nothing; their sessions stop
//! working; the operator still sees the tenant.
#![allow(clippy::unwrap_used)]

mod support;

use futures::executor::block_on;
use support::{TestApp, assert_error};
use switchboard_storage::Sql;

fn set(app: &TestApp, tenant_id: i64, column: &str, value: &str) {
    let sql = format!("UPDATE tenants SET {column} = ? WHERE id = ?");
    block_on(app.db.execute(&sql, &[value.into(), tenant_id.into()])).unwrap();
}

#[test]
fn con_3_a_terminated_tenants_owner_cannot_sign_in_and_their_session_ends() {
    let app = TestApp::with_operator();
    let (tenant_id, owner) = app.tenant("acme");
    let (_, other) = app.tenant("globex");
    assert_eq!(app.get_as(&owner, "/api/settings/hours").status, 200);
    set(&app, tenant_id, "status", "terminated");
    // The open session stops working, with the reason.
    assert_error(
        &app.get_as(&owner, "/api/settings/hours"),
        403,
        "tenant_terminated",
    );
    assert_error(
        &app.get_as(&owner, "/api/auth/me"),
        403,
        "tenant_terminated",
    );
    // Signing out still works.
    assert_eq!(
        app.call(
            &owner,
            switchboard_http::Method::POST,
            "/api/auth/logout",
            None
        )
        .status,
        204
    );
    // Signing in: the right password is told why; a wrong one learns nothing.
    assert_error(
        &app.login_from("acme-owner", "owner-pass-123", "127.0.0.1"),
        403,
        "tenant_terminated",
    );
    assert_error(
        &app.login_from("acme-owner", "wrong-pass-123", "127.0.0.1"),
        401,
        "invalid_credentials",
    );
    // Other tenants and the operator are unaffected; the operator still sees it.
    assert_eq!(app.get_as(&other, "/api/settings/hours").status, 200);
    let op = app.operator();
    let seen = app
        .get_as(&op, &format!("/api/operator/tenants/{tenant_id}"))
        .json_body();
    assert_eq!(seen["status"], "terminated");
}

#[test]
fn con_3_an_expired_service_period_ends_at_midnight_in_the_tenants_zone() {
    let mut app = TestApp::with_operator();
    let (tenant_id, owner) = app.tenant("acme");
    // The clock: 2026-11-30 10:00 in Seoul. The last day is today: still in.
    set(&app, tenant_id, "service_end", "2026-11-30");
    assert_eq!(app.get_as(&owner, "/api/settings/hours").status, 200);
    // 14:59 UTC is 23:59 in Seoul: still the last day.
    app.advance(13 * 3600 + 59 * 60);
    let owner = app.login("acme-owner", "owner-pass-123");
    assert_eq!(app.get_as(&owner, "/api/settings/hours").status, 200);
    // One minute later it is 1 December in Seoul.
    app.advance(60);
    let resp = app.get_as(&owner, "/api/settings/hours");
    assert_error(&resp, 403, "service_expired");
    assert_eq!(resp.json_body()["error"]["params"]["end"], "2026-11-30");
    assert_error(
        &app.login_from("acme-owner", "owner-pass-123", "127.0.0.1"),
        403,
        "service_expired",
    );
    // The operator is not a tenant admin and still signs in.
    assert_eq!(
        app.get_as(&app.operator(), "/api/operator/tenants").status,
        200
    );
}
