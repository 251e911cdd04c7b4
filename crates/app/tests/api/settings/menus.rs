//! The ARS menu (ARS-3): entries keyed by digit, connecting to agents or
//! playing a message. (Deleting a menu agents serve: `settings/agents.rs`.)
#![allow(clippy::unwrap_used)]

use crate::support::{TestApp, assert_error, wav};
use serde_json::json;

const MENUS: &str = "/api/settings/menus";

#[test]
fn ars_3_menu_entries_connect_to_agents_or_play_a_message() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let agents = owner.post(
        MENUS,
        json!({ "digit": 1, "kind": "agents", "queue": "주문 상담", "callback": true }),
    );
    assert_eq!(agents.status, 201, "{}", agents.json_body());
    let info = owner.post(MENUS, json!({ "digit": 0, "kind": "info", "message": { "kind": "text", "text": "영업시간은 평일 9시부터 18시까지입니다." } }));
    assert_eq!(info.status, 201, "{}", info.json_body());
    let list = owner.get(MENUS).json_body();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["digit"], 0, "ordered by digit");
    assert_eq!(items[0]["message"]["kind"], "text");
    assert_eq!(items[1]["queue"], "주문 상담");
    assert_eq!(items[1]["callback"], true);
    assert_eq!(items[1]["agents"], 0);
    // PATCH changes only what it sends.
    let id = agents.json_body()["id"].as_i64().unwrap();
    let patched = owner.patch(&format!("{MENUS}/{id}"), json!({ "callback": false }));
    assert_eq!(patched.status, 200, "{}", patched.json_body());
    assert_eq!(patched.json_body()["queue"], "주문 상담");
    assert_eq!(patched.json_body()["callback"], false);
}

#[test]
fn ars_3_each_invalid_field_is_named() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    for (body, field, code) in [
        (
            json!({ "digit": 10, "kind": "agents", "queue": "q" }),
            "digit",
            "number_range",
        ),
        (
            json!({ "kind": "agents", "queue": "q" }),
            "digit",
            "required",
        ),
        (
            json!({ "digit": 1, "kind": "fax" }),
            "kind",
            "invalid_choice",
        ),
        (
            json!({ "digit": 1, "kind": "agents", "queue": " " }),
            "queue",
            "required",
        ),
        (
            json!({ "digit": 1, "kind": "agents", "queue": "q".repeat(51) }),
            "queue",
            "too_long",
        ),
        (
            json!({ "digit": 1, "kind": "info", "message": { "kind": "text", "text": "가".repeat(201) } }),
            "message.text",
            "too_long",
        ),
        (
            json!({ "digit": 1, "kind": "info", "message": { "kind": "audio", "audio_id": 77 } }),
            "message.audio_id",
            "no_such_item",
        ),
    ] {
        let resp = owner.post(MENUS, body.clone());
        // An ID that names nothing stored is a conflict with the state.
        if code == "no_such_item" {
            assert_error(&resp, 409, "conflict");
        } else {
            assert_error(&resp, 422, "validation_failed");
        }
        assert_eq!(
            resp.json_body()["error"]["fields"][field]["code"],
            code,
            "{body}"
        );
    }
}

#[test]
fn ars_3_a_digit_already_used_is_refused() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let first = owner.post(MENUS, json!({ "digit": 2, "kind": "agents", "queue": "a" }));
    assert_eq!(first.status, 201);
    let again = owner.post(MENUS, json!({ "digit": 2, "kind": "agents", "queue": "b" }));
    assert_error(&again, 409, "conflict");
    let field = &again.json_body()["error"]["fields"]["digit"];
    assert_eq!(field["code"], "taken");
    assert_eq!(field["params"]["digit"], "2");
    let other = owner.post(MENUS, json!({ "digit": 3, "kind": "agents", "queue": "c" }));
    let id = other.json_body()["id"].as_i64().unwrap();
    let moved = owner.patch(&format!("{MENUS}/{id}"), json!({ "digit": 2 }));
    assert_eq!(
        moved.json_body()["error"]["fields"]["digit"]["code"],
        "taken"
    );
    // Another tenant may use the same digit.
    let (_, bravo) = app.tenant("bravo");
    assert_eq!(
        bravo
            .post(MENUS, json!({ "digit": 2, "kind": "agents", "queue": "a" }))
            .status,
        201
    );
}

#[test]
fn ars_3_a_file_an_information_menu_plays_cannot_be_deleted() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let audio = owner.upload_audio("notice", wav(200)).json_body()["id"]
        .as_i64()
        .unwrap();
    let menu = owner.post(
        MENUS,
        json!({ "digit": 5, "kind": "info", "message": { "kind": "audio", "audio_id": audio } }),
    );
    assert_eq!(menu.status, 201, "{}", menu.json_body());
    assert_eq!(menu.json_body()["message"]["audio"]["id"], audio);
    let refused = owner.delete(&format!("/api/settings/audio/{audio}"));
    assert_error(&refused, 409, "audio_in_use");
    assert_eq!(refused.json_body()["error"]["params"]["used_by"], "menu 5");
    let id = menu.json_body()["id"].as_i64().unwrap();
    assert_eq!(owner.delete(&format!("{MENUS}/{id}")).status, 204);
    assert_eq!(
        owner.delete(&format!("/api/settings/audio/{audio}")).status,
        204
    );
}

#[test]
fn menu_changes_are_audited_and_viewers_only_read() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let viewer = owner.add_admin("acme-viewer", "viewer");
    let id = owner
        .post(MENUS, json!({ "digit": 1, "kind": "agents", "queue": "a" }))
        .json_body()["id"]
        .as_i64()
        .unwrap();
    owner.patch(&format!("{MENUS}/{id}"), json!({ "queue": "b" }));
    let page = owner
        .get("/api/history/audit?action=menus.update")
        .json_body();
    let detail = &page["items"][0]["detail"];
    assert_eq!(detail["before"]["queue"], "a");
    assert_eq!(detail["after"]["queue"], "b");
    assert_eq!(page["items"][0]["target"], format!("menu:{id}"));
    assert_eq!(viewer.get(MENUS).status, 200);
    assert_error(
        &viewer.post(MENUS, json!({ "digit": 4, "kind": "agents", "queue": "x" })),
        403,
        "forbidden",
    );
    assert_error(&viewer.delete(&format!("{MENUS}/{id}")), 403, "forbidden");
}

#[test]
fn one_tenant_cannot_reach_anothers_menus() {
    let app = TestApp::with_operator();
    let (_, alpha) = app.tenant("alpha");
    let (_, bravo) = app.tenant("bravo");
    let id = bravo
        .post(MENUS, json!({ "digit": 1, "kind": "agents", "queue": "b" }))
        .json_body()["id"]
        .as_i64()
        .unwrap();
    let path = format!("{MENUS}/{id}");
    assert_error(
        &alpha.patch(&path, json!({ "queue": "x" })),
        404,
        "not_found",
    );
    assert_error(&alpha.delete(&path), 404, "not_found");
    assert!(
        alpha.get(MENUS).json_body()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(bravo.get(MENUS).json_body()["items"][0]["queue"], "b");
}
