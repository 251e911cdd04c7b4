//! Sign-in, sign-out, "me" and changing one's own password (AUTH-3).

use crate::accounts::{self, User};
use crate::audit::Actor;
use crate::context::Cx;
use crate::pipeline::check_allowlist;
use crate::security::{passwords, sessions, throttle};
use crate::tenants;
use serde::{Deserialize, Serialize};
use serde_json::json;
use switchboard_domain::{NewPassword, Permission};
use switchboard_http::{ApiError, Request, Response};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Credentials {
    login_id: String,
    password: String,
}

#[derive(Serialize)]
struct SignedIn<'a> {
    user: &'a User,
    csrf_token: &'a str,
}

fn too_many(secs: i64) -> ApiError {
    let secs = secs.max(1);
    ApiError::too_many_requests(
        "too_many_attempts",
        format!("Too many failed sign-ins. Try again in {secs} seconds."),
        u64::try_from(secs).unwrap_or(1),
    )
}

fn bad_credentials() -> ApiError {
    ApiError::unauthorized("The login ID or password is wrong.").with_code("invalid_credentials")
}

pub async fn login(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let creds: Credentials = req.json()?;
    let mut missing = std::collections::BTreeMap::new();
    if creds.login_id.trim().is_empty() {
        missing.insert("login_id".to_owned(), "Enter your login ID.".to_owned());
    }
    if creds.password.is_empty() {
        missing.insert("password".to_owned(), "Enter your password.".to_owned());
    }
    if !missing.is_empty() {
        return Err(ApiError::validation(missing));
    }
    let login_id = creds.login_id.trim().to_ascii_lowercase();
    cx.note_actor(Actor {
        login_id: login_id.clone(),
        ..Actor::default()
    });
    cx.note_target(format!("login:{login_id}"));

    let now = cx.unix_now();
    let account_key = throttle::account_key(&login_id);
    let address_key = throttle::address_key(&cx.client_ip_text());
    for key in [&account_key, &address_key] {
        if let Some(secs) = throttle::locked_for(cx.kv(), key, now).await? {
            return Err(too_many(secs));
        }
    }

    accounts::bootstrap_operator(
        cx.db(),
        &cx.config.bootstrap_operator_login,
        &cx.config.bootstrap_operator_password,
        cx.now,
    )
    .await?;
    let user = accounts::by_login(cx.db(), &login_id).await?;
    let verified = match &user {
        Some(u) => passwords::verify(&creds.password, &u.password_hash),
        None => {
            // Same cost as a wrong password, so timing reveals nothing.
            passwords::verify(&creds.password, passwords::DECOY_HASH);
            false
        }
    };
    let user = match user {
        Some(u) if verified && u.status == "active" => u,
        other => {
            if let Some(u) = &other {
                cx.note_actor(Actor {
                    tenant_id: u.tenant_id,
                    user_id: Some(u.id),
                    login_id: login_id.clone(),
                });
            }
            let a = throttle::fail(cx.kv(), &account_key, throttle::ACCOUNT, now).await?;
            let b = throttle::fail(cx.kv(), &address_key, throttle::ADDRESS, now).await?;
            return Err(match a.max(b) {
                Some(secs) => too_many(secs),
                None => bad_credentials(),
            });
        }
    };
    cx.note_actor(Actor {
        tenant_id: user.tenant_id,
        user_id: Some(user.id),
        login_id: user.login_id.clone(),
    });
    if let Some(tenant_id) = user.tenant_id {
        check_allowlist(cx, tenant_id).await?;
    }
    throttle::reset(cx.kv(), &account_key).await?;
    let (token, session) = sessions::create(cx.kv(), user.id, user.session_epoch, now).await?;
    Ok(Response::ok(&SignedIn {
        user: &user,
        csrf_token: &session.csrf,
    })
    .with_header("set-cookie", &sessions::cookie(&token, cx.https)))
}

pub async fn logout(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    sessions::delete(cx.kv(), &cx.principal()?.token).await?;
    Ok(Response::no_content().with_header("set-cookie", &sessions::clear_cookie(cx.https)))
}

#[derive(Serialize)]
struct Me {
    user: User,
    tenant: Option<tenants::Tenant>,
    csrf_token: String,
    permissions: Vec<Permission>,
}

pub async fn me(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    let p = cx.principal()?;
    let user = accounts::by_id(cx.db(), p.user_id)
        .await?
        .ok_or_else(|| ApiError::unauthorized("Sign in first."))?;
    let tenant = match p.tenant_id {
        Some(id) => tenants::by_id(cx.db(), id).await?,
        None => None,
    };
    Ok(Response::ok(&Me {
        permissions: p.role.permissions(),
        user,
        tenant,
        csrf_token: p.csrf.clone(),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PasswordChange {
    current_password: String,
    new_password: String,
}

/// Changes one's own password. Every other session of the account ends; this
/// one continues under a fresh session (new cookie, new CSRF token).
pub async fn change_password(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let body: PasswordChange = req.json()?;
    let p = cx.principal()?;
    let user = accounts::by_id(cx.db(), p.user_id)
        .await?
        .ok_or_else(|| ApiError::unauthorized("Sign in first."))?;
    if !passwords::verify(&body.current_password, &user.password_hash) {
        return Err(ApiError::field(
            "current_password",
            "The current password is wrong.",
        ));
    }
    let new =
        NewPassword::parse(&body.new_password).map_err(|m| ApiError::field("new_password", m))?;
    if body.new_password == body.current_password {
        return Err(ApiError::field(
            "new_password",
            "Choose a password different from the current one.",
        ));
    }
    accounts::set_password(cx.db(), user.id, &new, cx.now).await?;
    sessions::delete(cx.kv(), &p.token).await?;
    let (token, session) =
        sessions::create(cx.kv(), user.id, user.session_epoch + 1, cx.unix_now()).await?;
    cx.note(json!({"user_id": user.id}));
    Ok(Response::ok(&json!({"csrf_token": session.csrf}))
        .with_header("set-cookie", &sessions::cookie(&token, cx.https)))
}
