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

mod wire;

use std::io::BufReader;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;
use switchboard_app::config::MapVariables;
use switchboard_app::{Host, mount_for, serve};
use switchboard_http::ApiError;
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

fn host(opts: &Options, vars: &Rc<MapVariables>) -> Result<Host, String> {
    let db =
        NativeSql::open(&opts.data_dir.join("switchboard.sqlite")).map_err(|e| e.to_string())?;
    let kv = NativeKv::open(&opts.data_dir.join("key-value.sqlite"), "default")
        .map_err(|e| e.to_string())?;
    Ok(Host {
        db: Rc::new(db),
        kv: Rc::new(kv),
        vars: vars.clone(),
        now: jiff::Timestamp::now(),
        static_root: Some(opts.static_dir.clone()),
    })
}

/// Serves one connection: one request, one response, then close. Simple and
/// robust (no keep-alive bookkeeping); browsers open more connections.
fn connection(stream: TcpStream, opts: &Options, vars: &Rc<MapVariables>) {
    let peer = stream.peer_addr().ok().map(|a| a.ip());
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let resp = match wire::read_request(&mut reader) {
        Ok(None) => return,
        Ok(Some(mut req)) => {
            req.peer_addr = peer;
            match host(opts, vars) {
                Ok(host) => {
                    let component = mount_for(&req.path);
                    futures::executor::block_on(serve(component, &host, req))
                }
                Err(detail) => ApiError::internal(detail).into_response(),
            }
        }
        Err(resp) => resp,
    };
    let mut stream = stream;
    if let Err(e) = wire::write_response(&mut stream, &resp) {
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
    let listener = match TcpListener::bind(&opts.listen) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot listen on {}: {e}", opts.listen);
            std::process::exit(1);
        }
    };
    let addr = listener
        .local_addr()
        .map_or(opts.listen.clone(), |a| a.to_string());
    println!("listening on http://{addr}");
    // A thread per connection, as Spin runs an instance per request: one slow
    // client never stalls the rest, and the stores see real concurrency.
    let opts = Arc::new(opts);
    for stream in listener.incoming().flatten() {
        let opts = opts.clone();
        std::thread::spawn(move || {
            let vars = Rc::new(variables_from_env());
            connection(stream, &opts, &vars);
        });
    }
}
