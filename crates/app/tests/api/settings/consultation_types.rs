//! Consultation types (SVC-3): an ordered list; renames keep the ID.
#![allow(clippy::unwrap_used)]

use crate::support::{TestApp, assert_error};
use serde_json::json;
use switchboard_http::Method;

const TYPES: &str = "/api/settings/consultation-types";

#[test]
fn svc_3_types_are_an_ordered_list_that_can_be_reordered_and_renamed() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let ids: Vec<i64> = ["주문", "배송", "반품"]
        .iter()
        .map(|n| {
            let r = app.call(&owner, Method::POST, TYPES, Some(json!({ "name": n })));
            assert_eq!(r.status, 201, "{}", r.json_body());
            r.json_body()["id"].as_i64().unwrap()
        })
        .collect();
    let names = |app: &TestApp| -> Vec<String> {
        app.get_as(&owner, TYPES).json_body()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(&app), ["주문", "배송", "반품"]);
    let order = app.call(
        &owner,
        Method::PUT,
        &format!("{TYPES}/order"),
        Some(json!({ "ids": [ids[2], ids[0], ids[1]] })),
    );
    assert_eq!(order.status, 200, "{}", order.json_body());
    assert_eq!(names(&app), ["반품", "주문", "배송"]);
    for bad in [
        json!([ids[0], ids[1]]),
        json!([ids[0], ids[0], ids[1], ids[2]]),
        json!([ids[0], ids[1], ids[2], 999]),
    ] {
        let resp = app.call(
            &owner,
            Method::PUT,
            &format!("{TYPES}/order"),
            Some(json!({ "ids": bad })),
        );
        assert_error(&resp, 422, "validation_failed");
        assert_eq!(
            resp.json_body()["error"]["fields"]["ids"]["code"],
            "order_mismatch"
        );
    }
    let renamed = app.call(
        &owner,
        Method::PATCH,
        &format!("{TYPES}/{}", ids[0]),
        Some(json!({ "name": "주문 문의" })),
    );
    assert_eq!(renamed.json_body()["id"], ids[0], "a rename keeps the ID");
    let history = app
        .get_as(
            &owner,
            "/api/history/audit?action=consultation_types.update",
        )
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
        let resp = app.call(&owner, Method::POST, TYPES, Some(json!({ "name": name })));
        assert_eq!(resp.json_body()["error"]["fields"]["name"]["code"], code);
    }
    let id = app
        .call(&owner, Method::POST, TYPES, Some(json!({ "name": "주문" })))
        .json_body()["id"]
        .as_i64()
        .unwrap();
    let dup = app.call(&owner, Method::POST, TYPES, Some(json!({ "name": "주문" })));
    assert_eq!(dup.json_body()["error"]["fields"]["name"]["code"], "taken");
    // An archived type's name may be used again.
    let archived = app.call(
        &owner,
        Method::PATCH,
        &format!("{TYPES}/{id}"),
        Some(json!({ "archived": true })),
    );
    assert_eq!(archived.json_body()["archived"], true);
    assert_eq!(
        app.call(&owner, Method::POST, TYPES, Some(json!({ "name": "주문" })))
            .status,
        201
    );
}

#[test]
fn svc_3_an_unused_type_is_deleted() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let id = app
        .call(&owner, Method::POST, TYPES, Some(json!({ "name": "기타" })))
        .json_body()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(app.get_as(&owner, TYPES).json_body()["items"][0]["used"], 0);
    assert_eq!(
        app.call(&owner, Method::DELETE, &format!("{TYPES}/{id}"), None)
            .status,
        204
    );
    assert!(
        app.get_as(&owner, TYPES).json_body()["items"]
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
    let viewer = app.admin(&alpha, "alpha-viewer", "viewer");
    let theirs = app
        .call(&bravo, Method::POST, TYPES, Some(json!({ "name": "비밀" })))
        .json_body()["id"]
        .as_i64()
        .unwrap();
    assert_error(
        &app.call(
            &alpha,
            Method::PATCH,
            &format!("{TYPES}/{theirs}"),
            Some(json!({ "name": "x" })),
        ),
        404,
        "not_found",
    );
    assert_error(
        &app.call(&alpha, Method::DELETE, &format!("{TYPES}/{theirs}"), None),
        404,
        "not_found",
    );
    let foreign_order = app.call(
        &alpha,
        Method::PUT,
        &format!("{TYPES}/order"),
        Some(json!({ "ids": [theirs] })),
    );
    assert_eq!(
        foreign_order.json_body()["error"]["fields"]["ids"]["code"],
        "order_mismatch"
    );
    assert_eq!(app.get_as(&viewer, TYPES).status, 200);
    assert_error(
        &app.call(&viewer, Method::POST, TYPES, Some(json!({ "name": "x" }))),
        403,
        "forbidden",
    );
    assert_eq!(
        app.get_as(&bravo, TYPES).json_body()["items"][0]["name"],
        "비밀"
    );
}

#[test]
fn svc_3_restoring_an_archived_type_respects_the_limit_of_100() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let path = "/api/settings/consultation-types";
    let mut first = 0;
    for i in 0..100 {
        let resp = app.call(
            &owner,
            Method::POST,
            path,
            Some(json!({ "name": format!("유형 {i}") })),
        );
        assert_eq!(resp.status, 201, "{}", resp.json_body());
        if i == 0 {
            first = resp.json_body()["id"].as_i64().unwrap();
        }
    }
    let one = format!("{path}/{first}");
    let archived = app.call(
        &owner,
        Method::PATCH,
        &one,
        Some(json!({ "archived": true })),
    );
    assert_eq!(archived.status, 200, "{}", archived.json_body());
    let filler = app.call(
        &owner,
        Method::POST,
        path,
        Some(json!({ "name": "새 유형" })),
    );
    assert_eq!(filler.status, 201, "{}", filler.json_body());
    let restored = app.call(
        &owner,
        Method::PATCH,
        &one,
        Some(json!({ "archived": false })),
    );
    assert_error(&restored, 422, "validation_failed");
    assert_eq!(
        restored.json_body()["error"]["fields"]["archived"]["code"],
        "too_many"
    );
}
