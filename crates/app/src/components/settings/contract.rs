//! The contract (CON-1..3): company information, service period, plan and
//! licences, the licence/plan change (at most one a calendar day in the
//! tenant's time zone; never below the active agents), and the service
//! termination request.
//!
//! SPEC AUTH-2 keeps the contract from managers ("everything but contract
//! and access management"), so every route here needs `ManageAccess`, the
//! owners-only permission; there is no narrower owner permission.

use crate::records::contract::{self, ChangeOutcome, Company, LicenceChange};
use crate::records::tenants::{self, Tenant};
use crate::records::{agents, contract::Termination};
use crate::runtime::context::Cx;
use serde::Deserialize;
use serde_json::{Value, json};
use switchboard_domain::{CompanyField, Email, ErrorCode, LicenceCount, PhoneNumber, Plan};
use switchboard_http::{ApiError, FieldErrors, Request, RequestExt, Response, ResponseExt};

const REASON_MAX: usize = 500;

async fn tenant(cx: &Cx, tenant_id: i64) -> Result<Tenant, ApiError> {
    tenants::by_id(cx.db(), tenant_id)
        .await?
        .ok_or_else(ApiError::not_found)
}

/// A stored phone shown formatted when it is a valid number, as typed
/// otherwise (numbers entered at sign-up were free text).
fn phone_view(stored: &str) -> String {
    PhoneNumber::parse(stored)
        .map(|p| p.formatted())
        .unwrap_or_else(|_| stored.to_owned())
}

fn company_view(t: &Tenant) -> Value {
    json!({
        "name": t.name,
        "business_number": t.business_number,
        "representative": t.representative,
        "phone": phone_view(&t.phone),
        "email": t.email,
        "address": t.address,
    })
}

async fn view(cx: &Cx, t: &Tenant) -> Result<Value, ApiError> {
    let (active, _) = agents::seats(cx.db(), t.id).await?;
    let scope = t.scope()?;
    let today = scope.today(cx.now);
    let last = contract::last_change_date(cx.db(), t.id).await?;
    let changed_today = last.as_deref() == Some(today.to_string().as_str());
    let next = if changed_today {
        today.tomorrow().ok()
    } else {
        Some(today)
    };
    let termination: Option<Termination> = contract::termination(cx.db(), t.id).await?;
    Ok(json!({
        "company": company_view(t),
        "time_zone": t.time_zone,
        "service_period": { "start": t.service_start, "end": t.service_end },
        "plan": t.plan,
        "licence_count": t.licence_count,
        "active_agents": active,
        "status": t.status,
        "service_state": scope.service_state(cx.now),
        "licence_change": {
            "last_date": last,
            "possible_from": next.map(|d| d.to_string()),
        },
        "termination": {
            "state": if termination.is_some() { "requested" } else { "none" },
            "request": termination,
        },
    }))
}

pub async fn show(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    let t = tenant(cx, cx.tenant_id()?).await?;
    Ok(Response::ok(&view(cx, &t).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LicencesIn {
    #[serde(default, deserialize_with = "switchboard_http::present")]
    licence_count: Option<i64>,
    #[serde(default, deserialize_with = "switchboard_http::present")]
    plan: Option<String>,
}

/// CON-2: sets the licence count and plan (both; an unsent one keeps its
/// value). The same values again are no change and use up nothing.
pub async fn change_licences(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let body: LicencesIn = req.json()?;
    let before = tenant(cx, tenant_id).await?;
    let mut f = FieldErrors::new();
    let count = f.take(
        "licence_count",
        LicenceCount::new(body.licence_count.unwrap_or(before.licence_count)),
    );
    let plan = f.take(
        "plan",
        Plan::parse(body.plan.as_deref().unwrap_or(&before.plan)),
    );
    let (Some(count), Some(plan)) = (count, plan) else {
        return Err(f.into_error());
    };
    let count = i64::from(count.get());
    if count == before.licence_count && plan.as_str() == before.plan {
        return Ok(Response::ok(&view(cx, &before).await?));
    }
    let today = cx.tenant()?.today(cx.now);
    let limit = || {
        let next = today.tomorrow().map(|d| d.to_string()).unwrap_or_default();
        ApiError::conflict(
            ErrorCode::ChangeLimit,
            format!(
                "Licences and the plan were already changed today; you can change them again from {next}."
            ),
        )
        .with_param("next", next)
    };
    if contract::last_change_date(cx.db(), tenant_id).await? == Some(today.to_string()) {
        return Err(limit());
    }
    let in_use = |active: i64| {
        ApiError::conflict(
            ErrorCode::LicencesInUse,
            format!("{active} agents are active; licences cannot go below that."),
        )
        .with_param("active", active)
    };
    let (active, _) = agents::seats(cx.db(), tenant_id).await?;
    if count < active {
        return Err(in_use(active));
    }
    let change = LicenceChange {
        user_id: cx.principal()?.user.id,
        local_date: today.to_string(),
        plan_before: &before.plan,
        plan_after: plan.as_str(),
        licences_before: before.licence_count,
        licences_after: count,
    };
    match contract::change_licences(cx.db(), tenant_id, &change, cx.now).await? {
        ChangeOutcome::Changed => {}
        ChangeOutcome::AlreadyToday => return Err(limit()),
        ChangeOutcome::InUse => {
            return Err(in_use(agents::seats(cx.db(), tenant_id).await?.0));
        }
    }
    let after = tenant(cx, tenant_id).await?;
    cx.note_target("contract");
    cx.note(json!({
        "before": { "plan": before.plan, "licence_count": before.licence_count },
        "after": { "plan": after.plan, "licence_count": after.licence_count },
    }));
    Ok(Response::ok(&view(cx, &after).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CompanyIn {
    name: String,
    #[serde(default)]
    representative: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    address: String,
}

/// CON-1: replaces the company information (the business registration
/// number stays as the operator entered it). An empty phone clears it; a
/// phone is stored as its digits.
pub async fn update_company(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let body: CompanyIn = req.json()?;
    let mut f = FieldErrors::new();
    let name = f.take("name", CompanyField::parse(&body.name, 100, true));
    let representative = f.take(
        "representative",
        CompanyField::parse(&body.representative, 50, false),
    );
    let phone = match body.phone.trim() {
        "" => Some(String::new()),
        s => f
            .take("phone", PhoneNumber::parse(s))
            .map(|p| p.as_str().to_owned()),
    };
    let email = f.take("email", Email::parse(&body.email));
    let address = f.take("address", CompanyField::parse(&body.address, 200, false));
    let (Some(name), Some(representative), Some(phone), Some(email), Some(address)) =
        (name, representative, phone, email, address)
    else {
        return Err(f.into_error());
    };
    let before = company_view(&tenant(cx, tenant_id).await?);
    contract::update_company(
        cx.db(),
        tenant_id,
        &Company {
            name: name.as_str(),
            representative: representative.as_str(),
            phone: &phone,
            email: email.as_str(),
            address: address.as_str(),
        },
    )
    .await?;
    let after = tenant(cx, tenant_id).await?;
    cx.note_target("contract.company");
    cx.note(json!({ "before": before, "after": company_view(&after) }));
    Ok(Response::ok(&view(cx, &after).await?))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct TerminationIn {
    #[serde(default)]
    reason: String,
}

/// CON-3: requests the termination of the service (the operator carries it
/// out). A second request while one is open is 409 `termination_pending`.
pub async fn request_termination(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let body: TerminationIn = req.json()?;
    let reason = CompanyField::parse(&body.reason, REASON_MAX, false)
        .map_err(|e| ApiError::field("reason", e))?;
    let user_id = cx.principal()?.user.id;
    if !contract::request_termination(cx.db(), tenant_id, user_id, reason.as_str(), cx.now).await? {
        return Err(ApiError::conflict(
            ErrorCode::TerminationPending,
            "A termination request is already open.",
        ));
    }
    let t = tenant(cx, tenant_id).await?;
    let after = view(cx, &t).await?;
    cx.note_target("contract.termination");
    cx.note(json!({ "before": { "state": "none" }, "after": after["termination"] }));
    Ok(Response::ok(&after))
}

/// CON-3: withdraws the open termination request (404 when none is open).
pub async fn withdraw_termination(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let before = contract::termination(cx.db(), tenant_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    contract::withdraw_termination(cx.db(), tenant_id).await?;
    let t = tenant(cx, tenant_id).await?;
    let after = view(cx, &t).await?;
    cx.note_target("contract.termination");
    cx.note(json!({
        "before": { "state": "requested", "request": before },
        "after": after["termination"],
    }));
    Ok(Response::ok(&after))
}
