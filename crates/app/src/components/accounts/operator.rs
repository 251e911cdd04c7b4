//! The platform operator creates tenants and their first owner (AUTH-2,
//! CON-1) and sets a tenant's status and last day of service (CON-3).

use super::users::login_id_taken;
use crate::records::accounts::{self, NewUser};
use crate::records::tenants::{self, NewTenant, StatusChange};
use crate::records::{audio, contract, numbers};
use crate::runtime::context::Cx;
use serde::Deserialize;
use serde_json::json;
use switchboard_domain::{
    AudioQuota, CompanyField, ContractedLines, Email, LicenceCount, LoginId, NewPassword,
    PersonName, Plan, Role, ServicePeriod, TenantStatus, TimeZoneName,
};
use switchboard_http::{ApiError, FieldErrors, Request, RequestExt, Response, ResponseExt};

pub async fn list(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    Ok(Response::ok(
        &json!({ "items": tenants::list(cx.db()).await? }),
    ))
}

pub async fn show(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant = tenants::by_id(cx.db(), req.id_param("id")?)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Response::ok(&tenant))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Owner {
    login_id: String,
    name: String,
    password: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Create {
    name: String,
    #[serde(default)]
    business_number: String,
    #[serde(default)]
    representative: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    time_zone: String,
    plan: String,
    licence_count: i64,
    service_start: String,
    service_end: String,
    owner: Owner,
}

fn parse(body: &Create) -> Result<(NewTenant, LoginId, PersonName, NewPassword), ApiError> {
    let mut f = FieldErrors::new();
    let name = f.take("name", CompanyField::parse(&body.name, 100, true));
    let business_number = f.take(
        "business_number",
        CompanyField::parse(&body.business_number, 20, false),
    );
    let representative = f.take(
        "representative",
        CompanyField::parse(&body.representative, 50, false),
    );
    let phone = f.take("phone", CompanyField::parse(&body.phone, 20, false));
    let email = f.take("email", Email::parse(&body.email));
    let address = f.take("address", CompanyField::parse(&body.address, 200, false));
    let time_zone = f.take("time_zone", TimeZoneName::parse(&body.time_zone));
    let plan = f.take("plan", Plan::parse(&body.plan));
    let licence_count = f.take("licence_count", LicenceCount::new(body.licence_count));
    let period = match ServicePeriod::parse(&body.service_start, &body.service_end) {
        Ok(p) => Some(p),
        Err((field, m)) => f.take(field, Err(m)),
    };
    let login_id = f.take("owner.login_id", LoginId::parse(&body.owner.login_id));
    let owner_name = f.take("owner.name", PersonName::parse(&body.owner.name));
    let password = f.take("owner.password", NewPassword::parse(&body.owner.password));
    // Every value is present exactly when no field was refused.
    let parsed = || {
        let tenant = NewTenant {
            name: name?,
            business_number: business_number?,
            representative: representative?,
            phone: phone?,
            email: email?,
            address: address?,
            time_zone: time_zone?,
            plan: plan?,
            licence_count: licence_count?,
            period: period?,
        };
        Some((tenant, login_id?, owner_name?, password?))
    };
    parsed().ok_or_else(|| f.into_error())
}

/// Creates the tenant and its first owner in one transaction: either both
/// exist afterwards or neither does.
pub async fn create(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let body: Create = req.json()?;
    let (new_tenant, login_id, owner_name, password) = parse(&body)?;
    let owner = NewUser {
        tenant_id: None,
        login_id: &login_id,
        name: &owner_name,
        role: Role::Owner,
        password: &password,
    };
    let statements = [
        tenants::insert(&new_tenant, cx.now),
        accounts::insert_after_tenant(&owner, cx.now)?,
    ];
    match cx.db().batch(&statements).await {
        Err(e) if e.is_unique_violation() => {
            return Err(login_id_taken("owner.login_id"));
        }
        other => other?,
    };
    let owner = accounts::by_login(cx.db(), login_id.as_str())
        .await?
        .ok_or_else(|| ApiError::internal("owner vanished after insert"))?
        .user;
    let tenant_id = owner
        .tenant_id
        .ok_or_else(|| ApiError::internal("owner without tenant"))?;
    let tenant = tenants::by_id(cx.db(), tenant_id)
        .await?
        .ok_or_else(|| ApiError::internal("tenant vanished after insert"))?;
    cx.note_target(format!("tenant:{tenant_id}"));
    cx.note(json!({ "after": { "tenant": &tenant, "owner": &owner } }));
    Ok(Response::created(
        &json!({ "tenant": tenant, "owner": owner }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusIn {
    status: String,
    #[serde(default, deserialize_with = "switchboard_http::present")]
    service_end: Option<String>,
}

/// CON-3: sets a tenant's status (`active` / `terminated`) and, when sent,
/// its last day of service (not before its first; the period is checked as
/// at creation). Sign-in and every signed-in request already enforce both.
///
/// Terminating an active tenant ends the sessions of its admins and agents
/// at once (their session epoch moves on, so reactivating later does not
/// revive them: everyone signs in again), and carries out the tenant's open
/// termination request: the request is closed (deleted, as the table holds
/// open requests only) and the audit entry keeps it under
/// `termination_request`, so the owner can request again after a
/// reactivation.
pub async fn set_status(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let id = req.id_param("id")?;
    let before = tenants::by_id(cx.db(), id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let body: StatusIn = req.json()?;
    let mut f = FieldErrors::new();
    let status = f.take("status", TenantStatus::parse(&body.status));
    let end = match body.service_end.as_deref() {
        None => Some(before.service_end.clone()),
        Some(end) => match ServicePeriod::parse(&before.service_start, end) {
            Ok(p) => Some(p.end.to_string()),
            Err((field, m)) => f.take(field, Err(m)),
        },
    };
    let (Some(status), Some(service_end)) = (status, end) else {
        return Err(f.into_error());
    };
    let request = contract::termination(cx.db(), id).await?;
    let released: Vec<String> = if status == TenantStatus::Terminated {
        let held = numbers::Filter {
            tenant_id: Some(id),
            current_only: true,
            ..Default::default()
        };
        numbers::list(cx.db(), &held)
            .await?
            .into_iter()
            .map(|h| h.formatted)
            .collect()
    } else {
        Vec::new()
    };
    let change = StatusChange {
        status,
        service_end: &service_end,
        ends_sessions: status == TenantStatus::Terminated
            && before.status != TenantStatus::Terminated,
        at_ms: cx.now.as_millisecond(),
    };
    tenants::set_status(cx.db(), id, &change).await?;
    let after = tenants::by_id(cx.db(), id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let closed = status == TenantStatus::Terminated && request.is_some();
    cx.note_target(format!("tenant:{id}"));
    cx.note(json!({
        "before": {
            "status": before.status,
            "service_end": before.service_end,
            "termination_request": request,
        },
        "after": {
            "status": after.status,
            "service_end": after.service_end,
            "termination_request": if closed { None } else { request.as_ref() },
        },
        "sessions_ended": change.ends_sessions,
        "numbers_released": released,
    }));
    Ok(Response::ok(&after))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuotaIn {
    files: i64,
    bytes: i64,
}

/// ARS-2 (issue 14, finding 5): sets a company's storage for uploaded
/// prompts — how many files, how many bytes in all. Files already stored
/// stay; uploads past the new quota are refused (`audio_quota_exceeded`).
pub async fn set_audio_quota(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let id = req.id_param("id")?;
    tenants::by_id(cx.db(), id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let body: QuotaIn = req.json()?;
    let quota = AudioQuota::parse(body.files, body.bytes).map_err(|errors| {
        ApiError::validation(errors.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    })?;
    let mut usage = audio::usage(cx.db(), id).await?;
    let before = usage.quota;
    audio::set_quota(cx.db(), id, quota).await?;
    usage.quota = quota;
    cx.note_target(format!("tenant:{id}"));
    cx.note(json!({
        "before": { "files": before.files(), "bytes": before.bytes() },
        "after": { "files": quota.files(), "bytes": quota.bytes() },
    }));
    Ok(Response::ok(&usage.view()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinesIn {
    /// Required; `null` clears the figure.
    #[serde(deserialize_with = "switchboard_http::nullable")]
    lines: Option<i64>,
}

/// MON-1 (issue 15): the number of lines (channels) in a company's
/// contract, the dashboard's total; `null` clears it. Audited.
pub async fn set_lines(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let id = req.id_param("id")?;
    tenants::by_id(cx.db(), id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let body: LinesIn = req.json()?;
    let lines = body
        .lines
        .map(ContractedLines::new)
        .transpose()
        .map_err(|e| ApiError::field("lines", e))?
        .map(ContractedLines::get);
    let before = tenants::contracted_lines(cx.db(), id).await?;
    tenants::set_contracted_lines(cx.db(), id, lines).await?;
    cx.note_target(format!("tenant:{id}"));
    cx.note(json!({ "before": { "lines": before }, "after": { "lines": lines } }));
    Ok(Response::ok(&json!({ "lines": lines })))
}
