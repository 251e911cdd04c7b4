//! Agent sign-in, sign-out and "me" (AGT-1, HIST-4, MON-7).
//!
//! Agents sign in with the credentials of SVC-1 (the tenant's agents), to
//! the tenant they name: login IDs are unique per tenant only. Wrong
//! passwords are throttled like admin sign-ins (`security::throttle`: the
//! client address, the agent from that address, the agent from anywhere),
//! and an unknown tenant or agent gets the same answer after the same work
//! as a wrong password. A sign-in stores an `agent.login` event (a fresh
//! session ID, the platform and the client address), which opens a login
//! history row and starts the state the tenant's work settings name
//! (SVC-4); sign-out stores `agent.logout` and ends the token.

use super::state::state_view;
use crate::components::sign_in::{self, too_many};
use crate::records::agent_presence;
use crate::records::work::{self, WorkSettings};
use crate::records::{agent_work, agents};
use crate::runtime::context::{Cx, service_refusal};
use crate::security::agent_tokens::Sliding;
use crate::security::throttle::{self, Gate, SignInKeys};
use crate::security::{agent_tokens, passwords};
use crate::telephony::agent_events::{self, Act};
use crate::time;
use serde::Deserialize;
use serde_json::{Value, json};
use switchboard_domain::{AcwLimit, ErrorCode, FieldCode, Invalid, PopupUrlTemplate};
use switchboard_http::{ApiError, FieldErrors, Request, RequestExt, Response, ResponseExt};
use switchboard_telephony::Platform;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Credentials {
    tenant_id: i64,
    login_id: String,
    password: String,
    platform: String,
}

fn bad_credentials() -> ApiError {
    ApiError::unauthorized("The company, login ID or password is wrong.")
        .with_code(ErrorCode::InvalidCredentials)
}

fn idle_secs(cx: &Cx) -> i64 {
    cx.config.session_lifetime_minutes.saturating_mul(60)
}

pub async fn login(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let creds: Credentials = req.json()?;
    let mut fields = FieldErrors::new();
    sign_in::require(&mut fields, &creds.login_id, &creds.password);
    let platform = fields.take(
        "platform",
        Platform::parse(creds.platform.trim()).ok_or_else(|| {
            Invalid::new(FieldCode::InvalidChoice, "Choose pc, mobile or web.")
                .with("options", "pc, mobile, web")
        }),
    );
    let Some(platform) = platform else {
        return Err(fields.into_error());
    };
    fields.check()?;
    let login_id = sign_in::counted_login_id(&creds.login_id);
    let tenant_id = creds.tenant_id.max(0);

    let now = cx.unix_now();
    // The address counter is shared with admin sign-in: one address
    // guessing many accounts of either kind.
    let keys = SignInKeys {
        address: throttle::address_key(cx.client_ip),
        here: throttle::agent_at_key(tenant_id, &login_id, cx.client_ip),
        anywhere: throttle::agent_key(tenant_id, &login_id),
    };
    let gate = match throttle::gate(cx.db(), keys, now).await? {
        Gate::Locked(secs) => return Err(too_many(secs)),
        Gate::Open(gate) => gate,
    };
    let lock_if_wrong = gate.lock_if_wrong;
    let refused = || match lock_if_wrong {
        Some(secs) => too_many(secs),
        None => bad_credentials(),
    };

    let Some(agent) = agents::account_by_login(cx.db(), tenant_id, &login_id).await? else {
        // Same cost as a wrong password, so timing reveals nothing.
        passwords::verify(&creds.password, passwords::DECOY_HASH);
        return Err(refused());
    };
    if !(passwords::verify(&creds.password, &agent.password_hash) && agent.status.is_active()) {
        return Err(refused());
    }
    gate.passed(cx.db()).await?;
    // CON-3: only now, after the password, so strangers learn nothing about
    // a company's contract.
    if let Some(refusal) = service_refusal(&agent.tenant, cx.now) {
        return Err(refusal);
    }

    let session = agent_events::new_id()?;
    let login = Act::Login {
        session: &session,
        platform,
        ip: cx.client_ip,
    };
    let at_ms = cx.now.as_millisecond();
    agent_events::store(cx.db(), agent.tenant_id, &agent.login_id, login, at_ms).await?;
    let new = agent_tokens::NewToken {
        agent_id: agent.id,
        tenant_id: agent.tenant_id,
        epoch: agent.session_epoch,
        session: &session,
        platform: platform.as_str(),
    };
    let (token, record) = agent_tokens::create(cx.kv(), &new, now).await?;
    agent_presence::seen(cx.db(), agent.tenant_id, &session, &agent.login_id, at_ms).await?;
    Ok(Response::ok(&json!({
        "token": token,
        "expires_at": time::fmt_utc_secs(record.expires_at(idle_secs(cx)))?,
        "session": session,
        "agent": { "id": agent.id, "login_id": agent.login_id, "name": agent.name },
        "tenant": { "id": agent.tenant_id, "name": agent.tenant_name },
    })))
}

/// Ends the token and the login session (HIST-4); the agent shows as
/// logged out (MON-7).
pub async fn logout(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    let me = cx.agent()?;
    let act = Act::Logout {
        session: &me.token.session,
    };
    let at_ms = cx.now.as_millisecond();
    agent_events::store(cx.db(), me.tenant_id, &me.login_id, act, at_ms).await?;
    agent_tokens::delete(cx.kv(), &me.secret).await?;
    Ok(Response::no_content())
}

fn work_view(w: &WorkSettings) -> Value {
    json!({
        "state_after_login": w.after_login.as_str(),
        "state_after_call": w.after_call.as_str(),
        "acw_limit_seconds": w.acw_limit.map(AcwLimit::seconds),
        "popup_url_template": w.popup.as_ref().map(PopupUrlTemplate::as_str),
    })
}

/// The signed-in agent, their company, current state, the menus they serve
/// (SVC-2) and the work settings the app follows (SVC-4, SVC-5).
pub async fn me(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    let me = cx.agent()?;
    let tenant = cx.agent_tenant()?;
    let state = agent_work::current_state(cx.db(), me.tenant_id, &me.login_id).await?;
    let menus = agent_work::served_menus(cx.db(), me.tenant_id, me.agent_id).await?;
    let work = work::load(cx.db(), me.tenant_id).await?.unwrap_or_default();
    Ok(Response::ok(&json!({
        "agent": { "id": me.agent_id, "login_id": me.login_id, "name": me.name },
        "tenant": { "id": tenant.id, "name": me.tenant_name, "time_zone": tenant.time_zone_name() },
        "state": state.as_ref().map(state_view).transpose()?,
        "menus": menus,
        "work": work_view(&work),
        "session": {
            "id": me.token.session,
            "platform": me.token.platform,
            "expires_at": time::fmt_utc_secs(me.token.expires_at(idle_secs(cx)))?,
        },
    })))
}
