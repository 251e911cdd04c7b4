//! The `settings` component: service settings (SPEC section 6) — access
//! management (`access.rs`, ACC-1), the ARS basics (`ars.rs`, ARS-1/2/6) and
//! their uploaded audio (`audio.rs`), the menu (`menus.rs`, ARS-3),
//! agents and their menus (`agents.rs`, SVC-1/2),
//! consultation types (`consultation_types.rs`, SVC-3), business hours and
//! the open/closed status (`hours.rs`, ARS-4), holidays (`holidays.rs`, ARS-5),
//! the contract (`contract.rs`, CON-1..3; owners only, `ManageAccess`),
//! work management and the incoming popup (`work.rs`, SVC-4/5).
//!
//! Reads need `Read` (every tenant role, viewers included); changes need
//! `Manage` (owners and managers); access management needs `ManageAccess`.

mod access;
mod agents;
mod ars;
mod audio;
mod consultation_types;
mod contract;
mod holidays;
mod hours;
mod menus;
mod message;
mod work;

use super::health;
use crate::runtime::routes::Component;
use crate::runtime::routes::{AppRouter, RouteMeta};
use switchboard_domain::AUDIO_MAX_BYTES;
use switchboard_domain::Permission::{Manage, ManageAccess, Read};
use switchboard_http::{Method, handler};

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
    AppRouter::new()
        .route(
            Method::GET,
            "/api/settings/health",
            health::META,
            handler!(health::health),
        )
        .route(
            Method::GET,
            "/api/settings/access",
            RouteMeta::needs(ManageAccess, "access.show"),
            handler!(access::show),
        )
        .route(
            Method::PUT,
            "/api/settings/access",
            RouteMeta::needs(ManageAccess, "access.update"),
            handler!(access::update),
        )
        .route(
            Method::GET,
            "/api/settings/ars",
            RouteMeta::needs(Read, "ars.show"),
            handler!(ars::show),
        )
        .route(
            Method::PUT,
            "/api/settings/ars",
            RouteMeta::needs(Manage, "ars.update"),
            handler!(ars::update),
        )
        .route(
            Method::GET,
            "/api/settings/ars/defaults",
            RouteMeta::needs(Read, "ars.defaults"),
            handler!(ars::default_texts),
        )
        .route(
            Method::GET,
            "/api/settings/audio",
            RouteMeta::needs(Read, "audio.list"),
            handler!(audio::list),
        )
        .route(
            Method::POST,
            "/api/settings/audio",
            AUDIO_UPLOAD,
            handler!(audio::upload),
        )
        .route(
            Method::GET,
            "/api/settings/audio/{id}",
            RouteMeta::needs(Read, "audio.play"),
            handler!(audio::play),
        )
        .route(
            Method::DELETE,
            "/api/settings/audio/{id}",
            RouteMeta::needs(Manage, "audio.delete"),
            handler!(audio::delete),
        )
        .route(
            Method::GET,
            "/api/settings/menus",
            RouteMeta::needs(Read, "menus.list"),
            handler!(menus::list),
        )
        .route(
            Method::POST,
            "/api/settings/menus",
            RouteMeta::needs(Manage, "menus.create"),
            handler!(menus::create),
        )
        .route(
            Method::PATCH,
            "/api/settings/menus/{id}",
            RouteMeta::needs(Manage, "menus.update"),
            handler!(menus::update),
        )
        .route(
            Method::DELETE,
            "/api/settings/menus/{id}",
            RouteMeta::needs(Manage, "menus.delete"),
            handler!(menus::delete),
        )
        .route(
            Method::GET,
            "/api/settings/agents",
            RouteMeta::needs(Read, "agents.list"),
            handler!(agents::list),
        )
        .route(
            Method::POST,
            "/api/settings/agents",
            RouteMeta::needs(Manage, "agents.create"),
            handler!(agents::create),
        )
        .route(
            Method::PATCH,
            "/api/settings/agents/{id}",
            RouteMeta::needs(Manage, "agents.update"),
            handler!(agents::update),
        )
        .route(
            Method::DELETE,
            "/api/settings/agents/{id}",
            RouteMeta::needs(Manage, "agents.delete"),
            handler!(agents::delete),
        )
        .route(
            Method::PUT,
            "/api/settings/agents/{id}/menus",
            RouteMeta::needs(Manage, "agents.assign"),
            handler!(agents::assign),
        )
        .route(
            Method::GET,
            "/api/settings/consultation-types",
            RouteMeta::needs(Read, "consultation_types.list"),
            handler!(consultation_types::list),
        )
        .route(
            Method::POST,
            "/api/settings/consultation-types",
            RouteMeta::needs(Manage, "consultation_types.create"),
            handler!(consultation_types::create),
        )
        .route(
            Method::PUT,
            "/api/settings/consultation-types/order",
            RouteMeta::needs(Manage, "consultation_types.reorder"),
            handler!(consultation_types::reorder),
        )
        .route(
            Method::PATCH,
            "/api/settings/consultation-types/{id}",
            RouteMeta::needs(Manage, "consultation_types.update"),
            handler!(consultation_types::update),
        )
        .route(
            Method::DELETE,
            "/api/settings/consultation-types/{id}",
            RouteMeta::needs(Manage, "consultation_types.delete"),
            handler!(consultation_types::delete),
        )
        .route(
            Method::GET,
            "/api/settings/hours",
            RouteMeta::needs(Read, "hours.show"),
            handler!(hours::show),
        )
        .route(
            Method::PUT,
            "/api/settings/hours",
            RouteMeta::needs(Manage, "hours.update"),
            handler!(hours::update),
        )
        .route(
            Method::GET,
            "/api/settings/hours/status",
            RouteMeta::needs(Read, "hours.status"),
            handler!(hours::status),
        )
        .route(
            Method::GET,
            "/api/settings/holidays",
            RouteMeta::needs(Read, "holidays.list"),
            handler!(holidays::list),
        )
        .route(
            Method::POST,
            "/api/settings/holidays",
            RouteMeta::needs(Manage, "holidays.create"),
            handler!(holidays::create),
        )
        .route(
            Method::POST,
            "/api/settings/holidays/import",
            RouteMeta::needs(Manage, "holidays.import"),
            handler!(holidays::import),
        )
        .route(
            Method::PATCH,
            "/api/settings/holidays/{id}",
            RouteMeta::needs(Manage, "holidays.update"),
            handler!(holidays::update),
        )
        .route(
            Method::DELETE,
            "/api/settings/holidays/{id}",
            RouteMeta::needs(Manage, "holidays.delete"),
            handler!(holidays::delete),
        )
        .route(
            Method::GET,
            "/api/settings/contract",
            RouteMeta::needs(ManageAccess, "contract.show"),
            handler!(contract::show),
        )
        .route(
            Method::PUT,
            "/api/settings/contract/licences",
            RouteMeta::needs(ManageAccess, "contract.licences"),
            handler!(contract::change_licences),
        )
        .route(
            Method::PUT,
            "/api/settings/contract/company",
            RouteMeta::needs(ManageAccess, "contract.company"),
            handler!(contract::update_company),
        )
        .route(
            Method::POST,
            "/api/settings/contract/termination",
            RouteMeta::needs(ManageAccess, "contract.termination_request"),
            handler!(contract::request_termination),
        )
        .route(
            Method::DELETE,
            "/api/settings/contract/termination",
            RouteMeta::needs(ManageAccess, "contract.termination_withdraw"),
            handler!(contract::withdraw_termination),
        )
        .route(
            Method::GET,
            "/api/settings/work",
            RouteMeta::needs(Read, "work.show"),
            handler!(work::show),
        )
        .route(
            Method::PUT,
            "/api/settings/work",
            RouteMeta::needs(Manage, "work.update"),
            handler!(work::update),
        )
        .route(
            Method::GET,
            "/api/settings/work/popup-preview",
            RouteMeta::needs(Read, "work.popup_preview"),
            handler!(work::preview),
        )
}
