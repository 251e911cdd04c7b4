//! The `accounts` component: sign-in and sessions (`auth.rs`), a tenant's
//! admin accounts (`users.rs`) and the platform operator's tenant management
//! (`operator.rs`) — SPEC section 2.

mod auth;
mod operator;
mod users;

use super::{Component, health};
use crate::context::{Access, AppRouter, Audit, RouteMeta};
use switchboard_domain::Permission::{ManageAccess, Operator};
use switchboard_http::{Method, handler};

pub const COMPONENT: Component = Component {
    name: "accounts",
    prefixes: &["/api/auth", "/api/users", "/api/operator"],
    routes,
};

#[allow(non_snake_case)]
const fn SIGNED_IN(action: &'static str) -> RouteMeta {
    RouteMeta::new(Access::SignedIn, action)
}

fn routes() -> AppRouter {
    use Method::*;
    AppRouter::new()
        .route(
            Get,
            "/api/auth/health",
            health::META,
            handler!(health::health),
        )
        .route(
            Post,
            "/api/auth/login",
            RouteMeta::public("auth.login"),
            handler!(auth::login),
        )
        .route(
            Post,
            "/api/auth/logout",
            RouteMeta::new(Access::Session, "auth.logout"),
            handler!(auth::logout),
        )
        .route(
            Get,
            "/api/auth/me",
            SIGNED_IN("auth.me").audit(Audit::Never),
            handler!(auth::me),
        )
        .route(
            Post,
            "/api/auth/password",
            SIGNED_IN("auth.password"),
            handler!(auth::change_password),
        )
        .route(
            Get,
            "/api/users",
            RouteMeta::needs(ManageAccess, "users.list"),
            handler!(users::list),
        )
        .route(
            Post,
            "/api/users",
            RouteMeta::needs(ManageAccess, "users.create"),
            handler!(users::create),
        )
        .route(
            Get,
            "/api/users/{id}",
            RouteMeta::needs(ManageAccess, "users.show"),
            handler!(users::show),
        )
        .route(
            Patch,
            "/api/users/{id}",
            RouteMeta::needs(ManageAccess, "users.update"),
            handler!(users::update),
        )
        .route(
            Delete,
            "/api/users/{id}",
            RouteMeta::needs(ManageAccess, "users.delete"),
            handler!(users::delete),
        )
        .route(
            Post,
            "/api/users/{id}/password",
            RouteMeta::needs(ManageAccess, "users.reset_password"),
            handler!(users::reset_password),
        )
        .route(
            Get,
            "/api/operator/tenants",
            RouteMeta::needs(Operator, "tenants.list"),
            handler!(operator::list),
        )
        .route(
            Post,
            "/api/operator/tenants",
            RouteMeta::needs(Operator, "tenants.create"),
            handler!(operator::create),
        )
        .route(
            Get,
            "/api/operator/tenants/{id}",
            RouteMeta::needs(Operator, "tenants.show"),
            handler!(operator::show),
        )
}
