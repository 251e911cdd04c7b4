//! The route table's types: which component serves a path, who may call a
//! route, when it leaves a work-history record, and how large a body it
//! takes. Components declare routes with these; the pipeline enforces them.

use super::context::Cx;
use switchboard_domain::Permission;
use switchboard_http::{JSON_BODY_LIMIT, Router};

/// A component as the router and the manifest see it.
pub struct Component {
    pub name: &'static str,
    /// Spin route prefixes (`/api/dashboard/...` is written `/api/dashboard`).
    /// The web component also serves `/...`, the static UI.
    pub prefixes: &'static [&'static str],
    pub routes: fn() -> AppRouter,
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

/// Needs `permission` (AUTH-2); see [`RouteMeta::needs`].
pub const fn needs(permission: Permission, action: &'static str) -> RouteMeta {
    RouteMeta::needs(permission, action)
}

/// Anyone; see [`RouteMeta::public`].
pub const fn public(action: &'static str) -> RouteMeta {
    RouteMeta::public(action)
}

/// A component's route table, one line per route:
///
/// ```text
/// route_table! {
///     GET  "/api/settings/access", needs(ManageAccess, "access.show") => access::show;
///     PUT  "/api/settings/access", needs(ManageAccess, "access.update") => access::update;
/// }
/// ```
///
/// The method, the path (matchit syntax), who may call it and how it is
/// recorded ([`RouteMeta`]), and the handler. A line per route keeps the
/// table readable as the list it is, which rustfmt would otherwise spread
/// over six lines per route.
macro_rules! route_table {
    ($($method:ident $path:literal, $meta:expr => $handler:path;)*) => {
        $crate::runtime::routes::AppRouter::new()
            $(.route(
                ::switchboard_http::Method::$method,
                $path,
                $meta,
                ::switchboard_http::handler!($handler),
            ))*
    };
}
pub(crate) use route_table;
