//! A tenant's admin accounts, managed by its owners (AUTH-2).

use crate::records::accounts::{self, Changes, NewUser};
use crate::runtime::context::Cx;
use serde::Deserialize;
use serde_json::json;
use switchboard_domain::{LoginId, NewPassword, PersonName, Role, Switch};
use switchboard_http::{
    ApiError, ErrorCode, FieldCode, FieldErrors, Invalid, Request, RequestExt, Response,
    ResponseExt,
};

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
    let mut f = FieldErrors::new();
    let login_id = f.take("login_id", LoginId::parse(&body.login_id));
    let name = f.take("name", PersonName::parse(&body.name));
    let role = f.take("role", Role::parse_tenant_role(&body.role));
    let password = f.take("password", NewPassword::parse(&body.password));
    let (Some(login_id), Some(name), Some(role), Some(password)) = (login_id, name, role, password)
    else {
        return Err(f.into_error());
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
        .ok_or_else(|| login_id_taken("login_id"))?;
    cx.note_target(format!("user:{}", user.id));
    cx.note(json!({ "after": &user }));
    Ok(Response::created(&user))
}

/// The 409 for a login ID in use (login IDs are unique platform-wide, since
/// the sign-in form has no company field).
pub fn login_id_taken(field: &str) -> ApiError {
    ApiError::conflict(ErrorCode::LoginIdTaken, "That login ID is already in use.").with_field(
        field,
        Invalid::new(FieldCode::Taken, "That login ID is already in use."),
    )
}

/// The tenant's account `id`; another tenant's is a 404 (AUTH-1).
async fn account(cx: &Cx, tenant_id: i64, id: i64) -> Result<accounts::User, ApiError> {
    accounts::in_tenant(cx.db(), tenant_id, id)
        .await?
        .ok_or_else(ApiError::not_found)
}

pub async fn show(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let user = account(cx, cx.tenant_id()?, req.id_param("id")?).await?;
    Ok(Response::ok(&user))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Update {
    #[serde(default, deserialize_with = "switchboard_http::present")]
    name: Option<String>,
    #[serde(default, deserialize_with = "switchboard_http::present")]
    role: Option<String>,
    #[serde(default, deserialize_with = "switchboard_http::present")]
    status: Option<String>,
}

fn last_owner() -> ApiError {
    ApiError::conflict(
        ErrorCode::LastOwner,
        "This is the company's only active owner; make another admin an owner first.",
    )
}

pub async fn update(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let id = req.id_param("id")?;
    let before = account(cx, tenant_id, id).await?;
    let body: Update = req.json()?;
    let mut f = FieldErrors::new();
    let name = f.take_opt("name", body.name.as_deref().map(PersonName::parse));
    let role = f.take_opt("role", body.role.as_deref().map(Role::parse_tenant_role));
    let status = f.take_opt(
        "status",
        body.status
            .as_deref()
            .map(|s| Switch::parse(s).map(Switch::as_str)),
    );
    f.check()?;
    let demotes = before.role == Role::Owner
        && (role.is_some_and(|r| r != Role::Owner) || status == Some("disabled"));
    let changes = Changes { name, role, status };
    if !accounts::update(cx.db(), id, &changes, demotes, cx.now).await? {
        return Err(last_owner());
    }
    let after = account(cx, tenant_id, id).await?;
    cx.note_target(format!("user:{id}"));
    cx.note(json!({ "before": &before, "after": &after }));
    Ok(Response::ok(&after))
}

pub async fn delete(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let id = req.id_param("id")?;
    let before = account(cx, tenant_id, id).await?;
    let changes = Changes {
        name: None,
        role: None,
        status: Some("deleted"),
    };
    let demotes = before.role == Role::Owner;
    if !accounts::update(cx.db(), id, &changes, demotes, cx.now).await? {
        return Err(last_owner());
    }
    cx.note_target(format!("user:{id}"));
    cx.note(json!({ "before": &before }));
    Ok(Response::no_content())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Reset {
    new_password: String,
}

/// An owner sets another admin's password; that admin's sessions end. Not
/// one's own: that goes through `POST /api/auth/password`, which checks the
/// current password (and throttles guesses of it).
pub async fn reset_password(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let id = req.id_param("id")?;
    if id == cx.principal()?.user.id {
        return Err(ApiError::forbidden(
            ErrorCode::UseChangePassword,
            "To change your own password, use the change-password form (it asks for your current password).",
        ));
    }
    let user = account(cx, tenant_id, id).await?;
    let body: Reset = req.json()?;
    let password =
        NewPassword::parse(&body.new_password).map_err(|m| ApiError::field("new_password", m))?;
    accounts::set_password(cx.db(), user.id, &password, cx.now).await?;
    cx.note_target(format!("user:{id}"));
    Ok(Response::no_content())
}
