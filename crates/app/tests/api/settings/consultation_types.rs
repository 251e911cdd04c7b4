//! Consultation types (SVC-3): an ordered list; renames keep the ID.
#![allow(clippy::unwrap_used)]

use crate::support::{TestApp, assert_error};
use serde_json::json;

const TYPES: &str = "/api/settings/consultation-types";

#[test]
fn svc_3_types_are_an_ordered_list_that_can_be_reordered_and_renamed() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let ids: Vec<i64> = ["주문", "배송", "반품"]
        .iter()
        .map(|n| {
            let r = owner.post(TYPES, json!({ "name": n }));
            assert_eq!(r.status, 201, "{}", r.json_body());
            r.json_body()["id"].as_i64().unwrap()
        })
        .collect();
    let names = || -> Vec<String> {
        owner.get(TYPES).json_body()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(), ["주문", "배송", "반품"]);
    let order = owner.put(
        &format!("{TYPES}/order"),
        json!({ "ids": [ids[2], ids[0], ids[1]] }),
    );
    assert_eq!(order.status, 200, "{}", order.json_body());
    assert_eq!(names(), ["반품", "주문", "배송"]);
    for bad in [
        json!([ids[0], ids[1]]),
        json!([ids[0], ids[0], ids[1], ids[2]]),
        json!([ids[0], ids[1], ids[2], 999]),
    ] {
        let resp = owner.put(&format!("{TYPES}/order"), json!({ "ids": bad }));
        assert_error(&resp, 409, "conflict");
        assert_eq!(
            resp.json_body()["error"]["fields"]["ids"]["code"],
            "order_mismatch"
        );
    }
    let renamed = owner.patch(
        &format!("{TYPES}/{}", ids[0]),
        json!({ "name": "주문 문의" }),
    );
    assert_eq!(renamed.json_body()["id"], ids[0], "a rename keeps the ID");
    let history = owner
        .get("/api/history/audit?action=consultation_types.update")
        .json_body();
    assert_eq!(history["items"][0]["detail"]["before"]["name"], "주문");
    assert_eq!(history["items"][0]["detail"]["after"]["name"], "주문 문의");
}

#[test]
fn svc_3_names_are_checked_and_unique_among_live_types() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    for (name, code) in [
        (json!(""), "required"),
        (json!("가".repeat(51)), "too_long"),
    ] {
        let resp = owner.post(TYPES, json!({ "name": name }));
        assert_eq!(resp.json_body()["error"]["fields"]["name"]["code"], code);
    }
    let id = owner.post(TYPES, json!({ "name": "주문" })).json_body()["id"]
        .as_i64()
        .unwrap();
    let dup = owner.post(TYPES, json!({ "name": "주문" }));
    assert_eq!(dup.json_body()["error"]["fields"]["name"]["code"], "taken");
    // An archived type's name may be used again.
    let archived = owner.patch(&format!("{TYPES}/{id}"), json!({ "archived": true }));
    assert_eq!(archived.json_body()["archived"], true);
    assert_eq!(owner.post(TYPES, json!({ "name": "주문" })).status, 201);
}

#[test]
fn svc_3_an_unused_type_is_deleted() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let id = owner.post(TYPES, json!({ "name": "기타" })).json_body()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(owner.get(TYPES).json_body()["items"][0]["used"], 0);
    assert_eq!(owner.delete(&format!("{TYPES}/{id}")).status, 204);
    assert!(
        owner.get(TYPES).json_body()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn consultation_types_are_per_tenant_and_viewers_only_read() {
    let app = TestApp::with_operator();
    let (_, alpha) = app.tenant("alpha");
    let (_, bravo) = app.tenant("bravo");
    let viewer = alpha.add_admin("alpha-viewer", "viewer");
    let theirs = bravo.post(TYPES, json!({ "name": "비밀" })).json_body()["id"]
        .as_i64()
        .unwrap();
    assert_error(
        &alpha.patch(&format!("{TYPES}/{theirs}"), json!({ "name": "x" })),
        404,
        "not_found",
    );
    assert_error(
        &alpha.delete(&format!("{TYPES}/{theirs}")),
        404,
        "not_found",
    );
    let foreign_order = alpha.put(&format!("{TYPES}/order"), json!({ "ids": [theirs] }));
    assert_eq!(
        foreign_order.json_body()["error"]["fields"]["ids"]["code"],
        "order_mismatch"
    );
    assert_eq!(viewer.get(TYPES).status, 200);
    assert_error(
        &viewer.post(TYPES, json!({ "name": "x" })),
        403,
        "forbidden",
    );
    assert_eq!(bravo.get(TYPES).json_body()["items"][0]["name"], "비밀");
}

#[test]
fn svc_3_restoring_an_archived_type_respects_the_limit_of_100() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let path = "/api/settings/consultation-types";
    let mut first = 0;
    for i in 0..100 {
        let resp = owner.post(path, json!({ "name": format!("유형 {i}") }));
        assert_eq!(resp.status, 201, "{}", resp.json_body());
        if i == 0 {
            first = resp.json_body()["id"].as_i64().unwrap();
        }
    }
    let one = format!("{path}/{first}");
    let archived = owner.patch(&one, json!({ "archived": true }));
    assert_eq!(archived.status, 200, "{}", archived.json_body());
    let filler = owner.post(path, json!({ "name": "새 유형" }));
    assert_eq!(filler.status, 201, "{}", filler.json_body());
    let restored = owner.patch(&one, json!({ "archived": false }));
    assert_error(&restored, 422, "validation_failed");
    assert_eq!(
        restored.json_body()["error"]["fields"]["archived"]["code"],
        "too_many"
    );
}
