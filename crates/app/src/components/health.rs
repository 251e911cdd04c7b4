//! The health route every HTTP component answers: it proves the component is
//! loaded, can reach SQLite (the schema version comes from the migration that
//! ran for this request) and reports which component answered.

use crate::runtime::context::Cx;
use crate::runtime::routes::RouteMeta;
use serde::Serialize;
use switchboard_http::{ApiError, Request, Response, ResponseExt};

#[derive(Serialize)]
struct Health<'a> {
    status: &'static str,
    component: &'a str,
    version: &'static str,
    schema_version: i64,
    time: String,
}

pub const META: RouteMeta = RouteMeta::public("health");

pub async fn health(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    Ok(Response::ok(&Health {
        status: "ok",
        component: cx.component,
        version: env!("CARGO_PKG_VERSION"),
        schema_version: cx.schema_version,
        time: cx.now.to_string(),
    }))
}
