//! How long the company's call records are kept (CB-5), its own block of the
//! work settings page: the provider's events, calls, consultations,
//! recordings' entries, finished callback requests and agent sessions and
//! states older than this many days are deleted by the worker's
//! housekeeping (never before the statistics rolled them up; the hourly
//! statistics are kept). Default 400 days until saved (`RetentionDays`).

use crate::records::retention;
use crate::runtime::context::Cx;
use serde::Deserialize;
use serde_json::{Value, json};
use switchboard_domain::RetentionDays;
use switchboard_http::{ApiError, Request, RequestExt, Response, ResponseExt};

fn view(d: RetentionDays, saved: bool) -> Value {
    json!({
        "retention_days": d.days(),
        "default_days": RetentionDays::default().days(),
        "min_days": RetentionDays::RANGE.0,
        "max_days": RetentionDays::RANGE.1,
        "saved": saved,
    })
}

/// `GET /api/settings/work/retention`
pub async fn show(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let d = retention::days(cx.db(), tenant_id).await?;
    let saved = retention::saved(cx.db(), tenant_id).await?;
    Ok(Response::ok(&view(d, saved)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Update {
    retention_days: i64,
}

/// `PUT /api/settings/work/retention` (audited with before and after).
pub async fn update(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let body: Update = req.json()?;
    let d = RetentionDays::new(body.retention_days)
        .map_err(|e| ApiError::field("retention_days", e))?;
    let before = view(
        retention::days(cx.db(), tenant_id).await?,
        retention::saved(cx.db(), tenant_id).await?,
    );
    retention::save(cx.db(), tenant_id, d, cx.now).await?;
    let after = view(d, true);
    cx.note_target("retention");
    cx.note(json!({ "before": before, "after": &after }));
    Ok(Response::ok(&after))
}
