//! Roles (AUTH-2) and tenant isolation (AUTH-1). The isolation test walks
//! every route of every component, so routes added later are covered the day
//! they are added.
#![allow(clippy::unwrap_used)]

use crate::support::{self, TestApp, assert_error};
use serde_json::json;
use switchboard_app::COMPONENTS;
use switchboard_app::runtime::routes::Access;
use switchboard_http::Method;

#[test]
fn each_role_reaches_what_auth_2_gives_it() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let manager = owner.add_admin("acme-manager", "manager");
    let viewer = owner.add_admin("acme-viewer", "viewer");
    let op = app.operator();
    // (path, owner, manager, viewer, operator)
    let table: [(&str, u16, u16, u16, u16); 5] = [
        ("/api/users", 200, 403, 403, 403),
        ("/api/settings/access", 200, 403, 403, 403),
        ("/api/history/audit", 200, 200, 200, 200),
        ("/api/history/audit/export", 200, 200, 403, 403),
        ("/api/operator/tenants", 403, 403, 403, 200),
    ];
    for (path, o, m, v, p) in table {
        for (who, session, expected) in [
            ("owner", &owner, o),
            ("manager", &manager, m),
            ("viewer", &viewer, v),
            ("operator", &op, p),
        ] {
            let resp = session.get(path);
            assert_eq!(
                resp.status,
                expected,
                "{who} GET {path}: {}",
                resp.json_body()
            );
        }
    }
    let me = viewer.get("/api/auth/me").json_body();
    assert_eq!(me["permissions"], json!(["read"]));
    assert_eq!(me["tenant"]["name"], "acme");
}

#[test]
fn a_viewer_cannot_change_anything() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let viewer = owner.add_admin("acme-viewer", "viewer");
    let put = viewer.put("/api/settings/access", json!({ "rules": [] }));
    assert_error(&put, 403, "forbidden");
    let create = viewer.post(
        "/api/users",
        json!({ "login_id": "sneaky", "name": "x", "role": "owner", "password": "admin-pass-123" }),
    );
    assert_error(&create, 403, "forbidden");
}

#[test]
fn a_company_always_keeps_an_active_owner() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let id = owner.user["id"].as_i64().unwrap();
    for (method, body) in [
        (Method::PATCH, Some(json!({ "role": "viewer" }))),
        (Method::PATCH, Some(json!({ "status": "disabled" }))),
        (Method::DELETE, None),
    ] {
        assert_error(
            &owner.call(method, &format!("/api/users/{id}"), body),
            409,
            "last_owner",
        );
    }
    let second = owner.add_admin("acme-second", "owner");
    let resp = second.patch(&format!("/api/users/{id}"), json!({ "role": "manager" }));
    assert_eq!(resp.json_body()["role"], "manager");
}

#[test]
fn admin_accounts_are_validated_per_field_and_login_ids_are_unique() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let resp = owner.post(
        "/api/users",
        json!({ "login_id": "X", "name": "", "role": "operator", "password": "short" }),
    );
    assert_error(&resp, 422, "validation_failed");
    let fields = resp.json_body()["error"]["fields"].clone();
    for (f, code) in [
        ("login_id", "login_id_length"),
        ("name", "required"),
        ("role", "invalid_choice"),
        ("password", "too_short"),
    ] {
        assert_eq!(fields[f]["code"], code, "{f} in {fields}");
        assert!(fields[f]["message"].is_string(), "{f} in {fields}");
    }
    let dup = owner.post("/api/users", json!({ "login_id": "ACME-OWNER", "name": "x", "role": "viewer", "password": "admin-pass-123" }));
    assert_error(&dup, 409, "login_id_taken");
}

#[test]
fn a_deleted_admin_frees_the_login_id_and_history_keeps_the_name() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let gone = owner.add_admin("acme-temp", "viewer");
    let id = gone.user["id"].as_i64().unwrap();
    assert_eq!(owner.delete(&format!("/api/users/{id}")).status, 204);
    assert_error(&owner.get(&format!("/api/users/{id}")), 404, "not_found");
    owner.add_admin("acme-temp", "viewer");
    let history = owner
        .get("/api/history/audit?action=users.delete")
        .json_body();
    assert_eq!(
        history["items"][0]["detail"]["before"]["login_id"],
        "acme-temp"
    );
}

#[test]
fn the_operator_creates_tenants_with_checked_fields() {
    let app = TestApp::with_operator();
    let op = app.operator();
    let resp = op.post(
        "/api/operator/tenants",
        json!({
            "name": "", "plan": "", "licence_count": 0, "time_zone": "Mars/Base",
            "service_start": "2026-02-01", "service_end": "2026-01-01", "email": "nope",
            "owner": { "login_id": "x", "name": "", "password": "short" }
        }),
    );
    assert_error(&resp, 422, "validation_failed");
    let fields = resp.json_body()["error"]["fields"].clone();
    for f in [
        "name",
        "plan",
        "licence_count",
        "time_zone",
        "service_end",
        "email",
        "owner.login_id",
        "owner.name",
        "owner.password",
    ] {
        assert!(fields[f]["code"].is_string(), "{f} missing in {fields}");
    }
    let (id, _) = app.tenant("globex");
    let tenant = op.get(&format!("/api/operator/tenants/{id}")).json_body();
    assert_eq!(tenant["time_zone"], "Asia/Seoul");
    assert_eq!(tenant["licence_count"], 10);
    assert_eq!(
        op.get("/api/operator/tenants").json_body()["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn the_operator_has_no_tenant_pages() {
    let app = TestApp::with_operator();
    let op = app.operator();
    let resp = op.put("/api/settings/access", json!({ "rules": [] }));
    assert_eq!(resp.status, 403);
}

/// Objects alpha must not reach, by the path parameter that names them:
/// tenant B's, and the platform operator's account (no tenant at all).
struct Other {
    tenant_id: i64,
    user_id: i64,
    operator_id: i64,
    audio_id: i64,
    menu_id: i64,
    agent_id: i64,
    type_id: i64,
    holiday_id: i64,
    recording_id: i64,
    number_id: i64,
    abandoned_call_id: i64,
    wallboard_link_id: i64,
    marker: String,
}

fn objects_for(pattern: &str, other: &Other) -> Vec<i64> {
    match pattern {
        p if p.starts_with("/api/users/{id}") => vec![other.user_id, other.operator_id],
        p if p.starts_with("/api/operator/tenants/{id}") => vec![other.tenant_id],
        p if p.starts_with("/api/operator/numbers/{id}") => vec![other.number_id],
        p if p.starts_with("/api/settings/audio/{id}") => vec![other.audio_id],
        p if p.starts_with("/api/settings/menus/{id}") => vec![other.menu_id],
        p if p.starts_with("/api/settings/agents/{id}") => vec![other.agent_id],
        p if p.starts_with("/api/settings/consultation-types/{id}") => vec![other.type_id],
        p if p.starts_with("/api/settings/holidays/{id}") => vec![other.holiday_id],
        p if p.starts_with("/api/history/recordings/{id}") => vec![other.recording_id],
        p if p.starts_with("/api/dashboard/abandoned/{id}") => vec![other.abandoned_call_id],
        p if p.starts_with("/api/dashboard/wallboard-links/{id}") => vec![other.wallboard_link_id],
        p => panic!(
            "{p}: add this route's object kind to the tenancy walk in {}",
            file!()
        ),
    }
}

#[test]
fn no_admin_route_reaches_another_tenants_data() {
    let app = TestApp::with_operator().with_var("webhook_secret", "walk-secret");
    app.tenant("alpha");
    let (b_tenant, b_owner) = app.tenant("bravo");
    let b_viewer = b_owner.add_admin("bravo-secret-viewer", "viewer");
    let b_rules = json!({ "rules": [{ "rule": "127.0.0.0/8", "note": "bravo-secret-note" }] });
    assert_eq!(b_owner.put("/api/settings/access", b_rules).status, 200);
    let audio = b_owner.upload_audio("bravo-secret-greeting", support::wav(800));
    assert_eq!(audio.status, 201, "{}", audio.json_body());
    let number_id = app.provision(b_tenant, "070-2222-3333");
    let mut b_ars = support::ars_body();
    b_ars["representative_number"] = json!("070-2222-3333");
    b_ars["caller_id"] = json!(null);
    b_ars["greeting"] = json!({ "kind": "audio", "audio_id": audio.json_body()["id"] });
    b_ars["callback"] = json!("bravo-secret-callback");
    assert_eq!(b_owner.put("/api/settings/ars", b_ars).status, 200);
    let menu = b_owner.post(
        "/api/settings/menus",
        json!({ "digit": 1, "kind": "agents", "queue": "bravo-secret-queue" }),
    );
    assert_eq!(menu.status, 201, "{}", menu.json_body());
    let agent = b_owner.post("/api/settings/agents", json!({ "login_id": "bravo-agent", "name": "bravo-secret-agent", "password": "agent-pass-123" }));
    assert_eq!(agent.status, 201, "{}", agent.json_body());
    let ctype = b_owner.post(
        "/api/settings/consultation-types",
        json!({ "name": "bravo-secret-type" }),
    );
    assert_eq!(ctype.status, 201, "{}", ctype.json_body());
    let holiday = b_owner.post(
        "/api/settings/holidays",
        json!({ "date": "2026-08-01", "name": "bravo-secret-holiday" }),
    );
    assert_eq!(holiday.status, 201, "{}", holiday.json_body());
    let mut b_work = support::work_body();
    b_work["popup_url_template"] = json!("https://crm.example.com/bravo-secret/{caller}");
    assert_eq!(b_owner.put("/api/settings/work", b_work).status, 200);
    // A recording of one of bravo's calls (TEL-4), its URL marked.
    let recording_id = app.recording_ready(
        "bravo-rec",
        "07022223333",
        "https://rec.provider.example/bravo-secret/c-1.mp3",
        "mp3",
    );
    // One of bravo's abandoned calls (its caller's number marked) and a
    // wallboard link (its label marked).
    let abandoned = support::CallScript::inbound("bravo-abandoned", "01055550000")
        .line("07022223333")
        .wait(2)
        .queued(1)
        .wait(30)
        .abandoned();
    app.deliver_ok(abandoned);
    let abandoned_call_id = futures::executor::block_on(switchboard_storage::Sql::query_row(
        app.db.as_ref(),
        "SELECT id FROM calls WHERE call_id = 'bravo-abandoned'",
        &[],
    ))
    .unwrap()
    .unwrap()
    .i64(0)
    .unwrap();
    let link = b_owner.post(
        "/api/dashboard/wallboard-links",
        json!({ "label": "bravo-secret-wall" }),
    );
    assert_eq!(link.status, 201, "{}", link.json_body());
    let other = Other {
        recording_id,
        number_id,
        abandoned_call_id,
        wallboard_link_id: link.json_body()["link"]["id"].as_i64().unwrap(),
        holiday_id: holiday.json_body()["id"].as_i64().unwrap(),
        type_id: ctype.json_body()["id"].as_i64().unwrap(),
        agent_id: agent.json_body()["id"].as_i64().unwrap(),
        menu_id: menu.json_body()["id"].as_i64().unwrap(),
        tenant_id: b_tenant,
        audio_id: audio.json_body()["id"].as_i64().unwrap(),
        user_id: b_viewer.user["id"].as_i64().unwrap(),
        operator_id: app.operator().user["id"].as_i64().unwrap(),
        marker: "bravo-secret".into(),
    };
    let op_before = app.operator().get("/api/auth/me").json_body()["user"].clone();
    let b_state = || {
        [
            "/api/users",
            "/api/settings/access",
            "/api/settings/ars",
            "/api/settings/audio",
            "/api/settings/menus",
            "/api/settings/agents",
            "/api/settings/consultation-types",
            "/api/settings/holidays",
            "/api/settings/hours",
            "/api/settings/contract",
            "/api/settings/work",
            "/api/dashboard/wallboard-links",
        ]
        .map(|p| b_owner.get(p).body)
    };
    let b_before = b_state();

    let mut walked = 0;
    let mut routes = 0;
    for component in COMPONENTS {
        for route in (component.routes)().routes() {
            // Agent routes refuse every admin session (role walk); their own
            // tenancy walk, with an agent of alpha against bravo's calls and
            // callbacks, is in agent_api.rs.
            if matches!(
                route.meta.access,
                Access::Public | Access::SelfTest | Access::Agent
            ) {
                continue;
            }
            routes += 1;
            let has_param = route.pattern.contains('{');
            let paths: Vec<String> = if has_param {
                objects_for(route.pattern, &other)
                    .into_iter()
                    .map(|id| route.pattern.replace("{id}", &id.to_string()))
                    .collect()
            } else {
                vec![route.pattern.to_owned()]
            };
            for path in paths {
                walked += 1;
                // A fresh session per call: sign-out and password routes end it.
                let a_owner = app.owner_of("alpha");
                let resp = a_owner.call(
                    route.method.clone(),
                    &path,
                    support::valid_body(&route.method, route.pattern, "alpha-walker"),
                );
                let text = String::from_utf8_lossy(&resp.body).to_string();
                let label = format!("{} {} as alpha's owner", route.method.as_str(), path);
                if has_param {
                    assert!(
                        resp.status == 404 || resp.status == 403,
                        "{label}: expected 404 (or 403), got {} {text}",
                        resp.status
                    );
                }
                assert!(
                    !text.contains(&other.marker),
                    "{label} leaked bravo's data: {text}"
                );
                assert!(resp.status < 500, "{label}: {} {text}", resp.status);
            }
        }
    }
    // Every non-public route, the id routes once per object (bravo's and the
    // operator's account for the four /api/users/{id} routes).
    assert_eq!(walked, routes + 4, "every route walked");
    // The operator's account was not changed, and still signs in.
    assert_eq!(
        app.operator().get("/api/auth/me").json_body()["user"],
        op_before
    );
    // The collection changes really happened, in alpha.
    let a_owner = app.owner_of("alpha");
    assert!(String::from_utf8_lossy(&a_owner.get("/api/users").body).contains("alpha-walker"));
    // Nothing alpha did changed bravo.
    assert_eq!(b_before, b_state());
}
