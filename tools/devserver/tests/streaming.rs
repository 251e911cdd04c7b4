//! The dev server streams: a 200 MB download and a 300 MB chunked upload pass
//! through it while its memory stays within 64 MB of what it used at idle
//! (peak resident set, read from /proc, not guessed).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper_util::rt::TokioIo;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const MB: u64 = 1024 * 1024;

struct Server {
    child: Child,
    addr: String,
    _dir: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Server {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("sb-stream-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let addr = format!("127.0.0.1:{port}");
    let child = Command::new(env!("CARGO_BIN_EXE_switchboard-devserver"))
        .args(["--listen", &addr, "--data-dir"])
        .arg(&dir)
        .env("SPIN_VARIABLE_STORAGE_SELFTEST", "true")
        .env(
            "SPIN_VARIABLE_BOOTSTRAP_OPERATOR_PASSWORD",
            "operator-pass-123",
        )
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..100 {
        if std::net::TcpStream::connect(&addr).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Server {
        child,
        addr,
        _dir: dir,
    }
}

/// A `/proc/<pid>/status` figure in bytes (`VmRSS`, `VmHWM`).
fn proc_kb(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with(field)).unwrap();
    let kb: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb * 1024
}

/// Resets the peak so `VmHWM` measures from now (Linux ≥ 4.0).
fn reset_peak(pid: u32) {
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").unwrap();
}

async fn send<B>(addr: &str, req: hyper::Request<B>) -> (u16, hyper::HeaderMap, u64)
where
    B: hyper::body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let resp = match sender.send_request(req).await {
        Ok(resp) => resp,
        Err(e) => panic!("request failed: {e:?}"),
    };
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let mut body = resp.into_body();
    let mut received = 0;
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame.unwrap().into_data() {
            received += data.len() as u64;
        }
    }
    (status, headers, received)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn get(path: &str, addr: &str) -> hyper::Request<http_body_util::Empty<Bytes>> {
    hyper::Request::get(path)
        .header("host", addr)
        .body(http_body_util::Empty::new())
        .unwrap()
}

#[test]
fn a_200_mb_download_streams_in_bounded_memory() {
    let server = start();
    let pid = server.child.id();
    let rt = runtime();
    let (status, _, _) = rt.block_on(send(&server.addr, get("/api/health", &server.addr)));
    assert_eq!(status, 200);
    let idle = proc_kb(pid, "VmRSS:");
    reset_peak(pid);
    let path = format!("/api/system/stream-selftest?bytes={}", 200 * MB);
    let (status, headers, received) = rt.block_on(send(&server.addr, get(&path, &server.addr)));
    assert_eq!(status, 200);
    assert_eq!(received, 200 * MB, "{headers:?}");
    let peak = proc_kb(pid, "VmHWM:");
    let growth = peak.saturating_sub(idle);
    println!(
        "devserver streaming: idle {} MB, peak {} MB, growth {} MB for a 200 MB body",
        idle / MB,
        peak / MB,
        growth / MB
    );
    assert!(growth < 64 * MB, "peak grew by {} MB", growth / MB);
}

#[test]
fn a_chunked_upload_far_over_the_limit_is_refused_in_bounded_memory() {
    let server = start();
    let pid = server.child.id();
    let rt = runtime();
    let (status, _, _) = rt.block_on(send(&server.addr, get("/api/health", &server.addr)));
    assert_eq!(status, 200);
    let idle = proc_kb(pid, "VmRSS:");
    reset_peak(pid);
    // 300 MB in 64 KiB chunks, produced lazily, no Content-Length. curl is
    // the client here: it reads the early 413 while still sending, where
    // hyper's client reports the broken pipe instead.
    let mut curl = Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{http_code}"])
        .args(["-H", "Transfer-Encoding: chunked"])
        .args(["-H", "Content-Type: application/json"])
        .args(["--data-binary", "@-"])
        .arg(format!("http://{}/api/auth/login", server.addr))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("curl is needed for this test");
    let mut stdin = curl.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let chunk = vec![b' '; 64 * 1024];
        for _ in 0..4800 {
            if stdin.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    let out = curl.wait_with_output().unwrap();
    let _ = writer.join();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "413");
    let growth = proc_kb(pid, "VmHWM:").saturating_sub(idle);
    println!(
        "devserver chunked upload refused: growth {} MB",
        growth / MB
    );
    assert!(growth < 64 * MB, "peak grew by {} MB", growth / MB);
}

#[test]
fn a_range_request_gets_exactly_those_bytes() {
    let server = start();
    let rt = runtime();
    let path = "/api/system/stream-selftest?bytes=1000000";
    let req = hyper::Request::get(path)
        .header("host", &server.addr)
        .header("range", "bytes=500000-500009")
        .body(http_body_util::Empty::<Bytes>::new())
        .unwrap();
    let (status, headers, received) = rt.block_on(send(&server.addr, req));
    assert_eq!(status, 206);
    assert_eq!(headers["content-range"], "bytes 500000-500009/1000000");
    assert_eq!(received, 10);
    let req = hyper::Request::get(path)
        .header("host", &server.addr)
        .header("range", "bytes=1000000-")
        .body(http_body_util::Empty::<Bytes>::new())
        .unwrap();
    let (status, headers, _) = rt.block_on(send(&server.addr, req));
    assert_eq!(status, 416);
    assert_eq!(headers["content-range"], "bytes */1000000");
}

#[test]
fn keep_alive_serves_many_requests_on_one_connection() {
    let server = start();
    let rt = runtime();
    rt.block_on(async {
        let stream = tokio::net::TcpStream::connect(&server.addr).await.unwrap();
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .unwrap();
        tokio::spawn(async move {
            let _ = conn.await;
        });
        for _ in 0..20 {
            let resp = sender
                .send_request(get("/api/health", &server.addr))
                .await
                .unwrap();
            assert_eq!(resp.status(), 200);
            let body = resp.into_body().collect().await.unwrap().to_bytes();
            assert!(body.starts_with(b"{\"status\":\"ok\""));
        }
    });
}

/// Slow clients hold only their own requests: 80 uploads that stop after
/// one byte, and 20 downloads nobody reads, leave the server answering
/// others (the server would otherwise run out of workers and hang; the
/// 10 s bound only keeps a failing run from hanging too).
#[test]
fn stalled_clients_do_not_hold_up_anyone_else() {
    use tokio::io::AsyncWriteExt;
    let server = start();
    let rt = runtime();
    rt.block_on(async {
        let mut stalled = Vec::new();
        for _ in 0..80 {
            let mut s = tokio::net::TcpStream::connect(&server.addr).await.unwrap();
            s.write_all(
                b"POST /api/auth/login HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{",
            )
            .await
            .unwrap();
            stalled.push(s);
        }
        for _ in 0..20 {
            let mut s = tokio::net::TcpStream::connect(&server.addr).await.unwrap();
            s.write_all(b"GET /api/system/stream-selftest?bytes=1000000000 HTTP/1.1\r\nhost: x\r\n\r\n")
                .await
                .unwrap();
            stalled.push(s);
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        let health = tokio::time::timeout(
            Duration::from_secs(10),
            send(&server.addr, get("/api/health", &server.addr)),
        )
        .await
        .expect("the server still answers while slow clients wait");
        assert_eq!(health.0, 200);
        drop(stalled);
    });
}

/// `spin-*` headers are the runtime's: natively a client's copy is dropped,
/// so it cannot claim https (and get the `__Host-` cookie) over plain http.
#[test]
fn a_client_cannot_send_the_runtimes_headers() {
    let server = start();
    let rt = runtime();
    let body = r#"{"login_id":"operator","password":"operator-pass-123"}"#;
    let req = hyper::Request::post("/api/auth/login")
        .header("host", &server.addr)
        .header("content-type", "application/json")
        .header("spin-full-url", "https://example.com/api/auth/login")
        .body(http_body_util::Full::new(Bytes::from_static(
            body.as_bytes(),
        )))
        .unwrap();
    let (status, headers, _) = rt.block_on(send(&server.addr, req));
    assert_eq!(status, 200);
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("sb_session="), "plain http: {cookie}");
}
