//! A queue's SLA targets (issue 15), set on the queue's (agent-connect
//! menu's) settings: `GET`/`PUT /api/settings/menus/{id}/targets`. Each
//! target is optional (null clears it): answer rate and service level in
//! percent, the waiting-callers and longest-wait alarms. The dashboard
//! colours each figure by them (`reports::dashboard::grade_*`).

use crate::records::menus::{self, MenuKind};
use crate::records::queue_targets::{self, Targets};
use crate::runtime::context::Cx;
use serde::Deserialize;
use serde_json::json;
use switchboard_domain::{ErrorCode, FieldCode, Invalid, RateTarget, WaitAlarm, WaitingAlarm};
use switchboard_http::{ApiError, FieldErrors, Request, RequestExt, Response, ResponseExt};

/// The menu `{id}` of the tenant, which must connect to agents.
async fn queue(cx: &Cx, req: &Request) -> Result<(i64, i64), ApiError> {
    let tenant_id = cx.tenant_id()?;
    let id = req.id_param("id")?;
    let menu = menus::get(cx.db(), tenant_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if !matches!(menu.kind, MenuKind::Agents { .. }) {
        // The menu is an information menu now: a state, not a bad request.
        return Err(ApiError::conflict(
            ErrorCode::Conflict,
            "Targets belong to a menu that connects to agents.",
        )
        .with_field(
            "menu",
            Invalid::new(
                FieldCode::InvalidChoice,
                "Targets belong to a menu that connects to agents.",
            ),
        ));
    }
    Ok((tenant_id, id))
}

pub async fn show(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let (tenant_id, id) = queue(cx, &req).await?;
    Ok(Response::ok(
        &queue_targets::get(cx.db(), tenant_id, id).await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Update {
    #[serde(default)]
    answer_rate_pct: Option<i64>,
    #[serde(default)]
    service_level_pct: Option<i64>,
    #[serde(default)]
    waiting_max: Option<i64>,
    #[serde(default)]
    longest_wait_seconds: Option<i64>,
}

pub async fn update(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let (tenant_id, id) = queue(cx, &req).await?;
    let body: Update = req.json()?;
    let mut f = FieldErrors::new();
    let mut check =
        |field: &'static str, v: Option<i64>, parse: fn(i64) -> Result<i64, Invalid>| match v {
            None => Some(None),
            Some(n) => f.take(field, parse(n)).map(Some),
        };
    let answer = check("answer_rate_pct", body.answer_rate_pct, |n| {
        RateTarget::new(n).map(RateTarget::get)
    });
    let sl = check("service_level_pct", body.service_level_pct, |n| {
        RateTarget::new(n).map(RateTarget::get)
    });
    let waiting = check("waiting_max", body.waiting_max, |n| {
        WaitingAlarm::new(n).map(WaitingAlarm::get)
    });
    let longest = check("longest_wait_seconds", body.longest_wait_seconds, |n| {
        WaitAlarm::new(n).map(WaitAlarm::get)
    });
    let (
        Some(answer_rate_pct),
        Some(service_level_pct),
        Some(waiting_max),
        Some(longest_wait_seconds),
    ) = (answer, sl, waiting, longest)
    else {
        return Err(f.into_error());
    };
    let after = Targets {
        answer_rate_pct,
        service_level_pct,
        waiting_max,
        longest_wait_seconds,
    };
    let before = queue_targets::get(cx.db(), tenant_id, id).await?;
    queue_targets::save(cx.db(), tenant_id, id, &after, cx.now).await?;
    cx.note_target(format!("menu:{id}"));
    cx.note(json!({ "before": before, "after": after }));
    Ok(Response::ok(&after))
}
