//! `switchboard-devserver`: the same components and handler code that run
//! inside Spin, served natively over rusqlite for browser tests, the provider
//! simulator and development on machines without Spin.
//!
//! Like Spin, it opens fresh store handles for every request and chooses the
//! component by route prefix (`switchboard_app::mount_for`, which a test keeps
//! in line with `spin.toml`). Variables come from `SPIN_VARIABLE_<NAME>`
//! environment variables, as with `spin up`.
//!
//! ```text
//! switchboard-devserver --listen 127.0.0.1:3000 --static-dir static --data-dir .devdata
//! ```

use std::net::SocketAddr;
use std::path::PathBuf;
use std::rc::Rc;
use switchboard_app::config::MapVariables;
use switchboard_app::{Host, mount_for, serve};
use switchboard_http::{MAX_BODY_BYTES, Method, Request, Response};
use switchboard_storage_native::{NativeKv, NativeSql};

struct Options {
    listen: String,
    static_dir: PathBuf,
    data_dir: PathBuf,
}

fn parse_args() -> Result<Options, String> {
    let mut opts = Options {
        listen: "127.0.0.1:3000".into(),
        static_dir: PathBuf::from("static"),
        data_dir: PathBuf::from(".devdata"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--listen" => opts.listen = value()?,
            "--static-dir" => opts.static_dir = value()?.into(),
            "--data-dir" => opts.data_dir = value()?.into(),
            "--help" | "-h" => {
                return Err("usage: switchboard-devserver [--listen ADDR] [--static-dir DIR] [--data-dir DIR]".into());
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(opts)
}

fn variables_from_env() -> MapVariables {
    let mut vars = MapVariables::default();
    for (name, value) in std::env::vars() {
        if let Some(var) = name.strip_prefix("SPIN_VARIABLE_") {
            vars = vars.with(&var.to_ascii_lowercase(), &value);
        }
    }
    vars
}

fn to_request(req: &mut tiny_http::Request) -> Result<Request, Response> {
    let method = Method::parse(req.method().as_str()).ok_or_else(|| Response::new(405))?;
    let mut out = Request::new(method, req.url());
    for h in req.headers() {
        out = out.with_header(h.field.as_str().as_str(), h.value.as_str());
    }
    out.peer_addr = req.remote_addr().map(SocketAddr::ip);
    let mut body = Vec::new();
    let reader = req.as_reader();
    std::io::Read::read_to_end(&mut std::io::Read::take(reader, MAX_BODY_BYTES as u64 + 1), &mut body)
        .map_err(|_| Response::new(400))?;
    if body.len() > MAX_BODY_BYTES {
        return Err(switchboard_http::ApiError::payload_too_large(MAX_BODY_BYTES).into_response());
    }
    out.body = body;
    Ok(out)
}

fn host(opts: &Options, vars: &Rc<MapVariables>) -> Result<Host, String> {
    let db = NativeSql::open(&opts.data_dir.join("switchboard.sqlite")).map_err(|e| e.to_string())?;
    let kv = NativeKv::open(&opts.data_dir.join("key-value.sqlite"), "default").map_err(|e| e.to_string())?;
    Ok(Host {
        db: Rc::new(db),
        kv: Rc::new(kv),
        vars: vars.clone(),
        now: jiff::Timestamp::now(),
        static_root: Some(opts.static_dir.clone()),
    })
}

fn respond(req: tiny_http::Request, resp: Response) {
    let mut out = tiny_http::Response::from_data(resp.body).with_status_code(resp.status);
    for (name, value) in &resp.headers {
        if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            out.add_header(h);
        }
    }
    if let Err(e) = req.respond(out) {
        eprintln!("devserver: could not send response: {e}");
    }
}

fn main() {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("{msg}");
            std::process::exit(2);
        }
    };
    if let Err(e) = std::fs::create_dir_all(&opts.data_dir) {
        eprintln!("cannot create {}: {e}", opts.data_dir.display());
        std::process::exit(1);
    }
    let server = match tiny_http::Server::http(&opts.listen) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot listen on {}: {e}", opts.listen);
            std::process::exit(1);
        }
    };
    let vars = Rc::new(variables_from_env());
    let addr = server
        .server_addr()
        .to_ip()
        .map_or(opts.listen.clone(), |a| a.to_string());
    println!("listening on http://{addr}");
    for mut raw in server.incoming_requests() {
        let resp = match to_request(&mut raw) {
            Err(resp) => resp,
            Ok(req) => match host(&opts, &vars) {
                Ok(host) => {
                    let component = mount_for(&req.path);
                    futures::executor::block_on(serve(component, &host, req))
                }
                Err(detail) => switchboard_http::ApiError::internal(detail).into_response(),
            },
        };
        respond(raw, resp);
    }
}
