//! The work history keeps what changed however large the change (AUD-1),
//! stays append-only against every kind of write, and shows account and
//! access details to owners only.
#![allow(clippy::unwrap_used)]

use crate::support::TestApp;
use futures::executor::block_on;
use serde_json::json;
use switchboard_app::records::audit::{self, Actor, Record};
use switchboard_storage::Sql;

fn rules(n: usize) -> Vec<serde_json::Value> {
    let mut rules = vec![json!({ "rule": "127.0.0.1", "note": "office" })];
    for i in 0..n - 1 {
        rules.push(
            json!({ "rule": format!("10.{}.{}.0/24", i / 200, i % 200), "note": "n".repeat(90) }),
        );
    }
    rules
}

#[test]
fn a_large_allowlist_change_still_shows_what_was_added() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let mut list = rules(151);
    let put = |list: &Vec<serde_json::Value>| {
        let resp = owner.put("/api/settings/access", json!({ "rules": list }));
        assert_eq!(resp.status, 200, "{}", resp.json_body());
    };
    put(&list);
    list.push(json!({ "rule": "0.0.0.0/0", "note": "" }));
    list.remove(5);
    put(&list);
    let page = owner
        .get("/api/history/audit?action=access.update")
        .json_body();
    let latest = &page["items"][0]["detail"];
    assert_eq!(latest["truncated"], true, "the detail was over the limit");
    assert_eq!(
        latest["diff"]["added"],
        json!([{ "rule": "0.0.0.0/0", "note": "" }])
    );
    assert_eq!(latest["diff"]["removed"][0]["rule"], "10.0.4.0/24");
    assert_eq!(latest["diff"]["count_after"], 151);
    // The first save (everything added) also keeps every item.
    let first = &page["items"][1]["detail"];
    assert_eq!(first["diff"]["added"].as_array().unwrap().len(), 151);
}

#[test]
fn large_object_changes_keep_the_changed_keys() {
    let big = "x".repeat(20_000);
    let d = json!({
        "before": { "name": "old", "blob": big, "same": 1 },
        "after": { "name": "new", "blob": big, "same": 1 },
    });
    let stored: serde_json::Value = serde_json::from_str(&audit::stored_detail(&d)).unwrap();
    assert_eq!(
        stored["diff"]["changed"],
        json!({ "name": { "before": "old", "after": "new" } })
    );
}

#[test]
fn even_a_huge_change_keeps_every_changed_item() {
    let after: Vec<String> = (0..2000)
        .map(|i| format!("{i}-{}", "y".repeat(300)))
        .collect();
    let d = json!({ "before": [], "after": after });
    let text = audit::stored_detail(&d);
    let stored: serde_json::Value = serde_json::from_str(&text).unwrap();
    let added = stored["diff"]["added"].as_array().unwrap();
    assert_eq!(added.len(), 2000);
    assert!(added[1999].as_str().unwrap().starts_with("1999-"));
    assert!(text.len() < 2000 * 220 + 1000, "bounded: {}", text.len());
}

#[test]
fn small_details_are_kept_whole() {
    let d = json!({ "before": [1], "after": [2] });
    assert_eq!(audit::stored_detail(&d), d.to_string());
}

#[test]
fn text_fields_are_capped() {
    let app = TestApp::new();
    block_on(switchboard_app::runtime::schema::migrate(app.db.as_ref())).unwrap();
    let r = Record {
        actor: Actor {
            tenant_id: None,
            user_id: None,
            login_id: "l".repeat(5000),
        },
        at: "2026-11-30T01:00:00.000Z".into(),
        client_ip: "127.0.0.1".into(),
        action: "test.cap".into(),
        target: "t".repeat(5000),
        outcome: 200,
        reason: None,
        detail: None,
    };
    block_on(audit::append(app.db.as_ref(), &r)).unwrap();
    let row = block_on(app.db.query_row(
        "SELECT length(login_id), length(target) FROM audit_log",
        &[],
    ))
    .unwrap()
    .unwrap();
    assert!(row.i64(0).unwrap() <= 201 && row.i64(1).unwrap() <= 201);
}

#[test]
fn insert_or_replace_cannot_overwrite_the_history() {
    let app = TestApp::with_operator();
    app.operator();
    let db = app.db.as_ref();
    let before = app.audit_rows();
    let id = block_on(db.query_row("SELECT MIN(id) FROM audit_log", &[]))
        .unwrap()
        .unwrap()
        .i64(0)
        .unwrap();
    for sql in [
        "INSERT OR REPLACE INTO audit_log (id, at, action, outcome) VALUES (?, 'x', 'forged', 200)",
        "REPLACE INTO audit_log (id, at, action, outcome) VALUES (?, 'x', 'forged', 200)",
        "INSERT INTO audit_log (id, at, action, outcome) VALUES (?, 'x', 'forged', 200) ON CONFLICT (id) DO UPDATE SET action = 'forged'",
    ] {
        assert!(block_on(db.execute(sql, &[id.into()])).is_err(), "{sql}");
    }
    assert_eq!(app.audit_rows(), before);
    // New rows still go in.
    assert!(
        block_on(db.execute(
            "INSERT INTO audit_log (at, action, outcome) VALUES ('x', 'new', 200)",
            &[]
        ))
        .is_ok()
    );
}

#[test]
fn only_owners_see_account_and_sign_in_details() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let manager = owner.add_admin("acme-manager", "manager");
    let viewer = owner.add_admin("acme-viewer", "viewer");
    let id = viewer.user["id"].as_i64().unwrap();
    let resp = owner.patch(
        &format!("/api/users/{id}"),
        json!({ "name": "secret-rename" }),
    );
    assert_eq!(resp.status, 200);
    for s in [&manager, &viewer] {
        for family in ["users.", "auth."] {
            let page = s.get(&format!("/api/history/audit?action={family}"));
            let items = page.json_body()["items"].as_array().unwrap().clone();
            assert!(!items.is_empty(), "{family}");
            assert!(
                items.iter().all(|i| i["detail"].is_null()),
                "{family} details shown to a non-owner: {items:?}"
            );
        }
    }
    let own = owner.get("/api/history/audit?action=users.update");
    assert!(String::from_utf8_lossy(&own.body).contains("secret-rename"));
}
