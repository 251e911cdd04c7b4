//! Business hours (ARS-4): the week as weekday/weekend groups with per-day
//! overrides (JSON shape of [`BusinessHours`]), and the open/closed status
//! at an instant from the one evaluator ([`crate::records::schedule_state`]).
//! The out-of-hours prompt is part of `/api/settings/ars`.

use crate::records::hours;
use crate::records::schedule_state;
use crate::runtime::context::Cx;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde_json::{Value, json};
use switchboard_domain::schedule::{BusinessHours, BusinessHoursInput, FieldRefusals, Status};
use switchboard_domain::{FieldCode, Invalid};
use switchboard_http::{ApiError, FieldErrors, Request, RequestExt, Response, ResponseExt};

/// A domain input's refusals as the API's field errors, keyed by their
/// dotted paths (`groups.weekdays.ranges.1`).
pub(super) fn field_errors(refusals: FieldRefusals) -> ApiError {
    let mut f = FieldErrors::new();
    for (path, invalid) in refusals {
        f.add(&path, invalid);
    }
    f.into_error()
}

fn view(hours: &BusinessHours) -> Result<Value, ApiError> {
    serde_json::to_value(hours).map_err(|e| ApiError::internal(format!("hours to JSON: {e}")))
}

/// The saved hours, or always closed before the first save.
async fn current(cx: &Cx, tenant_id: i64) -> Result<BusinessHours, ApiError> {
    Ok(hours::load(cx.db(), tenant_id)
        .await?
        .unwrap_or_else(BusinessHours::always_closed))
}

pub async fn show(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    let hours = current(cx, cx.tenant_id()?).await?;
    Ok(Response::ok(&view(&hours)?))
}

/// Replaces the week. Every refused field is reported at once.
pub async fn update(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let body: BusinessHoursInput = req.json()?;
    let after = BusinessHours::parse(&body).map_err(field_errors)?;
    let before = view(&current(cx, tenant_id).await?)?;
    hours::save(cx.db(), tenant_id, &after, cx.now).await?;
    let after = view(&after)?;
    cx.note_target("business_hours");
    cx.note(json!({ "before": before, "after": &after }));
    Ok(Response::ok(&after))
}

/// An instant as RFC 3339 with the offset of `tz` (`2026-03-02T09:00:00+09:00`).
pub(super) fn local_text(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned_datetime(tz.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// `?at=` (RFC 3339, default now): open or closed, why, and when it opens
/// next, evaluated in the tenant's time zone with its holidays.
pub async fn status(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant = cx.tenant()?;
    let at = match req.query_param("at").filter(|s| !s.trim().is_empty()) {
        None => cx.now,
        Some(s) => s.trim().parse::<Timestamp>().map_err(|_| {
            ApiError::field(
                "at",
                Invalid::new(
                    FieldCode::InstantFormat,
                    "Enter an instant like 2026-03-02T09:00:00+09:00.",
                ),
            )
        })?,
    };
    let state = schedule_state::status_for(cx.db(), tenant, at).await?;
    let tz = &state.time_zone;
    let mut v = json!({
        "at": local_text(at, tz),
        "time_zone": tz.iana_name().unwrap_or_default(),
        "open": state.status.is_open(),
        "reason": Value::Null,
        "holiday": Value::Null,
        "next_open": state.next_open.map(|t| local_text(t, tz)),
    });
    if let Status::Closed(reason) = &state.status {
        let mut r = serde_json::to_value(reason)
            .map_err(|e| ApiError::internal(format!("reason to JSON: {e}")))?;
        v["reason"] = r["reason"].take();
        if let Some(obj) = r.as_object_mut() {
            obj.remove("reason");
            if !obj.is_empty() {
                v["holiday"] = r;
            }
        }
    }
    Ok(Response::ok(&v))
}
