//! Statistics (SPEC section 4, STAT-1..6) on the hourly roll-up (CB-4;
//! issue 17): the dashboard's hand-computed scenario through
//! `GET /api/stats/...` before and after the roll-up ran, and the roll-up
//! itself called directly (`worker::rollup::run`): idempotent, late events,
//! catch-up, and every bucket equal to a GROUP BY over the calls.
#![allow(clippy::unwrap_used)]

use crate::support::CallScript;
use crate::support::scenarios::{self, Scenario, figures_of};
use futures::executor::block_on;
use serde_json::Value as Json;
use switchboard_app::reports::metrics::{self, Counts, Filter, Group, Window};
use switchboard_app::worker::rollup::{self, Budget, RollupReport};
use switchboard_storage::Sql;

const HOUR: i64 = 3_600_000;

fn stats(s: &Scenario, path: &str) -> Json {
    let r = s.owner.get(path);
    assert_eq!(r.status, 200, "{path}: {}", r.json_body());
    r.json_body()
}

fn roll(s: &Scenario) -> RollupReport {
    block_on(rollup::run(
        s.app.db.as_ref(),
        s.app.now(),
        Budget::default(),
    ))
    .unwrap()
}

fn row<'a>(t: &'a Json, key: &str, value: i64) -> &'a Json {
    t["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r[key] == value)
        .unwrap_or_else(|| panic!("no {key} {value} in {}", t["rows"]))
}

/// Today's STAT-1, STAT-2, STAT-5 are the hand-computed figures and the
/// dashboard's, read live and again once the roll-up holds the hours
/// before the current one.
#[test]
fn stat_today_equals_the_dashboard_live_and_rolled_up() {
    let s = scenarios::seoul_day();
    let board = s.owner.get("/api/dashboard").json_body();
    for rolled in [false, true] {
        if rolled {
            let r = roll(&s);
            assert!(r.hours_rolled > 0, "{r:?}");
            // 10:00 KST: the current hour stays live.
            assert_eq!(r.rolled_until_ms, 1_796_000_400_000);
        }
        let t = stats(&s, "/api/stats/tenant?granularity=day");
        assert_eq!(
            t["rolled_until_ms"].as_i64().unwrap() > 1_795_964_400_000,
            rolled
        );
        assert_eq!(t["rows"].as_array().unwrap().len(), 1);
        assert_eq!(t["rows"][0]["period"], "2026-11-30");
        assert_eq!(figures_of(&t["totals"]), scenarios::TODAY);
        assert_eq!(figures_of(&t["rows"][0]), figures_of(&board["summary"]));
        let q = stats(&s, "/api/stats/queues");
        assert_eq!(figures_of(row(&q, "queue", 1)), scenarios::TODAY_QUEUE_1);
        assert_eq!(figures_of(row(&q, "queue", 3)), scenarios::TODAY_QUEUE_3);
        assert_eq!(row(&q, "queue", 1)["name"], "상담");
        // Yesterday, with the queue filter.
        let y = stats(&s, "/api/stats/tenant?from=2026-11-29&to=2026-11-29");
        assert_eq!(figures_of(&y["totals"]), scenarios::YESTERDAY);
        let y1 = stats(
            &s,
            "/api/stats/tenant?from=2026-11-29&to=2026-11-29&queue=3",
        );
        assert_eq!(y1["totals"]["offered"], 0);
        // STAT-5: lee's after-call work, kim's answers.
        let a = stats(&s, "/api/stats/agents");
        let lee = a["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == "lee");
        let lee = lee.unwrap_or_else(|| {
            a["rows"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["after_call_work_ms"] != 0 && !r["after_call_work_ms"].is_null())
                .unwrap()
        });
        assert_eq!(lee["after_call_work_ms"], scenarios::ACW_LEE_MS);
        // STAT-3: T1 (10 s), T2 (25 s), T3 (20 s), T8 (6 s), T14 (4 s)
        // answered; T4 (45 s), T9 (10 s) abandoned.
        let w = stats(&s, "/api/stats/waits");
        let all: Vec<i64> = [
            "wait_0_10",
            "wait_10_20",
            "wait_20_30",
            "wait_30_60",
            "wait_60_plus",
        ]
        .iter()
        .map(|k| w["totals"][k].as_i64().unwrap())
        .collect();
        assert_eq!(all, [2, 1, 2, 0, 0]);
        let ab: Vec<i64> = [
            "abandon_0_10",
            "abandon_10_20",
            "abandon_20_30",
            "abandon_30_60",
            "abandon_60_plus",
        ]
        .iter()
        .map(|k| w["totals"][k].as_i64().unwrap())
        .collect();
        assert_eq!(ab, [0, 1, 0, 1, 0]);
        assert_eq!(w["totals"]["longest_wait_ms"], 45_000);
        // By hour: hours 0, 9 and 10 have inbound calls.
        let h = stats(&s, "/api/stats/tenant?granularity=hour");
        let hours: Vec<(String, i64)> = h["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["period"].as_str().unwrap()[11..13].to_owned(),
                    r["total_inbound"].as_i64().unwrap(),
                )
            })
            .filter(|(_, n)| *n > 0)
            .collect();
        assert_eq!(
            hours,
            [
                ("00".to_owned(), 1),
                ("09".to_owned(), 1),
                ("10".to_owned(), 10)
            ]
        );
    }
}

#[test]
fn stat_rejects_bad_filters_and_unknown_reports() {
    let s = scenarios::seoul_day();
    assert_eq!(s.owner.get("/api/stats/nope").status, 404);
    assert_eq!(
        s.owner.get("/api/stats/tenant?granularity=week").status,
        422
    );
    assert_eq!(
        s.owner
            .get("/api/stats/tenant?from=2026-12-01&to=2026-11-01")
            .status,
        422
    );
    assert_eq!(s.owner.get("/api/stats/tenant?from=30-11-2026").status, 422);
    assert_eq!(s.owner.get("/api/stats/tenant?queue=x").status, 422);
}

/// Every roll-up table, in a stable order.
fn snapshot(db: &dyn Sql) -> Vec<String> {
    let mut out = Vec::new();
    for t in [
        "stat_hour_queue",
        "stat_hour_agent",
        "stat_hour_state",
        "stat_hour_type",
    ] {
        let rows =
            block_on(db.query(&format!("SELECT * FROM {t} ORDER BY 1, 2, 3, 4, 5"), &[])).unwrap();
        for r in rows.iter() {
            out.push(format!("{t} {r:?}"));
        }
    }
    out
}

#[test]
fn rollup_rerun_is_idempotent_and_a_late_event_changes_exactly_its_bucket() {
    let s = scenarios::seoul_day();
    roll(&s);
    let first = snapshot(s.app.db.as_ref());
    assert!(!first.is_empty());
    let again = roll(&s);
    assert_eq!(again.hours_rolled, 0);
    assert_eq!(
        snapshot(s.app.db.as_ref()),
        first,
        "a second run changed the buckets"
    );
    // A late call for Sunday 16:xx KST (07:00 UTC), an hour already rolled.
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
    let r = roll(&s);
    assert_eq!(r.hours_recomputed, 1, "{r:?}");
    assert_eq!(r.dirty_left, 0);
    let after = snapshot(s.app.db.as_ref());
    let changed: Vec<&String> = after.iter().filter(|l| !first.contains(l)).collect();
    assert!(!changed.is_empty());
    assert!(
        changed.iter().all(|l| l.contains("1795935600000")),
        "only the late call's hour may change: {changed:?}"
    );
    let gone: Vec<&String> = first.iter().filter(|l| !after.contains(l)).collect();
    assert!(gone.iter().all(|l| l.contains("1795935600000")), "{gone:?}");
    let y = stats(&s, "/api/stats/tenant?from=2026-11-29&to=2026-11-29");
    assert_eq!(y["totals"]["answered"], scenarios::YESTERDAY.answered + 1);
}

#[test]
fn rollup_catches_up_after_three_days_in_bounded_steps() {
    let s = scenarios::seoul_day();
    roll(&s);
    s.app.advance(3 * 24 * 3600);
    // A call during the downtime, a day later.
    let at = jiff::Timestamp::from_millisecond(1_796_000_400_000 + 24 * HOUR).unwrap();
    s.app.deliver_ok(
        CallScript::inbound("GAP", "01099990001")
            .starting_at(at)
            .wait(1)
            .queued(3)
            .wait(12)
            .abandoned()
            .ended()
            .events(),
    );
    let budget = Budget {
        hours: 24,
        dirty: 500,
    };
    let mut runs = Vec::new();
    loop {
        let r = block_on(rollup::run(s.app.db.as_ref(), s.app.now(), budget)).unwrap();
        runs.push(r.hours_rolled);
        if r.hours_behind == 0 {
            break;
        }
        assert!(runs.len() < 10);
    }
    assert_eq!(runs, [24, 24, 24], "72 hours in steps of the budget");
    let mark = block_on(switchboard_app::reports::stats::watermark(
        s.app.db.as_ref(),
    ))
    .unwrap();
    assert_eq!(mark, Some(1_796_000_400_000 + 72 * HOUR));
    // The downtime's call is in its hour's bucket.
    let h = 1_796_000_400_000 + 24 * HOUR;
    let rows = block_on(s.app.db.query(
        "SELECT SUM(abandoned), SUM(offered) FROM stat_hour_queue WHERE hour_ms = ?1 AND digit = 3",
        &[h.into()],
    ))
    .unwrap();
    assert_eq!(rows.first().unwrap().i64(0).unwrap(), 1);
}

/// A small deterministic generator (xorshift), so a failure names its seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self, n: u64) -> i64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n) as i64
    }
}

#[test]
fn rollup_buckets_equal_a_group_by_over_the_calls_on_random_days() {
    for seed in [7_u64, 1234, 98765] {
        let s = scenarios::seoul_floor();
        let mut rng = Rng(seed);
        let now = s.app.now().as_millisecond();
        for i in 0..60 {
            let day = rng.next(6) + 1;
            let at = now - day * 24 * HOUR + rng.next(24 * 3600) * 1000;
            let mut c = CallScript::inbound(&format!("R{seed}-{i}"), "01055550000")
                .starting_at(jiff::Timestamp::from_millisecond(at).unwrap())
                .wait(1 + rng.next(5));
            let digit = [1u8, 3, 2][rng.next(3) as usize];
            c = if digit == 2 {
                c.menu(2)
            } else {
                c.queued(digit)
            }
            .wait(rng.next(90));
            c = match rng.next(3) {
                0 => c
                    .answered(["kim", "lee"][rng.next(2) as usize])
                    .wait(rng.next(300)),
                1 => c.abandoned(),
                _ => c,
            };
            s.app.deliver_ok(c.ended().events());
        }
        let db = s.app.db.as_ref();
        block_on(rollup::run(
            db,
            s.app.now(),
            Budget {
                hours: 1000,
                dirty: 500,
            },
        ))
        .unwrap();
        let tz = jiff::tz::TimeZone::UTC;
        let _ = tz;
        let from = (now / HOUR - 8 * 24) * HOUR;
        let until = block_on(switchboard_app::reports::stats::watermark(db))
            .unwrap()
            .unwrap();
        // From scratch: quarter-hour counts of the calls, added up per hour
        // and queue.
        let raw = block_on(metrics::counts(
            db,
            s.tenant_id,
            Window {
                from_ms: from,
                to_ms: until,
            },
            Filter::default(),
            Group {
                bucket: true,
                queue: true,
                agent: false,
            },
            20,
        ))
        .unwrap();
        let mut expect: std::collections::BTreeMap<(i64, Option<i64>), Counts> = Default::default();
        for g in &raw {
            expect
                .entry((g.bucket_ms.unwrap() / HOUR * HOUR, g.digit))
                .or_default()
                .add(&g.counts);
        }
        let table = block_on(switchboard_app::reports::stats::cube(
            db,
            s.tenant_id,
            &jiff::tz::TimeZone::get("Asia/Seoul").unwrap(),
            Window {
                from_ms: from,
                to_ms: until,
            },
            now,
            false,
            20,
        ))
        .unwrap();
        assert_eq!(
            table.rolled_until_ms, until,
            "seed {seed}: read from the roll-up"
        );
        let mut got: std::collections::BTreeMap<(i64, Option<i64>), Counts> = Default::default();
        for r in &table.calls {
            got.entry((r.bucket_ms, r.digit))
                .or_default()
                .add(&r.counts);
        }
        assert!(expect.len() > 20, "seed {seed}: {} buckets", expect.len());
        assert_eq!(got, expect, "seed {seed}");
        // The per-agent buckets too (the per-queue ones are summed from
        // them), against the calls grouped by agent.
        let raw = block_on(metrics::counts(
            db,
            s.tenant_id,
            Window {
                from_ms: from,
                to_ms: until,
            },
            Filter::default(),
            Group {
                bucket: true,
                queue: false,
                agent: true,
            },
            20,
        ))
        .unwrap();
        let mut expect: std::collections::BTreeMap<(i64, Option<i64>), Counts> = Default::default();
        for g in &raw {
            expect
                .entry((g.bucket_ms.unwrap() / HOUR * HOUR, g.agent_id))
                .or_default()
                .add(&g.counts);
        }
        let table = block_on(switchboard_app::reports::stats::cube(
            db,
            s.tenant_id,
            &jiff::tz::TimeZone::get("Asia/Seoul").unwrap(),
            Window {
                from_ms: from,
                to_ms: until,
            },
            now,
            true,
            20,
        ))
        .unwrap();
        let mut got: std::collections::BTreeMap<(i64, Option<i64>), Counts> = Default::default();
        for r in &table.calls {
            got.entry((r.bucket_ms, r.agent_id))
                .or_default()
                .add(&r.counts);
        }
        assert!(expect.keys().any(|k| k.1.is_some()), "seed {seed}");
        assert_eq!(got, expect, "seed {seed}: per agent");
    }
}

/// The figure cells of the scenario's day as read back from an export.
fn cells_of_today() -> Vec<f64> {
    let t = scenarios::TODAY;
    vec![
        t.total_inbound as f64,
        t.offered as f64,
        t.answered as f64,
        t.abandoned as f64,
        t.callbacks as f64,
        t.answered_within as f64,
    ]
}

#[test]
fn exports_agree_with_the_table_csv_and_xlsx_read_back() {
    use calamine::{Data, Reader, Xlsx};
    let s = scenarios::seoul_day();
    roll(&s);
    let table = stats(&s, "/api/stats/tenant");
    // CSV: BOM, Korean headers, the day's row and the totals.
    let r = s.owner.get("/api/stats/export?report=tenant&format=csv");
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/csv"));
    assert_eq!(&r.body[..3], b"\xEF\xBB\xBF");
    let mut rd = csv::Reader::from_reader(&r.body[3..]);
    let headers: Vec<String> = rd.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(headers[..4], ["기간", "총인입", "인입", "응대"]);
    assert_eq!(headers[9..], ["응대율", "서비스 레벨"]);
    let rows: Vec<Vec<String>> = rd
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][0], "2026-11-30");
    assert_eq!(rows[1][0], "합계");
    let nums: Vec<f64> = rows[0][1..7].iter().map(|c| c.parse().unwrap()).collect();
    assert_eq!(nums, cells_of_today());
    assert_eq!(
        rows[0][9],
        format!("{:.1}", scenarios::TODAY.answer_rate.unwrap())
    );
    assert_eq!(
        rows[0][9],
        format!("{:.1}", table["totals"]["answer_rate"].as_f64().unwrap())
    );

    // XLSX: heading, frozen header, numbers as numbers, rates as fractions.
    let r = s.owner.get("/api/stats/export?report=tenant&format=xlsx");
    assert_eq!(r.status, 200);
    let mut book = Xlsx::new(std::io::Cursor::new(r.body.clone())).unwrap();
    let sheet = book.worksheet_range("통계").unwrap();
    assert_eq!(
        sheet.get_value((0, 0)),
        Some(&Data::String("통계: 테넌트 수발신/응대율".into()))
    );
    let period = sheet.get_value((1, 0)).unwrap().to_string();
    assert!(
        period.contains("2026-11-30 ~ 2026-11-30") && period.contains("일별"),
        "{period}"
    );
    assert_eq!(
        sheet.get_value((2, 0)),
        Some(&Data::String("필터: 큐 전체, 상담사 전체".into()))
    );
    assert_eq!(sheet.get_value((4, 0)), Some(&Data::String("기간".into())));
    assert_eq!(
        sheet.get_value((4, 1)),
        Some(&Data::String("총인입".into()))
    );
    assert_eq!(
        sheet.get_value((5, 0)),
        Some(&Data::String("2026-11-30".into()))
    );
    for (i, want) in cells_of_today().into_iter().enumerate() {
        assert_eq!(
            sheet.get_value((5, 1 + i as u32)),
            Some(&Data::Float(want)),
            "column {i}"
        );
    }
    let rate = match sheet.get_value((5, 9)).unwrap() {
        Data::Float(f) => *f,
        other => panic!("{other:?}"),
    };
    assert!((rate - scenarios::TODAY.answer_rate.unwrap() / 100.0).abs() < 1e-9);
    assert_eq!(sheet.get_value((6, 0)), Some(&Data::String("합계".into())));

    // Durations are duration cells (STAT-3's longest wait: 45 s).
    let r = s.owner.get("/api/stats/export?report=waits&format=xlsx");
    let mut book = Xlsx::new(std::io::Cursor::new(r.body.clone())).unwrap();
    let sheet = book.worksheet_range("통계").unwrap();
    let headers: Vec<String> = (0..8)
        .map(|c| sheet.get_value((4, c)).unwrap().to_string())
        .collect();
    let col = headers.iter().position(|h| h == "최장 대기").unwrap() as u32;
    let last = sheet.height() as u32 - 1;
    match sheet.get_value((last, col)).unwrap() {
        Data::DateTime(d) => {
            assert!(d.is_duration(), "{d:?}");
            assert!((d.as_f64() * 86_400_000.0 - 45_000.0).abs() < 1.0);
        }
        other => panic!("longest wait is {other:?}, not a duration"),
    }

    // Audited with the filter; viewers cannot export.
    let audit = s.app.audit_rows();
    assert!(
        audit.iter().any(|(a, _, _)| a == "stats.export"),
        "{audit:?}"
    );
    let viewer = s.owner.add_admin("viewer1", "viewer");
    assert_eq!(
        viewer
            .get("/api/stats/export?report=tenant&format=csv")
            .status,
        403
    );
    assert_eq!(viewer.get("/api/stats/tenant").status, 200);
    assert_eq!(s.owner.get("/api/stats/export?report=nope").status, 422);
    assert_eq!(
        s.owner
            .get("/api/stats/export?report=tenant&format=pdf")
            .status,
        422
    );
}

/// A zone with daylight saving time: New York's 2026-11-01 has 25 hours;
/// the hourly rows keep both 01:00s apart, the day adds up.
#[test]
fn stat_hours_follow_a_dst_zone() {
    let s = scenarios::seoul_floor();
    // No route changes a company's zone yet: set it as a migration would.
    block_on(s.app.db.execute(
        "UPDATE tenants SET time_zone = ?1 WHERE id = ?2",
        &["America/New_York".into(), s.tenant_id.into()],
    ))
    .unwrap();
    // 00:30 EDT, 01:30 EDT, 01:30 EST, 02:30 EST.
    for (i, utc) in [
        "2026-11-01T04:30:00Z",
        "2026-11-01T05:30:00Z",
        "2026-11-01T06:30:00Z",
        "2026-11-01T07:30:00Z",
    ]
    .iter()
    .enumerate()
    {
        s.app.deliver_ok(
            CallScript::inbound(&format!("D{i}"), "01055550000")
                .starting_at(utc.parse().unwrap())
                .wait(1)
                .queued(1)
                .wait(5)
                .answered("kim")
                .wait(20)
                .ended()
                .events(),
        );
    }
    for rolled in [false, true] {
        if rolled {
            while roll(&s).hours_behind > 0 {}
        }
        let h = stats(
            &s,
            "/api/stats/tenant?from=2026-11-01&to=2026-11-01&granularity=hour",
        );
        assert_eq!(
            h["rolled_until_ms"].as_i64().unwrap(),
            if rolled { 1793595600000 } else { 1793505600000 }
        );
        let rows: Vec<(String, i64)> = h["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["period"].as_str().unwrap().to_owned(),
                    r["total_inbound"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("2026-11-01 00:00".to_owned(), 1),
                ("2026-11-01 01:00".to_owned(), 1),
                ("2026-11-01 01:00".to_owned(), 1),
                ("2026-11-01 02:00".to_owned(), 1)
            ]
        );
        let d = stats(&s, "/api/stats/tenant?from=2026-10-31&to=2026-11-01");
        assert_eq!(d["rows"].as_array().unwrap().len(), 1);
        assert_eq!(d["totals"]["answered"], 4);
        let m = stats(
            &s,
            "/api/stats/tenant?from=2026-11-01&to=2026-11-30&granularity=month",
        );
        assert_eq!(m["rows"][0]["period"], "2026-11");
    }
    // A zone without whole-hour offsets reads the records, not the hours.
    // No route changes a company's zone yet: set it as a migration would.
    block_on(s.app.db.execute(
        "UPDATE tenants SET time_zone = ?1 WHERE id = ?2",
        &["Asia/Kolkata".into(), s.tenant_id.into()],
    ))
    .unwrap();
    let d = stats(&s, "/api/stats/tenant?from=2026-11-01&to=2026-11-01");
    assert_eq!(d["totals"]["answered"], 4);
    assert_eq!(d["rolled_until_ms"].as_i64(), Some(1_793_471_400_000));
}

/// The scenario's Sunday (2026-11-29 KST), the day before [`scenarios::NOW`].
fn sunday(hms: &str) -> jiff::Timestamp {
    jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M:%S", format!("2026-11-29 {hms}"))
        .unwrap()
        .to_zoned_datetime(jiff::tz::TimeZone::get("Asia/Seoul").unwrap())
        .unwrap()
        .timestamp()
}

fn id_of(s: &Scenario, q: &str) -> i64 {
    block_on(s.app.db.query_row(q, &[]))
        .unwrap()
        .unwrap()
        .i64(0)
        .unwrap()
}

fn row_named<'a>(t: &'a Json, name: &str) -> &'a Json {
    t["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {}", t["rows"]))
}

/// STAT-4, STAT-5 and STAT-6 on a hand-computed Sunday, read live and again
/// from the roll-up:
///
/// kim (KST): signs in 09:00 (ready); rings 09:10:00–09:10:15 then ready
/// (missed); rings 09:20:00–09:20:05 then on a call (answered, not missed);
/// after-call work 09:25:05–09:26:35; ready; away 09:40–10:00; ready; rings
/// 10:05:00–10:05:20 then away (missed); signs out 10:10 (logged out for
/// the rest of the day). So ready 600 + 585 + 805 + 300 = 2 290 s, ringing
/// 40 s, on a call 300 s, after-call work 90 s, away 1 200 + 280 = 1 480 s,
/// logged out 13 h 50 min = 49 800 s, 2 missed.
///
/// Calls: kim answers C1 (talk 300 s), C2 (talk 60 s), C3 (talk 30 s); lee
/// answers C4 (talk 45 s); C5 asks for a callback, which kim dials back
/// (outbound, a callback handled). Consultations saved on Monday: kim C1
/// and C2 "배송", C3 "환불"; lee C4 "배송".
#[test]
fn stat_4_5_6_types_agents_and_states_are_the_hand_computed_figures() {
    use switchboard_telephony::{AgentState, Platform};
    let s = scenarios::seoul_floor();
    s.app.deliver_ok(
        crate::support::AgentScript::login("kim", "s-kim", Platform::Pc, "203.0.113.7")
            .starting_at(sunday("09:00:00"))
            .wait(600)
            .state(AgentState::Ringing)
            .wait(15)
            .state(AgentState::Ready)
            .wait(585)
            .state(AgentState::Ringing)
            .wait(5)
            .state(AgentState::OnCall)
            .wait(300)
            .state(AgentState::AfterCallWork)
            .wait(90)
            .state(AgentState::Ready)
            .wait(805)
            .state(AgentState::Away)
            .wait(1200)
            .state(AgentState::Ready)
            .wait(300)
            .state(AgentState::Ringing)
            .wait(20)
            .state(AgentState::Away)
            .wait(280)
            .logout()
            .events(),
    );
    for (call, at, agent, talk) in [
        ("C1", "09:19:55", "kim", 300),
        ("C2", "11:00:00", "kim", 60),
        ("C3", "12:00:00", "kim", 30),
        ("C4", "12:30:00", "lee", 45),
    ] {
        s.app.deliver_ok(
            CallScript::inbound(call, "01055550000")
                .starting_at(sunday(at))
                .wait(1)
                .queued(1)
                .wait(4)
                .answered(agent)
                .wait(talk)
                .ended()
                .events(),
        );
    }
    s.app.deliver_ok(
        CallScript::inbound("C5", "01055550005")
            .starting_at(sunday("13:00:00"))
            .wait(1)
            .queued(1)
            .wait(20)
            .callback_requested("01055550005", 1)
            .wait(3)
            .ended()
            .events(),
    );
    let callback = id_of(&s, "SELECT MAX(id) FROM callbacks");
    s.app.deliver_ok(
        CallScript::outbound("O1", "kim", "01055550005")
            .callback_of(callback)
            .starting_at(sunday("14:00:00"))
            .wait(10)
            .answered("kim")
            .wait(60)
            .ended()
            .events(),
    );
    let kim_id = id_of(&s, "SELECT id FROM agents WHERE login_id = 'kim'");
    // Consultations, saved on Monday (the harness's today).
    let mut types = std::collections::BTreeMap::new();
    for name in ["배송", "환불"] {
        let r = s.owner.post(
            "/api/settings/consultation-types",
            serde_json::json!({ "name": name }),
        );
        assert_eq!(r.status, 201, "{}", r.json_body());
        types.insert(name, r.json_body()["id"].as_i64().unwrap());
    }
    let kim = s.app.agent_login(s.tenant_id, "kim");
    let lee = s.app.agent_login(s.tenant_id, "lee");
    for (who, call, ty) in [
        (&kim, "C1", "배송"),
        (&kim, "C2", "배송"),
        (&kim, "C3", "환불"),
        (&lee, "C4", "배송"),
    ] {
        let r = who.put(
            &format!("/api/agent/calls/{call}/consultation"),
            serde_json::json!({ "type_id": types[ty], "memo": "" }),
        );
        assert_eq!(r.status, 200, "{call}: {}", r.json_body());
    }

    let check = |rolled: bool| {
        // STAT-4: per consultation type, all agents and kim alone.
        let t = stats(&s, "/api/stats/types");
        assert_eq!(row_named(&t, "배송")["consultations"], 3, "rolled {rolled}");
        assert_eq!(row_named(&t, "환불")["consultations"], 1);
        assert_eq!(t["rows"].as_array().unwrap().len(), 2, "{}", t["rows"]);
        assert_eq!(t["totals"]["consultations"], 4);
        let k = stats(&s, &format!("/api/stats/types?agent={kim_id}"));
        assert_eq!(row_named(&k, "배송")["consultations"], 2);
        assert_eq!(row_named(&k, "환불")["consultations"], 1);
        assert_eq!(k["totals"]["consultations"], 3);
        // Sunday has none: they count on the day they were saved.
        let y = stats(&s, "/api/stats/types?from=2026-11-29&to=2026-11-29");
        assert_eq!(y["totals"]["consultations"], 0);

        // STAT-5: per agent.
        let a = stats(&s, "/api/stats/agents?from=2026-11-29&to=2026-11-29");
        let k = row_named(&a, "kim-name");
        assert_eq!(k["answered"], 3, "rolled {rolled}: {k}");
        assert_eq!(k["missed"], 2);
        assert_eq!(k["outbound"], 1);
        assert_eq!(k["talk_ms"], (300 + 60 + 30) * 1000);
        assert_eq!(k["after_call_work_ms"], 90_000);
        assert_eq!(k["callbacks_handled"], 1);
        let l = row_named(&a, "lee-name");
        assert_eq!(l["answered"], 1);
        assert_eq!(l["missed"], 0);
        assert_eq!(l["talk_ms"], 45_000);
        assert_eq!(a["totals"]["answered"], 4);
        assert_eq!(a["totals"]["missed"], 2);

        // STAT-6: time per state.
        let st = stats(&s, "/api/stats/states?from=2026-11-29&to=2026-11-29");
        let k = row_named(&st, "kim-name");
        for (state, secs) in [
            ("ready_ms", 2_290),
            ("ringing_ms", 40),
            ("on_call_ms", 300),
            ("after_call_work_ms", 90),
            ("away_ms", 1_480),
            ("logged_out_ms", 49_800),
            ("dialing_ms", 0),
        ] {
            assert_eq!(k[state], secs * 1000, "rolled {rolled}: {state} in {k}");
        }
        // By hour: kim's 09:00 hour holds 10 min ready before the first
        // ring, 15 s ringing, ... exactly 3 600 s in all.
        let h = stats(
            &s,
            &format!(
                "/api/stats/states?from=2026-11-29&to=2026-11-29&granularity=hour&agent={kim_id}"
            ),
        );
        let nine = h["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["period"] == "2026-11-29 09:00")
            .unwrap();
        let sum: i64 = scenarios_states()
            .iter()
            .map(|k| nine[k.as_str()].as_i64().unwrap())
            .sum();
        assert_eq!(sum, 3_600_000, "{nine}");
        assert_eq!(nine["away_ms"], 20 * 60 * 1000);
        h.clone()
    };
    let live = check(false);
    // A day later, everything before the current hour is rolled up.
    s.app.advance(24 * 3600);
    while roll(&s).hours_behind > 0 {}
    // The owner's session has ended meanwhile: sign in again.
    let s = Scenario {
        owner: s.app.owner_of("acme"),
        ..s
    };
    let t = stats(&s, "/api/stats/types?from=2026-11-30&to=2026-11-30");
    assert!(t["rolled_until_ms"].as_i64().unwrap() >= 1_796_050_800_000);
    assert_eq!(t["totals"]["consultations"], 4);
    let y = stats(&s, "/api/stats/states?from=2026-11-29&to=2026-11-29");
    assert!(y["rolled_until_ms"].as_i64().unwrap() > sunday("23:59:59").as_millisecond());
    // The same figures from the roll-up (today's types read as "Monday").
    let a = stats(&s, "/api/stats/agents?from=2026-11-29&to=2026-11-29");
    let k = row_named(&a, "kim-name");
    assert_eq!(
        (
            k["answered"].clone(),
            k["missed"].clone(),
            k["after_call_work_ms"].clone()
        ),
        (3.into(), 2.into(), 90_000.into())
    );
    let h = stats(
        &s,
        &format!("/api/stats/states?from=2026-11-29&to=2026-11-29&granularity=hour&agent={kim_id}"),
    );
    assert_eq!(
        h["rows"], live["rows"],
        "hourly state time live = rolled up"
    );
    let k = row_named(&y, "kim-name");
    assert_eq!(k["logged_out_ms"], 49_800_000);
    assert_eq!(k["ready_ms"], 2_290_000);
    let k = stats(
        &s,
        &format!("/api/stats/types?from=2026-11-30&to=2026-11-30&agent={kim_id}"),
    );
    assert_eq!(row_named(&k, "배송")["consultations"], 2);
}

fn scenarios_states() -> Vec<String> {
    switchboard_app::reports::stats::STATES
        .iter()
        .map(|s| format!("{s}_ms"))
        .collect()
}
