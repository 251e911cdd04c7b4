//! The work history (AUD-1, HIST-5): what is recorded, and searching it.
#![allow(clippy::unwrap_used)]

use crate::support::{TestApp, assert_error};
use futures::executor::block_on;
use serde_json::json;
use switchboard_storage::Sql;

#[test]
fn sign_ins_changes_views_and_downloads_are_recorded() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    app.login_from("acme-owner", "wrong-password", "127.0.0.1");
    let viewer = owner.add_admin("acme-viewer", "viewer");
    owner.get("/api/history/audit");
    owner.get("/api/history/audit/export");
    viewer.get("/api/history/audit/export"); // refused, still recorded
    owner.get("/api/users"); // a plain read of settings is not a history view

    let rows = app.audit_rows();
    let has = |action: &str, login: &str, outcome: i64| {
        rows.iter()
            .any(|(a, l, o)| a == action && l == login && *o == outcome)
    };
    assert!(has("auth.login", "operator", 200), "{rows:?}");
    assert!(has("tenants.create", "operator", 201));
    assert!(
        has("auth.login", "acme-owner", 401),
        "failed sign-ins are recorded"
    );
    assert!(has("users.create", "acme-owner", 201));
    assert!(has("auth.login", "acme-viewer", 200));
    assert!(has("audit.view", "acme-owner", 200));
    assert!(has("audit.export", "acme-owner", 200));
    assert!(has("audit.export", "acme-viewer", 403));
    assert!(!rows.iter().any(|(a, _, _)| a == "users.list"));
}

#[test]
fn settings_changes_carry_before_and_after_values() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let viewer = owner.add_admin("acme-viewer", "viewer");
    let id = viewer.user["id"].as_i64().unwrap();
    owner.patch(&format!("/api/users/{id}"), json!({ "role": "manager" }));
    let items = owner
        .get("/api/history/audit?action=users.update")
        .json_body()["items"]
        .clone();
    let detail = &items[0]["detail"];
    assert_eq!(detail["before"]["role"], "viewer");
    assert_eq!(detail["after"]["role"], "manager");
    assert_eq!(items[0]["target"], format!("user:{id}"));
    assert_eq!(items[0]["client_ip"], "127.0.0.1");
    assert!(detail["after"].get("password_hash").is_none());
}

#[test]
fn search_filters_by_user_action_family_and_days_in_the_tenants_zone() {
    let app = TestApp::with_operator();
    // 2026-11-30 14:30 UTC is 23:30 in Seoul; 15:30 UTC is the next day there.
    app.set_now("2026-11-30T14:30:00Z".parse().unwrap());
    let (_, owner) = app.tenant("acme");
    owner.add_admin("acme-a", "viewer");
    app.set_now("2026-11-30T15:30:00Z".parse().unwrap());
    let owner = app.owner_of("acme");
    owner.add_admin("acme-b", "viewer");

    let search =
        |q: &str| owner.get(&format!("/api/history/audit?{q}")).json_body()["items"].clone();
    let creates = search("action=users.create&from=2026-11-30&to=2026-11-30");
    assert_eq!(creates.as_array().unwrap().len(), 1);
    assert_eq!(creates[0]["detail"]["after"]["login_id"], "acme-a");
    let next_day = search("action=users.create&from=2026-12-01");
    assert_eq!(next_day[0]["detail"]["after"]["login_id"], "acme-b");
    let family = search("action=users.");
    assert_eq!(family.as_array().unwrap().len(), 2);
    let by_user = search("user=acme-a");
    assert!(
        by_user
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["login_id"] == "acme-a")
    );
    assert!(!by_user.as_array().unwrap().is_empty());
    let bad = owner.get("/api/history/audit?from=yesterday");
    assert_error(&bad, 422, "validation_failed");
    assert_eq!(
        bad.json_body()["error"]["fields"]["from"]["code"],
        "date_format"
    );
}

#[test]
fn pages_follow_the_cursor_without_gaps_or_repeats() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    for i in 0..5 {
        owner.add_admin(&format!("acme-user{i}"), "viewer");
    }
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = owner
            .get(&format!(
                "/api/history/audit?action=users.create&limit=2{cursor}"
            ))
            .json_body();
        for item in page["items"].as_array().unwrap() {
            seen.push(item["id"].as_i64().unwrap());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5);
    assert!(
        seen.windows(2).all(|w| w[0] > w[1]),
        "newest first, no repeats: {seen:?}"
    );
    assert_error(
        &owner.get("/api/history/audit?cursor=abc"),
        422,
        "validation_failed",
    );
    assert_error(
        &owner.get("/api/history/audit?limit=1000"),
        422,
        "validation_failed",
    );
}

#[test]
fn tenants_see_only_their_own_history_and_the_operator_sees_all() {
    let app = TestApp::with_operator();
    let (_, alpha) = app.tenant("alpha");
    let (beta_id, beta) = app.tenant("beta");
    beta.add_admin("beta-user", "viewer");
    let alpha_items = alpha.get("/api/history/audit?limit=200").json_body()["items"].clone();
    assert!(
        alpha_items
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["login_id"] != "beta-owner")
    );
    let op = app.operator();
    let only_beta = op
        .get(&format!(
            "/api/history/audit?tenant_id={beta_id}&action=users.create"
        ))
        .json_body()["items"]
        .clone();
    assert_eq!(only_beta[0]["login_id"], "beta-owner");
    // A tenant admin cannot widen the scope.
    let widened = alpha
        .get(&format!("/api/history/audit?tenant_id={beta_id}"))
        .json_body()["items"]
        .clone();
    assert!(
        widened
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["login_id"] != "beta-owner")
    );
}

#[test]
fn the_export_is_a_csv_file_of_the_same_search() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    owner.add_admin("acme-x", "viewer");
    let resp = owner.get("/api/history/audit/export?action=users.create");
    assert_eq!(resp.status, 200);
    assert_eq!(resp.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(
        resp.header("content-disposition")
            .unwrap()
            .contains("attachment")
    );
    let text = String::from_utf8(resp.body).unwrap();
    assert!(text.starts_with("\u{feff}id,at,login_id,client_ip,action,target,outcome,detail\r\n"));
    assert_eq!(text.lines().count(), 2, "header and one row: {text}");
    assert!(text.contains("\"users.create\"") && text.contains("\"acme-owner\""));
    // The page sends its search's paging along: checked as on the search,
    // without effect on what the export holds.
    let paged = owner.get("/api/history/audit/export?limit=1&cursor=999999");
    assert_eq!(paged.status, 200);
    let rows = String::from_utf8(paged.body).unwrap().lines().count() - 1;
    assert!(rows > 1, "limit=1 does not cut the export: {rows} rows");
    assert_eq!(
        owner.get("/api/history/audit/export?limit=5000").status,
        422
    );
}

#[test]
fn only_owners_see_the_content_of_account_and_access_changes() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let viewer = owner.add_admin("acme-viewer", "viewer");
    let manager = owner.add_admin("acme-manager", "manager");
    let rules = json!({ "rules": [{ "rule": "127.0.0.0/8", "note": "head-office-secret" }] });
    assert_eq!(owner.put("/api/settings/access", rules).status, 200);
    for s in [&viewer, &manager] {
        let page = s.get("/api/history/audit?action=access.update");
        assert_eq!(page.json_body()["items"][0]["action"], "access.update");
        assert!(!String::from_utf8_lossy(&page.body).contains("head-office-secret"));
    }
    let export = manager.get("/api/history/audit/export");
    assert!(!String::from_utf8_lossy(&export.body).contains("head-office-secret"));
    let own = owner.get("/api/history/audit?action=access.update");
    assert!(String::from_utf8_lossy(&own.body).contains("head-office-secret"));
}

#[test]
fn the_history_is_append_only() {
    let app = TestApp::with_operator();
    app.operator();
    let db = app.db.as_ref();
    assert!(block_on(db.execute("UPDATE audit_log SET action = 'x'", &[])).is_err());
    assert!(block_on(db.execute("DELETE FROM audit_log", &[])).is_err());
    assert!(!app.audit_rows().is_empty());
}

/// An exact action is not a prefix: `tenants.update` does not also find
/// `tenants.update_status`; only a family ending in `.` matches by prefix.
#[test]
fn an_exact_action_matches_only_itself() {
    use switchboard_app::records::audit::{self, Actor, Filter, Record};
    let app = TestApp::new();
    block_on(switchboard_app::runtime::schema::migrate(app.db.as_ref())).unwrap();
    for action in ["tenants.update", "tenants.update_status"] {
        let record = Record {
            actor: Actor {
                tenant_id: None,
                user_id: None,
                login_id: "operator".into(),
            },
            at: "2026-11-30T01:00:00.000Z".into(),
            client_ip: "127.0.0.1".into(),
            action: action.into(),
            target: "tenant:1".into(),
            outcome: 200,
            reason: None,
            detail: None,
        };
        block_on(audit::append(app.db.as_ref(), &record)).unwrap();
    }
    let find = |action: &str| {
        let f = Filter {
            scope: None,
            tenant: None,
            login_id: None,
            action: Some(action.into()),
            target: None,
            from: None,
            until: None,
            before_id: None,
            limit: 10,
        };
        block_on(audit::search(app.db.as_ref(), &f)).unwrap().len()
    };
    assert_eq!(find("tenants.update"), 1);
    assert_eq!(find("tenants."), 2);
}

/// HIST-5 in words: every action the work history can hold has a name in
/// Korean and in English (the page's action picker and column show them).
#[test]
fn hist_5_every_recorded_action_has_a_korean_and_an_english_name() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../static/js/i18n");
    let ko = std::fs::read_to_string(root.join("ko.js")).unwrap();
    let en = std::fs::read_to_string(root.join("en.js")).unwrap();
    let mut actions: Vec<&str> = vec!["access.ip_denied"];
    for c in switchboard_app::COMPONENTS {
        for r in (c.routes)().routes() {
            if !matches!(
                r.meta.access,
                switchboard_app::runtime::routes::Access::Public
                    | switchboard_app::runtime::routes::Access::SelfTest
                    | switchboard_app::runtime::routes::Access::Provider
            ) || r.meta.action == "auth.login"
            {
                actions.push(r.meta.action);
            }
        }
    }
    let missing: Vec<&&str> = actions
        .iter()
        .filter(|a| {
            let key = format!("'audit.action.{a}':");
            !ko.contains(&key) || !en.contains(&key)
        })
        .collect();
    assert!(missing.is_empty(), "no name for {missing:?}");
}

/// HIST-5 in words: a record names its target as the admin knows it, says
/// why a request was refused, and the operator sees which company.
#[test]
fn hist_5_targets_are_named_refusals_say_why_and_the_operator_sees_the_company() {
    let app = crate::support::TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let agent = owner.add_agent("agent01");
    let viewer = owner.add_admin("acme-viewer", "viewer");
    assert_eq!(
        viewer
            .delete(&format!("/api/settings/agents/{agent}"))
            .status,
        403
    );
    let items = owner.get("/api/history/audit?action=agents.").json_body()["items"].clone();
    let created = items
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "agents.create")
        .unwrap();
    assert_eq!(created["target"], format!("agent:{agent}"));
    assert_eq!(created["target_name"], "상담사 agent01 (agent01)");
    assert_eq!(created["reason"], serde_json::Value::Null);
    let refused = items
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "agents.delete")
        .unwrap();
    assert_eq!(refused["outcome"], 403);
    assert_eq!(refused["reason"], "forbidden");
    let op = app
        .operator()
        .get("/api/history/audit?action=agents.create")
        .json_body();
    assert_eq!(op["items"][0]["tenant_name"], "acme");
}
