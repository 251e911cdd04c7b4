//! The worker as the platform operator sees and drives it (RUN-4): its
//! status (last tick, step durations and counts, stalled or not) and a tick
//! run on demand — the same tick the cron component runs every 10 seconds,
//! recorded in the work history like every operator action.

use crate::runtime::context::Cx;
use crate::worker::provider::{HttpProvider, Provider};
use crate::worker::{self, Limits};
use serde_json::json;
use switchboard_http::{ApiError, Request, Response, ResponseExt};

/// `GET /api/operator/worker`
pub async fn status(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    let s = worker::status(cx.db(), cx.now).await?;
    Ok(Response::ok(&json!({
        "last_tick": s.last_tick,
        "stalled": s.stalled,
        "stalled_after_seconds": worker::STALLED_AFTER_SECS,
        "last_report": s.last_report,
    })))
}

/// `POST /api/operator/worker/tick`: runs one tick now and answers its
/// report. Without a configured provider the callbacks wait (counted as
/// `waiting_no_provider`); everything else runs.
pub async fn tick(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    let base = cx.config.provider_api_url.trim();
    let unset = base.is_empty() || base == crate::runtime::config::PROVIDER_API_UNSET;
    let provider = match (&cx.http, unset) {
        (Some(client), false) => Some(HttpProvider {
            client: client.clone(),
            base: base.to_owned(),
            token: cx.config.provider_api_token.clone(),
        }),
        _ => None,
    };
    let report = worker::run_tick(
        cx.db(),
        cx.kv(),
        cx.config.session_lifetime_minutes,
        cx.now,
        provider.as_ref().map(|p| p as &dyn Provider),
        Limits::default(),
    )
    .await?;
    cx.audit.borrow_mut().detail = Some(json!({
        "worker": report.worker,
        "dialled": report.count("dialled"),
        "duration_ms": report.duration_ms,
    }));
    Ok(Response::ok(&report))
}
