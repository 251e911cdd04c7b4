//! The `history` component: service lookup, exports and recordings (SPEC
//! section 5). Only its health route exists so far.

use super::{Component, health};
use crate::context::AppRouter;
use switchboard_http::{Method, handler};

pub const COMPONENT: Component = Component {
    name: "history",
    prefixes: &["/api/history"],
    routes,
};

fn routes() -> AppRouter {
    AppRouter::new().route(
        Method::Get,
        "/api/history/health",
        health::META,
        handler!(health::health),
    )
}
