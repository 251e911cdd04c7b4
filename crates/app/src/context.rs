//! What a handler is given: the stores, the configuration, the request's
//! identity and the signed-in admin.

use crate::accounts::User;
use crate::areas::Component;
use crate::audit::Actor;
use crate::config::{Config, Variables};
use crate::schema;
use std::cell::{Cell, RefCell};
use std::net::IpAddr;
use std::rc::Rc;
use switchboard_domain::Permission;
use switchboard_http::{ApiError, ErrorCode, HttpClient, JSON_BODY_LIMIT, Router, StatusCode};
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

/// The signed-in admin, as the pipeline established it for this request.
#[derive(Debug, Clone, PartialEq)]
pub struct Principal {
    /// The account as the pipeline read it for this request (active, its
    /// session epoch current); handlers need not read it again.
    pub user: User,
    pub csrf: String,
    /// The session token, for sign-out.
    pub token: String,
}

/// The signed-in agent (AGT-1), as the pipeline established it for this
/// request: active, of a tenant in service, with the session epoch the
/// token was issued under.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentPrincipal {
    pub agent_id: i64,
    pub tenant_id: i64,
    pub login_id: String,
    pub name: String,
    /// The token's record: its session ID (HIST-4), platform and times.
    pub token: crate::security::agent_tokens::AgentToken,
    /// The token itself, for sign-out.
    pub secret: String,
}

/// What the pipeline writes to the work history after the handler, and what
/// handlers may add to it.
#[derive(Debug, Clone, Default)]
pub struct AuditNote {
    /// Set by handlers that establish who is acting (sign-in).
    pub actor: Option<Actor>,
    pub detail: Option<serde_json::Value>,
    /// Set by handlers whose target is more specific than the path.
    pub target: Option<String>,
    /// Set by handlers whose outcome is a different action than the route's
    /// (a sign-in refused by the allowlist is `access.ip_denied`).
    pub action: Option<&'static str>,
    /// Set where a record would only repeat an earlier one (refusals while a
    /// sign-in lock lasts).
    pub skip: bool,
}

/// Per-request context handed to every handler.
pub struct Cx {
    pub db: Rc<dyn Sql>,
    pub kv: Rc<dyn KeyValue>,
    pub config: Rc<Config>,
    pub now: jiff::Timestamp,
    /// Which component is serving (`dashboard`, `settings`, …).
    pub component: &'static str,
    pub request_id: String,
    pub schema_version: i64,
    /// The client's address (see `security::client_ip`).
    pub client_ip: Option<IpAddr>,
    /// Whether the client reached us over https (for `Secure` cookies).
    pub https: bool,
    pub principal: Option<Principal>,
    /// The signed-in agent, on [`Access::Agent`] routes.
    pub agent: Option<AgentPrincipal>,
    pub audit: RefCell<AuditNote>,
    /// The host's outbound HTTP client, if it has one.
    pub http: Option<Rc<dyn HttpClient>>,
}

impl Cx {
    pub fn db(&self) -> &dyn Sql {
        self.db.as_ref()
    }

    pub fn kv(&self) -> &dyn KeyValue {
        self.kv.as_ref()
    }

    /// The outbound HTTP client; a host without one answers 503
    /// `provider_not_configured` rather than failing.
    pub fn http(&self) -> Result<&dyn HttpClient, ApiError> {
        self.http.as_deref().ok_or_else(|| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::ProviderNotConfigured,
                "This server has no outbound HTTP to reach the telephony provider.",
            )
        })
    }

    pub fn unix_now(&self) -> i64 {
        self.now.as_second()
    }

    /// The signed-in admin. Routes declared with a session access rule always
    /// have one; this errs only if a route is declared `Public` by mistake.
    pub fn principal(&self) -> Result<&Principal, ApiError> {
        self.principal
            .as_ref()
            .ok_or_else(|| ApiError::unauthorized("Sign in first."))
    }

    /// The signed-in agent. Routes declared [`Access::Agent`] always have
    /// one; this errs only if a route is declared otherwise by mistake.
    pub fn agent(&self) -> Result<&AgentPrincipal, ApiError> {
        self.agent
            .as_ref()
            .ok_or_else(|| ApiError::unauthorized("Sign in to the agent app first."))
    }

    /// The signed-in admin's tenant; the operator has none and gets 403 on
    /// tenant routes.
    pub fn tenant_id(&self) -> Result<i64, ApiError> {
        self.principal()?.user.tenant_id.ok_or_else(|| {
            ApiError::forbidden(
                ErrorCode::TenantOnly,
                "This is a tenant page; the platform operator has no tenant.",
            )
        })
    }

    /// Adds before/after values or other detail to this request's work
    /// history record.
    pub fn note(&self, detail: serde_json::Value) {
        self.audit.borrow_mut().detail = Some(detail);
    }

    pub fn note_action(&self, action: &'static str) {
        self.audit.borrow_mut().action = Some(action);
    }

    pub fn note_target(&self, target: impl Into<String>) {
        self.audit.borrow_mut().target = Some(target.into());
    }

    pub fn skip_audit(&self) {
        self.audit.borrow_mut().skip = true;
    }

    pub fn note_actor(&self, actor: Actor) {
        self.audit.borrow_mut().actor = Some(actor);
    }

    pub fn client_ip_text(&self) -> String {
        self.client_ip.map(|ip| ip.to_string()).unwrap_or_default()
    }
}

/// Who may call a route. Declared once per route in the area's route table
/// and enforced by the pipeline, never inside handlers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: health checks, the API document, sign-in.
    Public,
    /// Only when the `storage_selftest` variable is true.
    SelfTest,
    /// The telephony provider: the request is signed with the webhook
    /// secret (TEL-1, `telephony::signature`). No session, no CSRF.
    Provider,
    /// Any signed-in admin, operator included (me, own password).
    SignedIn,
    /// Any signed-in admin, even from outside the allowlist: sign-out only.
    Session,
    /// A signed-in admin whose role grants the permission (AUTH-2); tenant
    /// admins also pass their tenant's IP allowlist (ACC-1).
    Needs(Permission),
    /// A signed-in agent of the agent apps (AGT-1): the request carries an
    /// agent token in `Authorization: Bearer …` (`security::agent_tokens`),
    /// never the admin cookie, and the agent is active with an unchanged
    /// session epoch. No CSRF token: a browser never attaches the header on
    /// its own, so another site cannot make a request carry it. Admin
    /// sessions are no agent tokens and the reverse: each access kind reads
    /// only its own credential.
    Agent,
}

/// When a request leaves a work-history record (AUD-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audit {
    /// State-changing methods only (the default).
    Changes,
    /// Every call, reads included: history views, downloads, playback.
    Always,
    /// Never (health checks, the status route, `me`).
    Never,
}

/// Everything the pipeline and the API document need to know about a route.
#[derive(Debug, Clone, Copy)]
pub struct RouteMeta {
    pub access: Access,
    /// The work-history action name, e.g. `users.create`.
    pub action: &'static str,
    pub audit: Audit,
    /// The largest request body accepted.
    pub body_limit: usize,
}

impl RouteMeta {
    pub const fn new(access: Access, action: &'static str) -> Self {
        Self {
            access,
            action,
            audit: Audit::Changes,
            body_limit: JSON_BODY_LIMIT,
        }
    }

    pub const fn public(action: &'static str) -> Self {
        Self::new(Access::Public, action)
    }

    pub const fn needs(permission: Permission, action: &'static str) -> Self {
        Self::new(Access::Needs(permission), action)
    }

    pub const fn audit(mut self, audit: Audit) -> Self {
        self.audit = audit;
        self
    }
}

pub type AppRouter = Router<Cx, RouteMeta>;
