//! The `settings` component: service settings (SPEC section 6) — access
//! management (`access.rs`, ACC-1), the ARS basics (`ars.rs`, ARS-1/2/6) and
//! their uploaded audio (`audio.rs`), the menu (`menus.rs`, ARS-3),
//! agents and their menus (`agents.rs`, SVC-1/2),
//! consultation types (`consultation_types.rs`, SVC-3), business hours and
//! the open/closed status (`hours.rs`, ARS-4), holidays (`holidays.rs`, ARS-5),
//! the contract (`contract.rs`, CON-1..3; owners only, `ManageAccess`),
//! work management and the incoming popup (`work.rs`, SVC-4/5), the
//! service-level threshold (`service_level.rs`) and the queues' SLA targets
//! (`queue_targets.rs`) the dashboard needs (SPEC section 11, issue 15), and
//! the callback policy (`callback_policy.rs`, CB-3) and the retention of
//! call records (`retention.rs`, CB-5).
//!
//! Reads need `Read` (every tenant role, viewers included); changes need
//! `Manage` (owners and managers); access management needs `ManageAccess`.

mod access;
mod agents;
mod ars;
mod audio;
mod callback_policy;
mod consultation_types;
mod contract;
mod holidays;
mod hours;
mod menus;
mod message;
mod queue_targets;
mod retention;
mod service_level;
mod work;

use super::health;
use crate::runtime::routes::{AppRouter, RouteMeta};
use crate::runtime::routes::{Component, needs, route_table};
use switchboard_domain::AUDIO_MAX_BYTES;
use switchboard_domain::Permission::{Manage, ManageAccess, Read};

pub const COMPONENT: Component = Component {
    name: "settings",
    prefixes: &["/api/settings"],
    routes,
};

/// An upload's body limit is the largest audio file accepted.
const AUDIO_UPLOAD: RouteMeta = RouteMeta {
    body_limit: AUDIO_MAX_BYTES as usize,
    ..RouteMeta::needs(Manage, "audio.upload")
};

fn routes() -> AppRouter {
    route_table! {
        GET    "/api/settings/health", health::META => health::health;
        GET    "/api/settings/access", needs(ManageAccess, "access.show") => access::show;
        PUT    "/api/settings/access", needs(ManageAccess, "access.update") => access::update;
        GET    "/api/settings/ars", needs(Read, "ars.show") => ars::show;
        PUT    "/api/settings/ars", needs(Manage, "ars.update") => ars::update;
        GET    "/api/settings/ars/defaults", needs(Read, "ars.defaults") => ars::default_texts;
        GET    "/api/settings/numbers", needs(Read, "numbers.mine") => ars::numbers;
        GET    "/api/settings/audio", needs(Read, "audio.list") => audio::list;
        POST   "/api/settings/audio", AUDIO_UPLOAD => audio::upload;
        GET    "/api/settings/audio/{id}", needs(Read, "audio.play") => audio::play;
        DELETE "/api/settings/audio/{id}", needs(Manage, "audio.delete") => audio::delete;
        GET    "/api/settings/menus", needs(Read, "menus.list") => menus::list;
        POST   "/api/settings/menus", needs(Manage, "menus.create") => menus::create;
        PATCH  "/api/settings/menus/{id}", needs(Manage, "menus.update") => menus::update;
        DELETE "/api/settings/menus/{id}", needs(Manage, "menus.delete") => menus::delete;
        GET    "/api/settings/menus/{id}/targets", needs(Read, "queue_targets.show") => queue_targets::show;
        PUT    "/api/settings/menus/{id}/targets", needs(Manage, "queue_targets.update") => queue_targets::update;
        GET    "/api/settings/agents", needs(Read, "agents.list") => agents::list;
        POST   "/api/settings/agents", needs(Manage, "agents.create") => agents::create;
        PATCH  "/api/settings/agents/{id}", needs(Manage, "agents.update") => agents::update;
        DELETE "/api/settings/agents/{id}", needs(Manage, "agents.delete") => agents::delete;
        PUT    "/api/settings/agents/{id}/menus", needs(Manage, "agents.assign") => agents::assign;
        GET    "/api/settings/consultation-types", needs(Read, "consultation_types.list") => consultation_types::list;
        POST   "/api/settings/consultation-types", needs(Manage, "consultation_types.create") => consultation_types::create;
        PUT    "/api/settings/consultation-types/order", needs(Manage, "consultation_types.reorder") => consultation_types::reorder;
        PATCH  "/api/settings/consultation-types/{id}", needs(Manage, "consultation_types.update") => consultation_types::update;
        DELETE "/api/settings/consultation-types/{id}", needs(Manage, "consultation_types.delete") => consultation_types::delete;
        GET    "/api/settings/hours", needs(Read, "hours.show") => hours::show;
        PUT    "/api/settings/hours", needs(Manage, "hours.update") => hours::update;
        GET    "/api/settings/hours/status", needs(Read, "hours.status") => hours::status;
        GET    "/api/settings/holidays", needs(Read, "holidays.list") => holidays::list;
        POST   "/api/settings/holidays", needs(Manage, "holidays.create") => holidays::create;
        POST   "/api/settings/holidays/import", needs(Manage, "holidays.import") => holidays::import;
        PATCH  "/api/settings/holidays/{id}", needs(Manage, "holidays.update") => holidays::update;
        DELETE "/api/settings/holidays/{id}", needs(Manage, "holidays.delete") => holidays::delete;
        GET    "/api/settings/contract", needs(ManageAccess, "contract.show") => contract::show;
        PUT    "/api/settings/contract/licences", needs(ManageAccess, "contract.licences") => contract::change_licences;
        PUT    "/api/settings/contract/company", needs(ManageAccess, "contract.company") => contract::update_company;
        POST   "/api/settings/contract/termination", needs(ManageAccess, "contract.termination_request") => contract::request_termination;
        DELETE "/api/settings/contract/termination", needs(ManageAccess, "contract.termination_withdraw") => contract::withdraw_termination;
        GET    "/api/settings/work", needs(Read, "work.show") => work::show;
        PUT    "/api/settings/work", needs(Manage, "work.update") => work::update;
        GET    "/api/settings/work/popup-preview", needs(Read, "work.popup_preview") => work::preview;
        GET    "/api/settings/work/service-level", needs(Read, "service_level.show") => service_level::show;
        PUT    "/api/settings/work/service-level", needs(Manage, "service_level.update") => service_level::update;
        GET    "/api/settings/work/callbacks", needs(Read, "callback_policy.show") => callback_policy::show;
        PUT    "/api/settings/work/callbacks", needs(Manage, "callback_policy.update") => callback_policy::update;
        GET    "/api/settings/work/retention", needs(Read, "retention.show") => retention::show;
        PUT    "/api/settings/work/retention", needs(Manage, "retention.update") => retention::update;
    }
}
