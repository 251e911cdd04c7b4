//! Callback history (HIST-3): requests by result (요청 `requested`,
//! 처리완료 `completed`, 삭제처리 `deleted`, 처리실패 `failed`), each with
//! its attempts (time, agent, outcome); an owner or manager deletes a
//! pending request (audited by the pipeline, with the number and call).

use super::lookup;
use crate::records::callback_history::{self as callbacks, Filter};
use crate::records::calls::NumberMatch;
use crate::runtime::context::Cx;
use serde_json::json;
use switchboard_http::{ApiError, FieldCode, Invalid, Request, RequestExt, Response, ResponseExt};

pub const STATUSES: &[&str] = &["requested", "completed", "deleted", "failed"];

/// `GET /api/history/callbacks`.
pub async fn list(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    lookup::only(&req, lookup::CALLBACK_PARAMS)?;
    let tenant_id = cx.tenant_id()?;
    let tz = lookup::zone(cx)?;
    let (from_ms, until_ms) = lookup::date_range_ms(&req, &tz)?;
    let number_prefix = match lookup::number(&req)? {
        None => None,
        Some(NumberMatch::Prefix(p)) => Some(p),
        Some(NumberMatch::Tail(_)) => {
            return Err(ApiError::field(
                "number",
                Invalid::new(
                    FieldCode::InvalidValue,
                    "Type the number from its start (0…).",
                ),
            ));
        }
    };
    let limit = lookup::limit(&req)?;
    let f = Filter {
        status: lookup::one_of(&req, "status", STATUSES)?,
        from_ms,
        until_ms,
        number_prefix,
        after: lookup::cursor(&req)?,
        limit: limit + 1,
    };
    let rows = callbacks::search(cx.db(), tenant_id, &f).await?;
    let (items, next_cursor) = lookup::page(rows, limit, |r| (r.requested_ms, r.id));
    cx.note(json!({ "query": req.query_str(), "rows": items.len() }));
    Ok(Response::ok(&json!({
        "items": items,
        "next_cursor": next_cursor,
        "time_zone": lookup::zone_name(&tz),
    })))
}
