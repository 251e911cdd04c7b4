//! The `web` component: the static UI (UI-1), the API document and the
//! application-wide status. Spin sends it every path no other component
//! claims; API-looking paths among those get a JSON 404, everything else is a
//! file from `static/`.

use super::Component;
use crate::context::{Access, AppRouter, Audit, Cx, RouteMeta};
use crate::{openapi, random, worker};
use serde::Serialize;
use switchboard_http::{ApiError, Method, Request, Response, handler};
use switchboard_storage::conformance;

pub const COMPONENT: Component = Component {
    name: "web",
    prefixes: &["/api/health", "/api/openapi.json", "/api/system"],
    routes,
};

fn routes() -> AppRouter {
    AppRouter::new()
        .route(
            Method::Get,
            "/api/health",
            RouteMeta::public("status"),
            handler!(status),
        )
        .route(
            Method::Get,
            "/api/openapi.json",
            RouteMeta::public("openapi"),
            handler!(document),
        )
        .route(
            Method::Post,
            "/api/system/storage-selftest",
            RouteMeta::new(Access::SelfTest, "system.storage_selftest").audit(Audit::Never),
            handler!(storage_selftest),
        )
}

#[derive(Serialize)]
struct Status {
    status: &'static str,
    component: &'static str,
    version: &'static str,
    schema_version: i64,
    worker_last_tick: Option<String>,
}

async fn status(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    Ok(Response::ok(&Status {
        status: "ok",
        component: cx.component,
        version: env!("CARGO_PKG_VERSION"),
        schema_version: cx.schema_version,
        worker_last_tick: worker::last_tick(cx.kv()).await?,
    }))
}

async fn document(_cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    Ok(Response::new(200)
        .with_header("content-type", "application/json")
        .with_body(openapi::DOCUMENT))
}

#[derive(Serialize)]
struct SelfTest {
    key_value_checks: usize,
    sql_checks: usize,
}

async fn storage_selftest(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    let prefix = format!("selftest:{}", random::hex_token(8)?);
    let key_value_checks = conformance::key_value(cx.kv(), &prefix)
        .await
        .map_err(|e| ApiError::internal(format!("key-value conformance: {e}")))?;
    let sql_checks = conformance::sql(cx.db())
        .await
        .map_err(|e| ApiError::internal(format!("sql conformance: {e}")))?;
    Ok(Response::ok(&SelfTest {
        key_value_checks,
        sql_checks,
    }))
}
