//! The monitoring dashboard (SPEC section 3, MON-1..7; issue 15): the
//! hand-computed scenario of `support::scenarios` through
//! `GET /api/dashboard`, freshness and the ETag, SLA grades, the
//! abandoned-calls list with its one-click callback, the wallboard links,
//! and the settings the figures need.
#![allow(clippy::unwrap_used)]

use crate::support::scenarios::{self, Scenario, figures_of};
use crate::support::{CallScript, Req, TestApp, assert_error};
use futures::executor::block_on;
use serde_json::{Value as Json, json};
use switchboard_app::reports::metrics::{self, Filter, Group, Window};
use switchboard_http::Method;
use switchboard_storage::Sql;

fn board(s: &Scenario) -> Json {
    let r = s.owner.get("/api/dashboard");
    assert_eq!(r.status, 200, "{}", r.json_body());
    r.json_body()
}

fn queue(b: &Json, digit: i64) -> Json {
    b["queues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["digit"] == digit)
        .unwrap_or_else(|| panic!("no queue {digit} in {}", b["queues"]))
        .clone()
}

#[test]
fn mon_3_and_mon_4_today_are_the_hand_computed_figures() {
    let s = scenarios::seoul_day();
    let b = board(&s);
    assert_eq!(b["date"], "2026-11-30");
    assert_eq!(b["time_zone"], "Asia/Seoul");
    assert_eq!(b["sl_threshold_seconds"], 20);
    assert_eq!(figures_of(&b["summary"]), scenarios::TODAY);
    assert_eq!(figures_of(&queue(&b, 1)), scenarios::TODAY_QUEUE_1);
    assert_eq!(figures_of(&queue(&b, 3)), scenarios::TODAY_QUEUE_3);
    assert_eq!(queue(&b, 1)["name"], "상담");
    // The information menu is no queue.
    assert!(
        b["queues"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["digit"] != 2)
    );
}

#[test]
fn mon_2_and_mon_6_count_by_the_tenants_hours_across_midnight() {
    let s = scenarios::seoul_day();
    let b = board(&s);
    let hours = b["hours"].as_array().unwrap();
    assert_eq!(hours.len(), 24);
    for h in hours {
        let hour = h["hour"].as_i64().unwrap();
        let (today, yesterday) = scenarios::INBOUND_BY_HOUR
            .iter()
            .find(|(x, _, _)| *x == hour)
            .map(|(_, t, y)| (*t, *y))
            .unwrap_or((
                0,
                if hour == 23 {
                    scenarios::YESTERDAY_HOUR_23
                } else {
                    0
                },
            ));
        assert_eq!(h["inbound_today"], today, "hour {hour} today");
        assert_eq!(h["inbound_yesterday"], yesterday, "hour {hour} yesterday");
    }
    for (hour, offered, answered, within, day_rate, day_sl) in scenarios::TREND {
        let h = &hours[hour as usize];
        assert_eq!(h["offered"], offered, "hour {hour}");
        assert_eq!(h["answered"], answered, "hour {hour}");
        assert_eq!(h["answered_within"], within, "hour {hour}");
        assert_eq!(h["day_answer_rate"], day_rate, "hour {hour}");
        assert_eq!(h["day_service_level"], day_sl, "hour {hour}");
    }
    // Hours still to come have no day rates yet.
    assert!(hours[11]["day_answer_rate"].is_null());
}

#[test]
fn yesterday_through_the_metrics_module_is_the_hand_computed_day() {
    let s = scenarios::seoul_day();
    let tz = jiff::tz::TimeZone::get("Asia/Seoul").unwrap();
    let day = Window::day("2026-11-29".parse().unwrap(), &tz).unwrap();
    let rows = block_on(metrics::counts(
        s.app.db.as_ref(),
        s.tenant_id,
        day,
        Filter::default(),
        Group::default(),
        20,
    ))
    .unwrap();
    let c = metrics::total(&rows);
    let y = scenarios::YESTERDAY;
    assert_eq!(
        (
            c.total_inbound,
            c.offered,
            c.answered,
            c.abandoned,
            c.answered_within
        ),
        (
            y.total_inbound,
            y.offered,
            y.answered,
            y.abandoned,
            y.answered_within
        )
    );
    assert_eq!(c.answer_rate(), y.answer_rate);
    // A stricter threshold moves the service level, not the answer rate:
    // T3 waited exactly 20 s, T1 10 s, T8 6 s, T14 4 s.
    let today = Window::day("2026-11-30".parse().unwrap(), &tz).unwrap();
    let at = |threshold| {
        metrics::total(
            &block_on(metrics::counts(
                s.app.db.as_ref(),
                s.tenant_id,
                today,
                Filter::default(),
                Group::default(),
                threshold,
            ))
            .unwrap(),
        )
    };
    assert_eq!(at(19).answered_within, 3);
    assert_eq!(at(5).answered_within, 1);
    assert_eq!(at(19).answered, scenarios::TODAY.answered);
    // One queue, one agent.
    let q3 = metrics::total(
        &block_on(metrics::counts(
            s.app.db.as_ref(),
            s.tenant_id,
            today,
            Filter {
                digit: Some(3),
                agent_id: None,
            },
            Group::default(),
            20,
        ))
        .unwrap(),
    );
    assert_eq!(q3.offered, scenarios::TODAY_QUEUE_3.offered);
    // After-call work: lee's 90 s today.
    let acw = block_on(metrics::after_call_work(
        s.app.db.as_ref(),
        s.tenant_id,
        today,
        s.app.now().as_millisecond(),
        Filter::default(),
    ))
    .unwrap();
    assert_eq!(acw.len(), 1, "{acw:?}");
    assert_eq!(acw[0].1, scenarios::ACW_LEE_MS);
}

#[test]
fn mon_1_mon_5_and_mon_7_show_the_live_floor() {
    let s = scenarios::seoul_day();
    let b = board(&s);
    let l = &b["lines"];
    let (in_use, consultation, internal, callback, outbound) = scenarios::LINES;
    assert_eq!(l["contracted"], scenarios::CONTRACTED_LINES);
    assert_eq!(l["in_use"], in_use);
    assert_eq!(l["consultation"], consultation);
    assert_eq!(l["internal"], internal);
    assert_eq!(l["callback"], callback);
    assert_eq!(l["outbound"], outbound);
    for (digit, waiting, longest_s) in scenarios::WAITING {
        let q = queue(&b, digit);
        assert_eq!(q["waiting"], waiting, "queue {digit}");
        assert_eq!(q["longest_wait_ms"], longest_s * 1000, "queue {digit}");
    }
    let agents = b["agents"].as_array().unwrap();
    assert_eq!(agents.len(), scenarios::AGENTS.len(), "{agents:?}");
    for (login, state, since, answered, outbound) in scenarios::AGENTS {
        let a = agents.iter().find(|a| a["login_id"] == login).unwrap();
        assert_eq!(a["state"], state, "{login}");
        let since_ms = since.map(|t| t.parse::<jiff::Timestamp>().unwrap().as_millisecond());
        assert_eq!(a["since_ms"].as_i64(), since_ms, "{login}");
        assert_eq!(a["answered_today"], answered, "{login}");
        assert_eq!(a["outbound_today"], outbound, "{login}");
        assert_eq!(a["name"], format!("{login}-name"));
    }
    let counts = &b["agent_counts"];
    assert_eq!(counts["on_call"], 1);
    assert_eq!(counts["dialing"], 1);
    assert_eq!(counts["logged_out"], 1);
    assert_eq!(counts["ready"], 0);
}

#[test]
fn an_acknowledged_event_is_in_the_next_answer_and_nothing_new_is_a_304() {
    let s = scenarios::seoul_day();
    let first = s.owner.get("/api/dashboard");
    let etag = first.header("etag").unwrap().to_owned();
    let before = first.json_body();
    let again = |etag: &str| {
        s.app.send(
            s.owner
                .req(Method::GET, "/api/dashboard")
                .with_header("if-none-match", etag),
        )
    };
    // Nothing happened: 304, no body.
    let unchanged = again(&etag);
    assert_eq!(unchanged.status, 304);
    assert!(unchanged.body.is_empty());
    // A caller queues at 10:30: the very next answer shows them.
    let call = CallScript::inbound("F1", "01099990001")
        .starting_at(scenarios::NOW.parse().unwrap())
        .queued(3);
    s.app.deliver_ok(call);
    let moved = again(&etag);
    assert_eq!(moved.status, 200);
    assert_ne!(moved.header("etag").unwrap(), etag);
    let after = moved.json_body();
    assert_eq!(
        queue(&after, 3)["waiting"].as_i64().unwrap(),
        queue(&before, 3)["waiting"].as_i64().unwrap() + 1
    );
    assert_eq!(
        after["summary"]["total_inbound"].as_i64().unwrap(),
        before["summary"]["total_inbound"].as_i64().unwrap() + 1
    );
    // A settings change is news too.
    let etag = moved.header("etag").unwrap().to_owned();
    let r = s.owner.put(
        "/api/settings/work/service-level",
        json!({ "threshold_seconds": 19 }),
    );
    assert_eq!(r.status, 200, "{}", r.json_body());
    let moved = again(&etag);
    assert_eq!(moved.status, 200);
    assert_eq!(moved.json_body()["sl_threshold_seconds"], 19);
    assert_eq!(moved.json_body()["summary"]["answered_within"], 3);
    // So is an agent's new name (the version is one read of the settings).
    let etag = moved.header("etag").unwrap().to_owned();
    let agent = moved.json_body()["agents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["login_id"] == "park")
        .unwrap()["agent_id"]
        .as_i64()
        .unwrap();
    let r = s.owner.patch(
        &format!("/api/settings/agents/{agent}"),
        json!({ "name": "박새이름" }),
    );
    assert_eq!(r.status, 200, "{}", r.json_body());
    let moved = again(&etag);
    assert_eq!(moved.status, 200);
    assert!(
        moved.json_body()["agents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["login_id"] == "park" && a["name"] == "박새이름")
    );
}

/// A dashboard computed now, not the kept answer of this version.
fn computed(s: &Scenario) -> Json {
    let key = format!("dashboard:{}:full", s.tenant_id);
    block_on(switchboard_storage::KeyValue::delete(
        s.app.kv.as_ref(),
        &key,
    ))
    .unwrap();
    board(s)
}

fn inbound_yesterday(b: &Json, hour: usize) -> i64 {
    b["hours"][hour]["inbound_yesterday"].as_i64().unwrap()
}

/// MON-2's yesterday is read from the statistics roll-up where the roll-up
/// is exact (hours before its watermark without a change mark), so a
/// computation does not read yesterday's calls again. The rule for a late
/// event for yesterday: it is in the very next answer like any event — its
/// hour is marked in the same write and read from the calls until the
/// worker's tick has recomputed it — and stays there after the tick.
#[test]
fn yesterday_comes_from_the_rollup_and_a_late_event_for_it_is_in_the_next_answer() {
    use switchboard_app::worker::rollup::{self, Budget};
    let s = scenarios::seoul_day();
    let roll = || {
        block_on(rollup::run(
            s.app.db.as_ref(),
            s.app.now(),
            Budget::default(),
        ))
        .unwrap()
    };
    assert!(roll().hours_rolled > 0);
    // Rolled up, the figures are the hand-computed ones.
    let b = computed(&s);
    assert_eq!(inbound_yesterday(&b, 14), 1);
    assert_eq!(inbound_yesterday(&b, 23), scenarios::YESTERDAY_HOUR_23);
    assert_eq!(inbound_yesterday(&b, 16), 0);
    // They are the roll-up's: a bucket changed behind its back shows.
    // (Sunday 14:00 KST = 05:00 UTC.)
    let sunday_14 = 1_795_928_400_000_i64;
    block_on(s.app.db.execute(
        "UPDATE stat_hour_queue SET total_inbound = total_inbound + 40 WHERE rowid = \
         (SELECT MIN(rowid) FROM stat_hour_queue WHERE tenant_id = ?1 AND hour_ms = ?2)",
        &[s.tenant_id.into(), sunday_14.into()],
    ))
    .unwrap();
    assert_eq!(inbound_yesterday(&computed(&s), 14), 41);
    // A late call for Sunday 16:01 KST: in the next answer, no tick needed.
    let etag = b["version"].as_str().unwrap().to_owned();
    let at = jiff::Timestamp::from_millisecond(1_795_935_600_000 + 60_000).unwrap();
    s.app.deliver_ok(
        CallScript::inbound("LATE", "01099990000")
            .starting_at(at)
            .wait(1)
            .queued(1)
            .wait(3)
            .answered("kim")
            .wait(30)
            .ended()
            .events(),
    );
    let next = board(&s);
    assert_ne!(next["version"], etag);
    assert_eq!(inbound_yesterday(&next, 16), 1);
    assert_eq!(inbound_yesterday(&next, 23), scenarios::YESTERDAY_HOUR_23);
    // Hours before the change mark still come from the roll-up.
    assert_eq!(inbound_yesterday(&next, 14), 41);
    // The tick recomputes the marked hour: the same figure, now rolled up.
    let r = roll();
    assert_eq!(r.hours_recomputed, 1, "{r:?}");
    let after = computed(&s);
    assert_eq!(inbound_yesterday(&after, 16), 1);
    assert_eq!(inbound_yesterday(&after, 23), scenarios::YESTERDAY_HOUR_23);
}

#[test]
fn the_service_level_threshold_is_a_checked_setting() {
    let s = scenarios::seoul_floor();
    let r = s.owner.get("/api/settings/work/service-level");
    assert_eq!(r.json_body()["threshold_seconds"], 20);
    for bad in [0, 601, -5] {
        let r = s.owner.put(
            "/api/settings/work/service-level",
            json!({ "threshold_seconds": bad }),
        );
        assert_error(&r, 422, "validation_failed");
        assert!(r.json_body()["error"]["fields"]["threshold_seconds"].is_object());
    }
    let viewer = s.owner.add_admin("acme-viewer", "viewer");
    let r = viewer.put(
        "/api/settings/work/service-level",
        json!({ "threshold_seconds": 30 }),
    );
    assert_error(&r, 403, "forbidden");
    assert_eq!(
        viewer.get("/api/settings/work/service-level").json_body()["threshold_seconds"],
        20
    );
}

#[test]
fn sla_targets_colour_each_queue_figure() {
    let s = scenarios::seoul_day();
    let path = format!("/api/settings/menus/{}/targets", s.menu_1);
    // Queue 1: answer rate 57.1 %, SL 42.9 %, 1 waiting, longest 119 s.
    let r = s.owner.put(
        &path,
        json!({ "answer_rate_pct": 55, "service_level_pct": 80, "waiting_max": 2, "longest_wait_seconds": 600 }),
    );
    assert_eq!(r.status, 200, "{}", r.json_body());
    let g = &queue(&board(&s), 1)["grades"];
    assert_eq!(g["answer_rate"], "warn", "57.1 is within 5 points of 55");
    assert_eq!(g["service_level"], "bad", "42.9 misses 80");
    assert_eq!(g["waiting"], "ok", "1 of 2 is under 80 %");
    assert_eq!(g["longest_wait"], "ok");
    let r = s.owner.put(
        &path,
        json!({ "answer_rate_pct": 50, "waiting_max": 1, "longest_wait_seconds": 140 }),
    );
    assert_eq!(r.status, 200);
    let q = queue(&board(&s), 1);
    assert_eq!(q["grades"]["answer_rate"], "ok");
    assert_eq!(q["grades"]["service_level"], "none", "target cleared");
    assert_eq!(q["grades"]["waiting"], "bad");
    assert_eq!(q["grades"]["longest_wait"], "warn", "119 s ≥ 80 % of 140 s");
    assert_eq!(q["targets"]["answer_rate_pct"], 50);
    assert_eq!(s.owner.get(&path).json_body()["waiting_max"], 1);
    // Checked, and only on queues.
    let r = s
        .owner
        .put(&path, json!({ "answer_rate_pct": 101, "waiting_max": 0 }));
    assert_error(&r, 422, "validation_failed");
    let fields = &r.json_body()["error"]["fields"];
    assert!(fields["answer_rate_pct"].is_object() && fields["waiting_max"].is_object());
    let info = s.owner.get("/api/settings/menus").json_body()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["digit"] == 2)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = s.owner.put(
        &format!("/api/settings/menus/{info}/targets"),
        json!({ "answer_rate_pct": 80 }),
    );
    // The menu's kind is stored state: 409, naming the menu.
    assert_error(&r, 409, "conflict");
    assert_eq!(
        r.json_body()["error"]["fields"]["menu"]["code"],
        "invalid_choice"
    );
    // Deleting the menu takes its targets with it.
    let path_3 = format!("/api/settings/menus/{}/targets", s.menu_3);
    assert_eq!(
        s.owner.put(&path_3, json!({ "waiting_max": 3 })).status,
        200
    );
    let r = s
        .owner
        .delete(&format!("/api/settings/menus/{}?force=true", s.menu_3));
    assert!(r.status < 300, "{}", r.json_body());
    let left = block_on(switchboard_storage::Sql::query_row(
        s.app.db.as_ref(),
        "SELECT COUNT(*) FROM queue_targets WHERE menu_id = ?",
        &[s.menu_3.into()],
    ))
    .unwrap()
    .unwrap()
    .i64(0)
    .unwrap();
    assert_eq!(left, 0);
}

#[test]
fn todays_abandoned_calls_say_what_happened_since_and_take_a_callback_in_one_click() {
    let s = scenarios::seoul_day();
    let b = board(&s);
    let list = b["abandoned"].as_array().unwrap();
    assert_eq!(list.len(), scenarios::ABANDONED.len(), "{list:?}");
    for (row, (call, caller, wait_s, again, back)) in list.iter().zip(scenarios::ABANDONED) {
        assert_eq!(row["call_id"], call);
        assert_eq!(row["caller"], caller);
        assert_eq!(row["wait_ms"], wait_s * 1000);
        assert_eq!(row["called_again"], again, "{call}");
        assert_eq!(row["called_back"], back, "{call}");
        assert!(row["callback_id"].is_null());
    }
    let t4 = list.iter().find(|r| r["call_id"] == "T4").unwrap();
    assert_eq!(t4["queue"], "상담");
    let id = t4["id"].as_i64().unwrap();
    let audits_before = s.app.audit_rows().len();
    let viewer = s.owner.add_admin("acme-viewer", "viewer");
    assert_error(
        &viewer.post_empty(&format!("/api/dashboard/abandoned/{id}/callback")),
        403,
        "forbidden",
    );
    let r = s
        .owner
        .post_empty(&format!("/api/dashboard/abandoned/{id}/callback"));
    assert_eq!(r.status, 201, "{}", r.json_body());
    let cb = r.json_body()["callback"].clone();
    assert_eq!(cb["status"], "requested");
    assert_eq!(cb["number"], "01011110004");
    // The worker's queue: a callback request like a caller's own.
    let row = block_on(switchboard_storage::Sql::query_row(
        s.app.db.as_ref(),
        "SELECT number, digit, status FROM callbacks WHERE id = ?",
        &[cb["id"].as_i64().unwrap().into()],
    ))
    .unwrap()
    .unwrap();
    assert_eq!(row.text(0).unwrap(), "01011110004");
    assert_eq!(row.i64(1).unwrap(), 1);
    // Audited.
    let audits = s.app.audit_rows();
    assert!(audits.len() > audits_before);
    assert!(
        audits
            .iter()
            .any(|(action, _, _)| action == "dashboard.callback_request"),
        "{audits:?}"
    );
    // A second click answers the same request.
    let again = s
        .owner
        .post_empty(&format!("/api/dashboard/abandoned/{id}/callback"));
    assert_eq!(again.status, 200);
    assert_eq!(again.json_body()["callback"]["id"], cb["id"]);
    let t4 = board(&s)["abandoned"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["call_id"] == "T4")
        .unwrap()
        .clone();
    assert_eq!(t4["callback_id"], cb["id"]);
    assert_eq!(t4["callback_status"], "requested");
    // An answered call is no abandoned call.
    let answered = block_on(switchboard_storage::Sql::query_row(
        s.app.db.as_ref(),
        "SELECT id FROM calls WHERE call_id = 'T3'",
        &[],
    ))
    .unwrap()
    .unwrap()
    .i64(0)
    .unwrap();
    assert_error(
        &s.owner
            .post_empty(&format!("/api/dashboard/abandoned/{answered}/callback")),
        404,
        "not_found",
    );
}

fn wallboard(app: &TestApp, token: &str) -> crate::support::TestResponse {
    app.send(
        Req::new(Method::GET, "/api/dashboard/wallboard").with_header("x-wallboard-token", token),
    )
}

#[test]
fn a_wallboard_link_works_without_a_session_until_revoked() {
    let s = scenarios::seoul_day();
    let r = s.owner.post(
        "/api/dashboard/wallboard-links",
        json!({ "label": "3층 TV" }),
    );
    assert_eq!(r.status, 201, "{}", r.json_body());
    let created = r.json_body();
    let token = created["token"].as_str().unwrap().to_owned();
    assert_eq!(created["url"], format!("/wallboard/#{token}"));
    let id = created["link"]["id"].as_i64().unwrap();
    // No cookie, no session: the figures, without the callers' numbers.
    let w = wallboard(&s.app, &token);
    assert_eq!(w.status, 200, "{}", w.json_body());
    let body = w.json_body();
    assert_eq!(figures_of(&body["summary"]), scenarios::TODAY);
    assert!(body["abandoned"].is_null());
    assert!(!String::from_utf8_lossy(&w.body).contains("01011110004"));
    // Its own ETag.
    let etag = w.header("etag").unwrap().to_owned();
    let same = s.app.send(
        Req::new(Method::GET, "/api/dashboard/wallboard")
            .with_header("x-wallboard-token", &token)
            .with_header("if-none-match", &etag),
    );
    assert_eq!(same.status, 304);
    // The list never shows the token again.
    let list = s.owner.get("/api/dashboard/wallboard-links");
    assert_eq!(list.json_body()["items"][0]["label"], "3층 TV");
    assert!(!String::from_utf8_lossy(&list.body).contains(&token));
    // Wrong and missing tokens.
    assert_error(&wallboard(&s.app, "not-a-token"), 401, "unauthenticated");
    let none = s
        .app
        .send(Req::new(Method::GET, "/api/dashboard/wallboard"));
    assert_error(&none, 401, "unauthenticated");
    // Revoked: stops working, audited both ways.
    let r = s
        .owner
        .delete(&format!("/api/dashboard/wallboard-links/{id}"));
    assert_eq!(r.status, 200, "{}", r.json_body());
    assert!(r.json_body()["revoked_at"].is_string());
    assert_error(&wallboard(&s.app, &token), 401, "unauthenticated");
    let actions: Vec<String> = s.app.audit_rows().into_iter().map(|a| a.0).collect();
    assert!(
        actions.contains(&"wallboard_links.create".to_owned()),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"wallboard_links.revoke".to_owned()),
        "{actions:?}"
    );
    // Viewers neither list nor create links.
    let viewer = s.owner.add_admin("acme-viewer", "viewer");
    assert_error(
        &viewer.post("/api/dashboard/wallboard-links", json!({ "label": "x" })),
        403,
        "forbidden",
    );
    let r = s
        .owner
        .post("/api/dashboard/wallboard-links", json!({ "label": " " }));
    assert_error(&r, 422, "validation_failed");
}

#[test]
fn a_wallboard_shows_only_its_own_company_and_keeps_to_its_allowlist() {
    let s = scenarios::seoul_day();
    let (_, other) = s.app.tenant("other");
    let token = other
        .post(
            "/api/dashboard/wallboard-links",
            json!({ "label": "other" }),
        )
        .json_body()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let w = wallboard(&s.app, &token).json_body();
    assert_eq!(w["summary"]["total_inbound"], 0);
    assert!(!w.to_string().contains("kim-name"));
    // The other company's allowlist keeps the wall TV out too.
    let r = other.put(
        "/api/settings/access",
        json!({ "rules": [{ "rule": "127.0.0.0/8", "note": "office" }] }),
    );
    assert_eq!(r.status, 200, "{}", r.json_body());
    let from_outside = s.app.send(
        Req::new(Method::GET, "/api/dashboard/wallboard")
            .with_header("x-wallboard-token", &token)
            .with_peer("198.51.100.9".parse().unwrap()),
    );
    assert_error(&from_outside, 403, "ip_not_allowed");
}

#[test]
fn the_operator_sets_the_contracted_lines() {
    let s = scenarios::seoul_floor();
    let path = format!("/api/operator/tenants/{}/lines", s.tenant_id);
    let op = s.app.operator();
    assert_error(
        &op.put(&path, json!({ "lines": 0 })),
        422,
        "validation_failed",
    );
    assert_eq!(op.put(&path, json!({ "lines": 12 })).status, 200);
    assert_eq!(board(&s)["lines"]["contracted"], 12);
    assert_eq!(
        op.get(&format!("/api/operator/tenants/{}", s.tenant_id))
            .json_body()["contracted_lines"],
        12
    );
    assert_eq!(op.put(&path, json!({ "lines": null })).status, 200);
    assert!(board(&s)["lines"]["contracted"].is_null());
    assert_error(&s.owner.put(&path, json!({ "lines": 5 })), 403, "forbidden");
}

#[test]
fn pollers_without_the_etag_share_the_kept_answer_until_something_changes() {
    let s = scenarios::seoul_day();
    let first = s.owner.get("/api/dashboard");
    let key = format!("dashboard:{}:full", s.tenant_id);
    let kept = block_on(switchboard_storage::KeyValue::get(s.app.kv.as_ref(), &key))
        .unwrap()
        .expect("the answer is kept");
    assert!(
        kept.ends_with(&first.body),
        "the kept answer is the one sent"
    );
    // A second poller a little later gets the same figures (not recomputed),
    // with the server's clock of now in the header.
    s.app.advance(3);
    let second = s.owner.get("/api/dashboard");
    assert_eq!(second.body, first.body);
    assert_eq!(second.header("etag"), first.header("etag"));
    assert_eq!(
        second.header("x-server-time-ms").unwrap(),
        s.app.now().as_millisecond().to_string()
    );
    // An event: the next answer is new.
    s.app.deliver_ok(
        CallScript::inbound("K1", "01099990002")
            .starting_at(s.app.now())
            .queued(1),
    );
    let third = s.owner.get("/api/dashboard");
    assert_ne!(third.body, first.body);
    assert_eq!(
        queue(&third.json_body(), 1)["waiting"].as_i64().unwrap(),
        queue(&first.json_body(), 1)["waiting"].as_i64().unwrap() + 1
    );
}
