//! `GET /api/dashboard`: the monitoring dashboard of the signed-in admin's
//! tenant (MON-1..7) in one answer. An event the webhook acknowledged is in
//! the next answer: the answer's version (`reports::dashboard::snapshot`:
//! the tenant's latest event, today's callback requests, the settings shown,
//! the date) is read on every request, never cached — one statement
//! returning one row, so a poll that finds nothing new costs the session,
//! the account, the allowlist and that row.
//!
//! Cheap when nothing changed:
//! - the answer carries an ETag (the version); a request whose
//!   `If-None-Match` names it gets `304 Not Modified` and no body;
//! - the last answer built is kept in the key-value store with its version
//!   (one key per tenant and kind), so many pollers of one company share
//!   one computation per change: a poller without the ETag (a new tab, a
//!   wall TV after a restart) gets the kept body while the version holds.
//!
//! Live durations (time in state, longest wait) are counted by the page
//! from instants in the body, with `X-Server-Time-Ms` (sent on every
//! answer, 304 included) giving it the server's clock.

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
    // One read: the settings the figures need and the version (the ETag).
    let (settings, version) = dashboard::snapshot(cx.db(), tenant, cx.now).await?;
    let kind = if with_abandoned { "full" } else { "wall" };
    let etag = format!("\"{version}-{kind}\"");
    let now = cx.now.as_millisecond().to_string();
    let headers = |resp: Response| {
        resp.with_header(header::ETAG, &etag)
            .with_header(header::CACHE_CONTROL, "private, no-cache")
            .with_header(header::HeaderName::from_static("x-server-time-ms"), &now)
    };
    if req
        .header("if-none-match")
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
    {
        let mut resp = Response::new(Body::empty());
        *resp.status_mut() = StatusCode::NOT_MODIFIED;
        return Ok(headers(resp));
    }
    // The kept answer: "<version>\n<json>". A store that fails to answer
    // costs a computation, never an error.
    let key = format!("dashboard:{}:{kind}", tenant.id);
    if let Ok(Some(kept)) = cx.kv().get(&key).await
        && let Some(body) = kept
            .strip_prefix(version.as_bytes())
            .and_then(|rest| rest.strip_prefix(b"\n"))
    {
        return Ok(headers(Response::body_of(
            "application/json",
            body.to_vec(),
        )));
    }
    let board = dashboard::build(
        cx.db(),
        tenant,
        &settings,
        version.clone(),
        cx.now,
        with_abandoned,
    )
    .await?;
    let body = serde_json::to_vec(&board)
        .map_err(|e| ApiError::internal(format!("dashboard JSON: {e}")))?;
    let mut kept = Vec::with_capacity(version.len() + 1 + body.len());
    kept.extend_from_slice(version.as_bytes());
    kept.push(b'\n');
    kept.extend_from_slice(&body);
    if let Err(e) = cx.kv().set(&key, &kept).await {
        eprintln!(
            "[{}] dashboard: could not keep the answer: {e}",
            cx.request_id
        );
    }
    Ok(headers(Response::body_of("application/json", body)))
}
