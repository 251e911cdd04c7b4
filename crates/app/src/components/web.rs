//! The `web` component: the static UI (UI-1), the API document and the
//! application-wide status. Spin sends it every path no other component
//! claims; API-looking paths among those get a JSON 404, everything else is a
//! file from `static/`.

use crate::runtime::context::Cx;
use crate::runtime::openapi;
use crate::runtime::routes::{Access, AppRouter, Audit, Component, RouteMeta};
use crate::runtime::routes::{public, route_table};
use crate::{random, worker};
use futures_util::StreamExt;
use serde::Serialize;
use switchboard_http::{
    ApiError, Body, ByteRange, Invalid, Request, RequestExt, Response, ResponseExt,
};
use switchboard_storage::conformance;

pub const COMPONENT: Component = Component {
    name: "web",
    prefixes: &["/api/health", "/api/openapi.json", "/api/system"],
    routes,
};

fn routes() -> AppRouter {
    route_table! {
        GET  "/api/health", public("status") => status;
        GET  "/api/openapi.json", public("openapi") => document;
        GET  "/api/system/stream-selftest", RouteMeta::new(Access::SelfTest, "system.stream_selftest").audit(Audit::Never) => stream_selftest;
        POST "/api/system/storage-selftest", RouteMeta::new(Access::SelfTest, "system.storage_selftest").audit(Audit::Never) => storage_selftest;
    }
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
        worker_last_tick: worker::last_tick(cx.db()).await?,
    }))
}

async fn document(_cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    Ok(Response::body_of("application/json", openapi::DOCUMENT))
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

/// The byte at `offset` of the self-test stream: a pattern that a reader can
/// check at any offset (a Range answer must carry the right bytes).
pub fn stream_selftest_byte(offset: u64) -> u8 {
    (offset % 251) as u8
}

const STREAM_CHUNK: u64 = 64 * 1024;
const STREAM_MAX: u64 = 4 * 1024 * 1024 * 1024;

/// Streams `?bytes=N` bytes of [`stream_selftest_byte`], honouring `Range`,
/// produced 64 KiB at a time as the client reads: the streaming path of
/// recordings and exports, measured by the memory tests (tests only, like
/// the storage self-test).
async fn stream_selftest(_cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let total = match req.query_param("bytes") {
        None => 0,
        Some(b) => b
            .parse::<u64>()
            .ok()
            .filter(|b| *b <= STREAM_MAX)
            .ok_or_else(|| ApiError::field("bytes", Invalid::number_range(0, STREAM_MAX as i64)))?,
    };
    let range = ByteRange::parse(req.header("range"), total)?;
    let (start, end) = (range.start, range.start + range.len());
    let chunks =
        futures_util::stream::iter((start..end).step_by(STREAM_CHUNK as usize)).map(move |at| {
            let until = (at + STREAM_CHUNK).min(end);
            Ok(bytes::Bytes::from(
                (at..until).map(stream_selftest_byte).collect::<Vec<u8>>(),
            ))
        });
    Ok(range.respond("application/octet-stream", Body::from_stream(chunks)))
}
