//! Everything that touches spin-sdk lives here, so each component's entry
//! point is one call and the application logic stays runtime-neutral.
//!
//! - [`store`]: [`Sql`](switchboard_storage::Sql) and
//!   [`KeyValue`](switchboard_storage::KeyValue) over Spin's `sqlite` and
//!   `key-value` interfaces;
//! - [`variables`]: Spin variables;
//! - [`http`]: the request and response hand-over;
//! - [`outbound`]: [`HttpClient`](switchboard_http::HttpClient) over Spin's
//!   outbound HTTP (recordings, TEL-4).
//!
//! Spin reuses a component instance for up to 128 requests, 16 at a time,
//! and keeps its statics: the [`Host`] (open stores, configuration, route
//! table, schema check) is built by the instance's first request and shared
//! by the rest. The SQLite connection is wrapped in a
//! [`SharedConnection`](switchboard_storage::SharedConnection), so requests
//! running at once never share a transaction.

pub mod http;
pub mod outbound;
pub mod store;
pub mod variables;

use std::cell::RefCell;
use std::rc::Rc;
use switchboard_app::{Component, Host};
use switchboard_storage::SharedConnection;

pub use http::handle;

thread_local! {
    /// This instance's host, once its first request has opened it.
    static INSTANCE: RefCell<Option<Rc<Host>>> = const { RefCell::new(None) };
}

/// Opens the default database and key-value store.
pub async fn open_host(static_root: Option<&str>) -> Result<Host, String> {
    let db = store::SpinSql::open_default()
        .await
        .map_err(|e| e.to_string())?;
    let kv = store::SpinKv::open_default()
        .await
        .map_err(|e| e.to_string())?;
    let host = Host::new(
        Rc::new(SharedConnection::new(db)),
        Rc::new(kv),
        Rc::new(variables::SpinVariables),
    )
    .with_http_client(Rc::new(outbound::SpinHttpClient));
    Ok(match static_root {
        Some(root) => host.with_static_root(root),
        None => host,
    })
}

/// This instance's host: opened by its first request, then reused.
pub async fn instance_host(static_root: Option<&str>) -> Result<Rc<Host>, String> {
    if let Some(host) = INSTANCE.with(|i| i.borrow().clone()) {
        return Ok(host);
    }
    let host = Rc::new(open_host(static_root).await?);
    INSTANCE.with(|i| *i.borrow_mut() = Some(host.clone()));
    Ok(host)
}

/// For the web component: the directory `spin.toml` mounts `static/` at.
pub const STATIC_ROOT: &str = "/static";

/// Serves a request as `component` (HTTP components' whole body).
pub async fn serve(
    component: &'static Component,
    req: spin_sdk::http::Request,
) -> http::SpinResponse {
    handle(component, req, None).await
}
