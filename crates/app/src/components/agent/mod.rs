//! The `agent` component: the API of the agent apps (PC, mobile, web; SPEC
//! section 9, AGT-1), separate from the admin API.
//!
//! - `session.rs`: sign-in with the agent credentials of SVC-1 (a bearer
//!   token, see `security::agent_tokens`), sign-out, "me";
//! - `state.rs`: the agent's own state changes (MON-7);
//! - `consultations.rs`: saving a consultation about one's own call, and
//!   one's own consultation history of the last 3 months (HIST-2);
//! - `callbacks.rs`: marking a callback done (CB-1, HIST-3);
//! - `popup.rs`: the incoming-call popup URL of a call (SVC-5).
//!
//! Every route but sign-in and health needs an agent token
//! ([`Access::Agent`]); an admin session is no credential here. Handlers
//! act only within the agent's tenant, and on calls only where they are
//! the agent's own: anything else answers 404, as a missing one does.
//! Agent actions are not admin actions, so they leave no work-history
//! record (AUD-1); logins and states are kept as telephony events instead.

mod callbacks;
mod consultations;
mod popup;
mod session;
mod state;

use super::health;
use crate::runtime::routes::{Access, AppRouter, Audit, RouteMeta};
use crate::runtime::routes::{Component, public, route_table};

pub const COMPONENT: Component = Component {
    name: "agent",
    prefixes: &["/api/agent"],
    routes,
};

const fn agent(action: &'static str) -> RouteMeta {
    RouteMeta::new(Access::Agent, action).audit(Audit::Never)
}

fn routes() -> AppRouter {
    route_table! {
        GET  "/api/agent/health", health::META => health::health;
        POST "/api/agent/login", public("agent.login").audit(Audit::Never) => session::login;
        POST "/api/agent/logout", agent("agent.logout") => session::logout;
        GET  "/api/agent/me", agent("agent.me") => session::me;
        PUT  "/api/agent/state", agent("agent.state") => state::change;
        PUT  "/api/agent/calls/{call_id}/consultation", agent("agent.consultation") => consultations::save;
        GET  "/api/agent/calls/{call_id}/popup", agent("agent.popup") => popup::show;
        GET  "/api/agent/consultations", agent("agent.consultations") => consultations::list;
        POST "/api/agent/callbacks/{id}/done", agent("agent.callback_done") => callbacks::done;
    }
}
