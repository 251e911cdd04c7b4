//! The `accounts` component: sign-in and sessions (`auth.rs`), a tenant's
//! admin accounts (`users.rs`) and the platform operator's tenant management
//! (`operator.rs`) — SPEC section 2.

mod auth;
mod operator;
mod users;

use super::health;
use crate::runtime::routes::Component;
use crate::runtime::routes::{Access, AppRouter, Audit, RouteMeta};
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
    AppRouter::new()
        .route(
            Method::GET,
            "/api/auth/health",
            health::META,
            handler!(health::health),
        )
        .route(
            Method::POST,
            "/api/auth/login",
            RouteMeta::public("auth.login"),
            handler!(auth::login),
        )
        .route(
            Method::POST,
            "/api/auth/logout",
            RouteMeta::new(Access::Session, "auth.logout"),
            handler!(auth::logout),
        )
        .route(
            Method::GET,
            "/api/auth/me",
            SIGNED_IN("auth.me").audit(Audit::Never),
            handler!(auth::me),
        )
        .route(
            Method::POST,
            "/api/auth/password",
            SIGNED_IN("auth.password"),
            handler!(auth::change_password),
        )
        .route(
            Method::GET,
            "/api/users",
            RouteMeta::needs(ManageAccess, "users.list"),
            handler!(users::list),
        )
        .route(
            Method::POST,
            "/api/users",
            RouteMeta::needs(ManageAccess, "users.create"),
            handler!(users::create),
        )
        .route(
            Method::GET,
            "/api/users/{id}",
            RouteMeta::needs(ManageAccess, "users.show"),
            handler!(users::show),
        )
        .route(
            Method::PATCH,
            "/api/users/{id}",
            RouteMeta::needs(ManageAccess, "users.update"),
            handler!(users::update),
        )
        .route(
            Method::DELETE,
            "/api/users/{id}",
            RouteMeta::needs(ManageAccess, "users.delete"),
            handler!(users::delete),
        )
        .route(
            Method::POST,
            "/api/users/{id}/password",
            RouteMeta::needs(ManageAccess, "users.reset_password"),
            handler!(users::reset_password),
        )
        .route(
            Method::GET,
            "/api/operator/tenants",
            RouteMeta::needs(Operator, "tenants.list"),
            handler!(operator::list),
        )
        .route(
            Method::POST,
            "/api/operator/tenants",
            RouteMeta::needs(Operator, "tenants.create"),
            handler!(operator::create),
        )
        .route(
            Method::GET,
            "/api/operator/tenants/{id}",
            RouteMeta::needs(Operator, "tenants.show"),
            handler!(operator::show),
        )
        .route(
            Method::PATCH,
            "/api/operator/tenants/{id}",
            RouteMeta::needs(Operator, "tenants.update_status"),
            handler!(operator::set_status),
        )
}
