//! The `dashboard` component: live monitoring (SPEC section 3) and statistics
//! (section 4). Only its health route exists so far.

use super::health;
use crate::runtime::routes::AppRouter;
use crate::runtime::routes::Component;
use switchboard_http::{Method, handler};

pub const COMPONENT: Component = Component {
    name: "dashboard",
    prefixes: &["/api/dashboard"],
    routes,
};

fn routes() -> AppRouter {
    AppRouter::new().route(
        Method::GET,
        "/api/dashboard/health",
        health::META,
        handler!(health::health),
    )
}
