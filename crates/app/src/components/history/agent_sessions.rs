//! Agent login history (HIST-4): login ID, name (deleted agents keep
//! theirs), login and logout, platform, client IP and session length; an
//! open session has no logout and says so (`open: true`).

use super::lookup;
use crate::records::agent_sessions::{self, Filter};
use crate::runtime::context::Cx;
use serde_json::json;
use switchboard_http::{ApiError, Request, RequestExt, Response, ResponseExt};

/// `GET /api/history/agent-sessions`.
pub async fn list(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    lookup::only(&req, lookup::AGENT_SESSION_PARAMS)?;
    let tenant_id = cx.tenant_id()?;
    let tz = lookup::zone(cx)?;
    let (from_ms, until_ms) = lookup::date_range_ms(&req, &tz)?;
    let limit = lookup::limit(&req)?;
    let f = Filter {
        agent_id: lookup::id(&req, "agent")?,
        from_ms,
        until_ms,
        open_only: req.query_flag("open")?,
        after: lookup::cursor(&req)?,
        limit: limit + 1,
    };
    let rows = agent_sessions::search(cx.db(), tenant_id, &f).await?;
    let (rows, next_cursor) = lookup::page(rows, limit, |r| (r.login_ms.unwrap_or(0), r.id));
    let items: Vec<serde_json::Value> = rows
        .into_iter()
        .map(|s| {
            let length_ms = match (s.login_ms, s.logout_ms) {
                (Some(a), Some(b)) => Some((b - a).max(0)),
                _ => None,
            };
            let open = s.logout_ms.is_none();
            let mut v = json!(s);
            v["length_ms"] = json!(length_ms);
            v["open"] = json!(open);
            v
        })
        .collect();
    cx.note(json!({ "query": req.query_str(), "rows": items.len() }));
    Ok(Response::ok(&json!({
        "items": items,
        "next_cursor": next_cursor,
        "time_zone": lookup::zone_name(&tz),
    })))
}
