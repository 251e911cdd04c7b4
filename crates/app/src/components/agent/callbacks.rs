//! Marking a callback done (AGT-1, CB-1, HIST-3): an agent who reached the
//! customer some other way closes the request, so the worker stops
//! dialling it.

use crate::records::agent_work::{self, Callback, Done};
use crate::runtime::context::Cx;
use crate::time::fmt_utc_ms;
use serde_json::{Value, json};
use switchboard_domain::ErrorCode;
use switchboard_http::{ApiError, Request, RequestExt, Response, ResponseExt};

fn view(c: &Callback) -> Result<Value, ApiError> {
    Ok(json!({
        "id": c.id,
        "call_id": c.call_id,
        "number": c.number,
        "status": c.status,
        "requested_at": fmt_utc_ms(c.requested_ms)?,
        "attempts": c.attempts,
        "done_at": c.done_ms.map(fmt_utc_ms).transpose()?,
        "done_by_agent_id": c.done_by_agent_id,
    }))
}

/// A callback of the agent's tenant becomes `completed`, with the time and
/// the agent, only while it is `requested`: one already completed, failed
/// or deleted is 409 `callback_not_open` (param `status`). Another
/// tenant's callback is 404.
pub async fn done(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let me = cx.agent()?;
    let id = req.id_param("id")?;
    let now_ms = cx.now.as_millisecond();
    match agent_work::complete_callback(cx.db(), me.tenant_id, id, me.agent_id, now_ms).await? {
        Done::Completed(c) => Ok(Response::ok(&view(&c)?)),
        Done::NotOpen(c) => Err(ApiError::conflict(
            ErrorCode::CallbackNotOpen,
            format!(
                "This callback is {} already; only a requested one can be marked done.",
                c.status
            ),
        )
        .with_param("status", &c.status)),
        Done::Missing => Err(ApiError::not_found()),
    }
}
