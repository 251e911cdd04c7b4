//! What a component instance keeps between the requests it serves: the
//! runtime's stores, the variables, the clock, and what is built once per
//! instance (the schema check, the configuration, the route tables).

use super::config::{Config, Variables};
use super::routes::{AppRouter, Component};
use super::schema;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use switchboard_http::HttpClient;
use switchboard_storage::{KeyValue, Sql, StorageError};

/// Where the current time comes from: the system clock, or a pinned instant
/// in tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    System,
    Fixed(jiff::Timestamp),
}

/// The runtime's capabilities and what an instance may remember between the
/// requests it serves.
///
/// Spin reuses a component instance for up to 128 requests (16 at once), and
/// its statics persist: a component builds one `Host` per instance and keeps
/// it. Kept here is only what no other instance can change: the open stores,
/// the variables (fixed for the life of the app), the route tables and the
/// fact that the schema is current. Sessions, settings and data are read per
/// request. Tests build a fresh `Host` per request, so the first-request path
/// stays exercised.
pub struct Host {
    pub db: Rc<dyn Sql>,
    pub kv: Rc<dyn KeyValue>,
    pub vars: Rc<dyn Variables>,
    pub clock: Clock,
    /// Where the web UI's files are, for the component that serves them.
    pub static_root: Option<std::path::PathBuf>,
    /// Outbound HTTP (the provider's recordings, TEL-4), where the runtime
    /// offers it.
    pub http: Option<Rc<dyn HttpClient>>,
    memo: Memo,
}

#[derive(Default)]
struct Memo {
    schema_version: Cell<Option<i64>>,
    config: RefCell<Option<Rc<Config>>>,
    routers: RefCell<Vec<(&'static str, Rc<AppRouter>)>>,
}

impl Host {
    pub fn new(db: Rc<dyn Sql>, kv: Rc<dyn KeyValue>, vars: Rc<dyn Variables>) -> Self {
        Self {
            db,
            kv,
            vars,
            clock: Clock::System,
            static_root: None,
            http: None,
            memo: Memo::default(),
        }
    }

    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    pub fn with_static_root(mut self, root: impl Into<std::path::PathBuf>) -> Self {
        self.static_root = Some(root.into());
        self
    }

    pub fn with_http_client(mut self, client: Rc<dyn HttpClient>) -> Self {
        self.http = Some(client);
        self
    }

    pub fn now(&self) -> jiff::Timestamp {
        match self.clock {
            Clock::System => jiff::Timestamp::now(),
            Clock::Fixed(t) => t,
        }
    }

    /// Brings the schema up to date once per instance; later requests reuse
    /// the answer (a schema never goes back).
    pub async fn schema_version(&self) -> Result<i64, StorageError> {
        if let Some(v) = self.memo.schema_version.get() {
            return Ok(v);
        }
        let v = schema::migrate(self.db.as_ref()).await?;
        self.memo.schema_version.set(Some(v));
        Ok(v)
    }

    /// The configuration, read from the variables once per instance.
    pub async fn config(&self) -> Rc<Config> {
        if let Some(c) = self.memo.config.borrow().clone() {
            return c;
        }
        let c = Rc::new(Config::load(self.vars.as_ref()).await);
        *self.memo.config.borrow_mut() = Some(c.clone());
        c
    }

    /// `component`'s route table, built once per instance.
    pub fn router(&self, component: &Component) -> Rc<AppRouter> {
        let mut routers = self.memo.routers.borrow_mut();
        if let Some((_, r)) = routers.iter().find(|(n, _)| *n == component.name) {
            return r.clone();
        }
        let r = Rc::new((component.routes)());
        routers.push((component.name, r.clone()));
        r
    }
}
