//! A tenant's admin accounts, managed by its owners (AUTH-2).

use crate::accounts::{self, Changes, NewUser};
use crate::context::Cx;
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;
use switchboard_domain::{LoginId, NewPassword, PersonName, Role};
use switchboard_http::{ApiError, Request, Response};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Create {
    login_id: String,
    name: String,
    role: String,
    password: String,
}

pub async fn list(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    let items = accounts::list(cx.db(), cx.tenant_id()?).await?;
    Ok(Response::ok(&json!({ "items": items })))
}

pub async fn create(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let body: Create = req.json()?;
    let mut errors = BTreeMap::new();
    let login_id = LoginId::parse(&body.login_id).map_err(|m| errors.insert("login_id".into(), m));
    let name = PersonName::parse(&body.name).map_err(|m| errors.insert("name".into(), m));
    let role = Role::parse_tenant_role(&body.role).map_err(|m| errors.insert("role".into(), m));
    let password =
        NewPassword::parse(&body.password).map_err(|m| errors.insert("password".into(), m));
    let (Ok(login_id), Ok(name), Ok(role), Ok(password)) = (login_id, name, role, password) else {
        return Err(ApiError::validation(errors));
    };
    let new = NewUser {
        tenant_id: Some(tenant_id),
        login_id: &login_id,
        name: &name,
        role,
        password: &password,
    };
    let user = accounts::create(cx.db(), &new, cx.now)
        .await?
        .ok_or_else(|| {
            ApiError::conflict("login_id_taken", "That login ID is already in use.")
                .with_field("login_id", "That login ID is already in use.")
        })?;
    cx.note_target(format!("user:{}", user.id));
    cx.note(json!({ "after": &user }));
    Ok(Response::created(&user))
}

pub async fn show(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let user = accounts::in_tenant(cx.db(), cx.tenant_id()?, req.id_param("id")?)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Response::ok(&user))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Update {
    name: Option<String>,
    role: Option<String>,
    status: Option<String>,
}

/// Refuses a change that would leave the tenant without an active owner.
async fn keep_an_owner(
    cx: &Cx,
    tenant_id: i64,
    user: &accounts::User,
    demoted: bool,
) -> Result<(), ApiError> {
    if user.role == Role::Owner
        && demoted
        && accounts::other_active_owners(cx.db(), tenant_id, user.id).await? == 0
    {
        return Err(ApiError::conflict(
            "last_owner",
            "This is the company's only active owner; make another admin an owner first.",
        ));
    }
    Ok(())
}

pub async fn update(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let id = req.id_param("id")?;
    let before = accounts::in_tenant(cx.db(), tenant_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let body: Update = req.json()?;
    let mut errors = BTreeMap::new();
    let name = match body.name.as_deref().map(PersonName::parse) {
        Some(Err(m)) => {
            errors.insert("name".to_owned(), m);
            None
        }
        other => other.and_then(Result::ok),
    };
    let role = match body.role.as_deref().map(Role::parse_tenant_role) {
        Some(Err(m)) => {
            errors.insert("role".to_owned(), m);
            None
        }
        other => other.and_then(Result::ok),
    };
    let status = match body.status.as_deref() {
        None => None,
        Some("active") => Some("active"),
        Some("disabled") => Some("disabled"),
        Some(_) => {
            errors.insert("status".to_owned(), "Choose active or disabled.".to_owned());
            None
        }
    };
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let demoted = role.is_some_and(|r| r != Role::Owner) || status == Some("disabled");
    keep_an_owner(cx, tenant_id, &before, demoted).await?;
    accounts::update(cx.db(), id, &Changes { name, role, status }, cx.now).await?;
    let after = accounts::in_tenant(cx.db(), tenant_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    cx.note_target(format!("user:{id}"));
    cx.note(json!({ "before": &before, "after": &after }));
    Ok(Response::ok(&after))
}

pub async fn delete(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let id = req.id_param("id")?;
    let before = accounts::in_tenant(cx.db(), tenant_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    keep_an_owner(cx, tenant_id, &before, true).await?;
    let changes = Changes {
        name: None,
        role: None,
        status: Some("deleted"),
    };
    accounts::update(cx.db(), id, &changes, cx.now).await?;
    cx.note_target(format!("user:{id}"));
    cx.note(json!({ "before": &before }));
    Ok(Response::no_content())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Reset {
    new_password: String,
}

/// An owner sets another admin's password; that admin's sessions end.
pub async fn reset_password(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let id = req.id_param("id")?;
    let user = accounts::in_tenant(cx.db(), tenant_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let body: Reset = req.json()?;
    let password =
        NewPassword::parse(&body.new_password).map_err(|m| ApiError::field("new_password", m))?;
    accounts::set_password(cx.db(), user.id, &password, cx.now).await?;
    cx.note_target(format!("user:{id}"));
    Ok(Response::no_content())
}
