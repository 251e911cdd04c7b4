//! AUTH-2 over the whole route table: every route × every role × its method,
//! state-changing routes included. The permission each route must need is
//! written here, independently of the route declarations, so a route that
//! declares a weaker permission (say `Manage` for admin accounts) fails; a
//! new route fails until it is added to [`expected`].
#![allow(clippy::unwrap_used)]

use crate::support::{self, TestApp};
use serde_json::json;
use switchboard_app::COMPONENTS;
use switchboard_app::runtime::routes::Access;
use switchboard_domain::Permission::{self, *};
use switchboard_domain::Role;
use switchboard_http::Method;

/// What each route must require, from SPEC AUTH-2.
fn expected(method: &Method, pattern: &str) -> Access {
    match (method.as_str(), pattern) {
        (_, p) if p.ends_with("/health") => Access::Public,
        ("GET", "/api/openapi.json") => Access::Public,
        ("GET", "/hooks/audio/{token}") => Access::Public,
        ("POST", "/hooks/events") | ("POST", "/hooks/flow") => Access::Provider,
        ("POST", "/api/auth/login") => Access::Public,
        // AGT-1: the agent apps sign in with agent credentials, then carry
        // an agent token; no admin role reaches these routes.
        ("POST", "/api/agent/login") => Access::Public,
        (_, p) if p.starts_with("/api/agent/") => Access::Agent,
        ("POST", "/api/system/storage-selftest") => Access::SelfTest,
        ("GET", "/api/system/stream-selftest") => Access::SelfTest,
        ("POST", "/api/auth/logout") => Access::Session,
        ("GET", "/api/auth/me") | ("POST", "/api/auth/password") => Access::SignedIn,
        ("GET", "/api/history/audit") => Access::SignedIn,
        ("GET", "/api/history/audit/export") => Access::Needs(Download),
        // TEL-4: every tenant role views and plays recordings; downloading
        // one is a download.
        ("GET", "/api/history/recordings/{id}") => Access::Needs(Read),
        ("GET", "/api/history/recordings/{id}/audio") => Access::Needs(Read),
        ("GET", "/api/history/recordings/{id}/download") => Access::Needs(Download),
        // MON-*: every tenant role watches the dashboard; a wall TV opens
        // it with a link's token, no session; owners and managers make and
        // revoke links and request callbacks from abandoned calls.
        ("GET", "/api/dashboard") => Access::Needs(Read),
        // STAT-*: every tenant role reads the statistics; exports need
        // Download (viewers cannot export).
        ("GET", "/api/stats/export") => Access::Needs(Download),
        ("GET", p) if p.starts_with("/api/stats/") => Access::Needs(Read),
        ("GET", "/api/dashboard/wallboard") => Access::Public,
        (_, p) if p.starts_with("/api/dashboard/") => Access::Needs(Manage),
        // HIST-1..4: every tenant role looks up; exports and the recordings
        // ZIP are downloads; deleting a pending callback is a change.
        ("GET", "/api/history/calls")
        | ("GET", "/api/history/calls/{id}")
        | ("GET", "/api/history/consultations")
        | ("GET", "/api/history/callbacks")
        | ("GET", "/api/history/agent-sessions") => Access::Needs(Read),
        ("GET", "/api/history/consultations/export") => Access::Needs(Download),
        ("GET", "/api/history/recordings/zip") => Access::Needs(Download),
        // CB-3: deleting an open callback request is a change (owners and
        // managers).
        ("DELETE", "/api/history/callbacks/{id}") => Access::Needs(Manage),
        (_, p) if p.starts_with("/api/users") => Access::Needs(ManageAccess),
        (_, "/api/settings/access") => Access::Needs(ManageAccess),
        // The contract: managers have "everything but contract".
        (_, p) if p.starts_with("/api/settings/contract") => Access::Needs(ManageAccess),
        // Service settings (SPEC 6): every tenant role reads, owners and
        // managers change.
        ("GET", p) if p.starts_with("/api/settings/") => Access::Needs(Read),
        (_, p) if p.starts_with("/api/settings/") => Access::Needs(Manage),
        (_, p) if p.starts_with("/api/operator/") => Access::Needs(Operator),
        (m, p) => panic!(
            "{} {p}: write the permission this route needs into `expected` in {}",
            m,
            file!()
        ),
    }
}

#[test]
fn every_route_gives_every_role_exactly_what_auth_2_allows() {
    let app = TestApp::with_operator();
    let (tenant_id, owner) = app.tenant("acme");
    for (login, role) in [("acme-manager", "manager"), ("acme-viewer", "viewer")] {
        owner.add_admin(login, role);
    }
    let mut walked = 0;
    let mut changed = std::collections::BTreeSet::new();
    for component in COMPONENTS {
        for route in (component.routes)().routes() {
            let access = expected(&route.method, route.pattern);
            let label = format!("{} {}", route.method.as_str(), route.pattern);
            assert_eq!(
                route.meta.access, access,
                "{label} declares the wrong access"
            );
            if matches!(access, Access::Public | Access::SelfTest | Access::Provider) {
                continue;
            }
            if access == Access::Agent {
                // No admin session of any role is an agent credential.
                for (login, password) in [
                    ("acme-owner", "owner-pass-123"),
                    ("acme-manager", "admin-pass-123"),
                    ("acme-viewer", "admin-pass-123"),
                    ("operator", support::OPERATOR_PASSWORD),
                ] {
                    let session = app.login(login, password);
                    let resp = session.call(
                        route.method.clone(),
                        &support::fill(route.pattern, "1"),
                        support::valid_body(&route.method, route.pattern, "walk-new"),
                    );
                    walked += 1;
                    support::assert_error(&resp, 401, "unauthenticated");
                }
                continue;
            }
            for (role, login, password) in [
                (Role::Owner, "acme-owner", "owner-pass-123"),
                (Role::Manager, "acme-manager", "admin-pass-123"),
                (Role::Viewer, "acme-viewer", "admin-pass-123"),
                (Role::Operator, "operator", support::OPERATOR_PASSWORD),
            ] {
                // A target each call may change freely: a fresh account (or
                // the tenant itself, for the operator's routes).
                let target = owner.add_admin(&format!("walk-target-{walked}"), "viewer");
                let id = if route.pattern.starts_with("/api/operator/numbers/") {
                    // A holding of its own: releasing the tenant's ARS
                    // line would change what the later routes see.
                    app.provision(tenant_id, &format!("070-{}-0001", 6000 + walked))
                } else if route.pattern.starts_with("/api/operator/") {
                    tenant_id
                } else {
                    target.user["id"].as_i64().unwrap()
                };
                let path = route.pattern.replace("{id}", &id.to_string());
                // Fresh sessions: sign-out and password routes end them.
                let session = app.login(login, password);
                // What a create makes is new on every call, so each allowed
                // role's create really happens.
                let unique = format!("walk-new-{walked}");
                let resp = session.call(
                    route.method.clone(),
                    &path,
                    support::valid_body(&route.method, route.pattern, &unique),
                );
                walked += 1;
                let body = resp.json_body();
                let refused = resp.status == 403 && body["error"]["code"] == "forbidden";
                let allowed = match access {
                    Access::Needs(p) => role.allows(p),
                    _ => true,
                };
                assert_eq!(
                    !refused,
                    allowed,
                    "{label} as {}: {} {body}",
                    role.as_str(),
                    resp.status
                );
                assert!(resp.status < 500, "{label} as {}: {body}", role.as_str());
                if allowed && resp.status == 403 {
                    // Allowed by role, refused for another stated reason.
                    assert_ne!(body["error"]["code"], "forbidden", "{label}");
                }
                if allowed && resp.status < 300 {
                    changed.insert(label.clone());
                }
            }
            // The walk sees real changes: every create or replace it sends
            // the document's example to is accepted by some allowed role
            // (routes with an ID get an admin account's, so only theirs
            // can be).
            let has_body = support::valid_body(&route.method, route.pattern, "x").is_some();
            if has_body
                && !route.pattern.contains('{')
                && !NOT_CHANGED_BY_THE_WALK.contains(&label.as_str())
            {
                assert!(
                    changed.contains(&label),
                    "{label}: no role's call was accepted"
                );
            }
        }
    }
    assert!(walked > 0);
}

/// State-changing routes whose documented example the walk cannot make
/// succeed: the example's current password is not the walkers', and an
/// order must list the tenant's own consultation types.
const NOT_CHANGED_BY_THE_WALK: &[&str] = &[
    "POST /api/auth/password",
    "PUT /api/settings/consultation-types/order",
];

#[test]
fn the_role_table_is_auth_2() {
    let all = [Read, Download, Manage, ManageAccess, Operator];
    let table: [(Role, [bool; 5]); 4] = [
        (Role::Owner, [true, true, true, true, false]),
        (Role::Manager, [true, true, true, false, false]),
        (Role::Viewer, [true, false, false, false, false]),
        (Role::Operator, [false, false, false, false, true]),
    ];
    for (role, row) in table {
        for (p, want) in all.iter().zip(row) {
            assert_eq!(role.allows(*p), want, "{} {p:?}", role.as_str());
        }
        let expected: Vec<Permission> = all
            .iter()
            .zip(row)
            .filter(|(_, w)| *w)
            .map(|(p, _)| *p)
            .collect();
        assert_eq!(role.permissions(), expected);
    }
}

#[test]
fn csrf_and_the_allowlist_hold_for_every_method() {
    let app = TestApp::with_operator();
    let (_, owner) = app.tenant("acme");
    let mut walked = 0;
    for component in COMPONENTS {
        for route in (component.routes)().routes() {
            // Provider routes have no session: their signature is the check
            // (telephony_events.rs refuses admin sessions there). Agent
            // routes take no admin session, so no CSRF token either (the
            // role walk checks they refuse admin sessions).
            if matches!(
                route.meta.access,
                Access::Public | Access::SelfTest | Access::Provider | Access::Agent
            ) {
                continue;
            }
            let label = format!("{} {}", route.method.as_str(), route.pattern);
            let target = owner.add_admin(&format!("csrf-target-{walked}"), "viewer");
            let path = route
                .pattern
                .replace("{id}", &target.user["id"].as_i64().unwrap().to_string());
            let session = app.owner_of("acme");
            if !route.method.is_safe() {
                let mut no_csrf = session.clone();
                no_csrf.csrf = String::new();
                let resp = no_csrf.call(
                    route.method.clone(),
                    &path,
                    support::valid_body(&route.method, route.pattern, "walk-new"),
                );
                assert_eq!(resp.json_body()["error"]["code"], "csrf_failed", "{label}");
            }
            walked += 1;
        }
    }
    // The allowlist: every non-public route but sign-out refuses an outside
    // address, safe methods included.
    let resp = owner.put(
        "/api/settings/access",
        json!({ "rules": [{ "rule": "127.0.0.1" }] }),
    );
    assert_eq!(resp.status, 200);
    for component in COMPONENTS {
        for route in (component.routes)().routes() {
            // The allowlist (ACC-1) is the admin API's; agent routes refuse
            // admin sessions whatever the address.
            if matches!(
                route.meta.access,
                Access::Public
                    | Access::SelfTest
                    | Access::Session
                    | Access::Provider
                    | Access::Agent
            ) {
                continue;
            }
            let label = format!("{} {}", route.method.as_str(), route.pattern);
            let outside = app.owner_of("acme").with_peer("198.51.100.77");
            let path = route.pattern.replace("{id}", "1");
            let resp = outside.call(
                route.method.clone(),
                &path,
                support::valid_body(&route.method, route.pattern, "walk-new"),
            );
            let code = resp.json_body()["error"]["code"].clone();
            assert_eq!(code, "ip_not_allowed", "{label}");
        }
    }
}
