//! The call flow served to the provider (TEL-3, ARS-7): `POST /hooks/flow`
//! answers from the settings as saved, the hours, holidays and the queue's
//! load; a caller's choice of callback becomes a request (CB-1); each step
//! is on the call's timeline (HIST-1) and the first one classifies the call.
#![allow(clippy::unwrap_used)]

use crate::support::{
    self, AgentScript, CallScript, Req, Session, TestApp, TestResponse, assert_error,
};
use futures::executor::block_on;
use serde_json::{Value, json};
use switchboard_http::Method;
use switchboard_storage::Sql;
use switchboard_telephony::Platform;

const LINE: &str = "070-1234-5678";
const CALLER: &str = "010-9876-5432";

/// Tenant acme on 070-1234-5678, open 09–12 and 13–18 on weekdays (the
/// harness starts Monday 10:00 in Seoul); menu 1 = agents of 상담 with
/// callback, kim assigned; menu 2 = a message.
fn center() -> (TestApp, Session) {
    let app = TestApp::with_operator().with_var("webhook_secret", "whsec-flow");
    let (_, owner) = app.tenant("acme");
    let ok = |r: TestResponse| {
        assert!(r.status < 300, "{}", r.json_body());
        r.json_body()
    };
    ok(owner.put("/api/settings/ars", support::ars_body()));
    ok(owner.put("/api/settings/hours", support::lunch_break_hours()));
    let menu = ok(owner.post(
        "/api/settings/menus",
        json!({ "digit": 1, "kind": "agents", "queue": "상담", "callback": true }),
    ));
    ok(owner.post(
        "/api/settings/menus",
        json!({ "digit": 2, "kind": "info",
                "message": { "kind": "text", "text": "영업시간은 평일 9시부터 6시까지입니다." } }),
    ));
    let kim = owner.add_agent("kim");
    ok(owner.put(
        &format!("/api/settings/agents/{kim}/menus"),
        json!({ "menu_ids": [menu["id"]] }),
    ));
    (app, owner)
}

fn ask(app: &TestApp, call: &str, at: Option<&str>, digits: Option<&str>) -> Value {
    let mut body = json!({ "call": call, "line": LINE, "from": CALLER });
    if let Some(at) = at {
        body["at"] = json!(at);
    }
    if let Some(d) = digits {
        body["digits"] = json!(d);
    }
    let resp = app.post_flow(&body);
    assert_eq!(resp.status, 200, "{}", resp.json_body());
    resp.json_body()
}

fn next_of(answer: &Value) -> String {
    answer["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|a| a["gather"]["next"].as_str())
        .unwrap_or_else(|| panic!("no gather in {answer}"))
        .to_owned()
}

fn said(answer: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for a in answer["actions"].as_array().unwrap() {
        let mut push = |p: &Value| {
            if let Some(t) = p["say"]["text"].as_str() {
                out.push(t.to_owned());
            }
        };
        push(a);
        for p in a["gather"]["prompts"].as_array().into_iter().flatten() {
            push(p);
        }
    }
    out
}

fn q(app: &TestApp, sql: &str) -> Vec<Vec<Value>> {
    block_on(app.db.query(sql, &[]))
        .unwrap()
        .iter()
        .map(|r| {
            r.0.iter()
                .map(|v| match v {
                    switchboard_storage::Value::Integer(n) => json!(n),
                    switchboard_storage::Value::Text(t) => json!(t),
                    _ => Value::Null,
                })
                .collect()
        })
        .collect()
}

#[test]
fn tel_3_a_new_call_hears_the_saved_greeting_and_the_menu() {
    let (app, _) = center();
    let answer = ask(&app, "c-1", None, None);
    assert_eq!(answer["decision"], "flow.menu");
    assert_eq!(answer["hours"], "open");
    assert_eq!(
        said(&answer),
        [
            "안녕하십니까? 에이크미입니다.",
            "상담 상담사 연결은 1번, 안내 말씀은 2번을 눌러 주십시오."
        ]
    );
    let gather = &answer["actions"][0]["gather"];
    assert_eq!(gather["num_digits"], 1);
    assert_eq!(gather["next"], "menu.0");
    assert_eq!(gather["prompts"][0]["say"]["language"], "ko-KR");
}

#[test]
fn ars_7_a_saved_setting_changes_the_next_answer_at_once() {
    let (app, owner) = center();
    let mut ars = support::ars_body();
    ars["greeting"] = json!({ "kind": "text", "text": "새 인사말입니다." });
    assert_eq!(owner.put("/api/settings/ars", ars).status, 200);
    assert_eq!(said(&ask(&app, "c-2", None, None))[0], "새 인사말입니다.");
    // A holiday saved today closes the center for the next caller.
    let today = app.now().in_tz("Asia/Seoul").unwrap().date();
    let saved = owner.post(
        "/api/settings/holidays",
        json!({ "date": today.to_string(), "name": "창립기념일", "kind": "holiday", "repeat": "once" }),
    );
    assert!(saved.status < 300, "{}", saved.json_body());
    let closed = ask(&app, "c-3", None, None);
    assert_eq!(closed["decision"], "flow.holiday");
    assert_eq!(closed["hours"], "holiday");
    assert!(
        said(&closed)[0].contains("창립기념일, 휴무일이라"),
        "{closed}"
    );
}

#[test]
fn tel_3_the_queue_choice_follows_the_load() {
    let (app, _) = center();
    // Nobody is signed in: agents busy, callback offered (menu 1 allows it).
    let menu = ask(&app, "c-busy", None, None);
    let busy = ask(&app, "c-busy", Some(&next_of(&menu)), Some("1"));
    assert_eq!(busy["decision"], "flow.busy_offer");
    assert_eq!(
        said(&busy),
        [
            "모든 상담사가 통화 중입니다.",
            "콜백을 원하시면 1번을 눌러 주십시오."
        ]
    );
    // kim signs in at the phone system: the next caller is put through.
    app.deliver_ok(
        AgentScript::login("kim", "s-kim", Platform::Pc, "10.0.0.1").starting_after(-60),
    );
    let menu = ask(&app, "c-ready", None, None);
    let ready = ask(&app, "c-ready", Some(&next_of(&menu)), Some("1"));
    assert_eq!(ready["decision"], "flow.enqueue");
    assert_eq!(
        ready["actions"][1]["enqueue"],
        json!({ "queue": "상담", "digit": 1 })
    );
    assert_eq!(said(&ready), ["상담사에게 연결해 드리겠습니다."]);
}

#[test]
fn cb_1_a_caller_who_presses_1_for_a_callback_gets_a_request() {
    let (app, _) = center();
    let menu = ask(&app, "c-cb", None, None);
    let offer = ask(&app, "c-cb", Some(&next_of(&menu)), Some("1"));
    let booked = ask(&app, "c-cb", Some(&next_of(&offer)), Some("1"));
    assert_eq!(booked["decision"], "flow.callback");
    let id = booked["actions"][0]["callback_booked"]["callback_id"].clone();
    assert!(id.is_i64(), "{booked}");
    assert_eq!(
        booked["actions"].as_array().unwrap().last().unwrap(),
        &json!({ "hangup": {} })
    );
    assert_eq!(
        q(
            &app,
            "SELECT id, number, digit, status FROM callbacks WHERE call_id = 'c-cb'"
        ),
        vec![vec![id, json!("01098765432"), json!(1), json!("requested")]]
    );
    // Asked again (the provider retried the request): still one request.
    ask(&app, "c-cb", Some(&next_of(&offer)), Some("1"));
    assert_eq!(q(&app, "SELECT COUNT(*) FROM callbacks")[0][0], json!(1));
}

#[test]
fn hist_1_each_step_is_on_the_calls_timeline_and_classifies_it() {
    let (app, owner) = center();
    // The provider says the call came in closed hours; Switchboard served
    // the flow and knows it was open: the flow's word counts.
    app.deliver_ok(
        CallScript::inbound("c-t", CALLER)
            .hours(switchboard_telephony::Hours::Closed)
            .starting_at(app.now()),
    );
    let menu = ask(&app, "c-t", None, None);
    ask(&app, "c-t", Some(&next_of(&menu)), Some("2"));
    app.deliver_ok(
        CallScript::later("c-t")
            .ids("c-t-late")
            .starting_at(app.now())
            .ended(),
    );
    assert_eq!(
        q(
            &app,
            "SELECT hours, result FROM calls WHERE call_id = 'c-t'"
        ),
        vec![vec![json!("open"), json!("information")]]
    );
    let id = q(&app, "SELECT id FROM calls WHERE call_id = 'c-t'")[0][0].clone();
    let detail = owner.get(&format!("/api/history/calls/{id}"));
    assert_eq!(detail.status, 200, "{}", detail.json_body());
    let steps: Vec<Value> = detail.json_body()["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["source"] == "flow")
        .map(|e| json!([e["type"], e["digit"]]))
        .collect();
    assert_eq!(
        steps,
        vec![json!(["flow.menu", null]), json!(["flow.info", 2])]
    );
    // The step that arrives before the provider's call.received wins too.
    ask(&app, "c-early", None, None);
    app.deliver_ok(
        CallScript::inbound("c-early", CALLER)
            .hours(switchboard_telephony::Hours::Holiday)
            .starting_at(app.now()),
    );
    assert_eq!(
        q(&app, "SELECT hours FROM calls WHERE call_id = 'c-early'")[0][0],
        json!("open")
    );
}

#[test]
fn tel_3_bad_requests_are_refused_and_change_nothing() {
    let (app, _) = center();
    let steps = || q(&app, "SELECT COUNT(*) FROM call_flow_steps")[0][0].clone();
    // Unsigned.
    let unsigned = app.send(
        Req::new(Method::POST, "/hooks/flow")
            .with_header("content-type", "application/json")
            .with_body(
                json!({ "call": "c", "line": LINE })
                    .to_string()
                    .into_bytes(),
            ),
    );
    assert_error(&unsigned, 401, "bad_signature");
    for (body, field) in [
        (json!({ "call": "", "line": LINE }), "call"),
        (json!({ "call": "c", "line": "abc" }), "line"),
        (json!({ "call": "c", "line": LINE, "at": "menu.x" }), "at"),
        (
            json!({ "call": "c", "line": LINE, "at": "menu.0", "digits": "1".repeat(10_000) }),
            "digits",
        ),
        (json!({ "call": "c", "line": LINE, "from": "nope" }), "from"),
    ] {
        let resp = app.post_flow(&body);
        assert_error(&resp, 422, "validation_failed");
        assert!(
            resp.json_body()["error"]["fields"][field].is_object(),
            "{field}: {}",
            resp.json_body()
        );
    }
    assert_error(
        &app.post_flow(&json!({ "call": "c", "line": LINE, "extra": 1 })),
        422,
        "validation_failed",
    );
    assert_eq!(steps(), json!(0));
    // A key that is not one of 0–9 * # is a wrong digit, not an error.
    let menu = ask(&app, "c-odd", None, None);
    let odd = ask(&app, "c-odd", Some(&next_of(&menu)), Some("x"));
    assert_eq!(odd["decision"], "flow.retry");
    assert_eq!(
        said(&odd)[0],
        "잘못 누르셨습니다. 다시 안내해 드리겠습니다."
    );
}

#[test]
fn tel_3_a_number_nobody_holds_is_rejected() {
    let (app, _) = center();
    let resp = app.post_flow(&json!({ "call": "c-x", "line": "070-9999-0000", "from": CALLER }));
    assert_eq!(resp.status, 200);
    assert_eq!(resp.json_body()["unrouted"], true);
    assert_eq!(resp.json_body()["actions"], json!([{ "reject": {} }]));
}

#[test]
fn tel_3_a_company_without_settings_hears_a_polite_default() {
    let app = TestApp::with_operator().with_var("webhook_secret", "whsec-flow");
    let (tenant_id, _) = app.tenant("bare");
    app.provision(tenant_id, "070-5555-0000");
    let resp = app.post_flow(&json!({ "call": "c-bare", "line": "070-5555-0000" }));
    assert_eq!(resp.status, 200, "{}", resp.json_body());
    let answer = resp.json_body();
    // Hours never saved count as closed: the default out-of-hours prompt.
    assert_eq!(answer["decision"], "flow.closed");
    assert!(
        said(&answer)[0].contains("지금은 상담 시간이 아닙니다"),
        "{answer}"
    );
    assert_eq!(
        answer["actions"].as_array().unwrap().last().unwrap(),
        &json!({ "hangup": {} })
    );
}

/// The call flow's JSON Schema in `docs/` says what the API document says
/// (the request, the answer, its actions), so neither drifts alone.
#[test]
fn the_call_flow_schema_is_the_api_documents() {
    let read = |p: &str| -> Value {
        let path = format!("{}/../../{p}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let api = read("crates/app/openapi.json");
    let docs = read("docs/call-flow.schema.json");
    let refs = |v: &Value| {
        serde_json::from_str::<Value>(&v.to_string().replace("#/components/schemas/", "#/$defs/"))
            .unwrap()
    };
    let post = &api["paths"]["/hooks/flow"]["post"];
    assert_eq!(
        docs["$defs"]["request"],
        refs(&post["requestBody"]["content"]["application/json"]["schema"])
    );
    assert_eq!(
        docs["$defs"]["answer"],
        refs(&post["responses"]["200"]["content"]["application/json"]["schema"])
    );
    for name in ["FlowAction", "FlowPrompt"] {
        assert_eq!(
            docs["$defs"][name],
            refs(&api["components"]["schemas"][name]),
            "{name}"
        );
    }
}

/// Found by the outside attack on this route: a caller without a number is
/// not offered a callback it cannot get, and a call served before its
/// number changed hands stays with the company that served it.
#[test]
fn tel_3_no_callback_for_an_anonymous_caller_and_a_call_stays_with_its_company() {
    let (app, _) = center();
    let anonymous = |call: &str, at: Option<&str>, digits: Option<&str>| {
        let mut body = json!({ "call": call, "line": LINE, "from": "anonymous" });
        if let Some(a) = at {
            body["at"] = json!(a);
        }
        if let Some(d) = digits {
            body["digits"] = json!(d);
        }
        app.post_flow(&body).json_body()
    };
    let menu = anonymous("c-anon", None, None);
    let busy = anonymous("c-anon", Some(&next_of(&menu)), Some("1"));
    assert_eq!(busy["decision"], "flow.busy_hold", "{busy}");
    assert_eq!(busy["actions"][1]["enqueue"]["queue"], "상담");
    let forced = anonymous("c-anon", Some("busy.1"), Some("1"));
    assert_eq!(forced["decision"], "flow.busy_hold");
    assert_eq!(q(&app, "SELECT COUNT(*) FROM callbacks")[0][0], json!(0));

    // c-mid starts with acme; the operator moves the number to bravo
    // before the provider has reported the call: it stays acme's.
    ask(&app, "c-mid", None, None);
    let acme = q(
        &app,
        "SELECT tenant_id FROM call_flow_steps WHERE call_id = 'c-mid'",
    )[0][0]
        .clone();
    let op = app.operator();
    let holding = op.get("/api/operator/numbers?q=07012345678").json_body()["items"][0]["id"]
        .as_i64()
        .unwrap();
    let released = op.post(
        &format!("/api/operator/numbers/{holding}/release"),
        json!({}),
    );
    assert_eq!(released.status, 200, "{}", released.json_body());
    let (bravo, _) = app.tenant("bravo");
    app.provision(bravo, LINE);
    let offer = ask(&app, "c-mid", Some("menu.0"), Some("1"));
    assert_eq!(offer["decision"], "flow.busy_offer", "{offer}");
    ask(&app, "c-mid", Some("busy.1"), Some("1"));
    assert_eq!(
        q(
            &app,
            "SELECT tenant_id FROM callbacks WHERE call_id = 'c-mid'"
        ),
        vec![vec![acme]]
    );
    // A new call on the number is bravo's (who has no settings yet).
    let fresh = ask(&app, "c-new", None, None);
    assert_eq!(
        q(
            &app,
            "SELECT tenant_id FROM call_flow_steps WHERE call_id = 'c-new'"
        )[0][0],
        json!(bravo)
    );
    assert_eq!(fresh["decision"], "flow.closed");
}

/// A caller who keeps asking for a message again is said goodbye to once
/// the call has had MAX_STEPS (40) steps.
#[test]
fn tel_3_a_call_is_served_at_most_forty_steps() {
    let (app, _) = center();
    ask(&app, "c-loop", None, None);
    for _ in 1..40 {
        let again = ask(&app, "c-loop", Some("info.2.0"), Some("1"));
        assert_eq!(again["decision"], "flow.info");
    }
    let last = ask(&app, "c-loop", Some("info.2.0"), Some("1"));
    assert_eq!(last["decision"], "flow.give_up");
    assert_eq!(
        last["actions"].as_array().unwrap().last().unwrap(),
        &json!({ "hangup": {} })
    );
}
