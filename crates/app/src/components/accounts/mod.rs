//! The `accounts` component: sign-in and sessions (`auth.rs`), a tenant's
//! admin accounts (`users.rs`) and the platform operator's tenant management
//! (`operator.rs`) and number inventory (`numbers.rs`) — SPEC section 2.

mod auth;
mod numbers;
mod operator;
mod users;

use super::health;
use crate::runtime::routes::{Access, AppRouter, Audit, RouteMeta};
use crate::runtime::routes::{Component, needs, public, route_table};
use switchboard_domain::Permission::{ManageAccess, Operator};

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
    route_table! {
        GET    "/api/auth/health", health::META => health::health;
        POST   "/api/auth/login", public("auth.login") => auth::login;
        POST   "/api/auth/logout", RouteMeta::new(Access::Session, "auth.logout") => auth::logout;
        GET    "/api/auth/me", SIGNED_IN("auth.me").audit(Audit::Never) => auth::me;
        POST   "/api/auth/password", SIGNED_IN("auth.password") => auth::change_password;
        GET    "/api/users", needs(ManageAccess, "users.list") => users::list;
        POST   "/api/users", needs(ManageAccess, "users.create") => users::create;
        GET    "/api/users/{id}", needs(ManageAccess, "users.show") => users::show;
        PATCH  "/api/users/{id}", needs(ManageAccess, "users.update") => users::update;
        DELETE "/api/users/{id}", needs(ManageAccess, "users.delete") => users::delete;
        POST   "/api/users/{id}/password", needs(ManageAccess, "users.reset_password") => users::reset_password;
        GET    "/api/operator/tenants", needs(Operator, "tenants.list") => operator::list;
        POST   "/api/operator/tenants", needs(Operator, "tenants.create") => operator::create;
        GET    "/api/operator/tenants/{id}", needs(Operator, "tenants.show") => operator::show;
        PATCH  "/api/operator/tenants/{id}", needs(Operator, "tenants.update_status") => operator::set_status;
        PUT    "/api/operator/tenants/{id}/audio-quota", needs(Operator, "tenants.audio_quota") => operator::set_audio_quota;
        PUT    "/api/operator/tenants/{id}/lines", needs(Operator, "tenants.lines") => operator::set_lines;
        GET    "/api/operator/numbers", needs(Operator, "numbers.list") => numbers::list;
        POST   "/api/operator/numbers", needs(Operator, "numbers.provision") => numbers::provision;
        POST   "/api/operator/numbers/{id}/release", needs(Operator, "numbers.release") => numbers::release;
    }
}
