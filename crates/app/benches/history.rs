//! Service lookup speed (HIST-1, HIST-2): 5 million calls in one company,
//! read through the whole pipeline (native, a SQLite file), each figure
//! beside the same query run directly on SQLite (rusqlite, median of 3).
//! Run with `cargo bench -p switchboard-app --bench history` (or
//! `scripts/bench.sh history`); `HISTORY_CALLS=500000` for a smaller run.
//! Prints the figures BENCHMARKS.md records; asserts nothing about speed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use bytes::Bytes;
use futures::executor::block_on;
use rusqlite::Connection;
use serde_json::{Value, json};
use std::path::Path;
use std::rc::Rc;
use std::time::{Duration, Instant};
use switchboard_app::runtime::config::MapVariables;
use switchboard_app::{Host, mount_for, serve};
use switchboard_http::{
    Body, HttpClient, IncomingRequest, OutboundError, OutboundRequest, PeerAddr, Response,
    ResponseExt, StatusCode, http,
};
use switchboard_storage::BoxFuture;
use switchboard_storage_native::{NativeKv, NativeSql};

const REC_ORIGIN: &str = "http://bench.invalid";
/// Bytes per recording served by the fake provider (generated, never held).
const REC_BYTES: usize = 256 * 1024;

/// A provider that makes up each recording as it streams it, 16 KiB at a
/// time, so the only memory a ZIP can hold on to is the app's own.
struct MadeUp;

impl HttpClient for MadeUp {
    fn send(&self, _req: OutboundRequest) -> BoxFuture<'_, Result<Response, OutboundError>> {
        Box::pin(async move {
            let chunks = futures::stream::iter(
                (0..REC_BYTES / 16_384).map(|i| Ok(Bytes::from(vec![(i % 251) as u8; 16_384]))),
            );
            Ok(Response::body_of("audio/mpeg", Body::from_stream(chunks))
                .with_status(StatusCode::OK))
        })
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn stats(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let at = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    (ms(at(0.5)), ms(at(0.99)))
}

/// The process's peak and current resident memory, in MiB (Linux).
fn memory() -> (f64, f64) {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |k: &str| {
        s.lines()
            .find(|l| l.starts_with(k))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    };
    (kb("VmHWM:"), kb("VmRSS:"))
}

struct App {
    host: Host,
    cookie: String,
    csrf: String,
}

impl App {
    fn send(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Bytes) {
        let mut req = http::Request::builder().method(method).uri(path);
        if !self.cookie.is_empty() {
            req = req
                .header("cookie", &self.cookie)
                .header("x-csrf-token", &self.csrf);
        }
        let body = match body {
            Some(b) => {
                req = req.header("content-type", "application/json");
                Body::from(serde_json::to_vec(&b).unwrap())
            }
            None => Body::empty(),
        };
        let mut req: IncomingRequest = req.body(body).unwrap();
        req.extensions_mut().insert(PeerAddr([127, 0, 0, 1].into()));
        let resp = block_on(serve(mount_for(path), &self.host, req));
        let status = resp.status().as_u16();
        let bytes = block_on(resp.into_body().collect()).unwrap();
        (status, bytes)
    }

    fn login(&mut self, login: &str, password: &str) {
        self.cookie.clear();
        let body = json!({ "login_id": login, "password": password });
        let mut req: IncomingRequest = http::Request::post("/api/auth/login")
            .header("content-type", "application/json")
            .body(Body::from(serde_json::to_vec(&body).unwrap()))
            .unwrap();
        req.extensions_mut().insert(PeerAddr([127, 0, 0, 1].into()));
        let resp = block_on(serve(mount_for("/api/auth/login"), &self.host, req));
        assert_eq!(resp.status().as_u16(), 200);
        self.cookie = resp
            .header_str("set-cookie")
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let b = block_on(resp.into_body().collect()).unwrap();
        let v: Value = serde_json::from_slice(&b).unwrap();
        self.csrf = v["csrf_token"].as_str().unwrap().to_owned();
    }

    fn ok(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let (s, b) = self.send(method, path, body);
        assert!(
            s < 300,
            "{method} {path}: {s} {}",
            String::from_utf8_lossy(&b)
        );
        serde_json::from_slice(&b).unwrap_or(Value::Null)
    }
}

fn timed(n: usize, mut f: impl FnMut()) -> Vec<Duration> {
    (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect()
}

/// The same query straight on SQLite: median of three runs, and the index
/// SQLite's plan names.
fn raw(conn: &Connection, sql: &str, params: &[&dyn rusqlite::ToSql]) -> (f64, String) {
    let mut runs: Vec<Duration> = (0..3)
        .map(|_| {
            let t = Instant::now();
            let mut st = conn.prepare_cached(sql).unwrap();
            let mut rows = st.query(params).unwrap();
            while rows.next().unwrap().is_some() {}
            t.elapsed()
        })
        .collect();
    runs.sort();
    let mut st = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    let plan: Vec<String> = st
        .query_map(params, |r| r.get::<_, String>(3))
        .unwrap()
        .map(Result::unwrap)
        .filter(|d| d.contains("INDEX") && d.contains(" k "))
        .collect();
    (ms(runs[1]), plan.join("; "))
}

const CALL_SELECT: &str = "SELECT k.id, k.call_id, k.direction, k.caller, k.line, k.started_ms, \
    k.answered_ms, k.ended_ms, k.wait_ms, k.talk_ms, k.result, k.live, k.digit, m.queue, \
    k.agent_id, k.agent, a.name, k.to_agent, \
    (SELECT COUNT(*) FROM recordings r WHERE r.tenant_id = k.tenant_id AND r.call_id = k.call_id), \
    (SELECT COUNT(*) FROM consultations c WHERE c.tenant_id = k.tenant_id AND c.call_id = k.call_id) \
    FROM calls k \
    LEFT JOIN ars_menus m ON m.tenant_id = k.tenant_id AND m.digit = k.digit AND m.kind = 'agents' \
    LEFT JOIN agents a ON a.id = k.agent_id AND a.tenant_id = k.tenant_id";

fn load(path: &Path, tenant: i64, agent: i64, n: i64) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;")
        .unwrap();
    let base: i64 = 1_764_000_000_000; // 2025-11-24
    let t = Instant::now();
    // Calls every 6 s over a year: 7 in 10 answered by the agent in queue
    // 1, 1 in 10 abandoned in queue 2, 2 in 10 the agent's outbound calls.
    conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?3 - 1) \
         INSERT INTO calls (tenant_id, call_id, line, first_ms, event_count, \
           received_ms, received_event, received_number, received_hours, \
           outbound_ms, outbound_event, outbound_agent, outbound_number, \
           queued_ms, queued_event, queued_digit, answered_ms, answered_event, answered_agent, \
           abandoned_ms, ended_ms, agent_id) \
         SELECT ?1, 'b' || i, '07012345678', ?4 + i * 6000, 5, \
           CASE WHEN i % 10 < 8 THEN ?4 + i * 6000 END, CASE WHEN i % 10 < 8 THEN 'r' || i END, \
           CASE WHEN i % 10 < 8 THEN '010' || printf('%08d', (i * 7919) % 100000000) END, \
           CASE WHEN i % 10 < 8 THEN 'open' END, \
           CASE WHEN i % 10 >= 8 THEN ?4 + i * 6000 END, CASE WHEN i % 10 >= 8 THEN 'o' || i END, \
           CASE WHEN i % 10 >= 8 THEN 'kim' END, \
           CASE WHEN i % 10 >= 8 THEN '010' || printf('%08d', (i * 7919) % 100000000) END, \
           CASE WHEN i % 10 < 8 THEN ?4 + i * 6000 + 3000 END, CASE WHEN i % 10 < 8 THEN 'q' || i END, \
           CASE WHEN i % 10 < 7 THEN 1 WHEN i % 10 = 7 THEN 2 END, \
           CASE WHEN i % 10 < 7 OR i % 10 = 9 THEN ?4 + i * 6000 + 9000 END, \
           CASE WHEN i % 10 < 7 OR i % 10 = 9 THEN 'a' || i END, \
           CASE WHEN i % 10 < 7 OR i % 10 = 9 THEN 'kim' END, \
           CASE WHEN i % 10 = 7 THEN ?4 + i * 6000 + 40000 END, \
           CASE WHEN i % 10 != 7 THEN ?4 + i * 6000 + 190000 END, \
           CASE WHEN i % 10 != 7 THEN ?2 END \
         FROM n",
        rusqlite::params![tenant, agent, n, base],
    )
    .unwrap();
    println!("loaded {n} calls in {:.0} s", t.elapsed().as_secs_f64());
    // 100 000 consultations (the newest answered calls) and 2 000 recordings.
    conn.execute(
        "INSERT INTO consultations (tenant_id, call_id, agent_id, type_id, memo, created_ms, updated_ms) \
         SELECT tenant_id, call_id, ?2, NULL, '배송 문의: 내일 다시 안내 드리기로 함', ended_ms, ended_ms \
         FROM calls WHERE tenant_id = ?1 AND answered_ms IS NOT NULL AND received_ms IS NOT NULL \
         ORDER BY started_ms DESC LIMIT 100000",
        rusqlite::params![tenant, agent],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO recordings (tenant_id, call_id, event_id, url, duration_ms, format, at_ms) \
         SELECT tenant_id, call_id, 'rec-' || call_id, ?2 || '/r/' || call_id || '.mp3', 180000, 'mp3', ended_ms \
         FROM calls WHERE tenant_id = ?1 AND answered_ms IS NOT NULL ORDER BY started_ms DESC LIMIT 2000",
        rusqlite::params![tenant, REC_ORIGIN],
    )
    .unwrap();
}

fn main() {
    let n: i64 = std::env::var("HISTORY_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000_000);
    let dir =
        std::env::temp_dir().join(format!("switchboard-bench-history-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db_path = dir.join("db.sqlite");
    let sql = Rc::new(NativeSql::open(&db_path).unwrap());
    let host = Host::new(
        sql,
        Rc::new(NativeKv::in_memory().unwrap()),
        Rc::new(
            MapVariables::default()
                .with("bootstrap_operator_password", "benchmark-password")
                .with("provider_recordings_origin", REC_ORIGIN),
        ),
    )
    .with_http_client(Rc::new(MadeUp));
    let mut app = App {
        host,
        cookie: String::new(),
        csrf: String::new(),
    };
    app.login("operator", "benchmark-password");
    let t = app.ok(
        "POST",
        "/api/operator/tenants",
        Some(json!({ "name": "bench", "plan": "basic", "licence_count": 10,
            "service_start": "2025-01-01", "service_end": "2099-12-31",
            "owner": { "login_id": "bench-owner", "name": "Owner", "password": "owner-pass-123" } })),
    );
    let tenant = t["tenant"]["id"].as_i64().unwrap();
    for number in ["07012345678", "021234567"] {
        app.ok(
            "POST",
            "/api/operator/numbers",
            Some(json!({ "number": number, "tenant_id": tenant })),
        );
    }
    app.login("bench-owner", "owner-pass-123");
    app.ok("PUT", "/api/settings/ars", Some(json!({
        "representative_number": "070-1234-5678", "caller_id": "02-123-4567",
        "greeting": { "kind": "text", "text": "안녕하십니까" }, "out_of_hours": "x", "connecting": "x",
        "busy": "x", "busy_wait_seconds": 30, "callback": "x" })));
    app.ok(
        "POST",
        "/api/settings/menus",
        Some(json!({ "digit": 1, "kind": "agents", "queue": "일반 상담" })),
    );
    app.ok(
        "POST",
        "/api/settings/menus",
        Some(json!({ "digit": 2, "kind": "agents", "queue": "결제" })),
    );
    let agent = app.ok(
        "POST",
        "/api/settings/agents",
        Some(json!({ "login_id": "kim", "name": "김민준", "password": "agent-pass-123" })),
    )["id"]
        .as_i64()
        .unwrap();
    load(&db_path, tenant, agent, n);
    let conn = Connection::open(&db_path).unwrap();
    println!(
        "machine: {} cores; calls {n}; one company; native pipeline over a SQLite file (WAL)",
        std::thread::available_parallelism().map_or(0, |c| c.get())
    );
    println!(
        "{:<58} {:>9} {:>9} {:>12}  index",
        "what", "median", "p99", "raw SQLite"
    );

    let row =
        |what: &str, path: &str, runs: usize, raw_sql: &str, params: &[&dyn rusqlite::ToSql]| {
            let (median, p99) = stats(timed(runs, || {
                let (s, _) = app.send("GET", path, None);
                assert_eq!(s, 200, "{path}");
            }));
            let (r, plan) = raw(&conn, raw_sql, params);
            println!("{what:<58} {median:>7.2}ms {p99:>7.2}ms {r:>10.2}ms  {plan}");
        };

    let first = format!(
        "{CALL_SELECT} WHERE k.tenant_id = ?1 ORDER BY k.started_ms DESC, k.id DESC LIMIT 51"
    );
    row(
        "call history, first page (50)",
        "/api/history/calls",
        50,
        &first,
        &[&tenant],
    );
    let (deep_ms, deep_id): (i64, i64) = conn
        .query_row(
            "SELECT started_ms, id FROM calls WHERE tenant_id = ?1 ORDER BY started_ms DESC, id DESC LIMIT 1 OFFSET ?2",
            [tenant, (n / 2).min(500_000) - 1],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let deep = format!(
        "{CALL_SELECT} WHERE k.tenant_id = ?1 AND (k.started_ms, k.id) < (?2, ?3) ORDER BY k.started_ms DESC, k.id DESC LIMIT 51"
    );
    row(
        "call history, page 10 000 (row 500 000, by cursor)",
        &format!("/api/history/calls?cursor={deep_ms}.{deep_id}"),
        50,
        &deep,
        &[&tenant, &deep_ms, &deep_id],
    );
    let prefix = format!(
        "{CALL_SELECT} WHERE k.tenant_id = ?1 AND k.caller >= ?2 AND k.caller < ?3 ORDER BY k.started_ms DESC, k.id DESC LIMIT 51"
    );
    row(
        "number `010-1234` (prefix)",
        "/api/history/calls?number=010-1234",
        20,
        &prefix,
        &[&tenant, &"0101234", &"0101234:"],
    );
    let short = format!(
        "{CALL_SELECT} WHERE k.tenant_id = ?1 AND +k.caller >= ?2 AND +k.caller < ?3 ORDER BY k.started_ms DESC, k.id DESC LIMIT 51"
    );
    row(
        "number `010` (prefix matching every call)",
        "/api/history/calls?number=010",
        20,
        &short,
        &[&tenant, &"010", &"010:"],
    );
    row(
        "number `0212` (short prefix matching none)",
        "/api/history/calls?number=0212",
        20,
        &prefix,
        &[&tenant, &"0212", &"0212:"],
    );
    let tail = format!(
        "{CALL_SELECT} WHERE k.tenant_id = ?1 AND substr(k.caller, -4) = ?2 AND substr(k.caller, -?3) = ?4 ORDER BY k.started_ms DESC, k.id DESC LIMIT 51"
    );
    row(
        "number `5678` (last digits)",
        "/api/history/calls?number=5678",
        20,
        &tail,
        &[&tenant, &"5678", &4_i64, &"5678"],
    );
    let agent_q = format!(
        "{CALL_SELECT} WHERE k.tenant_id = ?1 AND k.agent_id = ?2 AND k.direction = 'outbound' ORDER BY k.started_ms DESC, k.id DESC LIMIT 51"
    );
    row(
        "agent + direction outbound",
        &format!("/api/history/calls?agent={agent}&direction=outbound"),
        20,
        &agent_q,
        &[&tenant, &agent],
    );

    // XLSX of 100 000 consultations.
    let (before_peak, _) = memory();
    let t = Instant::now();
    let (s, bytes) = app.send("GET", "/api/history/consultations/export?all=true", None);
    let xlsx = t.elapsed();
    assert_eq!(s, 200);
    let (after_peak, _) = memory();
    let (r, _) = raw(
        &conn,
        "SELECT c.id, c.created_ms, a.name, k.caller, c.memo FROM consultations c \
         JOIN calls k ON k.tenant_id = c.tenant_id AND k.call_id = c.call_id \
         JOIN agents a ON a.id = c.agent_id WHERE c.tenant_id = ?1 ORDER BY c.created_ms DESC, c.id DESC",
        &[&tenant],
    );
    println!(
        "{:<58} {:>7.0}ms {:>9} {r:>10.2}ms  ({} bytes; peak memory {before_peak:.0} → {after_peak:.0} MiB)",
        "XLSX of 100 000 consultations",
        ms(xlsx),
        "",
        bytes.len()
    );

    // ZIP of 2 000 recordings, streamed: memory before, during, after.
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM recordings ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let path = format!(
        "/api/history/recordings/zip?ids={}",
        ids.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",")
    );
    let mut req: IncomingRequest = http::Request::get(&path)
        .header("cookie", &app.cookie)
        .body(Body::empty())
        .unwrap();
    req.extensions_mut().insert(PeerAddr([127, 0, 0, 1].into()));
    let (peak0, rss0) = memory();
    let t = Instant::now();
    let resp = block_on(serve(mount_for(&path), &app.host, req));
    assert_eq!(resp.status().as_u16(), 200);
    let mut body = resp.into_body();
    let (mut total, mut chunks, mut max_rss) = (0usize, 0usize, rss0);
    while let Some(chunk) = block_on(body.next_chunk()) {
        total += chunk.unwrap().len();
        chunks += 1;
        if chunks % 500 == 0 {
            max_rss = max_rss.max(memory().1);
        }
    }
    let zip_time = t.elapsed();
    let (peak1, rss1) = memory();
    println!(
        "{:<58} {:>7.0}ms {:>9} {:>12}  ({total} bytes in {chunks} chunks; resident {rss0:.0} MiB before, at most {max_rss:.0} while streaming, {rss1:.0} after; peak {peak0:.0} → {peak1:.0} MiB)",
        "ZIP of 2 000 recordings (256 KiB each, streamed)",
        ms(zip_time),
        "",
        "—"
    );
    std::fs::remove_dir_all(&dir).ok();
}
