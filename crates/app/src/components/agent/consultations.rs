//! Consultations (AGT-1, HIST-2): an agent saves a type and a memo about a
//! call of their own, and reads their own consultations of the last three
//! months ("the 3-month history is the same in the app").
//!
//! A call is the agent's own when they answered or placed it
//! (`calls.agent_id`); any other call, of this tenant or another, answers
//! 404 as a missing one does. Saving again replaces the type and memo (one
//! record per call and agent).

use crate::records::consultations::{self, Consultation, Cursor};
use crate::runtime::context::Cx;
use crate::time;
use crate::time::fmt_utc_ms;
use serde::Deserialize;
use serde_json::{Value, json};
use switchboard_domain::{ConsultationMemo, FieldCode, Invalid};
use switchboard_http::{ApiError, FieldErrors, Request, RequestExt, Response, ResponseExt};

const PAGE: i64 = 50;
const MAX_PAGE: i64 = 200;
/// How far back the history goes, in calendar months.
pub const HISTORY_MONTHS: i64 = 3;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Save {
    /// A live consultation type of the tenant (SVC-3), or null for none.
    #[serde(default)]
    type_id: Option<i64>,
    #[serde(default)]
    memo: String,
}

fn view(c: &Consultation) -> Result<Value, ApiError> {
    let call = match &c.call {
        Some(k) => json!({
            "direction": k.direction,
            "caller": k.caller,
            "started_at": fmt_utc_ms(k.started_ms)?,
            "answered_at": k.answered_ms.map(fmt_utc_ms).transpose()?,
            "ended_at": k.ended_ms.map(fmt_utc_ms).transpose()?,
            "talk_seconds": k.talk_ms.map(|ms| ms / 1000),
        }),
        None => Value::Null,
    };
    let kind = match (c.type_id, &c.type_name) {
        (Some(id), Some(name)) => json!({ "id": id, "name": name }),
        _ => Value::Null,
    };
    Ok(json!({
        "id": c.id,
        "call_id": c.call_id,
        "type": kind,
        "memo": c.memo,
        "created_at": fmt_utc_ms(c.created_ms)?,
        "updated_at": fmt_utc_ms(c.updated_ms)?,
        "call": call,
    }))
}

/// The `{call_id}` of the path: a provider's call ID is 1 to 100
/// characters; anything else names no call.
pub(super) fn call_id(req: &Request) -> Result<String, ApiError> {
    req.param("call_id")
        .filter(|c| {
            !c.is_empty()
                && c.chars().count() <= switchboard_telephony::event::ID_MAX
                && !c.chars().any(char::is_control)
        })
        .map(str::to_owned)
        .ok_or_else(ApiError::not_found)
}

/// Creates or replaces the agent's consultation of one of their calls.
pub async fn save(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let me = cx.agent()?;
    let call = call_id(&req)?;
    let body: Save = req.json()?;
    let mut f = FieldErrors::new();
    let memo = f.take("memo", ConsultationMemo::parse(&body.memo));
    if let Some(type_id) = body.type_id
        && !consultations::type_allowed(cx.db(), me.tenant_id, type_id, &call, me.agent_id).await?
    {
        f.add(
            "type_id",
            Invalid::new(
                FieldCode::NoSuchItem,
                "Choose one of the company's consultation types.",
            ),
        );
    }
    let Some(memo) = memo else {
        return Err(f.into_error());
    };
    f.check()?;
    let saved = consultations::save(
        cx.db(),
        me.tenant_id,
        me.agent_id,
        &call,
        body.type_id,
        &memo,
        cx.now.as_millisecond(),
    )
    .await?
    .ok_or_else(ApiError::not_found)?;
    Ok(Response::ok(&view(&saved)?))
}

/// `created_ms.id` of the last row of a page.
fn parse_cursor(s: &str) -> Option<Cursor> {
    let (created, id) = s.split_once('.')?;
    let created = created.parse::<i64>().ok().filter(|v| *v >= 0)?;
    let id = id.parse::<i64>().ok().filter(|v| *v > 0)?;
    Some((created, id))
}

fn non_empty(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// The agent's own consultations created in the last three calendar
/// months (from the start of that day in the tenant's time zone), newest
/// first, `limit` (default 50, at most 200) per page; `next_cursor` pages
/// on.
pub async fn list(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let me = cx.agent()?;
    let mut f = FieldErrors::new();
    let before = match non_empty(req.query_param("cursor")) {
        None => Some(None),
        Some(c) => f.take(
            "cursor",
            parse_cursor(&c).map(Some).ok_or_else(|| {
                Invalid::new(
                    FieldCode::InvalidCursor,
                    "Use the next_cursor of a previous page.",
                )
            }),
        ),
    };
    let limit = match non_empty(req.query_param("limit")) {
        None => Some(PAGE),
        Some(l) => f.take(
            "limit",
            l.parse::<i64>()
                .ok()
                .filter(|v| (1..=MAX_PAGE).contains(v))
                .ok_or_else(|| Invalid::number_range(1, MAX_PAGE)),
        ),
    };
    let (Some(before), Some(limit)) = (before, limit) else {
        return Err(f.into_error());
    };
    f.check()?;
    let since = history_start(cx.now, &cx.agent_tenant()?.time_zone);
    let mut rows = consultations::own(
        cx.db(),
        me.tenant_id,
        me.agent_id,
        since.as_millisecond(),
        before,
        limit + 1,
    )
    .await?;
    let page = usize::try_from(limit).unwrap_or(0);
    let next_cursor = if rows.len() > page {
        rows.truncate(page);
        rows.last().map(|c| format!("{}.{}", c.created_ms, c.id))
    } else {
        None
    };
    let items = rows.iter().map(view).collect::<Result<Vec<_>, _>>()?;
    Ok(Response::ok(&json!({
        "items": items,
        "next_cursor": next_cursor,
        "since": time::fmt_utc(since),
    })))
}

/// The first instant of the history window: the start of the same day
/// three calendar months ago, in the tenant's time zone.
pub fn history_start(now: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> jiff::Timestamp {
    let today = now.to_zoned_datetime(tz.clone()).date();
    today
        .checked_sub(jiff::Span::new().months(HISTORY_MONTHS))
        .ok()
        .and_then(|d| time::day_start(d, tz))
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}
