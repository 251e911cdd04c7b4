//! Sign-in cost (AUTH-3): the argon2id parameters, and a whole sign-in and an
//! authenticated request through the real pipeline over in-memory stores.
//! Run with `scripts/bench.sh` (or `cargo bench -p switchboard-app --bench sign_in`).
#![allow(clippy::unwrap_used)]

use futures::executor::block_on;
use std::rc::Rc;
use std::time::{Duration, Instant};
use switchboard_app::config::MapVariables;
use switchboard_app::security::passwords;
use switchboard_app::{Host, mount_for, serve};
use switchboard_http::{Method, Request};
use switchboard_storage_native::{NativeKv, NativeSql};

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let pct = |p: f64| samples[((samples.len() - 1) as f64 * p).round() as usize];
    println!(
        "{name:<44} n={:<4} median {:>8.2} ms   p95 {:>8.2} ms",
        samples.len(),
        pct(0.5).as_secs_f64() * 1e3,
        pct(0.95).as_secs_f64() * 1e3
    );
}

fn time(n: usize, mut f: impl FnMut()) -> Vec<Duration> {
    (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect()
}

fn main() {
    let hash = passwords::hash("benchmark-password").unwrap();
    report(
        "argon2id hash (m=19MiB, t=2, p=1)",
        time(20, || {
            passwords::hash("benchmark-password").unwrap();
        }),
    );
    report(
        "argon2id verify",
        time(20, || {
            assert!(passwords::verify("benchmark-password", &hash));
        }),
    );

    let host = Host {
        db: Rc::new(NativeSql::in_memory().unwrap()),
        kv: Rc::new(NativeKv::in_memory().unwrap()),
        vars: Rc::new(
            MapVariables::default().with("bootstrap_operator_password", "benchmark-password"),
        ),
        now: jiff::Timestamp::now(),
        static_root: None,
    };
    let send = |req: Request| block_on(serve(mount_for(&req.path), &host, req));
    let login = || {
        Request::new(Method::Post, "/api/auth/login")
            .with_json(
                &serde_json::json!({ "login_id": "operator", "password": "benchmark-password" }),
            )
            .with_peer([127, 0, 0, 1].into())
    };
    let first = send(login());
    assert_eq!(first.status, 200);
    let cookie = first
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    report(
        "POST /api/auth/login (whole pipeline)",
        time(20, || {
            assert_eq!(send(login()).status, 200);
        }),
    );
    report(
        "GET /api/auth/me with a session",
        time(200, || {
            let req = Request::new(Method::Get, "/api/auth/me")
                .with_header("cookie", &cookie)
                .with_peer([127, 0, 0, 1].into());
            assert_eq!(send(req).status, 200);
        }),
    );
}
