//! `POST /api/dashboard/abandoned/{id}/callback`: a manager asks for a
//! caller of today's abandoned-calls list to be called back, in one click.
//! The request is a callback request like a caller's own (CB-1): the
//! callback worker dials it. A call gets one request: asking again answers
//! the existing one (200) instead of making a second (201). Audited.

use crate::records::abandoned;
use crate::reports::dashboard;
use crate::runtime::context::Cx;
use serde_json::json;
use switchboard_domain::Invalid;
use switchboard_http::{ApiError, Request, RequestExt, Response, ResponseExt, StatusCode};

pub async fn request_callback(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let id = req.id_param("id")?;
    let call = dashboard::abandoned_call(cx.db(), tenant_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let (Some(number), Some(digit)) = (call.caller.as_deref(), call.digit) else {
        return Err(ApiError::field(
            "caller",
            Invalid::required("The call has no caller number or queue to call back."),
        ));
    };
    let (callback_id, status, created) = abandoned::request_callback(
        cx.db(),
        tenant_id,
        &call.call_id,
        call.menu_id,
        number,
        digit,
        cx.now.as_millisecond(),
    )
    .await?;
    cx.note_target(format!("call:{}", call.call_id));
    cx.note(json!({ "after": { "callback_id": callback_id, "created": created } }));
    let body = json!({ "callback": { "id": callback_id, "status": status, "call_id": call.call_id, "number": number } });
    Ok(if created {
        Response::created(&body)
    } else {
        Response::json(StatusCode::OK, &body)
    })
}
