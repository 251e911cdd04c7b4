//! The `settings` component: service settings (SPEC section 6). Only its
//! health route exists so far.

use super::{Component, health};
use crate::context::AppRouter;
use switchboard_http::{Method, handler};

pub const COMPONENT: Component = Component {
    name: "settings",
    prefixes: &["/api/settings"],
    routes,
};

fn routes() -> AppRouter {
    AppRouter::new().route(
        Method::Get,
        "/api/settings/health",
        health::META,
        handler!(health::health),
    )
}
