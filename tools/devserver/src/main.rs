//! `switchboard-devserver`: the same components and handler code that run
//! inside Spin, served natively over rusqlite for browser tests, the provider
//! simulator and development on machines without Spin.
//!
//! HTTP is hyper 1 (keep-alive, chunked bodies both ways, many connections).
//! The application's futures are single-threaded (`Rc` stores, as in a wasm
//! component), so each request runs on a blocking-pool thread of its own; its
//! response body streams back through a small bounded channel, so a 200 MB
//! download holds a few chunks in memory, not 200 MB. Each pool thread keeps
//! one [`Host`] for the requests it serves, as a Spin instance keeps one for
//! its requests. Variables come from `SPIN_VARIABLE_<NAME>` environment
//! variables, as with `spin up`.
//!
//! ```text
//! switchboard-devserver --listen 127.0.0.1:3000 --static-dir static --data-dir .devdata
//! ```

use anyhow::Context as _;
use bytes::Bytes;
use clap::Parser;
use http_body_util::{BodyExt, Either, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::cell::RefCell;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use switchboard_app::config::MapVariables;
use switchboard_app::{Host, mount_for, serve};
use switchboard_http::{ApiError, Body, BodyError, PeerAddr};
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
    .with_static_root(opts.static_dir.clone()))
}

thread_local! {
    /// This pool thread's host, like a Spin instance's.
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

/// Runs the app for one request on this (blocking-pool) thread: sends the
/// response head, then streams the body through `chunks`.
fn run_request(
    opts: &Options,
    req: hyper::Request<Incoming>,
    peer: IpAddr,
    head: oneshot::Sender<hyper::Response<OutBody>>,
) {
    futures::executor::block_on(async move {
        let (mut parts, incoming) = req.into_parts();
        parts.extensions.insert(PeerAddr(peer));
        let req = hyper::Request::from_parts(parts, Body::wrap(incoming));
        let resp = match thread_host(opts) {
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
            // A closed channel means the client went away: stop producing.
            if tx.send(frame).await.is_err() {
                break;
            }
        }
    });
}

async fn handle(
    opts: Arc<Options>,
    peer: IpAddr,
    req: hyper::Request<Incoming>,
) -> Result<hyper::Response<OutBody>, std::convert::Infallible> {
    let (head_tx, head_rx) = oneshot::channel();
    tokio::task::spawn_blocking(move || run_request(&opts, req, peer, head_tx));
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
        let opts = opts.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| handle(opts.clone(), peer.ip(), req));
            let served = http1::Builder::new()
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
        .max_blocking_threads(64)
        .enable_all()
        .build()?
        .block_on(run(opts))
}
