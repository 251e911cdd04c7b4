//! Scenarios of hand-computed figures (SPEC section 11): a known day of
//! calls and agents delivered as the provider's signed events, and the
//! figures a person computed from them by hand. The dashboard's tests
//! (MON-*) check them through `GET /api/dashboard`; the statistics
//! (STAT-*) and exports check the same scenarios through their own routes,
//! so the screens can never disagree.
//!
//! [`seoul_day`]: tenant `acme` in Asia/Seoul, the harness's clock at
//! Monday 2026-11-30 10:30 KST (`NOW`). Queues (agent-connect menus):
//! digit 1 "상담" (callback on), digit 3 "결제"; digit 2 is an information
//! menu. Agents kim, lee and park (park never signs in). The
//! service-level threshold is the default 20 s.
//!
//! | call | start (KST) | what happens | counts as |
//! | --- | --- | --- | --- |
//! | Y1 | Sun 14:00:00 | queue 1 +5 s, kim answers +15 s (wait 10), ends +75 s | yesterday: answered |
//! | Y2 | Sun 23:59:50 | queue 1 +2 s, abandons +32 s (wait 30, after midnight) | yesterday (its start): abandoned |
//! | T1 | Mon 00:00:10 | queue 1 +2 s, kim answers +12 s (wait 10), ends +60 s | hour 0 (15:00 UTC the day before); answered within |
//! | T2 | 09:59:30 | queue 1 +5 s, lee answers +30 s (wait 25, at 10:00:05), ends +120 s | hour 9; answered, not within |
//! | T3 | 10:00:00 | queue 1 +3 s, kim answers +23 s (wait exactly 20), ends +200 s | answered within (≤ threshold) |
//! | T4 | 10:01:00 | 010-1111-0004, queue 1 +2 s, abandons +47 s (wait 45) | abandoned; kim calls the number back at 10:10 (T10) |
//! | T5 | 10:02:00 | queue 1 +2 s, asks for a callback +32 s, ends +35 s | offered, callback conversion, **not** abandoned |
//! | T6 | 10:03:00 | information menu 2, ends +20 s | total inbound only |
//! | T7 | 10:04:00 | out of hours, ends +10 s | total inbound only |
//! | T8 | 10:05:00 | queue 3 +2 s, lee answers +8 s (wait 6), ends +100 s | queue 3 answered within |
//! | T9 | 10:06:00 | 010-1111-0009, queue 3 +2 s, abandons +12 s (wait 10) | abandoned; the caller calls again at 10:20 (T11) |
//! | T10 | 10:10:00 | kim dials 010-1111-0004, answered +10 s, ends +70 s | outbound |
//! | T11 | 10:20:00 | 010-1111-0009, queue 3 +2 s, still waiting at 10:30 | offered; waiting 598 s |
//! | T12 | 10:25:00 | kim calls lee's extension, still on | live internal |
//! | T13 | 10:28:00 | queue 1 +1 s, still waiting | offered; waiting 119 s |
//! | T14 | 10:29:00 | queue 1 +1 s, kim answers +5 s (wait 4), still talking | answered within; live |
//! | T15 | 10:29:30 | lee dials a callback (callback 1), still dialling | live callback dial |
//!
//! Agents: kim signs in 08:55 (ready), on call from 10:29:05; lee signs in
//! 09:00, after-call work 10:02:00–10:03:30 (90 s), ready, dialling from
//! 10:29:30.
//!
//! A `lost` call (closed by the worker when its end never comes; issue 18)
//! has no event of its own to script yet; `reports::metrics` leaves it out
//! of offered/answered/abandoned by its `result`.
#![allow(dead_code)]

use super::{AgentScript, CallScript, Session, TestApp};
use serde_json::{Value as Json, json};
use switchboard_telephony::{AgentState, Hours, Platform};

pub const SECRET: &str = "scenario-secret";

/// The scenario's "now": Monday 2026-11-30 10:30:00 KST.
pub const NOW: &str = "2026-11-30T01:30:00Z";

/// A day's (or a queue's) hand-computed figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    pub total_inbound: i64,
    pub offered: i64,
    pub answered: i64,
    pub abandoned: i64,
    pub callbacks: i64,
    pub answered_within: i64,
    /// Percent, one decimal; `None` when nothing was offered.
    pub answer_rate: Option<f64>,
    pub service_level: Option<f64>,
}

/// Monday (today) for the tenant.
pub const TODAY: Figures = Figures {
    total_inbound: 12,
    offered: 10,
    answered: 5,
    abandoned: 2,
    callbacks: 1,
    answered_within: 4,
    answer_rate: Some(50.0),
    service_level: Some(40.0),
};

/// Monday, queue 1 ("상담").
pub const TODAY_QUEUE_1: Figures = Figures {
    total_inbound: 7,
    offered: 7,
    answered: 4,
    abandoned: 1,
    callbacks: 1,
    answered_within: 3,
    answer_rate: Some(57.1),
    service_level: Some(42.9),
};

/// Monday, queue 3 ("결제").
pub const TODAY_QUEUE_3: Figures = Figures {
    total_inbound: 3,
    offered: 3,
    answered: 1,
    abandoned: 1,
    callbacks: 0,
    answered_within: 1,
    answer_rate: Some(33.3),
    service_level: Some(33.3),
};

/// Sunday (yesterday).
pub const YESTERDAY: Figures = Figures {
    total_inbound: 2,
    offered: 2,
    answered: 1,
    abandoned: 1,
    callbacks: 0,
    answered_within: 1,
    answer_rate: Some(50.0),
    service_level: Some(50.0),
};

/// Inbound calls per local hour (MON-2): (hour, today, yesterday); every
/// other hour is 0 on both days.
pub const INBOUND_BY_HOUR: [(i64, i64, i64); 4] = [(0, 1, 0), (9, 1, 0), (10, 10, 0), (14, 0, 1)];
/// Yesterday's last hour (Y2 started at 23:59:50).
pub const YESTERDAY_HOUR_23: i64 = 1;

/// MON-6 per hour today: (hour, offered, answered, within, day's answer
/// rate so far, day's service level so far).
pub const TREND: [(i64, i64, i64, i64, f64, f64); 3] = [
    (0, 1, 1, 1, 100.0, 100.0),
    (9, 1, 1, 0, 100.0, 50.0),
    (10, 8, 3, 3, 50.0, 40.0),
];

/// Waiting now (MON-5): (digit, callers, longest wait in seconds).
pub const WAITING: [(i64, i64, i64); 2] = [(1, 1, 119), (3, 1, 598)];

/// Lines in use (MON-1): in use, consultation, internal, callback, other
/// outbound; the contract's lines are set to [`CONTRACTED_LINES`].
pub const LINES: (i64, i64, i64, i64, i64) = (5, 3, 1, 1, 0);
pub const CONTRACTED_LINES: i64 = 30;

/// Agents now (MON-7): (login, state, since (UTC), answered today,
/// outbound today).
pub const AGENTS: [(&str, &str, Option<&str>, i64, i64); 3] = [
    ("kim", "on_call", Some("2026-11-30T01:29:05Z"), 3, 1),
    ("lee", "dialing", Some("2026-11-30T01:29:30Z"), 2, 1),
    ("park", "logged_out", None, 0, 0),
];

/// After-call work today (SPEC section 11): lee 90 s, kim none.
pub const ACW_LEE_MS: i64 = 90_000;

/// Today's abandoned calls, newest first: (call, caller, wait s, called
/// again, called back).
pub const ABANDONED: [(&str, &str, i64, bool, bool); 2] = [
    ("T9", "01011110009", 10, true, false),
    ("T4", "01011110004", 45, false, true),
];

/// The scenario's app and the tenant's owner.
pub struct Scenario {
    pub app: TestApp,
    pub tenant_id: i64,
    pub owner: Session,
    pub menu_1: i64,
    pub menu_3: i64,
}

fn kst(local: &str) -> jiff::Timestamp {
    jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M:%S", local)
        .unwrap()
        .to_zoned_datetime(jiff::tz::TimeZone::get("Asia/Seoul").unwrap())
        .unwrap()
        .timestamp()
}

/// The tenant, its queues and agents, no events yet; the clock at [`NOW`].
pub fn seoul_floor() -> Scenario {
    let app = TestApp::with_operator().with_var("webhook_secret", SECRET);
    let (tenant_id, owner) = app.tenant("acme");
    let ok = |r: super::TestResponse, status: u16| {
        assert_eq!(r.status, status, "{}", r.json_body());
        r.json_body()
    };
    ok(owner.put("/api/settings/ars", super::ars_body()), 200);
    let menu_1 = ok(
        owner.post(
            "/api/settings/menus",
            json!({ "digit": 1, "kind": "agents", "queue": "상담", "callback": true }),
        ),
        201,
    )["id"]
        .as_i64()
        .unwrap();
    ok(
        owner.post(
            "/api/settings/menus",
            json!({ "digit": 2, "kind": "info", "message": { "kind": "text", "text": "영업시간 안내입니다." } }),
        ),
        201,
    );
    let menu_3 = ok(
        owner.post(
            "/api/settings/menus",
            json!({ "digit": 3, "kind": "agents", "queue": "결제" }),
        ),
        201,
    )["id"]
        .as_i64()
        .unwrap();
    for login in ["kim", "lee", "park"] {
        ok(
            owner.post(
                "/api/settings/agents",
                json!({ "login_id": login, "name": format!("{login}-name"), "password": "agent-pass-123" }),
            ),
            201,
        );
    }
    ok(
        app.operator().put(
            &format!("/api/operator/tenants/{tenant_id}/lines"),
            json!({ "lines": CONTRACTED_LINES }),
        ),
        200,
    );
    app.set_now(NOW.parse().unwrap());
    Scenario {
        app,
        tenant_id,
        owner,
        menu_1,
        menu_3,
    }
}

/// The scenario's events, as the provider sends them.
pub fn seoul_day_events() -> Vec<Vec<switchboard_telephony::WireEvent>> {
    let inbound = |id: &str, from: &str, at: &str| {
        CallScript::inbound(id, from).starting_at(kst(&format!("2026-11-{at}")))
    };
    vec![
        inbound("Y1", "01022220001", "29 14:00:00")
            .wait(5)
            .queued(1)
            .wait(10)
            .answered("kim")
            .wait(60)
            .ended()
            .events(),
        inbound("Y2", "01022220002", "29 23:59:50")
            .wait(2)
            .queued(1)
            .wait(30)
            .abandoned()
            .ended()
            .events(),
        inbound("T1", "01011110001", "30 00:00:10")
            .wait(2)
            .queued(1)
            .wait(10)
            .answered("kim")
            .wait(48)
            .ended()
            .events(),
        inbound("T2", "01011110002", "30 09:59:30")
            .wait(5)
            .queued(1)
            .wait(25)
            .answered("lee")
            .wait(90)
            .ended()
            .events(),
        inbound("T3", "01011110003", "30 10:00:00")
            .wait(3)
            .queued(1)
            .wait(20)
            .answered("kim")
            .wait(177)
            .ended()
            .events(),
        inbound("T4", "01011110004", "30 10:01:00")
            .wait(2)
            .queued(1)
            .wait(45)
            .abandoned()
            .ended()
            .events(),
        inbound("T5", "01011110005", "30 10:02:00")
            .wait(2)
            .queued(1)
            .wait(30)
            .callback_requested("01011110005", 1)
            .wait(3)
            .ended()
            .events(),
        inbound("T6", "01011110006", "30 10:03:00")
            .wait(5)
            .menu(2)
            .wait(15)
            .ended()
            .events(),
        inbound("T7", "01011110007", "30 10:04:00")
            .hours(Hours::Closed)
            .wait(10)
            .ended()
            .events(),
        inbound("T8", "01011110008", "30 10:05:00")
            .wait(2)
            .queued(3)
            .wait(6)
            .answered("lee")
            .wait(92)
            .ended()
            .events(),
        inbound("T9", "01011110009", "30 10:06:00")
            .wait(2)
            .queued(3)
            .wait(10)
            .abandoned()
            .ended()
            .events(),
        CallScript::outbound("T10", "kim", "01011110004")
            .starting_at(kst("2026-11-30 10:10:00"))
            .wait(10)
            .answered("kim")
            .wait(60)
            .ended()
            .events(),
        inbound("T11", "01011110009", "30 10:20:00")
            .wait(2)
            .queued(3)
            .events(),
        CallScript::internal("T12", "kim", "lee")
            .starting_at(kst("2026-11-30 10:25:00"))
            .events(),
        inbound("T13", "01011110013", "30 10:28:00")
            .wait(1)
            .queued(1)
            .events(),
        inbound("T14", "01011110014", "30 10:29:00")
            .wait(1)
            .queued(1)
            .wait(4)
            .answered("kim")
            .events(),
        CallScript::outbound("T15", "lee", "01011110005")
            .callback_of(1)
            .starting_at(kst("2026-11-30 10:29:30"))
            .events(),
        AgentScript::login("kim", "s-kim", Platform::Pc, "203.0.113.7")
            .starting_at(kst("2026-11-30 08:55:00"))
            .events(),
        AgentScript::later("kim", "s-kim")
            .ids("kim-2")
            .starting_at(kst("2026-11-30 10:29:05"))
            .state(AgentState::OnCall)
            .events(),
        AgentScript::login("lee", "s-lee", Platform::Pc, "203.0.113.8")
            .starting_at(kst("2026-11-30 09:00:00"))
            .events(),
        AgentScript::later("lee", "s-lee")
            .ids("lee-2")
            .starting_at(kst("2026-11-30 10:02:00"))
            .state(AgentState::AfterCallWork)
            .wait(90)
            .state(AgentState::Ready)
            .events(),
        AgentScript::later("lee", "s-lee")
            .ids("lee-3")
            .starting_at(kst("2026-11-30 10:29:30"))
            .state(AgentState::Dialing)
            .events(),
    ]
}

/// [`seoul_floor`] with the day's events delivered.
pub fn seoul_day() -> Scenario {
    let s = seoul_floor();
    for events in seoul_day_events() {
        s.app.deliver_ok(events);
    }
    s
}

/// The figures of a dashboard (or statistics) JSON object holding
/// `total_inbound`, `offered`, … as [`Figures`].
pub fn figures_of(v: &Json) -> Figures {
    Figures {
        total_inbound: v["total_inbound"].as_i64().unwrap(),
        offered: v["offered"].as_i64().unwrap(),
        answered: v["answered"].as_i64().unwrap(),
        abandoned: v["abandoned"].as_i64().unwrap(),
        callbacks: v["callbacks"].as_i64().unwrap(),
        answered_within: v["answered_within"].as_i64().unwrap(),
        answer_rate: v["answer_rate"].as_f64(),
        service_level: v["service_level"].as_f64(),
    }
}
