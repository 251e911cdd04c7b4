//! The tenant's callback policy (CB-3), shown in its own block of the work
//! settings page: how many attempts a callback gets, how long between them,
//! and after how many hours an undialled request expires. Until saved the
//! defaults apply (3 attempts, 600 s apart, 24 h; `CallbackPolicy::default`).

use crate::records::callbacks;
use crate::runtime::context::Cx;
use serde::Deserialize;
use serde_json::{Value, json};
use switchboard_domain::CallbackPolicy;
use switchboard_http::{ApiError, FieldErrors, Request, RequestExt, Response, ResponseExt};

fn view(p: CallbackPolicy, saved: bool) -> Value {
    json!({
        "max_attempts": p.attempts(),
        "retry_delay_seconds": p.retry_delay_seconds(),
        "expiry_hours": p.expiry_hours(),
        "saved": saved,
    })
}

/// `GET /api/settings/work/callbacks`
pub async fn show(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let p = callbacks::policy(cx.db(), tenant_id).await?;
    let saved = callbacks::policy_saved(cx.db(), tenant_id).await?;
    Ok(Response::ok(&view(p, saved)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Update {
    max_attempts: i64,
    retry_delay_seconds: i64,
    expiry_hours: i64,
}

/// `PUT /api/settings/work/callbacks`: all three at once; each refused
/// field is reported (`number_range` with `min`/`max`).
pub async fn update(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let body: Update = req.json()?;
    let mut f = FieldErrors::new();
    let a = f.take(
        "max_attempts",
        CallbackPolicy::max_attempts(body.max_attempts),
    );
    let d = f.take(
        "retry_delay_seconds",
        CallbackPolicy::retry_delay(body.retry_delay_seconds),
    );
    let e = f.take("expiry_hours", CallbackPolicy::expiry(body.expiry_hours));
    if a.is_none() || d.is_none() || e.is_none() {
        return Err(f.into_error());
    }
    let p = CallbackPolicy::new(
        body.max_attempts,
        body.retry_delay_seconds,
        body.expiry_hours,
    )
    .map_err(|e| ApiError::field("max_attempts", e))?;
    let before = view(
        callbacks::policy(cx.db(), tenant_id).await?,
        callbacks::policy_saved(cx.db(), tenant_id).await?,
    );
    callbacks::save_policy(cx.db(), tenant_id, p, cx.now).await?;
    let after = view(p, true);
    cx.note_target("callback_policy");
    cx.note(json!({ "before": before, "after": &after }));
    Ok(Response::ok(&after))
}
