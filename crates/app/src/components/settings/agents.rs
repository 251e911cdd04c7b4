//! Agents (SVC-1) and their assignment to agent-connect menus (SVC-2).
//!
//! - Login IDs are unique per tenant (among agents not deleted).
//! - Never more active agents than licences: adding an agent or enabling a
//!   disabled one when every licence is taken is 409 `licence_limit`
//!   (param `limit`), decided inside the SQL statement.
//! - Disabling or deleting frees the seat; deleting keeps the row, so the
//!   history shows the name, and frees the login ID.
//! - New agents serve no menu until assigned.

use super::message::no_such_item;
use crate::records::agents::{self, Agent, Changes, Created};
use crate::records::menus::{self, MenuKind};
use crate::runtime::context::Cx;
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeSet;
use switchboard_domain::{ErrorCode, FieldCode, Invalid, LoginId, NewPassword, PersonName, Switch};
use switchboard_http::{ApiError, FieldErrors, Request, RequestExt, Response, ResponseExt};

async fn licence_limit(cx: &Cx, tenant_id: i64) -> Result<ApiError, ApiError> {
    let (_, limit) = agents::seats(cx.db(), tenant_id).await?;
    Ok(ApiError::conflict(
        ErrorCode::LicenceLimit,
        format!(
            "All {limit} licences are in use; disable or delete an agent, or add licences, first."
        ),
    )
    .with_param("limit", limit))
}

pub async fn list(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let items = agents::list(cx.db(), tenant_id).await?;
    let (active, limit) = agents::seats(cx.db(), tenant_id).await?;
    Ok(Response::ok(&json!({
        "items": items,
        "licences": { "limit": limit, "active": active },
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Create {
    login_id: String,
    name: String,
    password: String,
}

fn login_id_taken() -> ApiError {
    ApiError::conflict(
        ErrorCode::LoginIdTaken,
        "Another agent of this company has that login ID.",
    )
    .with_field(
        "login_id",
        Invalid::new(
            FieldCode::Taken,
            "Another agent of this company has that login ID.",
        ),
    )
}

/// Ends the agent's open app sessions in the records (HIST-4, MON-7).
async fn sign_out(cx: &Cx, tenant_id: i64, agent: &Agent) -> Result<(), ApiError> {
    let at_ms = cx.now.as_millisecond();
    crate::telephony::agent_events::sign_out_everywhere(
        cx.db(),
        tenant_id,
        agent.id,
        &agent.login_id,
        at_ms,
    )
    .await?;
    Ok(())
}

async fn agent(cx: &Cx, tenant_id: i64, id: i64) -> Result<Agent, ApiError> {
    agents::get(cx.db(), tenant_id, id)
        .await?
        .ok_or_else(ApiError::not_found)
}

pub async fn create(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let body: Create = req.json()?;
    let mut f = FieldErrors::new();
    let login_id = f.take("login_id", LoginId::parse(&body.login_id));
    let name = f.take("name", PersonName::parse(&body.name));
    let password = f.take("password", NewPassword::parse(&body.password));
    let (Some(login_id), Some(name), Some(password)) = (login_id, name, password) else {
        return Err(f.into_error());
    };
    let id = match agents::create(cx.db(), tenant_id, &login_id, &name, &password, cx.now).await? {
        Created::Agent(id) => id,
        Created::LoginIdTaken => return Err(login_id_taken()),
        Created::NoSeat => return Err(licence_limit(cx, tenant_id).await?),
    };
    let after = agent(cx, tenant_id, id).await?;
    cx.note_target(format!("agent:{id}"));
    cx.note(json!({ "after": &after }));
    Ok(Response::created(&after))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Update {
    #[serde(default, deserialize_with = "switchboard_http::present")]
    name: Option<String>,
    #[serde(default, deserialize_with = "switchboard_http::present")]
    password: Option<String>,
    #[serde(default, deserialize_with = "switchboard_http::present")]
    status: Option<String>,
}

pub async fn update(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let before = agent(cx, tenant_id, req.id_param("id")?).await?;
    let body: Update = req.json()?;
    let mut f = FieldErrors::new();
    let name = f.take_opt("name", body.name.as_deref().map(PersonName::parse));
    let password = f.take_opt("password", body.password.as_deref().map(NewPassword::parse));
    let status = f.take_opt(
        "status",
        body.status
            .as_deref()
            .map(|s| Switch::parse(s).map(Switch::as_str)),
    );
    f.check()?;
    let changes = Changes {
        name: name.as_ref(),
        password: password.as_ref(),
        status,
    };
    if !agents::update(cx.db(), tenant_id, before.id, &changes, cx.now).await? {
        return Err(licence_limit(cx, tenant_id).await?);
    }
    // A disabled agent or a new password ends the agent's app sessions.
    if password.is_some() || status == Some("disabled") {
        sign_out(cx, tenant_id, &before).await?;
    }
    let after = agent(cx, tenant_id, before.id).await?;
    cx.note_target(format!("agent:{}", before.id));
    let mut detail = json!({ "before": &before, "after": &after });
    if password.is_some() {
        detail["password_changed"] = json!(true);
    }
    cx.note(detail);
    Ok(Response::ok(&after))
}

pub async fn delete(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let before = agent(cx, tenant_id, req.id_param("id")?).await?;
    sign_out(cx, tenant_id, &before).await?;
    agents::delete(cx.db(), tenant_id, before.id, cx.now).await?;
    cx.note_target(format!("agent:{}", before.id));
    cx.note(json!({ "before": &before }));
    Ok(Response::no_content())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Assignment {
    menu_ids: Vec<i64>,
}

/// Replaces the menus an agent serves: each must be one of the tenant's
/// agent-connect menus (`menu_ids.N`: `no_such_item`, or `invalid_choice`
/// for an information menu).
pub async fn assign(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let before = agent(cx, tenant_id, req.id_param("id")?).await?;
    let body: Assignment = req.json()?;
    let menus = menus::list(cx.db(), tenant_id).await?;
    let mut f = FieldErrors::new();
    let mut chosen = BTreeSet::new();
    for (i, id) in body.menu_ids.iter().enumerate() {
        match menus.iter().find(|m| m.id == *id) {
            None => f.add(&format!("menu_ids.{i}"), no_such_item("No such menu.")),
            Some(m) if !matches!(m.kind, MenuKind::Agents { .. }) => f.add(
                &format!("menu_ids.{i}"),
                Invalid::new(
                    FieldCode::InvalidChoice,
                    "Agents can only be assigned to menus that connect to agents.",
                ),
            ),
            Some(_) => {
                chosen.insert(*id);
            }
        }
    }
    f.check()?;
    let ids: Vec<i64> = chosen.into_iter().collect();
    agents::assign(cx.db(), tenant_id, before.id, &ids).await?;
    let after = agent(cx, tenant_id, before.id).await?;
    cx.note_target(format!("agent:{}", before.id));
    cx.note(json!({ "before": { "menus": &before.menus }, "after": { "menus": &after.menus } }));
    Ok(Response::ok(&after))
}
