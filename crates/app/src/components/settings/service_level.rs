//! The service-level threshold (SPEC section 11: per tenant, default 20 s),
//! shown in its own block of the work-settings page:
//! `GET`/`PUT /api/settings/work/service-level`. The dashboard, statistics
//! and exports read it through `reports::metrics`.

use crate::records::service_level;
use crate::reports::metrics::DEFAULT_SL_THRESHOLD_SECONDS;
use crate::runtime::context::Cx;
use serde::Deserialize;
use serde_json::{Value, json};
use switchboard_domain::SlThreshold;
use switchboard_http::{ApiError, Request, RequestExt, Response, ResponseExt};

fn view(seconds: i64) -> Value {
    json!({ "threshold_seconds": seconds, "default_seconds": DEFAULT_SL_THRESHOLD_SECONDS })
}

async fn current(cx: &Cx, tenant_id: i64) -> Result<i64, ApiError> {
    Ok(service_level::load(cx.db(), tenant_id)
        .await?
        .unwrap_or(DEFAULT_SL_THRESHOLD_SECONDS))
}

pub async fn show(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    Ok(Response::ok(&view(current(cx, cx.tenant_id()?).await?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Update {
    threshold_seconds: i64,
}

pub async fn update(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let body: Update = req.json()?;
    let threshold = SlThreshold::new(body.threshold_seconds)
        .map_err(|e| ApiError::field("threshold_seconds", e))?;
    let before = current(cx, tenant_id).await?;
    service_level::save(cx.db(), tenant_id, threshold.get(), cx.now).await?;
    cx.note_target("service_level");
    cx.note(json!({ "before": { "threshold_seconds": before }, "after": { "threshold_seconds": threshold.get() } }));
    Ok(Response::ok(&view(threshold.get())))
}
