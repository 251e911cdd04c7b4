//! The `settings` component: service settings (SPEC section 6). So far:
//! access management (`access.rs`, ACC-1).

mod access;

use super::{Component, health};
use crate::context::{AppRouter, RouteMeta};
use switchboard_domain::Permission::ManageAccess;
use switchboard_http::{Method, handler};

pub const COMPONENT: Component = Component {
    name: "settings",
    prefixes: &["/api/settings"],
    routes,
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
}
