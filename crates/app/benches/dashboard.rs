//! The dashboard's queries run directly on SQLite (issue 15): the read model
//! `reports::dashboard` (the same code and SQL as `GET /api/dashboard`,
//! without HTTP, Spin or WebAssembly) over the bench's database file, natively
//! through rusqlite. `scripts/bench.sh` prints these beside the figures
//! through `spin up`.
//!
//!     cargo bench -p switchboard-app --bench dashboard -- DB TENANT_ID
//!     cargo bench -p switchboard-app --bench dashboard -- DB TENANT_ID prepare
//!
//! `prepare` brings the file's schema up to date and the statistics roll-up
//! up to now (natively, in week-sized runs), so the worker's tick inside
//! `spin up` has nothing to catch up during the measurements.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use futures::executor::block_on;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use switchboard_app::records::tenants;
use switchboard_app::reports::dashboard;
use switchboard_app::worker::rollup::{self, Budget};
use switchboard_storage_native::NativeSql;

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let pct = |p: f64| samples[((samples.len() - 1) as f64 * p).round() as usize];
    println!(
        "{name:<58} n={:<5} median {:>8.2} ms   p99 {:>8.2} ms",
        samples.len(),
        pct(0.5).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3
    );
}

/// One dashboard answer (or, with `full` false, the unchanged-ETag path).
fn one(db: &NativeSql, tenant_id: i64, full: bool) -> Duration {
    let t = Instant::now();
    let now = jiff::Timestamp::now();
    let tenant = block_on(tenants::by_id(db, tenant_id))
        .unwrap()
        .expect("no such tenant")
        .scope()
        .unwrap();
    let (settings, version) = block_on(dashboard::snapshot(db, &tenant, now)).unwrap();
    if full {
        let board = block_on(dashboard::build(db, &tenant, &settings, version, now, true)).unwrap();
        std::hint::black_box(serde_json::to_vec(&board).unwrap());
    }
    t.elapsed()
}

/// Schema up to date, roll-up caught up with now.
fn prepare(db: &NativeSql) {
    let t = Instant::now();
    block_on(switchboard_app::runtime::schema::migrate(db)).unwrap();
    let mut hours = 0;
    loop {
        let r = block_on(rollup::run(
            db,
            jiff::Timestamp::now(),
            Budget {
                hours: 24 * 7,
                dirty: 5_000,
            },
        ))
        .unwrap();
        hours += r.hours_rolled;
        if r.hours_behind == 0 && r.dirty_left == 0 {
            break;
        }
    }
    println!(
        "prepared: schema current, {hours} hours rolled up in {:.1} s",
        t.elapsed().as_secs_f64()
    );
}

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let (Some(path), Some(tenant)) = (args.next(), args.next()) else {
        println!("usage: cargo bench -p switchboard-app --bench dashboard -- DB TENANT_ID");
        return;
    };
    let path = PathBuf::from(path);
    let tenant_id: i64 = tenant.parse().unwrap();
    let db = NativeSql::open(&path).unwrap();
    if args.next().as_deref() == Some("prepare") {
        prepare(&db);
        return;
    }
    one(&db, tenant_id, true); // warm the page cache
    report(
        "dashboard read model, direct SQLite, 1 reader",
        (0..200).map(|_| one(&db, tenant_id, true)).collect(),
    );
    report(
        "unchanged (ETag) path, direct SQLite, 1 reader",
        (0..500).map(|_| one(&db, tenant_id, false)).collect(),
    );
    // 16 readers at once, each with its own connection, as 16 pollers.
    let threads: Vec<_> = (0..16)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || {
                let db = NativeSql::open(&path).unwrap();
                (0..25)
                    .map(|_| one(&db, tenant_id, true))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let all = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    report(
        "dashboard read model, direct SQLite, 16 readers at once",
        all,
    );
}
