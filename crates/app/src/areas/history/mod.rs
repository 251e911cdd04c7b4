//! The `history` component: service lookup, exports and recordings (SPEC
//! section 5). So far: the work history (`audit.rs`, HIST-5), readable by
//! every tenant role (their own tenant's) and by the operator (all).

mod audit;

use super::{Component, health};
use crate::context::{Access, AppRouter, Audit, RouteMeta};
use switchboard_domain::Permission::Download;
use switchboard_http::{Method, handler};

pub const COMPONENT: Component = Component {
    name: "history",
    prefixes: &["/api/history"],
    routes,
};

fn routes() -> AppRouter {
    AppRouter::new()
        .route(
            Method::GET,
            "/api/history/health",
            health::META,
            handler!(health::health),
        )
        .route(
            Method::GET,
            "/api/history/audit",
            RouteMeta::new(Access::SignedIn, "audit.view").audit(Audit::Always),
            handler!(audit::search),
        )
        .route(
            Method::GET,
            "/api/history/audit/export",
            RouteMeta::needs(Download, "audit.export").audit(Audit::Always),
            handler!(audit::export),
        )
}
