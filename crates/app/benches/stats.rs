//! Statistics at scale (issue 17), natively: builds a database of
//! `CALLS` calls (default 1 000 000) over 90 days, 200 agents and 20 queues
//! (plain INSERTs into `calls`, not events), then prints
//! - the roll-up's throughput (`worker::rollup::run`, calls per second);
//! - a 31-day statistics request by day and by hour (`reports::stats::build`,
//!   the code behind `GET /api/stats/queues`), median and p99 of 50, beside
//!   the same GROUP BY written by hand on the roll-up table through rusqlite;
//! - an XLSX of 100 000 rows (`reports::export::xlsx`) and its peak
//!   resident memory, beside the read alone;
//!
//! Each timed figure is the median of three runs.
//!
//!     BENCH_STATE=DIR cargo bench -p switchboard-app --bench stats [-- CALLS]
//!     cargo bench -p switchboard-app --bench stats -- DB TENANT_ID   (requests only)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use futures::executor::block_on;
use std::time::{Duration, Instant};
use switchboard_app::reports::export::{self, Lang};
use switchboard_app::reports::metrics::Window;
use switchboard_app::reports::stats::{self, Granularity, Report, Request};
use switchboard_app::worker::rollup::{self, Budget};
use switchboard_storage::Sql;
use switchboard_storage_native::NativeSql;

const DAY: i64 = 86_400_000;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn pct(mut v: Vec<Duration>, p: f64) -> Duration {
    v.sort();
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn median3(mut f: impl FnMut() -> Duration) -> Duration {
    pct((0..3).map(|_| f()).collect(), 0.5)
}

/// This thread's CPU time so far (ns), from /proc (0 where there is none).
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn peak_rss_kb() -> i64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(-1)
}

/// 1M calls (`calls`), spread evenly over the 90 days before `now`: 20
/// queues, 200 agents; 80 % answered, 15 % abandoned, 5 % outbound; each
/// agent's states on every other day (8 intervals of 50 minutes).
fn seed(db: &NativeSql, calls: i64, now: jiff::Timestamp) {
    let now_ms = now.as_millisecond();
    let start_ms = (now_ms / 3_600_000) * 3_600_000 - 90 * DAY;
    let x = |q: &str| block_on(db.execute(q, &[])).unwrap();
    x(
        "INSERT INTO tenants (id, name, plan, licence_count, service_start, service_end, created_at) \
       VALUES (1, 'bench', 'standard', 200, '2020-01-01', '2099-12-31', '2020-01-01T00:00:00.000Z')",
    );
    let t = Instant::now();
    // 1M calls, spread evenly over 90 days: 20 queues, 200 agents; 80 %
    // answered, 15 % abandoned, 5 % outbound.
    block_on(db.execute(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1) \
         INSERT INTO calls (tenant_id, call_id, line, first_ms, event_count, received_ms, outbound_ms, \
           queued_ms, queued_digit, answered_ms, abandoned_ms, ended_ms, agent_id, menu_id) \
         SELECT 1, 'c' || i, '0700', ?2 + i * (90 * 86400000 / ?1), 4, \
           CASE WHEN i % 20 = 19 THEN NULL ELSE ?2 + i * (90 * 86400000 / ?1) END, \
           CASE WHEN i % 20 = 19 THEN ?2 + i * (90 * 86400000 / ?1) END, \
           CASE WHEN i % 20 = 19 THEN NULL ELSE ?2 + i * (90 * 86400000 / ?1) + 2000 END, \
           CASE WHEN i % 20 = 19 THEN NULL ELSE i % 10 END, \
           CASE WHEN i % 20 < 16 OR i % 20 = 19 THEN ?2 + i * (90 * 86400000 / ?1) + 2000 + (i % 97) * 1000 END, \
           CASE WHEN i % 20 IN (16, 17, 18) THEN ?2 + i * (90 * 86400000 / ?1) + 2000 + (i % 61) * 1000 END, \
           ?2 + i * (90 * 86400000 / ?1) + 200000, \
           CASE WHEN i % 20 < 16 OR i % 20 = 19 THEN 1 + i % 200 END, (i % 20) + 1 \
         FROM n",
        &[calls.into(), start_ms.into()],
    ))
    .unwrap();
    block_on(db.execute(
        "WITH RECURSIVE a(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM a WHERE id < 200), \
           d(n) AS (SELECT 0 UNION ALL SELECT n + 2 FROM d WHERE n + 2 < 90), \
           k(i, state) AS (VALUES (0, 'ready'), (1, 'on_call'), (2, 'after_call_work'), (3, 'ready'), \
             (4, 'away'), (5, 'on_call'), (6, 'after_call_work'), (7, 'ringing')) \
         INSERT INTO agent_states (tenant_id, agent, agent_id, state, started_ms, ended_ms, event_id) \
         SELECT 1, 'agent' || a.id, a.id, k.state, ?1 + d.n * 86400000 + k.i * 3000000, \
           ?1 + d.n * 86400000 + (k.i + 1) * 3000000, 's' || a.id || '-' || d.n || '-' || k.i \
         FROM a, d, k",
        &[(start_ms + 9 * 3_600_000).into()],
    ))
    .unwrap();
    println!(
        "seeded {calls} calls and 200 agents' states over 90 days in {:.1} s",
        t.elapsed().as_secs_f64()
    );
}

fn main() {
    // On a database that exists (e.g. `spin up`'s, rolled up by its worker;
    // scripts/bench/stats.sh): the requests only.
    //     cargo bench --bench stats -- DB TENANT_ID
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if let [path, tenant] = args.as_slice() {
        let db = NativeSql::open(std::path::Path::new(path)).unwrap();
        let raw = rusqlite::Connection::open(path).unwrap();
        requests(
            &db,
            &raw,
            tenant.parse().unwrap(),
            jiff::Timestamp::now().as_millisecond(),
        );
        return;
    }
    let calls: i64 = std::env::args()
        .skip(1)
        .find(|a| a != "--bench")
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    // BENCH_STATE=DIR keeps the database there: a later run skips the
    // seeding (the data ends at the hour of the first run) and re-rolls.
    let kept = std::env::var_os("BENCH_STATE").map(std::path::PathBuf::from);
    let dir = kept.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("switchboard-stats-bench-{}", std::process::id()))
    });
    std::fs::create_dir_all(&dir).unwrap();
    let seeded = dir.join("stats-seeded-at");
    let db = NativeSql::open(&dir.join("bench.db")).unwrap();
    block_on(switchboard_app::runtime::schema::migrate(&db)).unwrap();
    let x = |q: &str| block_on(db.execute(q, &[])).unwrap();
    println!(
        "machine: {} cores; load average before: {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    let now = match std::fs::read_to_string(&seeded) {
        Ok(at) => at.trim().parse::<jiff::Timestamp>().unwrap(),
        Err(_) => {
            let now = jiff::Timestamp::now();
            seed(&db, calls, now);
            std::fs::write(&seeded, now.to_string()).unwrap();
            now
        }
    };
    let now_ms = now.as_millisecond();
    // The roll-up from scratch.
    for t in [
        "rollup_state",
        "rollup_dirty",
        "stat_hour_queue",
        "stat_hour_agent",
        "stat_hour_state",
        "stat_hour_type",
    ] {
        x(&format!("DELETE FROM {t}"));
    }
    // Roll-up throughput: everything from scratch, in budget-sized runs.
    let t = Instant::now();
    let cpu0 = cpu_ns();
    let mut runs = 0;
    loop {
        runs += 1;
        let r = block_on(rollup::run(
            &db,
            now,
            Budget {
                hours: 24 * 7,
                dirty: 500,
            },
        ))
        .unwrap();
        if r.hours_behind == 0 {
            break;
        }
    }
    let secs = t.elapsed().as_secs_f64();
    let cpu_secs = (cpu_ns() - cpu0) as f64 / 1e9;
    println!(
        "roll-up of {calls} calls ({runs} runs of 7 days): {secs:.2} s = {:.0} calls/s; CPU {cpu_secs:.2} s = {:.0} calls per CPU second",
        calls as f64 / secs,
        calls as f64 / cpu_secs
    );
    let t = Instant::now();
    block_on(rollup::run(&db, now, Budget::default())).unwrap();
    println!("roll-up tick with nothing new: {:.2} ms", ms(t.elapsed()));

    let raw = rusqlite::Connection::open(dir.join("bench.db")).unwrap();
    requests(&db, &raw, 1, now_ms);
    if kept.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// The 31-day requests by day and by hour (`GET /api/stats/queues`), each
/// beside the same statements on raw SQLite, and the XLSX of agents by hour
/// over 21 days; windows are Seoul days ending with today of `now_ms`.
fn requests(db: &NativeSql, raw: &rusqlite::Connection, tenant: i64, now_ms: i64) {
    let req = |g, report, days: i64| Request {
        tenant_id: tenant,
        tz: jiff::tz::TimeZone::get("Asia/Seoul").unwrap(),
        window: Window {
            from_ms: (now_ms / DAY) * DAY - days * DAY + 15 * 3_600_000,
            to_ms: (now_ms / DAY) * DAY + 15 * 3_600_000,
        },
        granularity: g,
        report,
        queue: None,
        agent: None,
        now_ms,
        threshold_seconds: 20,
    };
    for (name, g) in [("by day", Granularity::Day), ("by hour", Granularity::Hour)] {
        let r = req(g, Report::Queues, 31);
        let timed = || {
            let t = Instant::now();
            std::hint::black_box(block_on(stats::build(db, &r)).unwrap());
            t.elapsed()
        };
        let p99 = median3(|| pct((0..50).map(|_| timed()).collect(), 0.99));
        let med = median3(|| pct((0..50).map(|_| timed()).collect(), 0.5));
        // The same statements on raw SQLite (rusqlite, no storage seam, no
        // grouping in Rust): what `build` sends for the rolled-up hours.
        let split = stats::split_of(&r, block_on(stats::watermark(db)).unwrap());
        let queries = stats::rolled_queries(&r, split);
        let raw_q = || {
            let t = Instant::now();
            for (_, q, params) in &queries {
                let mut st = raw.prepare_cached(q).unwrap();
                let params: Vec<rusqlite::types::Value> = params
                    .iter()
                    .map(|v| match v {
                        switchboard_storage::Value::Integer(i) => {
                            rusqlite::types::Value::Integer(*i)
                        }
                        switchboard_storage::Value::Text(s) => {
                            rusqlite::types::Value::Text(s.clone())
                        }
                        other => panic!("{other:?}"),
                    })
                    .collect();
                let n = st
                    .query_map(rusqlite::params_from_iter(params), |row| {
                        row.get::<_, i64>(1)
                    })
                    .unwrap()
                    .count();
                std::hint::black_box(n);
            }
            t.elapsed()
        };
        let raw_p99 = median3(|| pct((0..50).map(|_| raw_q()).collect(), 0.99));
        // CPU time of this thread per request (what a shared machine's
        // wall clock hides): 20 requests each.
        let cpu = |f: &dyn Fn() -> Duration| {
            let c = cpu_ns();
            for _ in 0..20 {
                f();
            }
            (cpu_ns() - c) as f64 / 20.0 / 1e6
        };
        let (cpu_build, cpu_raw) = (cpu(&timed), cpu(&raw_q));
        println!(
            "31 days {name:<8} (queues): median {:>7.2} ms  p99 {:>7.2} ms | the same SQL on raw SQLite p99 {:>7.2} ms | CPU per request {cpu_build:.1} ms, raw {cpu_raw:.1} ms",
            ms(med),
            ms(p99),
            ms(raw_p99)
        );
    }
    // An XLSX of 100 000 rows: agents by hour over 21 days (200 × 504).
    let r = req(Granularity::Hour, Report::Agents, 21);
    let before = peak_rss_kb();
    let mut rows = 0;
    let read = median3(|| {
        let t = Instant::now();
        let table = block_on(stats::build(db, &r)).unwrap();
        rows = table.rows.len();
        std::hint::black_box(table);
        t.elapsed()
    });
    let table = block_on(stats::build(db, &r)).unwrap();
    let write = median3(|| {
        let t = Instant::now();
        let bytes = export::xlsx(&table, Lang::Ko, &["통계".to_owned()]).unwrap();
        std::hint::black_box(bytes.len());
        t.elapsed()
    });
    let size = export::xlsx(&table, Lang::Ko, &["통계".to_owned()])
        .unwrap()
        .len();
    println!(
        "XLSX of {rows} rows: read {:.0} ms + write {:.0} ms = {:.2} s, {} KB; peak RSS {} MB (before the export {} MB)",
        ms(read),
        ms(write),
        (read + write).as_secs_f64(),
        size / 1024,
        peak_rss_kb() / 1024,
        before / 1024
    );
}
