//! The `hooks` component: the telephony provider's signed event webhook and
//! call-flow endpoint (SPEC section 7).

use super::{Component, health};
use crate::context::AppRouter;
use switchboard_http::{Method, handler};

pub const COMPONENT: Component = Component {
    name: "hooks",
    prefixes: &["/hooks"],
    routes,
};

fn routes() -> AppRouter {
    AppRouter::new().route(
        Method::GET,
        "/hooks/health",
        health::META,
        handler!(health::health),
    )
}
