//! The incoming-call popup (AGT-1, SVC-5): the tenant's URL template filled
//! with one call's data, for the agent app to open when the call rings.

use super::consultations::call_id;
use crate::records::agent_work;
use crate::records::work;
use crate::runtime::context::Cx;
use serde_json::json;
use switchboard_domain::PopupValues;
use switchboard_http::{ApiError, Request, Response, ResponseExt};

/// The rendered URL of a call offered to or answered by this agent (or
/// otherwise theirs); `{"url": null}` when the tenant set no template.
/// Any other call, of this tenant or another, is 404.
pub async fn show(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let me = cx.agent()?;
    let call = call_id(&req)?;
    let facts = agent_work::popup_facts(cx.db(), me.tenant_id, me.agent_id, &me.login_id, &call)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let template = work::load(cx.db(), me.tenant_id)
        .await?
        .and_then(|w| w.popup);
    let url = template.map(|t| {
        t.render(&PopupValues {
            caller: &facts.caller,
            call_id: &call,
            dialed: &facts.dialed,
            agent: &me.login_id,
            queue: &facts.queue,
        })
    });
    Ok(Response::ok(&json!({ "call_id": call, "url": url })))
}
