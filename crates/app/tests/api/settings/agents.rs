//! Agents (SVC-1), the licence limit (CON), and assignment to menus (SVC-2).
#![allow(clippy::unwrap_used)]

use crate::support::{Session, TestApp, TestResponse, assert_error};
use futures::executor::block_on;
use serde_json::json;
use switchboard_app::{mount_for, serve};
use switchboard_http::Method;

const AGENTS: &str = "/api/settings/agents";

fn add(s: &Session, login: &str) -> TestResponse {
    s.post(AGENTS, json!({ "login_id": login, "name": format!("{login} 상담사"), "password": "agent-pass-123" }))
}

fn id_of(resp: &TestResponse) -> i64 {
    assert!(resp.status < 300, "{}", resp.json_body());
    resp.json_body()["id"].as_i64().unwrap()
}

#[test]
fn svc_1_agents_up_to_the_licence_count_then_the_next_is_refused() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme"); // 10 licences
    for i in 0..10 {
        assert_eq!(add(&owner, &format!("agent{i}")).status, 201);
    }
    let refused = add(&owner, "agent10");
    assert_error(&refused, 409, "licence_limit");
    assert_eq!(refused.json_body()["error"]["params"]["limit"], "10");
    let list = owner.get(AGENTS).json_body();
    assert_eq!(list["licences"], json!({ "limit": 10, "active": 10 }));
    assert_eq!(list["items"].as_array().unwrap().len(), 10);
}

#[test]
fn svc_1_disabling_or_deleting_frees_the_seat_and_enabling_needs_one() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let ids: Vec<i64> = (0..10)
        .map(|i| id_of(&add(&owner, &format!("agent{i}"))))
        .collect();
    let path = |id: i64| format!("{AGENTS}/{id}");
    let disabled = owner.patch(&path(ids[0]), json!({ "status": "disabled" }));
    assert_eq!(disabled.json_body()["status"], "disabled");
    assert_eq!(add(&owner, "newcomer").status, 201, "the seat was free");
    let enable = owner.patch(&path(ids[0]), json!({ "status": "active" }));
    assert_error(&enable, 409, "licence_limit");
    // Deleting frees the seat and the login ID; the history keeps the name.
    assert_eq!(owner.delete(&path(ids[1])).status, 204);
    assert_error(
        &owner.patch(&path(ids[1]), json!({ "name": "x" })),
        404,
        "not_found",
    );
    assert_eq!(
        add(&owner, "agent1").status,
        201,
        "login ID and seat free again"
    );
    let history = owner
        .get("/api/history/audit?action=agents.delete")
        .json_body();
    assert_eq!(
        history["items"][0]["detail"]["before"]["name"],
        "agent1 상담사"
    );
}

#[test]
fn svc_1_two_adds_racing_for_the_last_seat_cannot_both_win() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    for i in 0..9 {
        assert_eq!(add(&owner, &format!("agent{i}")).status, 201);
    }
    let request = |login: &str| {
        owner
            .req(Method::POST, AGENTS)
            .with_json(&json!({ "login_id": login, "name": "경쟁", "password": "agent-pass-123" }))
            .0
    };
    let (h1, h2) = (app.host(), app.host());
    let component = mount_for(AGENTS);
    let (a, b) = block_on(futures::future::join(
        serve(component, &h1, request("racer-a")),
        serve(component, &h2, request("racer-b")),
    ));
    let mut statuses = [TestResponse::read(a).status, TestResponse::read(b).status];
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409]);
    assert_eq!(owner.get(AGENTS).json_body()["licences"]["active"], 10);
}

#[test]
fn svc_1_fields_are_checked_and_login_ids_are_unique_per_tenant() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let resp = owner.post(
        AGENTS,
        json!({ "login_id": "X", "name": "", "password": "short" }),
    );
    assert_error(&resp, 422, "validation_failed");
    let fields = resp.json_body()["error"]["fields"].clone();
    assert_eq!(fields["login_id"]["code"], "login_id_length");
    assert_eq!(fields["name"]["code"], "required");
    assert_eq!(fields["password"]["code"], "too_short");
    assert_eq!(add(&owner, "kim").status, 201);
    let dup = add(&owner, "KIM");
    assert_error(&dup, 409, "login_id_taken");
    assert_eq!(
        dup.json_body()["error"]["fields"]["login_id"]["code"],
        "taken"
    );
    let (_, bravo) = app.tenant("bravo");
    assert_eq!(add(&bravo, "kim").status, 201, "another company may use it");
    let bad = owner.patch(&format!("{AGENTS}/{}", 1), json!({ "status": "gone" }));
    assert_eq!(
        bad.json_body()["error"]["fields"]["status"]["code"],
        "invalid_choice"
    );
}

#[test]
fn svc_2_agents_serve_the_menus_they_are_assigned_and_a_menu_delete_explains() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let menu = |body| id_of(&owner.post("/api/settings/menus", body));
    let sales = menu(json!({ "digit": 1, "kind": "agents", "queue": "sales" }));
    let support_q = menu(json!({ "digit": 2, "kind": "agents", "queue": "support" }));
    let info =
        menu(json!({ "digit": 9, "kind": "info", "message": { "kind": "text", "text": "안내" } }));
    let kim = add(&owner, "kim");
    assert_eq!(
        kim.json_body()["menus"],
        json!([]),
        "new agents are unassigned"
    );
    let kim = id_of(&kim);
    let lee = id_of(&add(&owner, "lee"));
    let assign = |agent: i64, menus: serde_json::Value| {
        owner.put(
            &format!("{AGENTS}/{agent}/menus"),
            json!({ "menu_ids": menus }),
        )
    };
    assert_eq!(
        assign(kim, json!([sales, support_q])).json_body()["menus"],
        json!([sales, support_q])
    );
    assert_eq!(assign(lee, json!([sales])).status, 200);
    let refused = assign(lee, json!([info, 9999]));
    assert_error(&refused, 422, "validation_failed");
    let fields = refused.json_body()["error"]["fields"].clone();
    assert_eq!(fields["menu_ids.0"]["code"], "invalid_choice");
    assert_eq!(fields["menu_ids.1"]["code"], "no_such_item");
    // Deleting a menu two agents serve: explained, then forced.
    let path = format!("/api/settings/menus/{sales}");
    let in_use = owner.delete(&path);
    assert_error(&in_use, 409, "menu_in_use");
    assert_eq!(in_use.json_body()["error"]["params"]["agents"], "2");
    let to_info = owner.patch(
        &path,
        json!({ "kind": "info", "message": { "kind": "text", "text": "안내" } }),
    );
    assert_error(&to_info, 409, "menu_in_use");
    assert_eq!(owner.delete(&format!("{path}?force=true")).status, 204);
    let agents = owner.get(AGENTS).json_body();
    assert_eq!(
        agents["items"][0]["menus"],
        json!([support_q]),
        "kim keeps the other menu"
    );
    assert_eq!(agents["items"][1]["menus"], json!([]));
    let history = owner
        .get("/api/history/audit?action=agents.assign")
        .json_body();
    assert_eq!(
        history["items"][1]["detail"]["after"]["menus"],
        json!([sales]),
        "the refused assignment is items[0]"
    );
}

#[test]
fn agent_changes_are_audited_and_viewers_only_read() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let viewer = owner.add_admin("acme-viewer", "viewer");
    let id = id_of(&add(&owner, "kim"));
    let renamed = owner.patch(
        &format!("{AGENTS}/{id}"),
        json!({ "name": "김상담", "password": "another-pass-123" }),
    );
    assert_eq!(renamed.status, 200);
    let page = owner
        .get("/api/history/audit?action=agents.update")
        .json_body();
    let detail = &page["items"][0]["detail"];
    assert_eq!(detail["before"]["name"], "kim 상담사");
    assert_eq!(detail["after"]["name"], "김상담");
    assert_eq!(detail["password_changed"], true);
    assert!(
        !page.to_string().contains("another-pass"),
        "no password in the history"
    );
    assert_eq!(viewer.get(AGENTS).status, 200);
    assert_error(&add(&viewer, "sneaky"), 403, "forbidden");
}

#[test]
fn one_tenant_cannot_reach_anothers_agents() {
    let app = TestApp::with_operator();
    let (_, alpha) = app.tenant("alpha");
    let (_, bravo) = app.tenant("bravo");
    let theirs = id_of(&add(&bravo, "bravo-kim"));
    let their_menu = id_of(&bravo.post(
        "/api/settings/menus",
        json!({ "digit": 1, "kind": "agents", "queue": "b" }),
    ));
    let path = format!("{AGENTS}/{theirs}");
    assert_error(
        &alpha.patch(&path, json!({ "name": "x" })),
        404,
        "not_found",
    );
    assert_error(&alpha.delete(&path), 404, "not_found");
    assert_error(
        &alpha.put(&format!("{path}/menus"), json!({ "menu_ids": [] })),
        404,
        "not_found",
    );
    let mine = id_of(&add(&alpha, "alpha-kim"));
    let foreign = alpha.put(
        &format!("{AGENTS}/{mine}/menus"),
        json!({ "menu_ids": [their_menu] }),
    );
    assert_eq!(
        foreign.json_body()["error"]["fields"]["menu_ids.0"]["code"],
        "no_such_item"
    );
    assert_eq!(
        bravo.get(AGENTS).json_body()["items"][0]["name"],
        "bravo-kim 상담사"
    );
}
