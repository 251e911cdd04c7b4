//! Wallboard links (issue 15): a wall TV shows the dashboard read-only
//! through a link an owner or manager creates and revokes (both audited),
//! without an admin session.
//!
//! The link is `/wallboard/#<token>`: the token is in the fragment, which a
//! browser never sends, so it stays out of server and proxy logs; the page
//! sends it to `GET /api/dashboard/wallboard` in the `X-Wallboard-Token`
//! header. Only the token's SHA-256 is stored; the token is shown once, in
//! the creation's answer. The wallboard answer is the dashboard without
//! today's abandoned calls (no callers' numbers on a wall). The tenant's
//! IP allowlist (ACC-1) applies to it as to its admins, and a company whose
//! service ended shows nothing.

use super::live;
use crate::records::{tenants, wallboard_links};
use crate::runtime::context::{Cx, service_refusal};
use serde::Deserialize;
use serde_json::json;
use switchboard_domain::CompanyField;
use switchboard_http::{ApiError, Request, RequestExt, Response, ResponseExt};

/// A label's longest length, in characters.
const LABEL_MAX: usize = 50;

pub async fn list(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    let items = wallboard_links::list(cx.db(), cx.tenant_id()?).await?;
    Ok(Response::ok(&json!({ "items": items })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Create {
    label: String,
}

pub async fn create(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let body: Create = req.json()?;
    let label = CompanyField::parse(&body.label, LABEL_MAX, true)
        .map_err(|e| ApiError::field("label", e))?;
    let token = crate::random::hex_token(24)?;
    let user_id = cx.principal()?.user.id;
    let link = wallboard_links::create(cx.db(), tenant_id, &token, label.as_str(), user_id, cx.now)
        .await?;
    cx.note_target(format!("wallboard_link:{}", link.id));
    cx.note(json!({ "after": { "label": link.label } }));
    Ok(Response::created(&json!({
        "link": link,
        "token": token,
        "url": format!("/wallboard/#{token}"),
    })))
}

pub async fn revoke(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let id = req.id_param("id")?;
    let before = wallboard_links::get(cx.db(), tenant_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    wallboard_links::revoke(cx.db(), tenant_id, id, cx.now).await?;
    let after = wallboard_links::get(cx.db(), tenant_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    cx.note_target(format!("wallboard_link:{id}"));
    cx.note(json!({ "before": before, "after": &after }));
    Ok(Response::ok(&after))
}

/// The dashboard a live link opens. An unknown or revoked token is 401
/// `unauthenticated`, so the page can say the link no longer works.
pub async fn show(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let refused = || ApiError::unauthorized("This wallboard link does not work (any more).");
    let token = req
        .header("x-wallboard-token")
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 128)
        .ok_or_else(refused)?
        .to_owned();
    let (tenant_id, _link) = wallboard_links::open(cx.db(), &token)
        .await?
        .ok_or_else(refused)?;
    crate::runtime::pipeline::check_allowlist(cx, tenant_id).await?;
    let tenant = tenants::by_id(cx.db(), tenant_id)
        .await?
        .ok_or_else(refused)?
        .scope()?;
    if let Some(refusal) = service_refusal(&tenant, cx.now) {
        return Err(refusal);
    }
    live::answer(cx, &req, &tenant, false).await
}
