//! The agent API (SPEC section 9, AGT-1): what the PC, mobile and web agent
//! apps can do, and what they cannot.
#![allow(clippy::unwrap_used)]

use crate::support::{
    self, AGENT_PASSWORD, AgentScript, AgentSession, CallScript, Req, Session, TestApp,
    assert_error,
};
use futures::executor::block_on;
use serde_json::{Value, json};
use switchboard_app::COMPONENTS;
use switchboard_app::runtime::routes::Access;
use switchboard_app::telephony::ingest::{self, Source};
use switchboard_http::Method;
use switchboard_storage::{Sql, Value as SqlValue};
use switchboard_telephony::{Event, Hours};

/// acme's representative number, as events name it.
const ACME_LINE: &str = "07012345678";
const BRAVO_LINE: &str = "07099998888";

struct Acme {
    app: TestApp,
    tenant_id: i64,
    owner: Session,
    kim_id: i64,
    lee_id: i64,
}

/// acme with its representative number, one agent-connect menu (digit 1,
/// queue "상담 대기") and two agents, kim (serving it) and lee.
fn acme() -> Acme {
    acme_with(TestApp::with_operator())
}

/// The same company set up on `app` at its clock's time (agents exist from
/// then on: events before it name nobody).
fn acme_with(app: TestApp) -> Acme {
    let (tenant_id, owner) = app.tenant("acme");
    let ars = owner.put("/api/settings/ars", support::ars_body());
    assert_eq!(ars.status, 200, "{}", ars.json_body());
    let menu = owner.post(
        "/api/settings/menus",
        json!({ "digit": 1, "kind": "agents", "queue": "상담 대기", "callback": true }),
    );
    assert_eq!(menu.status, 201, "{}", menu.json_body());
    let kim_id = owner.add_agent("kim");
    let lee_id = owner.add_agent("lee");
    let assign = owner.put(
        &format!("/api/settings/agents/{kim_id}/menus"),
        json!({ "menu_ids": [menu.json_body()["id"]] }),
    );
    assert_eq!(assign.status, 200, "{}", assign.json_body());
    Acme {
        app,
        tenant_id,
        owner,
        kim_id,
        lee_id,
    }
}

fn ms(app: &TestApp) -> i64 {
    app.now().as_millisecond()
}

fn provider_events(app: &TestApp, events: &[Event]) {
    block_on(ingest::store(
        app.db.as_ref(),
        events,
        Source::Provider,
        ms(app),
    ))
    .unwrap();
}

/// An inbound call from 010-5555-1234 through menu 1, offered to and (if
/// `answer`) answered by `agent`, starting now.
fn inbound_call(app: &TestApp, line: &str, call: &str, agent: &str, answer: bool) {
    let mut script = CallScript::inbound(call, "01055551234")
        .hours(Hours::Open)
        .line(line)
        .starting_at(app.now())
        .wait(5)
        .queued(1)
        .wait(4)
        .offered(agent);
    if answer {
        script = script.wait(3).answered(agent).wait(60).ended();
    }
    provider_events(app, &script.checked());
}

/// A callback request left by a caller of `line`; returns its ID.
fn callback_request(app: &TestApp, line: &str, call: &str) -> i64 {
    let request = CallScript::later(call)
        .ids(&format!("{call}-cb"))
        .line(line)
        .starting_at(app.now())
        .callback_requested("01077776666", 1);
    provider_events(app, &request.checked());
    let row = block_on(app.db.query_row(
        "SELECT id FROM callbacks WHERE call_id = ?",
        &[SqlValue::from(call)],
    ))
    .unwrap()
    .unwrap();
    row.i64(0).unwrap()
}

fn rows(app: &TestApp, sql: &str) -> Vec<Vec<Value>> {
    block_on(app.db.query(sql, &[]))
        .unwrap()
        .iter()
        .map(|r| {
            r.0.iter()
                .map(|v| match v {
                    SqlValue::Integer(n) => json!(n),
                    SqlValue::Text(t) => json!(t),
                    SqlValue::Real(f) => json!(f),
                    _ => Value::Null,
                })
                .collect()
        })
        .collect()
}

#[test]
fn agt1_an_agent_signs_in_with_the_svc1_credentials_and_the_token_opens_the_agent_api() {
    let Acme {
        app,
        tenant_id,
        owner,
        kim_id,
        ..
    } = acme();
    let mut work = support::work_body();
    work["state_after_login"] = json!("away");
    assert_eq!(owner.put("/api/settings/work", work).status, 200);
    let kim = app.agent_login(tenant_id, " KIM ");
    let token = kim.body["token"].as_str().unwrap();
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(kim.body["agent"]["id"], kim_id);
    assert_eq!(kim.body["agent"]["login_id"], "kim");
    assert_eq!(kim.body["tenant"]["name"], "acme");
    // Idle for the session lifetime (480 minutes by default) ends it.
    assert_eq!(kim.body["expires_at"], "2026-11-30T09:00:00.000Z");

    let me = kim.get("/api/agent/me");
    assert_eq!(me.status, 200, "{}", me.json_body());
    let me = me.json_body();
    assert_eq!(me["agent"]["name"], "상담사 kim");
    assert_eq!(me["tenant"]["name"], "acme");
    // SVC-4: the state after login is the work settings'.
    assert_eq!(me["state"]["state"], "away");
    assert_eq!(me["state"]["since"], "2026-11-30T01:00:00.000Z");
    assert_eq!(me["menus"][0]["queue"], "상담 대기");
    assert_eq!(me["menus"].as_array().unwrap().len(), 1);
    assert_eq!(me["work"]["state_after_call"], "after_call_work");
    assert_eq!(me["work"]["acw_limit_seconds"], 30);
    assert_eq!(me["session"]["platform"], "pc");
    assert_eq!(me["session"]["id"], kim.body["session"]);

    // Without the token, or with a made-up one, nothing.
    assert_error(&app.get("/api/agent/me"), 401, "unauthenticated");
    let forged = AgentSession {
        token: "0".repeat(64),
        ..kim.clone()
    };
    assert_error(&forged.get("/api/agent/me"), 401, "unauthenticated");
    // The token ends after the session lifetime without use.
    app.advance(480 * 60);
    assert_error(&kim.get("/api/agent/me"), 401, "unauthenticated");
}

#[test]
fn agt1_a_wrong_password_an_unknown_agent_and_an_unknown_company_get_the_same_answer() {
    let Acme { app, tenant_id, .. } = acme();
    let (other_tenant, _) = app.tenant("bravo");
    let answers: Vec<(u16, Value)> = [
        (tenant_id, "kim", "wrong-pass-123"),
        (tenant_id, "nobody", AGENT_PASSWORD),
        (tenant_id + 1000, "kim", AGENT_PASSWORD),
        // Login IDs are per company: bravo has no kim.
        (other_tenant, "kim", AGENT_PASSWORD),
    ]
    .iter()
    .map(|(t, login, password)| {
        let r = app.agent_login_from(*t, login, password, "pc", "192.0.2.10");
        (r.status, r.json_body())
    })
    .collect();
    for (status, body) in &answers {
        assert_eq!(*status, 401, "{body}");
        assert_eq!(body, &answers[0].1);
    }
    assert_eq!(answers[0].1["error"]["code"], "invalid_credentials");

    // Checked fields, each named.
    let resp = app.send(
        Req::new(Method::POST, "/api/agent/login").with_json(&json!({
            "tenant_id": tenant_id, "login_id": " ", "password": "", "platform": "tablet"
        })),
    );
    assert_error(&resp, 422, "validation_failed");
    let fields = resp.json_body()["error"]["fields"].clone();
    assert_eq!(fields["login_id"]["code"], "required");
    assert_eq!(fields["password"]["code"], "required");
    assert_eq!(fields["platform"]["code"], "invalid_choice");
    assert_eq!(fields["platform"]["params"]["options"], "pc, mobile, web");
}

#[test]
fn agt1_wrong_agent_passwords_are_throttled_like_admin_sign_ins() {
    let Acme { app, tenant_id, .. } = acme();
    for _ in 0..5 {
        let r = app.agent_login_from(tenant_id, "kim", "wrong-pass-123", "pc", "192.0.2.20");
        assert_error(&r, 401, "invalid_credentials");
    }
    let locked = app.agent_login_from(tenant_id, "kim", "wrong-pass-123", "pc", "192.0.2.20");
    assert_error(&locked, 429, "too_many_attempts");
    assert!(locked.header("retry-after").is_some());
    // The right password does not get through the lock from that address…
    let right = app.agent_login_from(tenant_id, "kim", AGENT_PASSWORD, "pc", "192.0.2.20");
    assert_error(&right, 429, "too_many_attempts");
    // …but kim at their own desk is not locked out by someone else's guesses.
    let desk = app.agent_login_from(tenant_id, "kim", AGENT_PASSWORD, "pc", "192.0.2.99");
    assert_eq!(desk.status, 200, "{}", desk.json_body());
    app.advance(120);
    let later = app.agent_login_from(tenant_id, "kim", AGENT_PASSWORD, "pc", "192.0.2.20");
    assert_eq!(later.status, 200, "{}", later.json_body());
}

#[test]
fn agt1_disabling_deleting_or_a_new_password_signs_the_agent_out_at_once() {
    let Acme {
        app,
        tenant_id,
        owner,
        kim_id,
        lee_id,
    } = acme();
    let kim = app.agent_login(tenant_id, "kim");
    let lee = app.agent_login(tenant_id, "lee");
    assert_eq!(kim.get("/api/agent/me").status, 200);
    app.advance(60);
    let disable = owner.patch(
        &format!("/api/settings/agents/{kim_id}"),
        json!({ "status": "disabled" }),
    );
    assert_eq!(disable.status, 200, "{}", disable.json_body());
    assert_error(&kim.get("/api/agent/me"), 401, "unauthenticated");
    // The login history and the live state say so (HIST-4, MON-7).
    let session = rows(
        &app,
        "SELECT logout_ms FROM agent_sessions WHERE agent = 'kim'",
    );
    assert_eq!(session, vec![vec![json!(ms(&app))]]);
    let state = rows(
        &app,
        "SELECT state FROM agent_states WHERE agent = 'kim' ORDER BY started_ms DESC LIMIT 1",
    );
    assert_eq!(state, vec![vec![json!("logged_out")]]);
    // Re-enabled, the old token stays dead; a disabled agent cannot sign in.
    let enable = owner.patch(
        &format!("/api/settings/agents/{kim_id}"),
        json!({ "status": "active" }),
    );
    assert_eq!(enable.status, 200);
    assert_error(&kim.get("/api/agent/me"), 401, "unauthenticated");

    // A new password ends lee's sessions; deleting ends the new one.
    let lee2 = app.agent_login(tenant_id, "lee");
    let reset = owner.patch(
        &format!("/api/settings/agents/{lee_id}"),
        json!({ "password": "brand-new-pass-1" }),
    );
    assert_eq!(reset.status, 200, "{}", reset.json_body());
    assert_error(&lee.get("/api/agent/me"), 401, "unauthenticated");
    assert_error(&lee2.get("/api/agent/me"), 401, "unauthenticated");
    let r = app.agent_login_from(tenant_id, "lee", "brand-new-pass-1", "web", "127.0.0.1");
    let lee3 = app.agent_session_from(&r, "127.0.0.1".parse().unwrap());
    assert_eq!(lee3.get("/api/agent/me").status, 200);
    let delete = owner.delete(&format!("/api/settings/agents/{lee_id}"));
    assert_eq!(delete.status, 204, "{}", delete.json_body());
    assert_error(&lee3.get("/api/agent/me"), 401, "unauthenticated");
    assert_error(
        &app.agent_login_from(tenant_id, "lee", "brand-new-pass-1", "web", "127.0.0.1"),
        401,
        "invalid_credentials",
    );
}

#[test]
fn agt1_admin_sessions_are_no_agent_credential_and_agent_tokens_no_admin_one() {
    let Acme {
        app,
        tenant_id,
        owner,
        ..
    } = acme();
    let kim = app.agent_login(tenant_id, "kim");
    for path in ["/api/agent/me", "/api/agent/consultations"] {
        assert_error(&owner.get(path), 401, "unauthenticated");
    }
    let state = owner.put("/api/agent/state", json!({ "state": "ready" }));
    assert_error(&state, 401, "unauthenticated");
    // Even both at once: only the bearer token counts on agent routes.
    let both = app.send(
        Req::new(Method::GET, "/api/agent/me")
            .with_header("cookie", &owner.cookie)
            .with_header("authorization", &format!("Bearer {}", "f".repeat(64))),
    );
    assert_error(&both, 401, "unauthenticated");
    // An agent token opens no admin route.
    for path in [
        "/api/auth/me",
        "/api/settings/agents",
        "/api/history/audit",
        "/api/users",
    ] {
        assert_error(&kim.get(path), 401, "unauthenticated");
    }
    let admin_write = kim.post(
        "/api/settings/consultation-types",
        json!({ "name": "sneaky" }),
    );
    assert_error(&admin_write, 401, "unauthenticated");
}

#[test]
fn agt1_login_and_logout_are_login_history_with_platform_and_address() {
    let Acme {
        app,
        tenant_id,
        kim_id,
        ..
    } = acme();
    let login = app.agent_login_from(tenant_id, "kim", AGENT_PASSWORD, "mobile", "203.0.113.9");
    assert_eq!(login.status, 200, "{}", login.json_body());
    let kim = app.agent_session_from(&login, "203.0.113.9".parse().unwrap());
    let started = ms(&app);
    let history = rows(
        &app,
        "SELECT session, agent, agent_id, platform, ip, login_ms, logout_ms FROM agent_sessions",
    );
    assert_eq!(
        history,
        vec![vec![
            kim.body["session"].clone(),
            json!("kim"),
            json!(kim_id),
            json!("mobile"),
            json!("203.0.113.9"),
            json!(started),
            Value::Null
        ]]
    );
    // No work settings saved: ready after login.
    let states = "SELECT state, started_ms, ended_ms FROM agent_states WHERE agent = 'kim' ORDER BY started_ms";
    assert_eq!(
        rows(&app, states),
        vec![vec![json!("ready"), json!(started), Value::Null]]
    );

    app.advance(3600);
    let out = kim.post_empty("/api/agent/logout");
    assert_eq!(out.status, 204);
    let ended = ms(&app);
    assert_eq!(
        rows(&app, "SELECT logout_ms FROM agent_sessions"),
        vec![vec![json!(ended)]]
    );
    assert_eq!(
        rows(&app, states),
        vec![
            vec![json!("ready"), json!(started), json!(ended)],
            vec![json!("logged_out"), json!(ended), Value::Null]
        ]
    );
    // The events are the agent app's, in the tenant's event log.
    assert_eq!(
        rows(
            &app,
            "SELECT type, source, tenant_id, line FROM telephony_events ORDER BY at_ms"
        ),
        vec![
            vec![
                json!("agent.login"),
                json!("agent_app"),
                json!(tenant_id),
                json!(ACME_LINE)
            ],
            vec![
                json!("agent.logout"),
                json!("agent_app"),
                json!(tenant_id),
                json!(ACME_LINE)
            ],
        ]
    );
    // Signed out means signed out.
    assert_error(&kim.get("/api/agent/me"), 401, "unauthenticated");
}

#[test]
fn agt1_a_state_change_ends_the_previous_state_and_only_app_states_are_accepted() {
    let Acme { app, tenant_id, .. } = acme();
    let kim = app.agent_login(tenant_id, "kim");
    let login_ms = ms(&app);
    app.advance(90);
    let away = kim.put("/api/agent/state", json!({ "state": "away" }));
    assert_eq!(away.status, 200, "{}", away.json_body());
    assert_eq!(
        away.json_body(),
        json!({ "state": "away", "since": "2026-11-30T01:01:30.000Z" })
    );
    app.advance(30);
    let acw = kim.put("/api/agent/state", json!({ "state": "after_call_work" }));
    assert_eq!(acw.json_body()["state"], "after_call_work");
    assert_eq!(
        rows(
            &app,
            "SELECT state, started_ms, ended_ms FROM agent_states ORDER BY started_ms"
        ),
        vec![
            vec![json!("ready"), json!(login_ms), json!(login_ms + 90_000)],
            vec![
                json!("away"),
                json!(login_ms + 90_000),
                json!(login_ms + 120_000)
            ],
            vec![
                json!("after_call_work"),
                json!(login_ms + 120_000),
                Value::Null
            ],
        ]
    );
    assert_eq!(
        kim.get("/api/agent/me").json_body()["state"]["state"],
        "after_call_work"
    );
    // Telephony states are the provider's to report.
    for state in ["on_call", "ringing", "dialing", "logged_out", "busy"] {
        let resp = kim.put("/api/agent/state", json!({ "state": state }));
        assert_error(&resp, 422, "validation_failed");
        assert_eq!(
            resp.json_body()["error"]["fields"]["state"]["code"],
            "invalid_choice"
        );
    }
}

fn consultation_type(owner: &Session, name: &str) -> i64 {
    let r = owner.post("/api/settings/consultation-types", json!({ "name": name }));
    assert_eq!(r.status, 201, "{}", r.json_body());
    r.json_body()["id"].as_i64().unwrap()
}

fn save(a: &AgentSession, call: &str, body: Value) -> support::TestResponse {
    a.put(&format!("/api/agent/calls/{call}/consultation"), body)
}

#[test]
fn agt1_an_agent_saves_a_consultation_only_about_their_own_calls() {
    let Acme {
        app,
        tenant_id,
        owner,
        ..
    } = acme();
    let delivery = consultation_type(&owner, "배송 문의");
    let refund = consultation_type(&owner, "환불");
    inbound_call(&app, ACME_LINE, "c-kim", "kim", true);
    inbound_call(&app, ACME_LINE, "c-lee", "lee", true);
    // Offered to kim but not answered: not kim's call.
    inbound_call(&app, ACME_LINE, "c-rang", "kim", false);
    let kim = app.agent_login(tenant_id, "kim");
    app.advance(120);

    let first = save(
        &kim,
        "c-kim",
        json!({ "type_id": delivery, "memo": "배송 지연 문의\r\n내일 재안내" }),
    );
    assert_eq!(first.status, 200, "{}", first.json_body());
    let first = first.json_body();
    assert_eq!(first["call_id"], "c-kim");
    assert_eq!(
        first["type"],
        json!({ "id": delivery, "name": "배송 문의" })
    );
    assert_eq!(first["memo"], "배송 지연 문의\n내일 재안내");
    assert_eq!(first["created_at"], "2026-11-30T01:02:00.000Z");
    assert_eq!(first["call"]["caller"], "01055551234");
    assert_eq!(first["call"]["direction"], "inbound");
    assert_eq!(first["call"]["started_at"], "2026-11-30T01:00:00.000Z");
    assert_eq!(first["call"]["talk_seconds"], 60);

    // Saving again replaces type and memo; it stays one record.
    app.advance(30);
    let again = save(
        &kim,
        "c-kim",
        json!({ "type_id": refund, "memo": "환불 요청" }),
    );
    assert_eq!(again.status, 200, "{}", again.json_body());
    let again = again.json_body();
    assert_eq!(again["id"], first["id"]);
    assert_eq!(again["type"]["name"], "환불");
    assert_eq!(again["created_at"], first["created_at"]);
    assert_eq!(again["updated_at"], "2026-11-30T01:02:30.000Z");
    assert_eq!(
        rows(&app, "SELECT call_id, type_id, memo FROM consultations"),
        vec![vec![json!("c-kim"), json!(refund), json!("환불 요청")]]
    );

    // Another agent's call, a call only offered, an unknown call: 404.
    for call in ["c-lee", "c-rang", "c-nothing"] {
        assert_error(
            &save(&kim, call, json!({ "type_id": delivery, "memo": "x" })),
            404,
            "not_found",
        );
    }
    // lee saves about lee's call; kim's record is untouched.
    let lee = app.agent_login(tenant_id, "lee");
    assert_eq!(
        save(&lee, "c-lee", json!({ "type_id": null, "memo": "" })).status,
        200
    );
    assert_eq!(
        rows(&app, "SELECT COUNT(*) FROM consultations"),
        vec![vec![json!(2)]]
    );

    // Checked fields: the type must be a live type of the company, the
    // memo at most 2000 characters without control characters.
    let (_, bravo_owner) = app.tenant("bravo");
    let bravo_type = consultation_type(&bravo_owner, "bravo type");
    let archived = consultation_type(&owner, "옛 유형");
    let archive = owner.patch(
        &format!("/api/settings/consultation-types/{archived}"),
        json!({ "archived": true }),
    );
    assert_eq!(archive.status, 200, "{}", archive.json_body());
    for type_id in [bravo_type, archived, 999_999] {
        let r = save(&kim, "c-kim", json!({ "type_id": type_id, "memo": "x" }));
        assert_error(&r, 409, "conflict");
        assert_eq!(
            r.json_body()["error"]["fields"]["type_id"]["code"],
            "no_such_item"
        );
    }
    let long = save(&kim, "c-kim", json!({ "memo": "가".repeat(2001) }));
    assert_eq!(
        long.json_body()["error"]["fields"]["memo"]["code"],
        "too_long"
    );
    assert_eq!(
        long.json_body()["error"]["fields"]["memo"]["params"]["max"],
        "2000"
    );
    let control = save(&kim, "c-kim", json!({ "memo": "a\u{0007}b" }));
    assert_eq!(
        control.json_body()["error"]["fields"]["memo"]["code"],
        "control_characters"
    );
    assert_eq!(
        save(&kim, "c-kim", json!({ "memo": "가".repeat(2000) })).status,
        200
    );
}

#[test]
fn agt1_an_agent_marks_a_callback_of_their_company_done_once() {
    let Acme {
        app,
        tenant_id,
        kim_id,
        ..
    } = acme();
    let id = callback_request(&app, ACME_LINE, "c-cb");
    let kim = app.agent_login(tenant_id, "kim");
    app.advance(600);
    let done = kim.post_empty(&format!("/api/agent/callbacks/{id}/done"));
    assert_eq!(done.status, 200, "{}", done.json_body());
    let done = done.json_body();
    assert_eq!(done["status"], "completed");
    assert_eq!(done["done_by_agent_id"], kim_id);
    assert_eq!(done["done_at"], "2026-11-30T01:10:00.000Z");
    assert_eq!(done["number"], "01077776666");
    assert_eq!(
        rows(
            &app,
            "SELECT status, done_ms, done_by_agent_id FROM callbacks"
        ),
        vec![vec![json!("completed"), json!(ms(&app)), json!(kim_id)]]
    );
    // Only a requested callback can be completed.
    let lee = app.agent_login(tenant_id, "lee");
    let twice = lee.post_empty(&format!("/api/agent/callbacks/{id}/done"));
    assert_error(&twice, 409, "callback_not_open");
    assert_eq!(twice.json_body()["error"]["params"]["status"], "completed");
    assert_error(
        &lee.post_empty("/api/agent/callbacks/999999/done"),
        404,
        "not_found",
    );
}

#[test]
fn agt1_the_popup_url_is_rendered_for_a_call_offered_to_the_agent() {
    let Acme {
        app,
        tenant_id,
        owner,
        ..
    } = acme();
    inbound_call(&app, ACME_LINE, "c-ring", "kim", false);
    let kim = app.agent_login(tenant_id, "kim");
    let lee = app.agent_login(tenant_id, "lee");
    // No template yet.
    let none = kim.get("/api/agent/calls/c-ring/popup");
    assert_eq!(none.status, 200, "{}", none.json_body());
    assert_eq!(
        none.json_body(),
        json!({ "call_id": "c-ring", "url": null })
    );

    let mut work = support::work_body();
    work["popup_url_template"] = json!(
        "https://crm.example.com/popup?tel={caller}&call={callId}&to={dialed}&q={queue}&by={agent}"
    );
    assert_eq!(owner.put("/api/settings/work", work).status, 200);
    let popup = kim.get("/api/agent/calls/c-ring/popup");
    assert_eq!(
        popup.json_body()["url"],
        "https://crm.example.com/popup?tel=01055551234&call=c-ring&to=07012345678\
         &q=%EC%83%81%EB%8B%B4%20%EB%8C%80%EA%B8%B0&by=kim"
    );
    // The call was never offered to lee.
    assert_error(&lee.get("/api/agent/calls/c-ring/popup"), 404, "not_found");
    assert_error(
        &kim.get("/api/agent/calls/c-unknown/popup"),
        404,
        "not_found",
    );
}

#[test]
fn agt1_the_consultation_history_is_the_agents_own_last_three_months_newest_first() {
    // The company and its agents exist from before the oldest call below.
    let early = TestApp::with_operator();
    early.set_now("2026-06-01T00:00:00Z".parse().unwrap());
    let Acme {
        app,
        tenant_id,
        owner,
        ..
    } = acme_with(early);
    let kind = consultation_type(&owner, "일반");
    // Consultations of kim on 2026-07-01 (too old), 2026-08-30 (the first
    // day of the window, 00:30 Seoul time) and then five more, and one of
    // lee.
    let at = |app: &TestApp, instant: &str| {
        app.set_now(instant.parse().unwrap());
    };
    let mut saved = Vec::new();
    for (i, instant) in [
        "2026-07-01T03:00:00Z",
        "2026-08-29T15:30:00Z",
        "2026-09-10T03:00:00Z",
        "2026-10-10T03:00:00Z",
        "2026-11-01T03:00:00Z",
        "2026-11-20T03:00:00Z",
        "2026-11-29T03:00:00Z",
    ]
    .iter()
    .enumerate()
    {
        at(&app, instant);
        let call = format!("c-{i}");
        inbound_call(&app, ACME_LINE, &call, "kim", true);
        let kim = app.agent_login(tenant_id, "kim");
        let r = save(
            &kim,
            &call,
            json!({ "type_id": kind, "memo": format!("memo {i}") }),
        );
        assert_eq!(r.status, 200, "{}", r.json_body());
        saved.push(call);
    }
    inbound_call(&app, ACME_LINE, "c-lee", "lee", true);
    let lee = app.agent_login(tenant_id, "lee");
    assert_eq!(save(&lee, "c-lee", json!({ "memo": "lee's" })).status, 200);

    at(&app, "2026-11-30T01:00:00Z");
    let kim = app.agent_login(tenant_id, "kim");
    let first = kim.get("/api/agent/consultations?limit=4");
    assert_eq!(first.status, 200, "{}", first.json_body());
    let first = first.json_body();
    assert_eq!(first["since"], "2026-08-29T15:00:00.000Z");
    let calls = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["call_id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(calls(&first), ["c-6", "c-5", "c-4", "c-3"]);
    assert_eq!(first["items"][0]["type"]["name"], "일반");
    assert_eq!(first["items"][0]["call"]["caller"], "01055551234");
    assert_eq!(
        first["items"][0]["call"]["started_at"],
        "2026-11-29T03:00:00.000Z"
    );
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();

    // A consultation saved between pages does not shift the next page.
    inbound_call(&app, ACME_LINE, "c-new", "kim", true);
    assert_eq!(save(&kim, "c-new", json!({ "memo": "new" })).status, 200);
    let second = kim
        .get(&format!("/api/agent/consultations?limit=4&cursor={cursor}"))
        .json_body();
    // c-0 is older than three months; lee's is lee's.
    assert_eq!(calls(&second), ["c-2", "c-1"]);
    assert_eq!(second["next_cursor"], Value::Null);
    let all = kim.get("/api/agent/consultations").json_body();
    assert_eq!(
        calls(&all),
        ["c-new", "c-6", "c-5", "c-4", "c-3", "c-2", "c-1"]
    );

    for query in ["cursor=abc", "cursor=1.-2", "limit=0", "limit=201"] {
        let r = kim.get(&format!("/api/agent/consultations?{query}"));
        assert_error(&r, 422, "validation_failed");
    }
    assert_eq!(
        kim.get("/api/agent/consultations?cursor=x").json_body()["error"]["fields"]["cursor"]["code"],
        "invalid_cursor"
    );
}

#[test]
fn svc3_a_consultation_type_agents_used_is_archived_not_deleted_and_keeps_its_name() {
    let Acme {
        app,
        tenant_id,
        owner,
        ..
    } = acme();
    let used = consultation_type(&owner, "배송 문의");
    let unused = consultation_type(&owner, "기타");
    inbound_call(&app, ACME_LINE, "c-kim", "kim", true);
    let kim = app.agent_login(tenant_id, "kim");
    assert_eq!(
        save(&kim, "c-kim", json!({ "type_id": used, "memo": "x" })).status,
        200
    );
    let list = owner.get("/api/settings/consultation-types").json_body();
    assert_eq!(list["items"][0]["used"], 1);
    assert_eq!(list["items"][1]["used"], 0);
    let delete = |id: i64| owner.delete(&format!("/api/settings/consultation-types/{id}"));
    let archived = delete(used);
    assert_eq!(archived.status, 200, "{}", archived.json_body());
    assert_eq!(archived.json_body()["archived"], true);
    assert_eq!(delete(unused).status, 204);
    // The history still names it; saving the memo again keeps it.
    let history = kim.get("/api/agent/consultations").json_body();
    assert_eq!(history["items"][0]["type"]["name"], "배송 문의");
    let again = save(&kim, "c-kim", json!({ "type_id": used, "memo": "y" }));
    assert_eq!(again.status, 200, "{}", again.json_body());
}

/// AUTH-1 for the agent API: every agent route, walked with an agent of
/// alpha against bravo's call and callback, answers 404 (routes naming an
/// object) and never shows bravo's data; bravo's records stay as they were.
#[test]
fn agt1_no_agent_route_reaches_another_companys_calls_or_callbacks() {
    let app = TestApp::with_operator();
    let (alpha, alpha_owner) = app.tenant("alpha");
    let (bravo, bravo_owner) = app.tenant("bravo");
    app.provision(bravo, "070-9999-8888");
    let mut bravo_ars = support::ars_body();
    bravo_ars["representative_number"] = json!("070-9999-8888");
    bravo_ars["caller_id"] = json!(null);
    assert_eq!(bravo_owner.put("/api/settings/ars", bravo_ars).status, 200);
    let mut bravo_work = support::work_body();
    bravo_work["popup_url_template"] = json!("https://crm.example.com/bravo-secret/{caller}");
    assert_eq!(
        bravo_owner.put("/api/settings/work", bravo_work).status,
        200
    );
    alpha_owner.add_agent("kim");
    bravo_owner.add_agent("kim");
    // bravo's kim (same login ID, other company) answered bravo's call.
    inbound_call(&app, BRAVO_LINE, "c-bravo", "kim", true);
    let b_callback = callback_request(&app, BRAVO_LINE, "c-bravo-cb");
    let b_kim = app.agent_login(bravo, "kim");
    assert_eq!(
        save(&b_kim, "c-bravo", json!({ "memo": "bravo-secret memo" })).status,
        200
    );
    let bravo_state = || {
        rows(
            &app,
            &format!(
                "SELECT (SELECT group_concat(memo) FROM consultations WHERE tenant_id = {bravo}), \
                 (SELECT group_concat(status) FROM callbacks WHERE tenant_id = {bravo})"
            ),
        )
    };
    let before = bravo_state();

    let mut walked = 0;
    for component in COMPONENTS {
        for route in (component.routes)().routes() {
            if route.meta.access != Access::Agent {
                continue;
            }
            // A fresh token per call: sign-out ends it.
            let a_kim = app.agent_login(alpha, "kim");
            let path = route
                .pattern
                .replace("{call_id}", "c-bravo")
                .replace("{id}", &b_callback.to_string());
            let resp = a_kim.call(
                route.method.clone(),
                &path,
                support::valid_body(&route.method, route.pattern, "alpha-walker"),
            );
            let text = String::from_utf8_lossy(&resp.body).to_string();
            let label = format!("{} {path} as alpha's kim", route.method.as_str());
            if route.pattern.contains('{') {
                assert_eq!(resp.status, 404, "{label}: {text}");
            }
            assert!(resp.status < 500, "{label}: {text}");
            assert!(!text.contains("bravo-secret"), "{label} leaked: {text}");
            assert!(!text.contains("c-bravo"), "{label} leaked: {text}");
            walked += 1;
        }
    }
    assert!(walked >= 7, "walked {walked}");
    assert_eq!(bravo_state(), before);
    // alpha's kim sees no consultation in its history.
    let a_kim = app.agent_login(alpha, "kim");
    assert_eq!(
        a_kim.get("/api/agent/consultations").json_body()["items"],
        json!([])
    );
}

#[test]
fn agt1_a_reused_login_id_inherits_nothing_of_the_deleted_agent() {
    let Acme {
        app,
        tenant_id,
        owner,
        kim_id,
        ..
    } = acme();
    inbound_call(&app, ACME_LINE, "c-old", "kim", true);
    let old = app.agent_login(tenant_id, "kim");
    app.advance(60);
    let delete = owner.delete(&format!("/api/settings/agents/{kim_id}"));
    assert_eq!(delete.status, 204);
    app.advance(60);
    let new_kim_id = owner.add_agent("kim");
    let new = app.agent_login(tenant_id, "kim");
    // The old kim's call: not the new kim's to see (the caller's number is
    // in the popup) or to write about.
    assert_error(&new.get("/api/agent/calls/c-old/popup"), 404, "not_found");
    // The old token is refused and writes nothing under the reused ID.
    let events = || rows(&app, "SELECT COUNT(*) FROM telephony_events");
    let before = events();
    assert_error(&old.get("/api/agent/me"), 401, "unauthenticated");
    assert_eq!(events(), before);
    assert_eq!(new.get("/api/agent/me").status, 200);
    let open = rows(
        &app,
        "SELECT state FROM agent_states WHERE agent = 'kim' AND ended_ms IS NULL",
    );
    assert_ne!(open, vec![vec![json!("logged_out")]]);
    // Each session stays with the agent who opened it (HIST-4), even when
    // a late event about the old one arrives after the ID was reused.
    let old_session = rows(
        &app,
        &format!("SELECT session FROM agent_sessions WHERE agent_id = {kim_id}"),
    );
    let late = AgentScript::later("kim", old_session[0][0].as_str().unwrap())
        .line(ACME_LINE)
        .starting_at(app.now())
        .logout()
        .id("late-logout");
    provider_events(&app, &late.checked());
    let sessions = rows(
        &app,
        "SELECT agent_id, logout_ms IS NOT NULL FROM agent_sessions ORDER BY login_ms",
    );
    assert_eq!(
        sessions,
        vec![
            vec![json!(kim_id), json!(1)],
            vec![json!(new_kim_id), json!(0)]
        ]
    );
    // The late logout is the old kim's: the new kim, signed in, is not
    // shown as logged out (MON-7), and no interval of the new kim's is cut
    // short by it (STAT-6).
    assert_eq!(
        new.get("/api/agent/me").json_body()["state"]["state"],
        json!("ready"),
        "the new kim's state after the old session's late logout"
    );
    assert_eq!(
        rows(
            &app,
            &format!(
                "SELECT state FROM agent_states WHERE agent_id = {new_kim_id} AND ended_ms IS NULL"
            ),
        ),
        vec![vec![json!("ready")]]
    );
    assert_eq!(
        rows(
            &app,
            &format!(
                "SELECT COUNT(*) FROM agent_states WHERE agent_id = {new_kim_id} AND state = 'logged_out'"
            ),
        ),
        vec![vec![json!(0)]]
    );
    // Issue 14, finding 3: a late event of the old call (a menu digit that
    // happened before the answer, delivered only now) leaves the call with
    // the agent who answered it, so it stays out of the new kim's popup,
    // consultations and history.
    let late_menu = CallScript::later("c-old")
        .line(ACME_LINE)
        .starting_at(app.now() - jiff::SignedDuration::from_secs(200))
        .menu(1)
        .id("c-old-late-menu");
    provider_events(&app, &late_menu.checked());
    assert_eq!(
        rows(&app, "SELECT agent_id FROM calls WHERE call_id = 'c-old'"),
        vec![vec![json!(kim_id)]]
    );
    assert_error(&new.get("/api/agent/calls/c-old/popup"), 404, "not_found");
}

#[test]
fn agt1_the_apps_events_are_the_tenants_and_name_its_line() {
    let Acme { app, tenant_id, .. } = acme();
    let kim = app.agent_login(tenant_id, "kim");
    let put = app.send(
        Req::new(Method::PUT, "/api/agent/state")
            .with_header("authorization", &format!("Bearer {}", kim.token))
            .with_json(&json!({ "state": "away" })),
    );
    assert_eq!(put.status, 200, "{}", put.json_body());
    let stored = rows(
        &app,
        "SELECT DISTINCT tenant_id, line, source FROM telephony_events",
    );
    assert_eq!(
        stored,
        vec![vec![json!(tenant_id), json!(ACME_LINE), json!("agent_app")]]
    );
}

/// Events from before a login ID's first agent was set up here (a
/// provider's backfill, clock skew) are that agent's: the first holder holds
/// it since always. Only a *later* holder is bounded by its creation (see
/// the reuse test above).
#[test]
fn agt1_the_first_agent_with_a_login_id_owns_its_earlier_calls() {
    let Acme {
        app,
        tenant_id,
        owner,
        ..
    } = acme();
    inbound_call(&app, ACME_LINE, "c-before", "park", true);
    app.advance(3600);
    let park_id = owner.add_agent("park");
    let park = app.agent_login(tenant_id, "park");
    let late_menu = CallScript::later("c-before")
        .line(ACME_LINE)
        .starting_at(app.now() - jiff::SignedDuration::from_secs(3500))
        .menu(1)
        .id("c-before-late-menu");
    provider_events(&app, &late_menu.checked());
    assert_eq!(
        rows(
            &app,
            "SELECT agent_id FROM calls WHERE call_id = 'c-before'"
        ),
        vec![vec![json!(park_id)]]
    );
    assert_eq!(park.get("/api/agent/calls/c-before/popup").status, 200);
}
