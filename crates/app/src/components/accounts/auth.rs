//! Sign-in, sign-out, "me" and changing one's own password (AUTH-3).

use crate::components::sign_in::{self, too_many};
use crate::records::accounts::{self, User};
use crate::records::audit::Actor;
use crate::records::{access_list, tenants};
use crate::runtime::context::{Cx, service_refusal};
use crate::security::throttle::{self, Attempt, Gate, SignInKeys};
use crate::security::{passwords, refusals, sessions};
use serde::{Deserialize, Serialize};
use serde_json::json;
use switchboard_domain::{NewPassword, Permission};
use switchboard_http::{
    ApiError, ErrorCode, FieldCode, FieldErrors, Invalid, Request, RequestExt, Response,
    ResponseExt, header,
};

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

/// A refusal while a lock lasts. Not recorded one by one: the failure that
/// caused the lock was.
fn locked(cx: &Cx, secs: i64) -> ApiError {
    cx.skip_audit();
    too_many(secs)
}

fn bad_credentials() -> ApiError {
    ApiError::unauthorized("The login ID or password is wrong.")
        .with_code(ErrorCode::InvalidCredentials)
}

pub async fn login(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let creds: Credentials = req.json()?;
    let mut fields = FieldErrors::new();
    sign_in::require(&mut fields, &creds.login_id, &creds.password);
    fields.check()?;
    let login_id = sign_in::counted_login_id(&creds.login_id);
    cx.note_actor(Actor {
        login_id: login_id.clone(),
        ..Actor::default()
    });
    cx.note_target(format!("login:{login_id}"));

    let now = cx.unix_now();
    accounts::bootstrap_operator(
        cx.db(),
        &cx.config.bootstrap_operator_login,
        &cx.config.bootstrap_operator_password,
        cx.now,
    )
    .await?;
    let user = accounts::by_login(cx.db(), &login_id).await?;
    // ACC-1: whether the account's tenant admits this address. From outside
    // the list the answer is the one an unknown account gets, after the same
    // work, and nothing counts against the real account: its refusals count
    // under a key that locks nobody real.
    let inside = match user.as_ref().and_then(|u| u.user.tenant_id) {
        Some(tenant_id) => access_list::allowlist(cx.db(), tenant_id)
            .await?
            .allows(cx.client_ip),
        None => true,
    };
    let keys = SignInKeys {
        address: throttle::address_key(cx.client_ip),
        here: throttle::account_at_key(&login_id, cx.client_ip),
        anywhere: if inside {
            throttle::account_key(&login_id)
        } else {
            throttle::outside_key(&login_id)
        },
    };
    let gate = match throttle::gate(cx.db(), keys, now).await? {
        Gate::Locked(secs) => return Err(locked(cx, secs)),
        Gate::Open(gate) => gate,
    };
    let lock_if_wrong = gate.lock_if_wrong;
    let refused = || match lock_if_wrong {
        Some(secs) => too_many(secs),
        None => bad_credentials(),
    };

    let Some(user) = user else {
        // Same cost as a wrong password, so timing reveals nothing.
        passwords::verify(&creds.password, passwords::DECOY_HASH);
        // Anyone can invent login IDs: count these per hour, record the
        // first of each hour only.
        if refusals::count_unknown(cx.db(), now).await? > 1 {
            cx.skip_audit();
        } else {
            cx.note(json!({ "unknown_account": true, "later_this_hour": "counted, not recorded" }));
        }
        return Err(refused());
    };
    let accounts::WithPassword {
        user,
        password_hash,
    } = user;
    cx.note_actor(Actor {
        tenant_id: user.tenant_id,
        user_id: Some(user.id),
        login_id: user.login_id.clone(),
    });
    if !inside {
        passwords::verify(&creds.password, passwords::DECOY_HASH);
        cx.note_action("access.ip_denied");
        return Err(refused());
    }
    if !(passwords::verify(&creds.password, &password_hash) && user.status.is_active()) {
        return Err(refused());
    }
    gate.passed(cx.db()).await?;
    // CON-3: only now, after the password, so strangers learn nothing
    // about a company's contract.
    if let Some(tenant_id) = user.tenant_id
        && let Some(t) = tenants::by_id(cx.db(), tenant_id).await?
        && let Some(refusal) = service_refusal(&t.scope()?, cx.now)
    {
        cx.note(json!({ "refused": "service", "tenant_status": t.status, "service_end": t.service_end }));
        return Err(refusal);
    }
    let (token, session) = sessions::create(cx.kv(), user.id, user.session_epoch, now).await?;
    Ok(Response::ok(&SignedIn {
        user: &user,
        csrf_token: &session.csrf,
    })
    .with_header(header::SET_COOKIE, &sessions::cookie(&token, cx.https)))
}

pub async fn logout(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    sessions::delete(cx.kv(), &cx.principal()?.token).await?;
    Ok(Response::no_content().with_header(header::SET_COOKIE, &sessions::clear_cookie(cx.https)))
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
    let tenant = match p.user.tenant_id {
        Some(id) => tenants::by_id(cx.db(), id).await?,
        None => None,
    };
    Ok(Response::ok(&Me {
        permissions: p.user.role.permissions(),
        user: p.user.clone(),
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
    let user = &p.user;
    // Guessing the current password with a stolen session is throttled
    // like signing in, on a counter only this account's own sessions feed:
    // failed sign-ins by others must not block the owner's change.
    let key = throttle::password_change_key(user.id);
    let lock = match throttle::attempt(cx.db(), &key, throttle::ACCOUNT, cx.unix_now()).await? {
        Attempt::Locked(secs) => return Err(too_many(secs)),
        Attempt::Proceed { locks_for, .. } => locks_for,
    };
    let hash = accounts::password_hash(cx.db(), user.id)
        .await?
        .unwrap_or_default();
    if !passwords::verify(&body.current_password, &hash) {
        return Err(match lock {
            Some(secs) => too_many(secs),
            // The proof of who is asking failed: 403 (not 401, which would
            // end the session; not 422, the value is well-formed).
            None => ApiError::forbidden(ErrorCode::WrongPassword, "The current password is wrong.")
                .with_field(
                    "current_password",
                    Invalid::new(FieldCode::WrongPassword, "The current password is wrong."),
                ),
        });
    }
    throttle::reset(cx.db(), &key).await?;
    let new =
        NewPassword::parse(&body.new_password).map_err(|m| ApiError::field("new_password", m))?;
    if body.new_password == body.current_password {
        return Err(ApiError::field(
            "new_password",
            Invalid::new(
                FieldCode::SamePassword,
                "Choose a password different from the current one.",
            ),
        ));
    }
    let epoch = accounts::set_password(cx.db(), user.id, &new, cx.now).await?;
    sessions::delete(cx.kv(), &p.token).await?;
    let (token, session) = sessions::create(cx.kv(), user.id, epoch, cx.unix_now()).await?;
    cx.note(json!({"user_id": user.id}));
    Ok(Response::ok(&json!({"csrf_token": session.csrf}))
        .with_header(header::SET_COOKIE, &sessions::cookie(&token, cx.https)))
}
