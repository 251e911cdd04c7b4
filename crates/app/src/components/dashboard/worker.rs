//! The callback worker as a tenant's owners and managers see it on the
//! dashboard (RUN-4): only whether it has stalled (no tick for
//! [`worker::STALLED_AFTER_SECS`]) and when it last ran. Callbacks are not
//! dialled and the statistics are not rolled up while it is stalled, so the
//! admins who rely on them are told; what it did is the operator's (`GET
//! /api/operator/worker`), not shown here.

use crate::runtime::context::Cx;
use crate::worker;
use serde_json::json;
use switchboard_http::{ApiError, Request, Response, ResponseExt};

/// `GET /api/dashboard/worker`
pub async fn status(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    cx.tenant_id()?;
    let s = worker::status(cx.db(), cx.now).await?;
    Ok(Response::ok(&json!({
        "stalled": s.stalled,
        "last_tick": s.last_tick,
        "stalled_after_seconds": worker::STALLED_AFTER_SECS,
    })))
}
