//! The `history` component: service lookup, exports and recordings (SPEC
//! section 5). So far: the work history (`audit.rs`, HIST-5), readable by
//! every tenant role (their own tenant's) and by the operator (all); call
//! recordings (`recordings.rs`, TEL-4), streamed from the provider; an
//! admin deleting an open callback request (`callback_requests.rs`, CB-3).

mod audit;
mod callback_requests;
mod recordings;

use super::health;
use crate::runtime::routes::{Access, AppRouter, Audit, RouteMeta};
use crate::runtime::routes::{Component, needs, route_table};
use switchboard_domain::Permission::{Download, Manage, Read};

pub const COMPONENT: Component = Component {
    name: "history",
    prefixes: &["/api/history"],
    routes,
};

fn routes() -> AppRouter {
    route_table! {
        GET "/api/history/health", health::META => health::health;
        GET "/api/history/audit", RouteMeta::new(Access::SignedIn, "audit.view").audit(Audit::Always) => audit::search;
        GET "/api/history/audit/export", needs(Download, "audit.export").audit(Audit::Always) => audit::export;
        GET "/api/history/recordings/{id}", needs(Read, "recordings.view").audit(Audit::Always) => recordings::show;
        GET "/api/history/recordings/{id}/audio", needs(Read, "recordings.play").audit(Audit::Always) => recordings::audio;
        GET "/api/history/recordings/{id}/download", needs(Download, "recordings.download").audit(Audit::Always) => recordings::download;
        DELETE "/api/history/callbacks/{id}", needs(Manage, "callbacks.delete") => callback_requests::delete;
    }
}
