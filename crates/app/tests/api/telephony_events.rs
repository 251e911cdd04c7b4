//! TEL-1 and TEL-2: the provider's signed event webhook, and the records its
//! events build (calls, agent states and sessions, callbacks, recordings).
#![allow(clippy::unwrap_used)]

use crate::support::{self, AgentScript, CallScript, Req, TestApp, assert_error};
use futures::executor::block_on;
use serde_json::{Value as Json, json};
use switchboard_app::telephony::ingest::{self, Outcome, Source};
use switchboard_http::Method;
use switchboard_storage::{Sql, Value};
use switchboard_telephony::{
    AgentState, AttemptResult, Event, Hours, Platform, RecordingFormat, parse_body, signature,
};

const SECRET: &str = "whsec-telephony-tests";
const LINE: &str = "070-1234-5678";
/// 2026-11-30T01:00:00Z, the harness's clock (where scripts start).
const T0: i64 = support::START_MS;

/// A tenant (`acme`, representative number [`LINE`]) with queue 1 ("상담",
/// callback on), info menu 2, and agents kim and lee.
fn floor() -> (TestApp, i64) {
    let app = TestApp::with_operator().with_var("webhook_secret", SECRET);
    let (tenant_id, owner) = app.tenant("acme");
    let put = |path: &str, body: Json| {
        let r = owner.put(path, body);
        assert_eq!(r.status, 200, "{path}: {}", r.json_body());
    };
    let post = |path: &str, body: Json| {
        let r = owner.post(path, body);
        assert_eq!(r.status, 201, "{path}: {}", r.json_body());
        r.json_body()
    };
    put("/api/settings/ars", support::ars_body());
    post(
        "/api/settings/menus",
        json!({ "digit": 1, "kind": "agents", "queue": "상담", "callback": true }),
    );
    post(
        "/api/settings/menus",
        json!({ "digit": 2, "kind": "info", "message": { "kind": "text", "text": "영업시간 안내입니다." } }),
    );
    for login in ["kim", "lee"] {
        post(
            "/api/settings/agents",
            json!({ "login_id": login, "name": login, "password": "agent-pass-123" }),
        );
    }
    (app, tenant_id)
}

fn unix_now(app: &TestApp) -> i64 {
    app.now().as_second()
}

/// An event of `kind` at `T0 + offset_s` seconds, with `fields`.
fn ev(id: &str, kind: &str, offset_s: i64, fields: Json) -> Json {
    let at = jiff::Timestamp::from_millisecond(T0 + offset_s * 1000).unwrap();
    let mut e = json!({ "id": id, "type": kind, "at": at.to_string(), "line": LINE });
    for (k, v) in fields.as_object().unwrap() {
        e[k] = v.clone();
    }
    e
}

fn rows(app: &TestApp, sql: &str, params: &[Value]) -> Vec<Vec<Value>> {
    block_on(app.db.query(sql, params))
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.0)
        .collect()
}

fn count(app: &TestApp, table: &str) -> i64 {
    match rows(app, &format!("SELECT COUNT(*) FROM {table}"), &[])[0][0] {
        Value::Integer(n) => n,
        ref other => panic!("{other:?}"),
    }
}

const CALL_COLUMNS: &str = "direction, caller, agent, agent_id, to_agent, digit, menu_id, queued, \
    hours, callback_id, started_ms, queued_ms, offered_ms, answered_ms, abandoned_ms, \
    callback_ms, ended_ms, wait_ms, talk_ms, result, live, event_count";

/// The call's record, as named columns.
fn call(app: &TestApp, call_id: &str) -> Json {
    let names: Vec<&str> = CALL_COLUMNS.split(", ").collect();
    let found = rows(
        app,
        &format!("SELECT {CALL_COLUMNS} FROM calls WHERE call_id = ?"),
        &[Value::from(call_id)],
    );
    assert_eq!(found.len(), 1, "no call {call_id}");
    let mut out = serde_json::Map::new();
    for (name, v) in names.iter().zip(&found[0]) {
        out.insert(
            (*name).to_owned(),
            match v {
                Value::Null => Json::Null,
                Value::Integer(n) => json!(n),
                Value::Text(t) => json!(t),
                other => panic!("{other:?}"),
            },
        );
    }
    Json::Object(out)
}

// --- TEL-1: signatures ------------------------------------------------------

#[test]
fn tel_1_an_unsigned_forged_or_stale_request_is_refused_and_stores_nothing() {
    let (app, _) = floor();
    let body = json!({ "events": [ev("e1", "call.received", 0, json!({ "call": "c1", "from": "010-9876-5432" }))] });
    let raw = serde_json::to_vec(&body).unwrap();
    let ts = unix_now(&app);
    let good = signature::sign(SECRET, ts, &raw).unwrap();
    let forged = signature::sign("not-the-secret", ts, &raw).unwrap();
    let post = |app: &TestApp, ts: Option<i64>, sig: Option<&str>| {
        let mut req = Req::new(Method::POST, "/hooks/events")
            .with_header("content-type", "application/json")
            .with_body(raw.clone());
        if let Some(ts) = ts {
            req = req.with_header(signature::TIMESTAMP_HEADER, &ts.to_string());
        }
        if let Some(sig) = sig {
            req = req.with_header(signature::SIGNATURE_HEADER, sig);
        }
        app.send(req)
    };
    assert_error(&post(&app, None, None), 401, "bad_signature");
    // An admin's session is no signature.
    let owner = app.owner_of("acme");
    let as_admin = owner.post("/hooks/events", body.clone());
    assert_error(&as_admin, 401, "bad_signature");
    assert_error(&post(&app, Some(ts), None), 401, "bad_signature");
    assert_error(&post(&app, Some(ts), Some(&forged)), 401, "bad_signature");
    // The same signature on another body.
    let other = app.send(
        Req::new(Method::POST, "/hooks/events")
            .with_header("content-type", "application/json")
            .with_header(signature::TIMESTAMP_HEADER, &ts.to_string())
            .with_header(signature::SIGNATURE_HEADER, &good)
            .with_body(b"{\"events\":[]}".to_vec()),
    );
    assert_error(&other, 401, "bad_signature");
    // Six minutes later the captured request is stale.
    app.advance(6 * 60);
    assert_error(&post(&app, Some(ts), Some(&good)), 401, "bad_signature");
    assert_eq!(count(&app, "telephony_events"), 0);
    assert_eq!(count(&app, "calls"), 0);
    // Within the window it is accepted.
    app.advance(-6 * 60 + 299);
    assert_eq!(post(&app, Some(ts), Some(&good)).status, 200);
    assert_eq!(count(&app, "calls"), 1);
}

#[test]
fn tel_1_without_a_configured_secret_every_event_is_refused() {
    let app = TestApp::with_operator();
    let raw = br#"{"id":"e1","type":"call.ended","at":"2026-11-30T01:00:00Z","line":"07012345678","call":"c1"}"#;
    let ts = unix_now(&app);
    // Signed with an empty key by a client that thinks that works.
    let resp = app.send(
        Req::new(Method::POST, "/hooks/events")
            .with_header("content-type", "application/json")
            .with_header(signature::TIMESTAMP_HEADER, &ts.to_string())
            .with_header(
                signature::SIGNATURE_HEADER,
                &format!("v1={}", "0".repeat(64)),
            )
            .with_body(raw.to_vec()),
    );
    assert_error(&resp, 401, "bad_signature");
}

// --- TEL-1: idempotency and atomic batches ---------------------------------

#[test]
fn tel_1_a_redelivered_event_is_acknowledged_and_changes_nothing() {
    let (app, _) = floor();
    let c1 = CallScript::inbound("c1", "010-9876-5432")
        .id("e1")
        .wait(5)
        .queued(1)
        .id("e2");
    assert_eq!(app.deliver_ok(&c1)["stored"], 2);
    let before = call(&app, "c1");
    let again = app.deliver_ok(&c1);
    assert_eq!(again["stored"], 0);
    assert_eq!(again["duplicate"], 2);
    assert_eq!(
        again["results"][1],
        json!({ "id": "e2", "status": "duplicate" })
    );
    assert_eq!(call(&app, "c1"), before);
    assert_eq!(count(&app, "telephony_events"), 2);

    // The same ID with other content is still the same event: ignored.
    let changed = CallScript::later("c1").wait(9).answered("kim").id("e2");
    assert_eq!(app.deliver_ok(changed)["duplicate"], 1);
    assert_eq!(call(&app, "c1"), before);
}

#[test]
fn tel_1_a_batch_with_one_bad_event_is_refused_whole() {
    let (app, _) = floor();
    let batch = json!({ "events": [
        ev("e1", "call.received", 0, json!({ "call": "c1", "from": "010-9876-5432" })),
        ev("e2", "call.answered", 9, json!({ "call": "c1" })),
    ]});
    let resp = app.post_events(&batch);
    assert_error(&resp, 422, "validation_failed");
    assert_eq!(
        resp.json_body()["error"]["fields"]["events[1].agent"]["code"],
        "required"
    );
    assert_eq!(count(&app, "telephony_events"), 0);
    assert_eq!(count(&app, "calls"), 0);
}

#[test]
fn tel_1_the_same_id_twice_in_one_batch_is_stored_once() {
    let (app, _) = floor();
    let received = CallScript::inbound("c1", "010-9876-5432").id("e1");
    let resp = app.deliver_ok([&received, &received]);
    assert_eq!(
        resp["results"],
        json!([{ "id": "e1", "status": "stored" }, { "id": "e1", "status": "duplicate" }])
    );
    assert_eq!(call(&app, "c1")["event_count"], 1);
}

#[test]
fn tel_2_unknown_types_and_unknown_numbers_are_kept_and_reported_not_dropped() {
    let (app, _) = floor();
    let mut stray = ev(
        "e2",
        "call.received",
        0,
        json!({ "call": "c9", "from": "010-1111-2222" }),
    );
    stray["line"] = json!("070-9999-0000");
    let batch = json!({ "events": [
        ev("e1", "call.transferred", 0, json!({ "call": "c1", "to_queue": 3 })),
        stray,
    ]});
    let resp = app.post_events(&batch);
    assert_eq!(resp.status, 200, "{}", resp.json_body());
    let body = resp.json_body();
    assert_eq!(body["unknown_type"], 1);
    assert_eq!(body["unrouted"], 1);
    assert_eq!(
        body["results"],
        json!([{ "id": "e1", "status": "unknown_type" }, { "id": "e2", "status": "unrouted" }])
    );
    // Both are in the log, with what is needed to replay them later …
    let kept = rows(
        &app,
        "SELECT event_id, tenant_id IS NULL, known, json IS NOT NULL FROM telephony_events ORDER BY seq",
        &[],
    );
    assert_eq!(
        kept,
        vec![
            vec![
                Value::from("e1"),
                Value::from(0),
                Value::from(0),
                Value::from(1)
            ],
            vec![
                Value::from("e2"),
                Value::from(1),
                Value::from(1),
                Value::from(0)
            ],
        ]
    );
    // … and neither made a call.
    assert_eq!(count(&app, "calls"), 0);
}

#[test]
fn tel_1_malformed_bodies_get_a_json_4xx() {
    let (app, _) = floor();
    for (body, status) in [
        (json!("just a string"), 400),
        (json!({ "events": "nope" }), 422),
        (json!({ "events": [] }), 422),
        (json!({ "events": [1] }), 422),
        (
            json!({ "id": "x y", "type": "call.ended", "at": "now", "line": "1" }),
            422,
        ),
    ] {
        let resp = app.post_events(&body);
        assert_eq!(resp.status, status, "{body}: {}", resp.json_body());
        assert!(resp.json_body()["error"]["code"].is_string());
    }
    let ts = unix_now(&app);
    let raw = b"id=1".to_vec();
    let resp = app.send(
        Req::new(Method::POST, "/hooks/events")
            .with_header("content-type", "application/x-www-form-urlencoded")
            .with_header(signature::TIMESTAMP_HEADER, &ts.to_string())
            .with_header(
                signature::SIGNATURE_HEADER,
                &signature::sign(SECRET, ts, &raw).unwrap(),
            )
            .with_body(raw),
    );
    assert_error(&resp, 415, "unsupported_media_type");
}

// --- TEL-2: what each event type does --------------------------------------

#[test]
fn tel_2_an_answered_call_records_every_phase_wait_and_talk_time() {
    let (app, tenant_id) = floor();
    let script = CallScript::inbound("c1", "+82 10-9876-5432")
        .wait(8)
        .menu(1)
        .wait(1)
        .queued(1)
        .wait(12)
        .offered("kim")
        .wait(3)
        .answered("KIM")
        .wait(180)
        .ended();
    // One event at a time, as they happen.
    let mut events = script.events().into_iter();
    let mut next = || {
        app.deliver_ok(events.next().unwrap());
        call(&app, "c1")
    };
    let received = next();
    assert_eq!(received["live"], "ivr");
    assert_eq!(received["caller"], "01098765432");
    next(); // the menu
    assert_eq!(next()["live"], "waiting");
    assert_eq!(next()["live"], "ringing");
    let answered = next();
    assert_eq!(answered["live"], "talking");
    assert_eq!(answered["result"], Json::Null);
    next(); // the end
    let kim = rows(
        &app,
        "SELECT id FROM agents WHERE tenant_id = ? AND login_id = 'kim'",
        &[Value::from(tenant_id)],
    );
    let menu = rows(
        &app,
        "SELECT id FROM ars_menus WHERE tenant_id = ? AND digit = 1",
        &[Value::from(tenant_id)],
    );
    let record = call(&app, "c1");
    assert_eq!(record["result"], "answered");
    assert_eq!(record["live"], Json::Null);
    assert_eq!(record["direction"], "inbound");
    assert_eq!(record["agent"], "kim");
    assert_eq!(json!(record["agent_id"]), json!(int(&kim[0][0])));
    assert_eq!(json!(record["menu_id"]), json!(int(&menu[0][0])));
    assert_eq!(record["wait_ms"], 15_000, "answered − queued");
    assert_eq!(record["talk_ms"], 180_000, "ended − answered");
    assert_eq!(record["started_ms"], T0);
    assert_eq!(record["event_count"], 6);
}

fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Integer(n) => Some(*n),
        _ => None,
    }
}

/// Delivers `script` and returns its call's record.
fn result_of(app: &TestApp, script: &CallScript) -> Json {
    app.deliver_ok(script);
    call(app, script.call_id())
}

#[test]
fn tel_2_every_call_result_follows_the_metric_definitions() {
    let (app, _) = floor();
    let from = "010-1234-0000";

    // Abandoned: queued, then the caller hung up while waiting.
    let r = result_of(
        &app,
        &CallScript::inbound("ab", from)
            .wait(5)
            .queued(1)
            .wait(42)
            .abandoned()
            .ended(),
    );
    assert_eq!(
        (r["result"].clone(), r["wait_ms"].clone()),
        (json!("abandoned"), json!(42_000))
    );
    // Queued and ended without an abandoned event is still abandoned.
    let r = result_of(
        &app,
        &CallScript::inbound("ab2", from)
            .wait(5)
            .queued(1)
            .wait(10)
            .ended(),
    );
    assert_eq!(
        (r["result"].clone(), r["wait_ms"].clone()),
        (json!("abandoned"), json!(10_000))
    );
    // A callback conversion is not abandoned.
    let r = result_of(
        &app,
        &CallScript::inbound("cb", from)
            .wait(5)
            .queued(1)
            .wait(25)
            .callback_requested(from, 1)
            .wait(5)
            .ended(),
    );
    assert_eq!(r["result"], "callback");
    assert_eq!(r["wait_ms"], Json::Null);
    // Out of hours and holidays, as the call flow reported them.
    let r = result_of(
        &app,
        &CallScript::inbound("oh", from)
            .hours(Hours::Closed)
            .wait(20)
            .ended(),
    );
    assert_eq!(r["result"], "out_of_hours");
    let r = result_of(
        &app,
        &CallScript::inbound("hd", from)
            .hours(Hours::Holiday)
            .wait(20)
            .ended(),
    );
    assert_eq!(r["result"], "holiday");
    // Information only: an info menu, never queued.
    let r = result_of(
        &app,
        &CallScript::inbound("in", from)
            .wait(4)
            .menu(2)
            .wait(36)
            .ended(),
    );
    assert_eq!(
        (r["result"].clone(), r["digit"].clone(), r["queued"].clone()),
        (json!("information"), json!(2), json!(0))
    );
    // Outbound (a callback's call), while dialling and once it ended.
    let outbound = CallScript::outbound("ob", "lee", "02-555-0101")
        .callback_of(7)
        .wait(9)
        .answered("lee")
        .wait(60)
        .ended()
        .events();
    app.deliver_ok(outbound[..1].to_vec());
    let r = call(&app, "ob");
    assert_eq!(
        (r["live"].clone(), r["direction"].clone()),
        (json!("dialing"), json!("outbound"))
    );
    app.deliver_ok(outbound[1..].to_vec());
    let r = call(&app, "ob");
    assert_eq!(
        (
            r["result"].clone(),
            r["caller"].clone(),
            r["callback_id"].clone(),
            r["talk_ms"].clone()
        ),
        (
            json!("outbound"),
            json!("025550101"),
            json!(7),
            json!(60_000)
        )
    );
    // Internal.
    let r = result_of(
        &app,
        &CallScript::internal("it", "kim", "lee").wait(30).ended(),
    );
    assert_eq!(
        (r["result"].clone(), r["to_agent"].clone()),
        (json!("internal"), json!("lee"))
    );
}

#[test]
fn tel_2_callbacks_record_requests_and_attempts() {
    let (app, _) = floor();
    app.deliver_ok(CallScript::later("c1").callback_requested("010-2222-3333", 1));
    let id = rows(&app, "SELECT id FROM callbacks WHERE call_id = 'c1'", &[])[0][0].clone();
    let Value::Integer(id) = id else { panic!() };
    // Each attempt is an outbound call of its own, reporting on the callback.
    let attempt = |call: &str, s: i64, result: AttemptResult| {
        app.deliver_ok(
            CallScript::later(call)
                .starting_after(s)
                .callback_attempt(id, result),
        )
    };
    attempt("a1-call", 600, AttemptResult::NoAnswer);
    let state = |app: &TestApp| {
        rows(
            app,
            "SELECT number, status, attempts, last_result, done_ms FROM callbacks WHERE id = ?",
            &[Value::from(id)],
        )[0]
        .clone()
    };
    assert_eq!(
        state(&app),
        vec![
            Value::from("01022223333"),
            Value::from("requested"),
            Value::from(1),
            Value::from("no_answer"),
            Value::Null
        ]
    );
    attempt("a2-call", 1200, AttemptResult::Completed);
    attempt("a3-call", 1300, AttemptResult::Busy);
    let s = state(&app);
    assert_eq!(s[1], Value::from("completed"));
    assert_eq!(s[2], Value::from(3));
    assert_eq!(s[4], Value::from(T0 + 1_200_000));
}

#[test]
fn tel_2_recordings_keep_their_provider_url_duration_and_format() {
    let (app, tenant_id) = floor();
    app.deliver_ok(CallScript::later("c1").starting_after(300).recording_ready(
        "https://rec.provider.example/r/c1.mp3",
        183.5,
        RecordingFormat::Mp3,
    ));
    assert_eq!(
        rows(
            &app,
            "SELECT tenant_id, call_id, url, duration_ms, format FROM recordings",
            &[]
        ),
        vec![vec![
            Value::from(tenant_id),
            Value::from("c1"),
            Value::from("https://rec.provider.example/r/c1.mp3"),
            Value::from(183_500),
            Value::from("mp3")
        ]]
    );
}

#[test]
fn tel_2_agent_login_states_and_logout_build_intervals_and_a_session() {
    let (app, _) = floor();
    let kim = AgentScript::login("kim", "s1", Platform::Pc, "203.0.113.7")
        .wait(60)
        .state(AgentState::OnCall)
        .wait(180)
        .state(AgentState::AfterCallWork)
        .wait(60)
        .logout();
    assert_eq!(app.deliver_ok(kim)["stored"], 4);
    let states = rows(
        &app,
        "SELECT state, started_ms - ?, ended_ms - ? FROM agent_states WHERE agent = 'kim' ORDER BY started_ms",
        &[Value::from(T0), Value::from(T0)],
    );
    assert_eq!(
        states,
        vec![
            // After login: the work settings' state (ready by default, SVC-4).
            vec![Value::from("ready"), Value::from(0), Value::from(60_000)],
            vec![
                Value::from("on_call"),
                Value::from(60_000),
                Value::from(240_000)
            ],
            vec![
                Value::from("after_call_work"),
                Value::from(240_000),
                Value::from(300_000)
            ],
            vec![Value::from("logged_out"), Value::from(300_000), Value::Null],
        ]
    );
    assert_eq!(
        rows(
            &app,
            "SELECT agent, agent_id IS NOT NULL, platform, ip, logout_ms - login_ms FROM agent_sessions",
            &[]
        ),
        vec![vec![
            Value::from("kim"),
            Value::from(1),
            Value::from("pc"),
            Value::from("203.0.113.7"),
            Value::from(300_000)
        ]]
    );
}

#[test]
fn tel_2_events_for_one_tenants_number_never_touch_another_tenant() {
    let (app, acme) = floor();
    let (bravo, b_owner) = app.tenant("bravo");
    app.provision(bravo, "070-5555-6666");
    let mut ars = support::ars_body();
    ars["representative_number"] = json!("070-5555-6666");
    ars["caller_id"] = json!(null);
    assert_eq!(b_owner.put("/api/settings/ars", ars).status, 200);
    // Both providers' calls happen to have the same ID.
    let to_bravo = CallScript::inbound("same-id", "010-1111-2222")
        .line("07055556666")
        .ids("b");
    let to_acme = CallScript::inbound("same-id", "010-3333-4444").ids("a");
    app.deliver_ok([to_bravo, to_acme]);
    let owners = rows(
        &app,
        "SELECT tenant_id, caller FROM calls WHERE call_id = 'same-id' ORDER BY tenant_id",
        &[],
    );
    assert_eq!(
        owners,
        vec![
            vec![Value::from(acme), Value::from("01033334444")],
            vec![Value::from(bravo), Value::from("01011112222")],
        ]
    );
}

#[test]
fn ars_1_a_representative_number_belongs_to_one_tenant() {
    let (app, _) = floor();
    let (_, b_owner) = app.tenant("bravo");
    let resp = b_owner.put("/api/settings/ars", support::ars_body());
    assert_error(&resp, 409, "conflict");
    // Acme's number was provisioned to acme, not to bravo (see
    // `number_inventory.rs` for the whole inventory).
    assert_eq!(
        resp.json_body()["error"]["fields"]["representative_number"]["code"],
        "number_not_held"
    );
}

// --- TEL-1: order does not matter ------------------------------------------

/// The call records recomputed from scratch from every stored event, as a
/// plain restatement of SPEC section 11 (slow: a GROUP BY over the log).
/// The app keeps `calls` incrementally, one event at a time; the two must
/// agree on every call, whatever the order the events came in.
const REFERENCE_PHASES: &str = r#"CREATE TEMP VIEW ref_phases AS
    SELECT e.tenant_id, e.call_id,
        MIN(e.line) AS line,
        CASE WHEN SUM(e.type = 'call.outbound') > 0 THEN 'outbound'
             WHEN SUM(e.type = 'call.internal') > 0 THEN 'internal'
             ELSE 'inbound' END AS direction,
        MIN(e.at_ms) AS first_ms,
        MIN(CASE WHEN e.type IN ('call.received', 'call.outbound', 'call.internal') THEN e.at_ms END) AS received_ms,
        MIN(CASE WHEN e.type = 'call.queued' THEN e.at_ms END) AS queued_ms,
        MIN(CASE WHEN e.type = 'call.offered' THEN e.at_ms END) AS offered_ms,
        MIN(CASE WHEN e.type = 'call.answered' THEN e.at_ms END) AS answered_ms,
        MIN(CASE WHEN e.type = 'call.abandoned' THEN e.at_ms END) AS abandoned_ms,
        MIN(CASE WHEN e.type = 'callback.requested' THEN e.at_ms END) AS callback_ms,
        MIN(CASE WHEN e.type = 'call.ended' THEN e.at_ms END) AS ended_ms,
        COUNT(*) AS event_count,
        (SELECT x.number FROM telephony_events x
          WHERE x.tenant_id = e.tenant_id AND x.call_id = e.call_id
            AND x.type IN ('call.received', 'call.outbound')
          ORDER BY x.at_ms, x.event_id LIMIT 1) AS caller,
        (SELECT x.hours FROM telephony_events x
          WHERE x.tenant_id = e.tenant_id AND x.call_id = e.call_id AND x.type = 'call.received'
          ORDER BY x.at_ms, x.event_id LIMIT 1) AS hours,
        (SELECT x.callback_id FROM telephony_events x
          WHERE x.tenant_id = e.tenant_id AND x.call_id = e.call_id AND x.type = 'call.outbound'
          ORDER BY x.at_ms, x.event_id LIMIT 1) AS callback_id,
        (SELECT x.to_agent FROM telephony_events x
          WHERE x.tenant_id = e.tenant_id AND x.call_id = e.call_id AND x.type = 'call.internal'
          ORDER BY x.at_ms, x.event_id LIMIT 1) AS to_agent,
        COALESCE(
          (SELECT x.agent FROM telephony_events x
            WHERE x.tenant_id = e.tenant_id AND x.call_id = e.call_id AND x.type = 'call.answered'
            ORDER BY x.at_ms, x.event_id LIMIT 1),
          (SELECT x.agent FROM telephony_events x
            WHERE x.tenant_id = e.tenant_id AND x.call_id = e.call_id
              AND x.type IN ('call.outbound', 'call.internal')
            ORDER BY x.at_ms, x.event_id LIMIT 1)) AS agent,
        COALESCE(
          (SELECT x.at_ms FROM telephony_events x
            WHERE x.tenant_id = e.tenant_id AND x.call_id = e.call_id AND x.type = 'call.answered'
            ORDER BY x.at_ms, x.event_id LIMIT 1),
          (SELECT x.at_ms FROM telephony_events x
            WHERE x.tenant_id = e.tenant_id AND x.call_id = e.call_id
              AND x.type IN ('call.outbound', 'call.internal')
            ORDER BY x.at_ms, x.event_id LIMIT 1)) AS agent_ms,
        COALESCE(
          (SELECT x.digit FROM telephony_events x
            WHERE x.tenant_id = e.tenant_id AND x.call_id = e.call_id AND x.type = 'call.queued'
            ORDER BY x.at_ms, x.event_id LIMIT 1),
          (SELECT x.digit FROM telephony_events x
            WHERE x.tenant_id = e.tenant_id AND x.call_id = e.call_id AND x.type = 'call.menu'
            ORDER BY x.at_ms DESC, x.event_id DESC LIMIT 1)) AS digit
    FROM telephony_events e
    WHERE e.tenant_id IS NOT NULL AND e.call_id IS NOT NULL AND e.known = 1
      AND (e.type LIKE 'call.%' OR e.type = 'callback.requested')
    GROUP BY e.tenant_id, e.call_id"#;
const REFERENCE_CALLS: &str = r#"CREATE TEMP VIEW ref_calls AS
    SELECT p.tenant_id, p.call_id, p.line, p.direction, p.caller, p.agent,
        -- The agent who held the login ID when the naming event happened:
        -- the latest created by then, else the first ever (a backfill).
        COALESCE(
          (SELECT a.id FROM agents a
            WHERE a.tenant_id = p.tenant_id AND a.login_id = p.agent
              AND ROUND((julianday(a.created_at) - 2440587.5) * 86400000.0) <= p.agent_ms
            ORDER BY a.id DESC LIMIT 1),
          (SELECT MIN(a.id) FROM agents a
            WHERE a.tenant_id = p.tenant_id AND a.login_id = p.agent)) AS agent_id,
        p.to_agent, p.digit,
        (SELECT m.id FROM ars_menus m WHERE m.tenant_id = p.tenant_id AND m.digit = p.digit) AS menu_id,
        p.queued_ms IS NOT NULL AS queued,
        p.hours, p.callback_id,
        COALESCE(p.received_ms, p.first_ms) AS started_ms,
        p.queued_ms, p.offered_ms, p.answered_ms, p.abandoned_ms, p.callback_ms, p.ended_ms,
        -- Wait = answered (or abandoned) − queued; an abandoned call without
        -- its own event ends its wait when the call ends.
        CASE WHEN p.queued_ms IS NULL THEN NULL
             WHEN p.answered_ms IS NOT NULL THEN MAX(0, p.answered_ms - p.queued_ms)
             WHEN p.callback_ms IS NULL AND COALESCE(p.abandoned_ms, p.ended_ms) IS NOT NULL
               THEN MAX(0, COALESCE(p.abandoned_ms, p.ended_ms) - p.queued_ms)
        END AS wait_ms,
        -- Talk = ended − answered.
        CASE WHEN p.answered_ms IS NOT NULL AND p.ended_ms IS NOT NULL
             THEN MAX(0, p.ended_ms - p.answered_ms) END AS talk_ms,
        CASE WHEN p.ended_ms IS NULL AND p.abandoned_ms IS NULL THEN NULL
             WHEN p.direction = 'internal' THEN 'internal'
             WHEN p.direction = 'outbound' THEN 'outbound'
             WHEN p.answered_ms IS NOT NULL THEN 'answered'
             -- A call converted to a callback is not abandoned.
             WHEN p.callback_ms IS NOT NULL THEN 'callback'
             WHEN p.queued_ms IS NOT NULL THEN 'abandoned'
             WHEN p.hours = 'holiday' THEN 'holiday'
             WHEN p.hours = 'closed' THEN 'out_of_hours'
             ELSE 'information' END AS result,
        CASE WHEN p.ended_ms IS NOT NULL OR p.abandoned_ms IS NOT NULL THEN NULL
             WHEN p.answered_ms IS NOT NULL THEN 'talking'
             WHEN p.direction = 'outbound' THEN 'dialing'
             WHEN p.offered_ms IS NOT NULL THEN 'ringing'
             WHEN p.queued_ms IS NOT NULL AND p.callback_ms IS NULL THEN 'waiting'
             ELSE 'ivr' END AS live,
        p.event_count
    FROM ref_phases p"#;

fn assert_calls_match_the_reference(app: &TestApp) {
    let _ = block_on(app.db.execute("DROP VIEW IF EXISTS temp.ref_calls", &[]));
    let _ = block_on(app.db.execute("DROP VIEW IF EXISTS temp.ref_phases", &[]));
    block_on(app.db.execute(REFERENCE_PHASES, &[])).unwrap();
    block_on(app.db.execute(REFERENCE_CALLS, &[])).unwrap();
    let columns = "tenant_id, call_id, line, direction, caller, agent, agent_id, to_agent, digit, \
        menu_id, queued, hours, callback_id, started_ms, queued_ms, offered_ms, answered_ms, \
        abandoned_ms, callback_ms, ended_ms, wait_ms, talk_ms, result, live, event_count";
    let differ = rows(
        app,
        &format!(
            "SELECT * FROM (SELECT {columns} FROM calls EXCEPT SELECT {columns} FROM ref_calls) \
             UNION ALL SELECT * FROM (SELECT {columns} FROM ref_calls EXCEPT SELECT {columns} FROM calls)"
        ),
        &[],
    );
    assert!(
        differ.is_empty(),
        "calls differ from the reference: {differ:?}"
    );
    assert!(count(app, "calls") > 0);
}

/// Every permutation of `n` indices (Heap's algorithm).
fn permutations(n: usize) -> Vec<Vec<usize>> {
    let mut a: Vec<usize> = (0..n).collect();
    let mut c = vec![0; n];
    let mut out = vec![a.clone()];
    let mut i = 0;
    while i < n {
        if c[i] < i {
            if i % 2 == 0 {
                a.swap(0, i);
            } else {
                a.swap(c[i], i);
            }
            out.push(a.clone());
            c[i] += 1;
            i = 0;
        } else {
            c[i] = 0;
            i += 1;
        }
    }
    out
}

/// Parses wire events into checked ones.
fn checked(events: &[Json]) -> Vec<Event> {
    parse_body(&serde_json::to_vec(&json!({ "events": events })).unwrap()).unwrap()
}

fn store_one(app: &TestApp, e: &Event) {
    let out = block_on(ingest::store(
        app.db.as_ref(),
        std::slice::from_ref(e),
        Source::Provider,
        T0,
    ))
    .unwrap();
    assert_eq!(out, vec![Outcome::Stored]);
}

/// Rewrites IDs so each permutation plays its own call and agent.
fn renamed(events: &[Json], tag: usize) -> Vec<Json> {
    events
        .iter()
        .map(|e| {
            let mut e = e.clone();
            e["id"] = json!(format!("p{tag}-{}", e["id"].as_str().unwrap()));
            if let Some(c) = e.get("call").and_then(Json::as_str) {
                e["call"] = json!(format!("p{tag}-{c}"));
            }
            if let Some(s) = e.get("session").and_then(Json::as_str) {
                e["session"] = json!(format!("p{tag}-{s}"));
            }
            if e.get("agent").is_some() {
                e["agent"] = json!(format!("agent{tag}"));
            }
            e
        })
        .collect()
}

#[test]
fn tel_1_every_arrival_order_of_a_calls_events_gives_the_same_record() {
    let (app, _) = floor();
    let c = |f: Json| {
        let mut base = json!({ "call": "c" });
        for (k, v) in f.as_object().unwrap() {
            base[k] = v.clone();
        }
        base
    };
    // Two offers (the first agent did not pick up) and two events at the
    // same instant: ties are where order could leak in. (The shift test
    // below shuffles a longer stream.)
    let events = vec![
        ev(
            "1",
            "call.received",
            0,
            c(json!({ "from": "010-1234-5678" })),
        ),
        ev("3", "call.queued", 6, c(json!({ "digit": 1 }))),
        ev("4", "call.offered", 20, c(json!({ "agent": "lee" }))),
        ev("5", "call.offered", 20, c(json!({ "agent": "kim" }))),
        ev("6", "call.answered", 35, c(json!({ "agent": "kim" }))),
        ev("7", "call.ended", 95, c(json!({}))),
    ];
    let perms = permutations(events.len());
    assert_eq!(perms.len(), 720);
    for (tag, order) in perms.iter().enumerate() {
        let mine = checked(&renamed(&events, tag));
        for &i in order {
            store_one(&app, &mine[i]);
        }
    }
    let distinct = rows(
        &app,
        "SELECT DISTINCT direction, caller, digit, menu_id, queued, started_ms, queued_ms, \
         offered_ms, answered_ms, ended_ms, wait_ms, talk_ms, result, live, event_count \
         FROM calls",
        &[],
    );
    assert_eq!(distinct.len(), 1, "{distinct:?}");
    let r = &distinct[0];
    assert_eq!(r[6], Value::from(T0 + 6_000), "queued");
    assert_eq!(r[7], Value::from(T0 + 20_000), "first offer");
    assert_eq!(r[10], Value::from(29_000), "wait");
    assert_eq!(r[11], Value::from(60_000), "talk");
    assert_eq!(r[12], Value::from("answered"));
    assert_eq!(count(&app, "calls"), 720);
    assert_calls_match_the_reference(&app);
}

/// A small deterministic generator, so a failing order can be replayed.
struct XorShift(u64);
impl XorShift {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
    fn shuffle(&mut self, v: &mut [usize]) {
        for i in (1..v.len()).rev() {
            v.swap(i, self.below(i + 1));
        }
    }
}

#[test]
fn tel_1_random_arrival_orders_of_a_whole_shift_give_the_same_records() {
    let (app, _) = floor();
    // An agent's shift: login, states, a call answered with its recording,
    // a call abandoned then converted to a callback, logout.
    let events = vec![
        ev(
            "01",
            "agent.login",
            0,
            json!({ "agent": "x", "session": "s", "platform": "web", "ip": "198.51.100.4" }),
        ),
        ev(
            "02",
            "agent.state",
            1,
            json!({ "agent": "x", "state": "ready" }),
        ),
        ev(
            "03",
            "call.received",
            10,
            json!({ "call": "a", "from": "010-1000-2000" }),
        ),
        ev("04", "call.queued", 15, json!({ "call": "a", "digit": 1 })),
        // Ties at one instant: two menu digits, a second queue, a second
        // answer. The earliest (latest, for the menu) by event ID wins.
        ev("04a", "call.menu", 12, json!({ "call": "a", "digit": 2 })),
        ev("04b", "call.menu", 12, json!({ "call": "a", "digit": 1 })),
        ev("04c", "call.queued", 15, json!({ "call": "a", "digit": 2 })),
        ev(
            "07a",
            "call.answered",
            24,
            json!({ "call": "a", "agent": "y" }),
        ),
        ev(
            "05",
            "agent.state",
            20,
            json!({ "agent": "x", "state": "ringing" }),
        ),
        ev(
            "06",
            "call.offered",
            20,
            json!({ "call": "a", "agent": "x" }),
        ),
        ev(
            "07",
            "call.answered",
            24,
            json!({ "call": "a", "agent": "x" }),
        ),
        ev(
            "08",
            "agent.state",
            24,
            json!({ "agent": "x", "state": "on_call" }),
        ),
        ev(
            "09",
            "call.received",
            30,
            json!({ "call": "b", "from": "010-3000-4000" }),
        ),
        ev("10", "call.queued", 40, json!({ "call": "b", "digit": 1 })),
        ev(
            "11",
            "callback.requested",
            70,
            json!({ "call": "b", "number": "010-3000-4000", "digit": 1 }),
        ),
        ev("12", "call.ended", 72, json!({ "call": "b" })),
        // An information call: the menu digit shown is the last pressed.
        ev(
            "12a",
            "call.received",
            80,
            json!({ "call": "c", "from": "010-5000-6000" }),
        ),
        ev("12b", "call.menu", 85, json!({ "call": "c", "digit": 2 })),
        ev("12c", "call.menu", 85, json!({ "call": "c", "digit": 3 })),
        ev("12d", "call.ended", 99, json!({ "call": "c" })),
        ev("13", "call.ended", 204, json!({ "call": "a" })),
        ev(
            "14",
            "agent.state",
            204,
            json!({ "agent": "x", "state": "after_call_work" }),
        ),
        ev(
            "15",
            "recording.ready",
            210,
            json!({ "call": "a", "url": "https://rec.example/a.mp3", "duration_seconds": 180, "format": "mp3" }),
        ),
        ev(
            "16",
            "agent.state",
            234,
            json!({ "agent": "x", "state": "away" }),
        ),
        ev(
            "17",
            "agent.logout",
            400,
            json!({ "agent": "x", "session": "s" }),
        ),
    ];
    let mut rng = XorShift(0x5eed_1234_abcd_ef01);
    const ROUNDS: usize = 150;
    for tag in 0..ROUNDS {
        let mut order: Vec<usize> = (0..events.len()).collect();
        if tag > 0 {
            rng.shuffle(&mut order);
        }
        let mine = checked(&renamed(&events, tag));
        for i in order {
            store_one(&app, &mine[i]);
        }
    }
    let one = |sql: &str, expect_groups: usize| {
        let distinct = rows(&app, sql, &[]);
        assert_eq!(distinct.len(), expect_groups, "{sql}: {distinct:?}");
    };
    // Every round left the same records (IDs and names aside).
    one(
        "SELECT DISTINCT substr(call_id, instr(call_id, '-') + 1), direction, caller, digit, \
         started_ms, queued_ms, offered_ms, answered_ms, callback_ms, ended_ms, wait_ms, \
         talk_ms, result, live, event_count FROM calls",
        3,
    );
    let t0 = T0.to_string();
    one(
        &format!(
            "SELECT DISTINCT group_concat(state || ':' || (started_ms - {t0}) || '-' \
             || IFNULL(ended_ms - {t0}, 'open'), ' ') \
             FROM (SELECT * FROM agent_states ORDER BY agent, started_ms, event_id) GROUP BY agent"
        ),
        1,
    );
    one(
        "SELECT DISTINCT platform, ip, login_ms, logout_ms FROM agent_sessions",
        1,
    );
    one(
        "SELECT DISTINCT number, requested_ms, status FROM callbacks",
        1,
    );
    assert_eq!(count(&app, "recordings"), ROUNDS as i64);
    assert_calls_match_the_reference(&app);
    let results = rows(
        &app,
        "SELECT result, COUNT(*) FROM calls GROUP BY result ORDER BY result",
        &[],
    );
    assert_eq!(
        results,
        vec![
            vec![Value::from("answered"), Value::from(ROUNDS as i64)],
            vec![Value::from("callback"), Value::from(ROUNDS as i64)],
            vec![Value::from("information"), Value::from(ROUNDS as i64)],
        ]
    );
}

#[test]
fn mon_5_mon_7_the_live_floor_follows_the_events() {
    let (app, tenant_id) = floor();
    // Two callers waiting, one talking to kim, one still in the menu; kim
    // on the call, lee away.
    let w1 = CallScript::inbound("w1", "010-1000-0001")
        .wait(10)
        .queued(1);
    let w2 = CallScript::inbound("w2", "010-1000-0002")
        .starting_after(20)
        .wait(10)
        .queued(1);
    let t1 = CallScript::inbound("t1", "010-1000-0003")
        .wait(5)
        .queued(1)
        .wait(3)
        .answered("kim");
    let i1 = CallScript::inbound("i1", "010-1000-0004").starting_after(40);
    let kim = AgentScript::login("kim", "k", Platform::Pc, "10.0.0.1")
        .wait(8)
        .state(AgentState::OnCall);
    let lee = AgentScript::login("lee", "l", Platform::Web, "10.0.0.2")
        .wait(12)
        .state(AgentState::Away);
    let stored = app.deliver_ok([
        w1.events(),
        w2.events(),
        t1.events(),
        i1.events(),
        kim.events(),
        lee.events(),
    ]);
    assert_eq!(stored["stored"], 12);
    let now = T0 + 70_000;
    let floor = block_on(switchboard_app::reports::floor::floor(
        app.db.as_ref(),
        tenant_id,
        now,
    ))
    .unwrap();
    assert_eq!(
        floor.calls,
        vec![
            ("ivr".to_owned(), "inbound".to_owned(), 1),
            ("talking".to_owned(), "inbound".to_owned(), 1),
            ("waiting".to_owned(), "inbound".to_owned(), 2),
        ]
    );
    assert_eq!(floor.queues.len(), 1);
    assert_eq!(
        (floor.queues[0].digit, floor.queues[0].waiting),
        (Some(1), 2)
    );
    assert_eq!(
        floor.queues[0].longest_wait_ms, 60_000,
        "w1 queued at +10 s"
    );
    let states: Vec<(&str, &str, i64)> = floor
        .agents
        .iter()
        .map(|a| (a.agent.as_str(), a.state.as_str(), a.since_ms - T0))
        .collect();
    assert_eq!(
        states,
        vec![("kim", "on_call", 8_000), ("lee", "away", 12_000)]
    );
    // The answer ends the wait; hanging up ends the call.
    app.deliver_ok([
        CallScript::later("w1")
            .ids("w1-then")
            .starting_after(71)
            .answered("lee"),
        CallScript::later("w2")
            .ids("w2-then")
            .starting_after(72)
            .abandoned(),
    ]);
    let floor = block_on(switchboard_app::reports::floor::floor(
        app.db.as_ref(),
        tenant_id,
        now,
    ))
    .unwrap();
    assert!(floor.queues.is_empty());
}
