//! The `history` component: service lookup, exports and recordings (SPEC
//! section 5): the call history (`calls.rs`, HIST-1), the consultation
//! history and its XLSX (`consultations.rs`, HIST-2), recordings as one
//! streamed ZIP (`bundle.rs`, HIST-2), the callback history (`callbacks.rs`,
//! HIST-3), the agent login history (`agent_sessions.rs`, HIST-4), their
//! shared filters (`lookup.rs`); the work history (`audit.rs`, HIST-5),
//! readable by every tenant role (their own tenant's) and by the operator
//! (all); call recordings (`recordings.rs`, TEL-4), streamed from the
//! provider; an admin deleting an open callback request
//! (`callback_requests.rs`, CB-3). Every view, export, play and download is
//! in the work history.

mod agent_sessions;
mod audit;
mod bundle;
mod callback_requests;
mod callbacks;
mod calls;
mod consultations;
mod lookup;
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
        GET "/api/history/calls", needs(Read, "calls.view").audit(Audit::Always) => calls::list;
        GET "/api/history/calls/{id}", needs(Read, "calls.detail").audit(Audit::Always) => calls::show;
        GET "/api/history/consultations", needs(Read, "consultations.view").audit(Audit::Always) => consultations::list;
        GET "/api/history/consultations/export", needs(Download, "consultations.export").audit(Audit::Always) => consultations::export;
        GET "/api/history/callbacks", needs(Read, "callbacks.view").audit(Audit::Always) => callbacks::list;
        GET "/api/history/agent-sessions", needs(Read, "agent_sessions.view").audit(Audit::Always) => agent_sessions::list;
        GET "/api/history/recordings/zip", needs(Download, "recordings.zip").audit(Audit::Always) => bundle::zip;
        GET "/api/history/recordings/{id}", needs(Read, "recordings.view").audit(Audit::Always) => recordings::show;
        GET "/api/history/recordings/{id}/audio", needs(Read, "recordings.play").audit(Audit::Always) => recordings::audio;
        GET "/api/history/recordings/{id}/download", needs(Download, "recordings.download").audit(Audit::Always) => recordings::download;
        DELETE "/api/history/callbacks/{id}", needs(Manage, "callbacks.delete") => callback_requests::delete;
    }
}
