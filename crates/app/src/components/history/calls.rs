//! Call history (HIST-1): inbound, outbound and internal calls with their
//! filters, keyset pages, and one call's detail (its consultations, its
//! recordings and the full timeline of events in the tenant's zone). Every
//! list and detail view is in the work history (route `Audit::Always`).

use super::lookup;
use crate::records::{calls, consultations};
use crate::runtime::context::Cx;
use serde_json::json;
use switchboard_http::{ApiError, Request, RequestExt, Response, ResponseExt};

/// The call filters of the query string (`from`, `to`, `number`, `agent`,
/// `queue`, `result`, `direction`), shared with the consultation history.
pub fn filter(req: &Request, tz: &jiff::tz::TimeZone) -> Result<calls::Filter, ApiError> {
    let (from_ms, until_ms) = lookup::date_range_ms(req, tz)?;
    Ok(calls::Filter {
        from_ms,
        until_ms,
        number: lookup::number(req)?,
        agent_id: lookup::id(req, "agent")?,
        digit: lookup::queue(req)?,
        result: lookup::one_of(req, "result", lookup::RESULTS)?,
        direction: lookup::one_of(req, "direction", lookup::DIRECTIONS)?,
        after: lookup::cursor(req)?,
        limit: lookup::limit(req)?,
        common_prefix: false,
    })
}

/// `GET /api/history/calls`.
pub async fn list(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    lookup::only(&req, lookup::CALL_PARAMS)?;
    let tenant_id = cx.tenant_id()?;
    let tz = lookup::zone(cx)?;
    let mut f = filter(&req, &tz)?;
    let limit = f.limit;
    f.limit = limit + 1;
    let rows = calls::search(cx.db(), tenant_id, &f).await?;
    let (items, next_cursor) = lookup::page(rows, limit, |r| (r.started_ms, r.id));
    cx.note(json!({ "query": req.query_str(), "rows": items.len() }));
    Ok(Response::ok(&json!({
        "items": items,
        "next_cursor": next_cursor,
        "time_zone": lookup::zone_name(&tz),
    })))
}

/// `GET /api/history/calls/{id}`.
pub async fn show(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let tz = lookup::zone(cx)?;
    let id = req.id_param("id")?;
    let call = calls::get(cx.db(), tenant_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    cx.note(json!({ "call": call.id, "call_id": call.call_id }));
    cx.note_target(format!("call:{}", call.id));
    let timeline: Vec<serde_json::Value> = calls::timeline(cx.db(), tenant_id, &call.call_id)
        .await?
        .into_iter()
        .map(|e| {
            let at = lookup::local(e.at_ms, &tz);
            let mut v = json!(e);
            v["at"] = json!(at);
            v
        })
        .collect();
    let recordings = calls::recordings_of(cx.db(), tenant_id, &call.call_id).await?;
    let consultations = consultations::of_call(cx.db(), tenant_id, &call.call_id).await?;
    Ok(Response::ok(&json!({
        "call": call,
        "timeline": timeline,
        "recordings": recordings,
        "consultations": consultations,
        "time_zone": lookup::zone_name(&tz),
    })))
}
