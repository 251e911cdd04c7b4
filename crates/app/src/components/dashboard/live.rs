//! `GET /api/dashboard`: the monitoring dashboard of the signed-in admin's
//! tenant (MON-1..7) in one answer. Nothing is cached: an event the
//! webhook acknowledged is in the next answer. The answer carries an ETag
//! (the read model's version); a request whose `If-None-Match` names it
//! gets `304 Not Modified` after a few indexed reads, without the figures.

use crate::records::tenants::TenantScope;
use crate::reports::dashboard;
use crate::runtime::context::Cx;
use switchboard_http::{
    ApiError, Body, Request, RequestExt, Response, ResponseExt, StatusCode, header,
};

pub async fn show(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant = cx.tenant()?.clone();
    answer(cx, &req, &tenant, true).await
}

/// The dashboard of `tenant` for `req` (with the abandoned calls' list or
/// without, for the wallboard), honouring `If-None-Match`.
pub(super) async fn answer(
    cx: &Cx,
    req: &Request,
    tenant: &TenantScope,
    with_abandoned: bool,
) -> Result<Response, ApiError> {
    let settings = dashboard::settings(cx.db(), tenant.id).await?;
    let version = dashboard::version(cx.db(), tenant, &settings, cx.now).await?;
    let etag = format!("\"{version}{}\"", if with_abandoned { "" } else { "w" });
    let headers = |resp: Response| {
        resp.with_header(header::ETAG, &etag)
            .with_header(header::CACHE_CONTROL, "private, no-cache")
    };
    if req
        .header("if-none-match")
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
    {
        let mut resp = Response::new(Body::empty());
        *resp.status_mut() = StatusCode::NOT_MODIFIED;
        return Ok(headers(resp));
    }
    let board =
        dashboard::build(cx.db(), tenant, &settings, version, cx.now, with_abandoned).await?;
    Ok(headers(Response::ok(&board)))
}
