//! Sign-in cost (AUTH-3): the argon2id parameters, and a whole sign-in and an
//! authenticated request through the real pipeline over in-memory stores.
//! Run with `scripts/bench.sh` (or `cargo bench -p switchboard-app --bench sign_in`).
#![allow(clippy::unwrap_used)]

use futures::executor::block_on;
use std::rc::Rc;
use std::time::{Duration, Instant};
use switchboard_app::runtime::config::MapVariables;
use switchboard_app::security::passwords;
use switchboard_app::{Host, mount_for, serve};
use switchboard_http::{Body, IncomingRequest, PeerAddr, ResponseExt, http};
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

    // One host for every request, as one Spin instance keeps one.
    let host = Host::new(
        Rc::new(NativeSql::in_memory().unwrap()),
        Rc::new(NativeKv::in_memory().unwrap()),
        Rc::new(MapVariables::default().with("bootstrap_operator_password", "benchmark-password")),
    );
    let send = |req: IncomingRequest| {
        let resp = block_on(serve(mount_for(req.uri().path()), &host, req));
        let status = resp.status().as_u16();
        let cookie = resp.header_str("set-cookie").map(str::to_owned);
        block_on(resp.into_body().collect()).unwrap();
        (status, cookie)
    };
    let login = || {
        let body = serde_json::json!({ "login_id": "operator", "password": "benchmark-password" });
        let mut req = http::Request::post("/api/auth/login")
            .header("content-type", "application/json")
            .body(Body::from(serde_json::to_vec(&body).unwrap()))
            .unwrap();
        req.extensions_mut().insert(PeerAddr([127, 0, 0, 1].into()));
        req
    };
    let (status, cookie) = send(login());
    assert_eq!(status, 200);
    let cookie = cookie.unwrap().split(';').next().unwrap().to_owned();
    report(
        "POST /api/auth/login (whole pipeline)",
        time(20, || {
            assert_eq!(send(login()).0, 200);
        }),
    );
    report(
        "GET /api/auth/me with a session",
        time(200, || {
            let mut req = http::Request::get("/api/auth/me")
                .header("cookie", &cookie)
                .body(Body::empty())
                .unwrap();
            req.extensions_mut().insert(PeerAddr([127, 0, 0, 1].into()));
            assert_eq!(send(req).0, 200);
        }),
    );
}
