//! An admin deletes a callback request still open (CB-3): it becomes
//! `deleted`, the worker never dials it again, and the transition names
//! the admin. One already completed, failed or deleted is 409
//! `callback_not_open` (param `status`); another tenant's is 404.

use crate::records::callbacks;
use crate::runtime::context::Cx;
use serde_json::json;
use switchboard_domain::ErrorCode;
use switchboard_http::{ApiError, Request, RequestExt, Response, ResponseExt};

/// `DELETE /api/history/callbacks/{id}`
pub async fn delete(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let id = req.id_param("id")?;
    let user_id = cx.principal()?.user.id;
    let before = callbacks::status_of(cx.db(), tenant_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    cx.note_target(format!("callback:{id}"));
    if before != "requested" {
        return Err(ApiError::conflict(
            ErrorCode::CallbackNotOpen,
            format!("This callback is {before} already; only a requested one can be deleted."),
        )
        .with_param("status", &before));
    }
    let after = callbacks::delete(cx.db(), tenant_id, id, user_id, cx.now.as_millisecond())
        .await?
        .unwrap_or_default();
    let number = callbacks::number_of(cx.db(), tenant_id, id).await?;
    cx.note(json!({
        "callback": id,
        "number": number,
        "before": { "status": before },
        "after": { "status": &after },
    }));
    if after != "deleted" {
        // Completed or failed in the meantime.
        return Err(ApiError::conflict(
            ErrorCode::CallbackNotOpen,
            format!("This callback is {after} already; only a requested one can be deleted."),
        )
        .with_param("status", &after));
    }
    Ok(Response::no_content())
}
