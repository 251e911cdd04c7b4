//! `switchboard-devserver`: the same components and handler code that run
//! inside Spin, served natively over rusqlite for browser tests, the provider
//! simulator and development on machines without Spin.
//!
//! HTTP is hyper 1 (keep-alive, chunked bodies both ways, many connections,
//! header/body/send timeouts). The application's futures are single-threaded
//! (`Rc` stores, as in a wasm component), so requests run as local tasks on a
//! few app worker threads, each keeping one [`Host`] as a Spin instance keeps
//! one for its requests. A response body streams back through a small bounded
//! channel, so a 200 MB download holds a few chunks in memory, not 200 MB. Variables come from `SPIN_VARIABLE_<NAME>` environment
//! variables, as with `spin up`. Outbound HTTP (recordings fetched from
//! the provider) is [`outbound::NativeHttpClient`]: plain `http://` only.
//!
//! ```text
//! switchboard-devserver --listen 127.0.0.1:3000 --static-dir static --data-dir .devdata
//! ```

mod outbound;

use anyhow::Context as _;
use bytes::Bytes;
use clap::Parser;
use http_body_util::{BodyExt, Either, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::cell::RefCell;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use switchboard_app::runtime::config::MapVariables;
use switchboard_app::{Host, mount_for, serve};
use switchboard_http::{ApiError, BODY_DEADLINE, Body, BodyError, PeerAddr};
use switchboard_storage::SharedConnection;
use switchboard_storage_native::{NativeKv, NativeSql};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};

#[derive(Parser, Debug, Clone)]
#[command(about = "Serves Switchboard natively, without Spin.")]
struct Options {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:3000")]
    listen: String,
    /// The web UI's files.
    #[arg(long, default_value = "static")]
    static_dir: PathBuf,
    /// Where the SQLite database and the key-value store live.
    #[arg(long, default_value = ".devdata")]
    data_dir: PathBuf,
}

/// How many response chunks may wait between the app and the socket.
const CHUNKS_IN_FLIGHT: usize = 4;
/// App worker threads (each like one component instance).
const APP_WORKERS: usize = 4;
/// A client must send its request headers within this.
const HEADER_READ: Duration = Duration::from_secs(20);
/// A request body's next chunk must arrive within this.
const BODY_IDLE: Duration = Duration::from_secs(30);
/// A client must take the next response chunk within this.
const SEND_IDLE: Duration = Duration::from_secs(60);

type OutBody = Either<Full<Bytes>, StreamBody<ChunkStream>>;
type ChunkStream = futures::stream::BoxStream<'static, Result<Frame<Bytes>, BodyError>>;

fn variables_from_env() -> MapVariables {
    let mut vars = MapVariables::default();
    for (name, value) in std::env::vars() {
        if let Some(var) = name.strip_prefix("SPIN_VARIABLE_") {
            vars = vars.with(&var.to_ascii_lowercase(), &value);
        }
    }
    vars
}

fn open_host(opts: &Options) -> anyhow::Result<Host> {
    let db = NativeSql::open(&opts.data_dir.join("switchboard.sqlite"))
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let kv = NativeKv::open(&opts.data_dir.join("key-value.sqlite"), "default")
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(Host::new(
        Rc::new(SharedConnection::new(db)),
        Rc::new(kv),
        Rc::new(variables_from_env()),
    )
    .with_static_root(opts.static_dir.clone())
    .with_http_client(Rc::new(outbound::NativeHttpClient)))
}

thread_local! {
    /// This app worker's host, like a Spin instance's.
    static HOST: RefCell<Option<Rc<Host>>> = const { RefCell::new(None) };
}

fn thread_host(opts: &Options) -> anyhow::Result<Rc<Host>> {
    if let Some(host) = HOST.with(|h| h.borrow().clone()) {
        return Ok(host);
    }
    let host = Rc::new(open_host(opts)?);
    HOST.with(|h| *h.borrow_mut() = Some(host.clone()));
    Ok(host)
}

/// One request handed from the connection (hyper, multi-threaded) to an app
/// worker (single-threaded, like a component instance).
struct Job {
    req: hyper::Request<Incoming>,
    peer: IpAddr,
    head: oneshot::Sender<hyper::Response<OutBody>>,
}

/// Starts `n` app workers: each a thread with a single-threaded runtime on
/// which requests run as local tasks. A request waiting for a slow client
/// (a trickling upload, a download nobody reads) is a parked task, not a
/// blocked thread, so it holds up no one else. The blocking work inside the
/// app (SQLite, argon2) runs on these `n` threads, which also bounds how many
/// password hashes are in memory at once.
fn start_workers(opts: &Arc<Options>, n: usize) -> anyhow::Result<Vec<mpsc::UnboundedSender<Job>>> {
    let mut senders = Vec::with_capacity(n);
    for i in 0..n {
        let (tx, mut rx) = mpsc::unbounded_channel::<Job>();
        let opts = opts.clone();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        std::thread::Builder::new()
            .name(format!("app-worker-{i}"))
            .spawn(move || {
                let local = tokio::task::LocalSet::new();
                local.block_on(&rt, async move {
                    while let Some(job) = rx.recv().await {
                        tokio::task::spawn_local(run_request(opts.clone(), job));
                    }
                });
            })?;
        senders.push(tx);
    }
    Ok(senders)
}

/// The request body as the app reads it: each chunk must arrive within
/// [`BODY_IDLE`], so a client that stops sending frees its request.
fn incoming_body(incoming: Incoming) -> Body {
    Body::from_stream(futures::stream::unfold(
        Some(incoming),
        |state| async move {
            let mut body = state?;
            loop {
                match tokio::time::timeout(BODY_IDLE, body.frame()).await {
                    Err(_) => {
                        return Some((Err(BodyError("the client stopped sending".into())), None));
                    }
                    Ok(None) => return None,
                    Ok(Some(Err(e))) => return Some((Err(BodyError(e.to_string())), None)),
                    Ok(Some(Ok(frame))) => {
                        if let Ok(data) = frame.into_data() {
                            return Some((Ok(data), Some(body)));
                        }
                    }
                }
            }
        },
    ))
}

/// Runs the app for one request: sends the response head, then streams the
/// body through a small channel (a client that stops reading for
/// [`SEND_IDLE`] is dropped).
async fn run_request(opts: Arc<Options>, job: Job) {
    let Job { req, peer, head } = job;
    let (mut parts, incoming) = req.into_parts();
    parts.extensions.insert(PeerAddr(peer));
    // `spin-*` headers are the runtime's to set (client address, full URL);
    // natively there is no runtime, so a client's copies are dropped.
    let forged: Vec<_> = parts
        .headers
        .keys()
        .filter(|n| n.as_str().starts_with("spin-"))
        .cloned()
        .collect();
    for name in forged {
        parts.headers.remove(name);
    }
    // Each chunk within BODY_IDLE, the whole body within BODY_DEADLINE.
    let body = incoming_body(incoming).with_deadline(tokio::time::sleep(BODY_DEADLINE));
    let req = hyper::Request::from_parts(parts, body);
    let resp = match thread_host(&opts) {
        Ok(host) => serve(mount_for(req.uri().path()), &host, req).await,
        Err(e) => ApiError::internal(format!("{e:#}")).into_response(),
    };
    let (parts, body) = resp.into_parts();
    if body.is_buffered() {
        let bytes = body.collect().await.unwrap_or_default();
        let _ = head.send(hyper::Response::from_parts(
            parts,
            Either::Left(Full::new(bytes)),
        ));
        return;
    }
    let (tx, mut rx) = mpsc::channel::<Result<Frame<Bytes>, BodyError>>(CHUNKS_IN_FLIGHT);
    let stream: ChunkStream = Box::pin(futures::stream::poll_fn(move |cx| rx.poll_recv(cx)));
    let out = hyper::Response::from_parts(parts, Either::Right(StreamBody::new(stream)));
    if head.send(out).is_err() {
        return;
    }
    let mut body = std::pin::pin!(body);
    while let Some(frame) = body.frame().await {
        // A closed channel means the client went away; a full one for too
        // long, that it stopped reading: stop producing either way.
        match tokio::time::timeout(SEND_IDLE, tx.send(frame)).await {
            Ok(Ok(())) => {}
            _ => break,
        }
    }
}

async fn handle(
    worker: mpsc::UnboundedSender<Job>,
    peer: IpAddr,
    req: hyper::Request<Incoming>,
) -> Result<hyper::Response<OutBody>, std::convert::Infallible> {
    let (head, head_rx) = oneshot::channel();
    let _ = worker.send(Job { req, peer, head });
    Ok(head_rx.await.unwrap_or_else(|_| {
        let mut resp = hyper::Response::new(Either::Left(Full::new(Bytes::new())));
        *resp.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
        resp
    }))
}

async fn run(opts: Options) -> anyhow::Result<()> {
    std::fs::create_dir_all(&opts.data_dir)
        .with_context(|| format!("cannot create {}", opts.data_dir.display()))?;
    let listener = TcpListener::bind(&opts.listen)
        .await
        .with_context(|| format!("cannot listen on {}", opts.listen))?;
    let addr: SocketAddr = listener.local_addr()?;
    println!("listening on http://{addr}");
    let opts = Arc::new(opts);
    let workers = start_workers(&opts, APP_WORKERS)?;
    let next = AtomicUsize::new(0);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    eprintln!("devserver: accept failed: {e}");
                    continue;
                }
            },
            _ = tokio::signal::ctrl_c() => return Ok(()),
        };
        let worker = workers[next.fetch_add(1, Ordering::Relaxed) % workers.len()].clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| handle(worker.clone(), peer.ip(), req));
            let served = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ)
                .serve_connection(TokioIo::new(stream), service)
                .await;
            if let Err(e) = served
                && !e.is_incomplete_message()
            {
                eprintln!("devserver: connection from {peer}: {e}");
            }
        });
    }
}

fn main() -> anyhow::Result<()> {
    let opts = Options::parse();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?
        .block_on(run(opts))
}
