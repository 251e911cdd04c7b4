//! What a handler is given: the stores, the configuration and the request's
//! identity.

use crate::config::{Config, Variables};
use std::net::IpAddr;
use std::rc::Rc;
use switchboard_http::{JSON_BODY_LIMIT, Router};
use switchboard_storage::{KeyValue, Sql};

/// The runtime's capabilities, built by a component for each request (Spin
/// opens fresh store handles per request) or once by a test.
#[derive(Clone)]
pub struct Host {
    pub db: Rc<dyn Sql>,
    pub kv: Rc<dyn KeyValue>,
    pub vars: Rc<dyn Variables>,
    /// The current time; tests pin it.
    pub now: jiff::Timestamp,
    /// Where the web UI's files are, for the component that serves them.
    pub static_root: Option<std::path::PathBuf>,
}

/// Per-request context handed to every handler.
pub struct Cx {
    pub db: Rc<dyn Sql>,
    pub kv: Rc<dyn KeyValue>,
    pub config: Config,
    pub now: jiff::Timestamp,
    /// Which component is serving (`dashboard`, `settings`, …).
    pub component: &'static str,
    pub request_id: String,
    pub schema_version: i64,
    /// The client's address as determined by the pipeline.
    pub client_ip: Option<IpAddr>,
}

impl Cx {
    pub fn db(&self) -> &dyn Sql {
        self.db.as_ref()
    }

    pub fn kv(&self) -> &dyn KeyValue {
        self.kv.as_ref()
    }
}

/// Who may call a route. Declared once per route in the area's route table
/// and enforced by the pipeline, never inside handlers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: health checks, the API document, login.
    Public,
    /// Only when the `storage_selftest` variable is true.
    SelfTest,
}

/// Everything the pipeline and the API document need to know about a route.
#[derive(Debug, Clone, Copy)]
pub struct RouteMeta {
    pub access: Access,
    pub summary: &'static str,
    /// The largest request body accepted.
    pub body_limit: usize,
}

impl RouteMeta {
    pub const fn new(access: Access, summary: &'static str) -> Self {
        Self {
            access,
            summary,
            body_limit: JSON_BODY_LIMIT,
        }
    }

    pub const fn public(summary: &'static str) -> Self {
        Self::new(Access::Public, summary)
    }
}

pub type AppRouter = Router<Cx, RouteMeta>;
