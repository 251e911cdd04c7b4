//! The `history` component: service lookup, exports and recordings (SPEC
//! section 5). So far: the work history (`audit.rs`, HIST-5), readable by
//! every tenant role (their own tenant's) and by the operator (all); call
//! recordings (`recordings.rs`, TEL-4), streamed from the provider.

mod audit;
mod recordings;

use super::health;
use crate::runtime::routes::Component;
use crate::runtime::routes::{Access, AppRouter, Audit, RouteMeta};
use switchboard_domain::Permission::{Download, Read};
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
        .route(
            Method::GET,
            "/api/history/recordings/{id}",
            RouteMeta::needs(Read, "recordings.view").audit(Audit::Always),
            handler!(recordings::show),
        )
        .route(
            Method::GET,
            "/api/history/recordings/{id}/audio",
            RouteMeta::needs(Read, "recordings.play").audit(Audit::Always),
            handler!(recordings::audio),
        )
        .route(
            Method::GET,
            "/api/history/recordings/{id}/download",
            RouteMeta::needs(Download, "recordings.download").audit(Audit::Always),
            handler!(recordings::download),
        )
}
