//! A worker tick's duration (RUN-4, CB-2, CB-5): with no callback at all,
//! and with 10 000 pending callbacks in one queue of a company that is open
//! and has 5 ready agents (the first tick dials 5; later ticks find every
//! agent busy with a dial and dial nothing). The provider is a fake that
//! answers 202 at once, so the figures are the worker's own cost. The
//! database is a file, as Spin's is. Beside each tick figure: the query
//! that finds the due queues and the claim statement (one `UPDATE …
//! RETURNING` of 5 requests, given back after each run), each run alone on
//! the same connection (median of 3).
//! Run with `scripts/bench.sh` (or `cargo bench -p switchboard-app --bench worker_tick`).
#![allow(clippy::unwrap_used)]

use futures::executor::block_on;
use std::rc::Rc;
use std::time::{Duration, Instant};
use switchboard_app::runtime::config::MapVariables;
use switchboard_app::telephony::ingest::{self, Source};
use switchboard_app::worker::provider::{Answer, Originate, Provider};
use switchboard_app::worker::{self, Limits};
use switchboard_app::{Clock, Host, mount_for, serve};
use switchboard_http::{Body, IncomingRequest, OutboundError, PeerAddr, ResponseExt, http};
use switchboard_storage::BoxFuture;
use switchboard_storage_native::{NativeKv, NativeSql};

struct Instant202;
impl Provider for Instant202 {
    fn originate<'a>(&'a self, _o: &'a Originate) -> BoxFuture<'a, Result<Answer, OutboundError>> {
        Box::pin(async {
            Ok(Answer {
                status: 202,
                body: "{\"status\":\"dialing\"}".into(),
            })
        })
    }
}

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1e3
}

const NOW: &str = "2026-11-30T01:00:00Z";

/// A company open all week with queue 1 and five agents signed in and ready.
fn setup(path: &std::path::Path) -> (Host, i64) {
    let _ = std::fs::remove_file(path);
    let now: jiff::Timestamp = NOW.parse().unwrap();
    let host = Host::new(
        Rc::new(NativeSql::open(path).unwrap()),
        Rc::new(NativeKv::in_memory().unwrap()),
        Rc::new(MapVariables::default().with("bootstrap_operator_password", "benchmark-password")),
    )
    .with_clock(Clock::Fixed(now));
    let send = |req: IncomingRequest| {
        let resp = block_on(serve(mount_for(req.uri().path()), &host, req));
        let status = resp.status().as_u16();
        let cookie = resp.header_str("set-cookie").map(str::to_owned);
        let body = block_on(resp.into_body().collect()).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        assert!(status < 300, "{status} {json}");
        (cookie, json)
    };
    let req =
        |method: &str, path: &str, cookie: Option<&(String, String)>, body: serde_json::Value| {
            let mut b = http::Request::builder()
                .method(method)
                .uri(path)
                .header("content-type", "application/json");
            if let Some((c, csrf)) = cookie {
                b = b.header("cookie", c).header("x-csrf-token", csrf);
            }
            let mut r = b
                .body(Body::from(serde_json::to_vec(&body).unwrap()))
                .unwrap();
            r.extensions_mut().insert(PeerAddr([127, 0, 0, 1].into()));
            r
        };
    let login = |id: &str, pw: &str| {
        let (c, j) = send(req(
            "POST",
            "/api/auth/login",
            None,
            serde_json::json!({ "login_id": id, "password": pw }),
        ));
        (
            c.unwrap().split(';').next().unwrap().to_owned(),
            j["csrf_token"].as_str().unwrap().to_owned(),
        )
    };
    let op = login("operator", "benchmark-password");
    let (_, t) = send(req(
        "POST",
        "/api/operator/tenants",
        Some(&op),
        serde_json::json!({
            "name": "bench", "plan": "basic", "licence_count": 10,
            "service_start": "2026-01-01", "service_end": "2026-12-31",
            "owner": { "login_id": "bench-owner", "name": "Owner", "password": "owner-pass-123" }
        }),
    ));
    let tenant_id = t["tenant"]["id"].as_i64().unwrap();
    let owner = login("bench-owner", "owner-pass-123");
    let all_day =
        serde_json::json!({ "available": true, "ranges": [{ "start": "00:00", "end": "24:00" }] });
    send(req(
        "PUT",
        "/api/settings/hours",
        Some(&owner),
        serde_json::json!({ "groups": { "weekdays": all_day, "weekend": all_day } }),
    ));
    let (_, menu) = send(req(
        "POST",
        "/api/settings/menus",
        Some(&owner),
        serde_json::json!({ "digit": 1, "kind": "agents", "queue": "상담", "callback": true }),
    ));
    let mut events = Vec::new();
    for i in 0..5 {
        let login_id = format!("agent{i}");
        let (_, a) = send(req(
            "POST",
            "/api/settings/agents",
            Some(&owner),
            serde_json::json!({ "login_id": login_id, "name": login_id, "password": "agent-pass-123" }),
        ));
        send(req(
            "PUT",
            &format!("/api/settings/agents/{}/menus", a["id"]),
            Some(&owner),
            serde_json::json!({ "menu_ids": [menu["id"]] }),
        ));
        events.push(serde_json::json!({ "id": format!("login-{i}"), "type": "agent.login", "at": "2026-11-30T00:50:00Z", "line": "070-1234-5678", "agent": login_id, "session": format!("s{i}"), "platform": "pc", "ip": "10.0.0.1" }));
    }
    let events = switchboard_telephony::parse_body(
        &serde_json::to_vec(&serde_json::json!({ "events": events })).unwrap(),
    )
    .unwrap();
    block_on(ingest::store(
        host.db.as_ref(),
        &events,
        Source::AgentApp { tenant_id },
        now.as_millisecond(),
    ))
    .unwrap();
    (host, tenant_id)
}

const DUE_QUEUES: &str = "SELECT tenant_id, digit, COUNT(*) FROM callbacks \
     WHERE status = 'requested' AND stage IS NULL AND due_ms <= ?1 \
       AND (lease_until_ms IS NULL OR lease_until_ms <= ?1) GROUP BY tenant_id, digit";

fn tick(host: &Host) -> (Duration, worker::TickReport) {
    let t = Instant::now();
    let r = block_on(worker::tick_with(
        host,
        Some(&Instant202),
        Limits::default(),
    ))
    .unwrap();
    (t.elapsed(), r)
}

fn direct(host: &Host, now_ms: i64) -> f64 {
    median(
        (0..3)
            .map(|_| {
                let t = Instant::now();
                block_on(host.db.query(DUE_QUEUES, &[now_ms.into()])).unwrap();
                t.elapsed()
            })
            .collect(),
    )
}

/// The claim statement of `records::callbacks::claim`, as the tick runs it
/// for queue 1 with 5 ready agents, run alone; the claimed requests are
/// given back after each run.
const CLAIM: &str = "UPDATE callbacks SET claimed_by = 'raw', lease_until_ms = ?2 \
     WHERE id IN (SELECT id FROM callbacks \
                  WHERE tenant_id = ?3 AND digit = 1 AND status = 'requested' AND stage IS NULL \
                    AND due_ms <= ?1 AND (lease_until_ms IS NULL OR lease_until_ms <= ?1) \
                  ORDER BY due_ms, id LIMIT 5) \
       AND status = 'requested' AND stage IS NULL \
       AND (lease_until_ms IS NULL OR lease_until_ms <= ?1) \
     RETURNING id, tenant_id, number, requested_ms, \
       (SELECT COUNT(*) FROM callback_attempts x WHERE x.callback_id = callbacks.id)";

fn claim_alone(host: &Host, tenant_id: i64, now_ms: i64) -> (f64, usize) {
    let mut n = 0;
    let times = (0..3)
        .map(|_| {
            let t = Instant::now();
            let rows = block_on(host.db.query(
                CLAIM,
                &[now_ms.into(), (now_ms + 60_000).into(), tenant_id.into()],
            ))
            .unwrap();
            let d = t.elapsed();
            n = rows.len();
            block_on(host.db.execute(
                "UPDATE callbacks SET claimed_by = NULL, lease_until_ms = NULL WHERE claimed_by = 'raw'",
                &[],
            ))
            .unwrap();
            d
        })
        .collect();
    (median(times), n)
}

fn main() {
    let dir = std::env::temp_dir().join(format!("sb-bench-worker-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let now_ms = NOW.parse::<jiff::Timestamp>().unwrap().as_millisecond();

    let (host, none_tenant) = setup(&dir.join("none.db"));
    tick(&host); // the first tick of a fresh database applies nothing new but warms the caches
    let none: Vec<Duration> = (0..9).map(|_| tick(&host).0).collect();
    let (claim_ms, claimed) = claim_alone(&host, none_tenant, now_ms);
    println!(
        "{:<58} median {:>8.2} ms   (due-queue query alone {:.3} ms; claim alone {:.3} ms, {} claimed)",
        "tick, no callbacks (n=9)",
        median(none),
        direct(&host, now_ms),
        claim_ms,
        claimed
    );

    let (host, tenant_id) = setup(&dir.join("pending.db"));
    block_on(host.db.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) \
         INSERT INTO callbacks (tenant_id, call_id, number, digit, requested_ms) \
         SELECT ?, 'bench-' || i, '0101234' || printf('%04d', i), 1, ? - i * 1000 FROM n",
        &[tenant_id.into(), (now_ms - 60_000).into()],
    ))
    .unwrap();
    // The first tick also records 1 000 new requests as transitions (its
    // per-tick limit); ticks 2..10 the rest.
    // The claim alone, before any tick has touched the 10 000.
    let (claim_ms, claimed) = claim_alone(&host, tenant_id, now_ms);
    println!(
        "{:<58} {:>15.3} ms   ({} claimed)",
        "claim alone, 10 000 pending (raw statement, median of 3)", claim_ms, claimed
    );
    let (first, r) = tick(&host);
    println!(
        "{:<58} {:>15.2} ms   dialled {}, recorded {}",
        "tick, 10 000 pending, 5 ready agents: first",
        first.as_secs_f64() * 1e3,
        r.count("dialled"),
        r.count("recorded")
    );
    let mut catch_up = Vec::new();
    for _ in 0..9 {
        catch_up.push(tick(&host).0);
    }
    println!(
        "{:<58} median {:>8.2} ms",
        "tick, 10 000 pending, recording the rest (n=9)",
        median(catch_up)
    );
    let steady: Vec<Duration> = (0..9).map(|_| tick(&host).0).collect();
    let last = tick(&host).1;
    println!(
        "{:<58} median {:>8.2} ms   (due-queue query alone {:.3} ms; dialled {}, no_ready_agent {})",
        "tick, 10 000 pending, every agent busy (n=9)",
        median(steady),
        direct(&host, now_ms),
        last.count("dialled"),
        last.count("no_ready_agent")
    );
    let _ = std::fs::remove_dir_all(&dir);
}
