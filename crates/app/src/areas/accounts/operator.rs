//! The platform operator creates tenants and their first owner (AUTH-2,
//! CON-1).

use crate::accounts::{self, NewUser};
use crate::context::Cx;
use crate::tenants::{self, NewTenant};
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;
use switchboard_domain::{
    CompanyField, Email, LicenceCount, LoginId, NewPassword, PersonName, Plan, Role, ServicePeriod,
    TimeZoneName,
};
use switchboard_http::{ApiError, Request, Response};

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

/// Collects field errors while parsing, so one response lists them all.
struct Fields(BTreeMap<String, String>);

impl Fields {
    fn take<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        parsed.map_err(|m| self.0.insert(field.to_owned(), m)).ok()
    }
}

fn parse(body: &Create) -> Result<(NewTenant, LoginId, PersonName, NewPassword), ApiError> {
    let mut f = Fields(BTreeMap::new());
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
    parsed().ok_or_else(|| ApiError::validation(f.0))
}

pub async fn create(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let body: Create = req.json()?;
    let (new_tenant, login_id, owner_name, password) = parse(&body)?;
    if accounts::by_login(cx.db(), login_id.as_str())
        .await?
        .is_some()
    {
        return Err(
            ApiError::conflict("login_id_taken", "That login ID is already in use.")
                .with_field("owner.login_id", "That login ID is already in use."),
        );
    }
    let tenant_id = tenants::create(cx.db(), &new_tenant, cx.now).await?;
    let owner = NewUser {
        tenant_id: Some(tenant_id),
        login_id: &login_id,
        name: &owner_name,
        role: Role::Owner,
        password: &password,
    };
    let Some(owner) = accounts::create(cx.db(), &owner, cx.now).await? else {
        // Lost a race for the login ID: undo the empty tenant.
        tenants::delete_empty(cx.db(), tenant_id).await?;
        return Err(
            ApiError::conflict("login_id_taken", "That login ID is already in use.")
                .with_field("owner.login_id", "That login ID is already in use."),
        );
    };
    let tenant = tenants::by_id(cx.db(), tenant_id)
        .await?
        .ok_or_else(|| ApiError::internal("tenant vanished after insert"))?;
    cx.note_target(format!("tenant:{tenant_id}"));
    cx.note(json!({ "after": { "tenant": &tenant, "owner": &owner } }));
    Ok(Response::created(
        &json!({ "tenant": tenant, "owner": owner }),
    ))
}
