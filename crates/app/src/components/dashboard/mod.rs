//! The `dashboard` component: live monitoring (SPEC section 3, MON-1..7)
//! and, to come, statistics (section 4).
//!
//! - `live.rs`: `GET /api/dashboard` — everything the page shows, one
//!   answer, with an ETag (`If-None-Match` → 304 when nothing changed);
//! - `wallboard.rs`: signed wallboard links (create, list, revoke — owners
//!   and managers) and the read-only answer a link opens without a session;
//! - `stats.rs`: `GET /api/stats/{tenant,queues,waits,types,agents,states}`
//!   — the statistics tables STAT-1..6 (section 4);
//! - `abandoned.rs`: a callback request from a row of today's abandoned
//!   calls (one click, audited);
//! - `worker.rs`: `GET /api/dashboard/worker` — whether the callback worker
//!   has stalled, for the warning owners and managers see in the page's
//!   header (RUN-4).
//!
//! The figures are the read model `reports::dashboard`, counted with
//! `reports::metrics` (SPEC section 11).

mod abandoned;
mod live;
mod stats;
mod wallboard;
mod worker;

use super::health;
use crate::runtime::routes::AppRouter;
use crate::runtime::routes::Audit;
use crate::runtime::routes::{Component, needs, public, route_table};
use switchboard_domain::Permission::{Download, Manage, Read};

pub const COMPONENT: Component = Component {
    name: "dashboard",
    prefixes: &["/api/dashboard", "/api/stats"],
    routes,
};

fn routes() -> AppRouter {
    route_table! {
        GET    "/api/dashboard/health", health::META => health::health;
        GET    "/api/dashboard", needs(Read, "dashboard.show") => live::show;
        POST   "/api/dashboard/abandoned/{id}/callback", needs(Manage, "dashboard.callback_request") => abandoned::request_callback;
        GET    "/api/dashboard/worker", needs(Manage, "dashboard.worker") => worker::status;
        GET    "/api/dashboard/wallboard-links", needs(Manage, "wallboard_links.list") => wallboard::list;
        POST   "/api/dashboard/wallboard-links", needs(Manage, "wallboard_links.create") => wallboard::create;
        DELETE "/api/dashboard/wallboard-links/{id}", needs(Manage, "wallboard_links.revoke") => wallboard::revoke;
        GET    "/api/dashboard/wallboard", public("wallboard.show") => wallboard::show;
        GET    "/api/stats/tenant", needs(Read, "stats.show") => stats::show;
        GET    "/api/stats/queues", needs(Read, "stats.show") => stats::show;
        GET    "/api/stats/waits", needs(Read, "stats.show") => stats::show;
        GET    "/api/stats/types", needs(Read, "stats.show") => stats::show;
        GET    "/api/stats/agents", needs(Read, "stats.show") => stats::show;
        GET    "/api/stats/states", needs(Read, "stats.show") => stats::show;
        GET    "/api/stats/export", needs(Download, "stats.export").audit(Audit::Always) => stats::export;
    }
}
