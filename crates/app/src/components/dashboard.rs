//! The `dashboard` component: live monitoring (SPEC section 3) and statistics
//! (section 4). Only its health route exists so far.

use super::health;
use crate::runtime::routes::AppRouter;
use crate::runtime::routes::{Component, route_table};

pub const COMPONENT: Component = Component {
    name: "dashboard",
    prefixes: &["/api/dashboard"],
    routes,
};

fn routes() -> AppRouter {
    route_table! {
        GET "/api/dashboard/health", health::META => health::health;
    }
}
