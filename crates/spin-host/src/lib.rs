//! Everything that touches spin-sdk lives here, so each component's entry
//! point is one call and the application logic stays runtime-neutral.
//!
//! - [`store`]: [`Sql`](switchboard_storage::Sql) and
//!   [`KeyValue`](switchboard_storage::KeyValue) over Spin's `sqlite` and
//!   `key-value` interfaces;
//! - [`variables`]: Spin variables;
//! - [`http`]: conversion between spin-sdk's HTTP types and ours.

pub mod http;
pub mod store;
pub mod variables;

use std::rc::Rc;
use switchboard_app::{Component, Host};

pub use http::handle;

/// Opens the default database and key-value store for this request.
pub async fn open_host(static_root: Option<&str>) -> Result<Host, String> {
    let db = store::SpinSql::open_default()
        .await
        .map_err(|e| e.to_string())?;
    let kv = store::SpinKv::open_default()
        .await
        .map_err(|e| e.to_string())?;
    Ok(Host {
        db: Rc::new(db),
        kv: Rc::new(kv),
        vars: Rc::new(variables::SpinVariables),
        now: jiff::Timestamp::now(),
        static_root: static_root.map(Into::into),
    })
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
