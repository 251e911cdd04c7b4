//! CON-3: the admins of a terminated tenant, or of one whose service period
//! has ended in its time zone, cannot sign in and are told why — but only
//! after their password, so a stranger learns nothing; their sessions stop
//! working; the operator still sees the tenant.
#![allow(clippy::unwrap_used)]

use crate::support::{self, TestApp, assert_error};
use futures::executor::block_on;
use serde_json::json;
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
    assert_eq!(owner.get("/api/settings/hours").status, 200);
    set(&app, tenant_id, "status", "terminated");
    // The open session stops working, with the reason.
    assert_error(&owner.get("/api/settings/hours"), 403, "tenant_terminated");
    assert_error(&owner.get("/api/auth/me"), 403, "tenant_terminated");
    // Signing out still works.
    assert_eq!(owner.post_empty("/api/auth/logout").status, 204);
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
    assert_eq!(other.get("/api/settings/hours").status, 200);
    let op = app.operator();
    let seen = op
        .get(&format!("/api/operator/tenants/{tenant_id}"))
        .json_body();
    assert_eq!(seen["status"], "terminated");
}

#[test]
fn con_3_an_expired_service_period_ends_at_midnight_in_the_tenants_zone() {
    let app = TestApp::with_operator();
    let (tenant_id, owner) = app.tenant("acme");
    // The clock: 2026-11-30 10:00 in Seoul. The last day is today: still in.
    set(&app, tenant_id, "service_end", "2026-11-30");
    assert_eq!(owner.get("/api/settings/hours").status, 200);
    // 14:59 UTC is 23:59 in Seoul: still the last day.
    app.advance(13 * 3600 + 59 * 60);
    let owner = app.owner_of("acme");
    assert_eq!(owner.get("/api/settings/hours").status, 200);
    // One minute later it is 1 December in Seoul.
    app.advance(60);
    let resp = owner.get("/api/settings/hours");
    assert_error(&resp, 403, "service_expired");
    assert_eq!(resp.json_body()["error"]["params"]["end"], "2026-11-30");
    assert_error(
        &app.login_from("acme-owner", "owner-pass-123", "127.0.0.1"),
        403,
        "service_expired",
    );
    // The operator is not a tenant admin and still signs in.
    assert_eq!(app.operator().get("/api/operator/tenants").status, 200);
}

fn patch(s: &support::Session, id: i64, body: serde_json::Value) -> support::TestResponse {
    s.patch(&format!("/api/operator/tenants/{id}"), body)
}

#[test]
fn con_3_the_operator_terminates_a_tenant_and_reactivates_it() {
    let app = TestApp::with_operator();
    let (tenant_id, owner) = app.tenant("acme");
    let manager = owner.add_admin("acme-manager", "manager");
    let (_, other) = app.tenant("globex");
    let op = app.operator();
    let resp = patch(&op, tenant_id, json!({ "status": "terminated" }));
    assert_eq!(resp.status, 200, "{}", resp.json_body());
    assert_eq!(resp.json_body()["status"], "terminated");
    assert_eq!(resp.json_body()["service_end"], "2026-12-31");
    // The owner's open session ends, and so does the manager's: they are
    // sent to sign in, where they are told why.
    for s in [&owner, &manager] {
        assert_error(&s.get("/api/settings/hours"), 401, "unauthenticated");
    }
    assert_error(
        &app.login_from("acme-owner", "owner-pass-123", "127.0.0.1"),
        403,
        "tenant_terminated",
    );
    // The operator still sees it; other tenants are unaffected.
    assert_eq!(
        op.get(&format!("/api/operator/tenants/{tenant_id}"))
            .json_body()["status"],
        "terminated"
    );
    assert_eq!(other.get("/api/settings/hours").status, 200);

    // Reactivating lets them sign in again; sessions from before the
    // termination stay ended.
    let resp = patch(&op, tenant_id, json!({ "status": "active" }));
    assert_eq!(resp.json_body()["status"], "active");
    let again = app.owner_of("acme");
    assert_eq!(again.get("/api/settings/hours").status, 200);
    assert_eq!(owner.get("/api/settings/hours").status, 401);

    // Both changes are in the work history with before and after.
    let history = op
        .get("/api/history/audit?action=tenants.update_status")
        .json_body();
    let items = history["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{history}");
    let terminated = &items[1]["detail"];
    assert_eq!(terminated["before"]["status"], "active", "{terminated}");
    assert_eq!(terminated["after"]["status"], "terminated");
    assert_eq!(terminated["sessions_ended"], true);
    assert_eq!(items[0]["detail"]["after"]["status"], "active");
    assert_eq!(items[0]["detail"]["sessions_ended"], false);
}

#[test]
fn con_3_terminating_carries_out_the_open_termination_request() {
    let app = TestApp::with_operator();
    let (tenant_id, owner) = app.tenant("acme");
    let req = owner.post(
        "/api/settings/contract/termination",
        json!({ "reason": "closing the office" }),
    );
    assert_eq!(req.status, 200, "{}", req.json_body());
    let op = app.operator();
    assert_eq!(
        patch(&op, tenant_id, json!({ "status": "terminated" })).status,
        200
    );
    let history = op
        .get("/api/history/audit?action=tenants.update_status")
        .json_body();
    let detail = &history["items"][0]["detail"];
    assert_eq!(
        detail["before"]["termination_request"]["reason"], "closing the office",
        "{detail}"
    );
    assert_eq!(detail["after"]["termination_request"], json!(null));
    // After a reactivation the request is no longer open: the owner sees
    // none and may request again.
    patch(&op, tenant_id, json!({ "status": "active" }));
    let owner = app.owner_of("acme");
    let contract = owner.get("/api/settings/contract").json_body();
    assert_eq!(contract["termination"]["state"], "none", "{contract}");
    assert_eq!(contract["status"], "active");
    let again = owner.post("/api/settings/contract/termination", json!({}));
    assert_eq!(again.status, 200, "{}", again.json_body());
    // Reactivating keeps an open request open.
    patch(&op, tenant_id, json!({ "status": "active" }));
    let contract = owner.get("/api/settings/contract").json_body();
    assert_eq!(contract["termination"]["state"], "requested");
}

#[test]
fn con_3_the_operator_sets_the_last_day_checked_against_the_first() {
    let app = TestApp::with_operator();
    let (tenant_id, owner) = app.tenant("acme");
    let op = app.operator();
    // The test clock is 2026-11-30 in Seoul: a last day before today expires
    // the service at once.
    let resp = patch(
        &op,
        tenant_id,
        json!({ "status": "active", "service_end": "2026-11-29" }),
    );
    assert_eq!(resp.json_body()["service_end"], "2026-11-29");
    assert_error(&owner.get("/api/settings/hours"), 403, "service_expired");
    let resp = patch(
        &op,
        tenant_id,
        json!({ "status": "active", "service_end": "2027-12-31" }),
    );
    assert_eq!(resp.json_body()["service_end"], "2027-12-31");
    assert_eq!(owner.get("/api/settings/hours").status, 200);
    // Refusals, every field at once; nothing changes.
    let resp = patch(
        &op,
        tenant_id,
        json!({ "status": "paused", "service_end": "2025-12-31" }),
    );
    assert_error(&resp, 422, "validation_failed");
    let fields = resp.json_body()["error"]["fields"].clone();
    assert_eq!(fields["status"]["code"], "invalid_choice", "{fields}");
    assert_eq!(fields["service_end"]["code"], "end_before_start");
    let resp = patch(
        &op,
        tenant_id,
        json!({ "status": "active", "service_end": "31.12.2027" }),
    );
    assert_eq!(
        resp.json_body()["error"]["fields"]["service_end"]["code"],
        "date_format"
    );
    let resp = patch(&op, tenant_id, json!({ "service_end": "2027-12-31" }));
    assert_eq!(
        resp.json_body()["error"]["fields"]["status"]["code"],
        "required"
    );
    let seen = op
        .get(&format!("/api/operator/tenants/{tenant_id}"))
        .json_body();
    assert_eq!(seen["service_end"], "2027-12-31");
    assert_eq!(seen["status"], "active");
    // An unknown tenant.
    assert_error(
        &patch(&op, 999_999, json!({ "status": "active" })),
        404,
        "not_found",
    );
}

#[test]
fn con_3_tenant_admins_cannot_set_a_tenants_status() {
    let app = TestApp::with_operator();
    let (tenant_id, owner) = app.tenant("acme");
    let (other_id, _) = app.tenant("globex");
    for id in [tenant_id, other_id] {
        let resp = patch(&owner, id, json!({ "status": "terminated" }));
        assert!(
            resp.status == 403 || resp.status == 404,
            "{id}: {} {}",
            resp.status,
            resp.json_body()
        );
    }
    let op = app.operator();
    for id in [tenant_id, other_id] {
        assert_eq!(
            op.get(&format!("/api/operator/tenants/{id}")).json_body()["status"],
            "active"
        );
    }
    assert_eq!(owner.get("/api/settings/hours").status, 200);
}
