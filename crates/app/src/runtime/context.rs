//! What a handler is given: the stores, the configuration, the request's
//! identity and the signed-in admin.

use super::config::Config;
use crate::records::accounts::User;
use crate::records::audit::Actor;
use crate::records::tenants::{ServiceState, TenantScope};
use std::cell::RefCell;
use std::net::IpAddr;
use std::rc::Rc;
use switchboard_http::{ApiError, ErrorCode, HttpClient, StatusCode};
use switchboard_storage::{KeyValue, Sql};

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
    /// The company's name, as the agent app shows it.
    pub tenant_name: String,
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
    /// The company the signed-in admin or agent belongs to, read with the
    /// account (`None` for the operator and on routes without a sign-in).
    pub tenant: Option<TenantScope>,
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

    /// The signed-in admin's or agent's company: its ID, status, service
    /// end and time zone, as the pipeline read them for this request. The
    /// operator has none and gets 403 on tenant routes.
    pub fn tenant(&self) -> Result<&TenantScope, ApiError> {
        self.principal()?;
        self.tenant.as_ref().ok_or_else(|| {
            ApiError::forbidden(
                ErrorCode::TenantOnly,
                "This is a tenant page; the platform operator has no tenant.",
            )
        })
    }

    /// The agent's company (agent routes): always there for a signed-in
    /// agent.
    pub fn agent_tenant(&self) -> Result<&TenantScope, ApiError> {
        self.agent()?;
        self.tenant
            .as_ref()
            .ok_or_else(|| ApiError::internal("an agent request without its tenant"))
    }

    /// The signed-in admin's tenant ID (see [`Cx::tenant`]).
    pub fn tenant_id(&self) -> Result<i64, ApiError> {
        Ok(self.tenant()?.id)
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

/// CON-3: the refusal for an admin or agent of a terminated or expired
/// tenant (403 `tenant_terminated` / `service_expired`), `None` while it is
/// active.
pub fn service_refusal(tenant: &TenantScope, now: jiff::Timestamp) -> Option<ApiError> {
    match tenant.service_state(now) {
        ServiceState::Active => None,
        ServiceState::Terminated => Some(ApiError::forbidden(
            ErrorCode::TenantTerminated,
            "The service of this company has been terminated; its admins cannot sign in.",
        )),
        ServiceState::Expired => {
            let end = tenant.service_end.to_string();
            Some(
                ApiError::forbidden(
                    ErrorCode::ServiceExpired,
                    format!(
                        "The service period of this company ended on {end}; its admins cannot sign in."
                    ),
                )
                .with_param("end", end),
            )
        }
    }
}
