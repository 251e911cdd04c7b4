//! The `accounts` component: sign-in, sessions, admin users and the platform
//! operator's tenant management (SPEC section 2).

use super::{Component, health};
use crate::context::AppRouter;
use switchboard_http::{Method, handler};

pub const COMPONENT: Component = Component {
    name: "accounts",
    prefixes: &["/api/auth", "/api/users", "/api/operator"],
    routes,
};

fn routes() -> AppRouter {
    AppRouter::new().route(
        Method::Get,
        "/api/auth/health",
        health::META,
        handler!(health::health),
    )
}
