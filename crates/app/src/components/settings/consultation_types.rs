//! Consultation types (SVC-3): the categories agents pick when saving a
//! consultation, in the order the admin sets. A rename keeps the ID (and so
//! the history); deleting a type that consultations use archives it instead
//! (`200` with `"archived": true`), an unused one is deleted (`204`).

use crate::records::consultation_types::{self as types, ConsultationType};
use crate::runtime::context::Cx;
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeSet;
use switchboard_domain::{CompanyField, FieldCode, Invalid};
use switchboard_http::{ApiError, FieldErrors, Request, RequestExt, Response, ResponseExt};

const NAME_MAX: usize = 50;
const MAX_TYPES: usize = 100;

pub async fn list(cx: &Cx, _req: Request) -> Result<Response, ApiError> {
    let items = types::list(cx.db(), cx.tenant_id()?).await?;
    Ok(Response::ok(&json!({ "items": items })))
}

fn name_taken() -> ApiError {
    ApiError::field(
        "name",
        Invalid::new(
            FieldCode::Taken,
            "A consultation type with that name exists.",
        ),
    )
}

fn parse_name(name: &str) -> Result<CompanyField, ApiError> {
    CompanyField::parse(name, NAME_MAX, true).map_err(|m| ApiError::field("name", m))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Create {
    name: String,
}

/// Refuses a new live type (created or restored) when the list is full.
async fn room_for_one(cx: &Cx, tenant_id: i64, field: &str) -> Result<(), ApiError> {
    let live = types::list(cx.db(), tenant_id)
        .await?
        .iter()
        .filter(|t| !t.archived)
        .count();
    if live >= MAX_TYPES {
        return Err(ApiError::field(
            field,
            Invalid::new(FieldCode::TooMany, format!("At most {MAX_TYPES} types."))
                .with("max", MAX_TYPES),
        ));
    }
    Ok(())
}

pub async fn create(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let body: Create = req.json()?;
    let name = parse_name(&body.name)?;
    room_for_one(cx, tenant_id, "name").await?;
    let id = types::create(cx.db(), tenant_id, name.as_str(), cx.now)
        .await?
        .ok_or_else(name_taken)?;
    let after = one(cx, tenant_id, id).await?;
    cx.note_target(format!("consultation_type:{id}"));
    cx.note(json!({ "after": &after }));
    Ok(Response::created(&after))
}

async fn one(cx: &Cx, tenant_id: i64, id: i64) -> Result<ConsultationType, ApiError> {
    types::get(cx.db(), tenant_id, id)
        .await?
        .ok_or_else(ApiError::not_found)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Update {
    #[serde(default, deserialize_with = "switchboard_http::present")]
    name: Option<String>,
    #[serde(default, deserialize_with = "switchboard_http::present")]
    archived: Option<bool>,
}

/// Renames (the ID stays) or archives/restores a type.
pub async fn update(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let before = one(cx, tenant_id, req.id_param("id")?).await?;
    let body: Update = req.json()?;
    let name = body.name.as_deref().map(parse_name).transpose()?;
    if before.archived && body.archived == Some(false) {
        room_for_one(cx, tenant_id, "archived").await?;
    }
    if !types::update(
        cx.db(),
        tenant_id,
        before.id,
        name.as_ref().map(CompanyField::as_str),
        body.archived,
        cx.now,
    )
    .await?
    {
        return Err(name_taken());
    }
    let after = one(cx, tenant_id, before.id).await?;
    cx.note_target(format!("consultation_type:{}", before.id));
    cx.note(json!({ "before": &before, "after": &after }));
    Ok(Response::ok(&after))
}

pub async fn delete(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let before = one(cx, tenant_id, req.id_param("id")?).await?;
    cx.note_target(format!("consultation_type:{}", before.id));
    if before.used > 0 {
        types::update(cx.db(), tenant_id, before.id, None, Some(true), cx.now).await?;
        let after = one(cx, tenant_id, before.id).await?;
        cx.note(json!({ "before": &before, "after": &after }));
        return Ok(Response::ok(&after));
    }
    types::delete(cx.db(), tenant_id, before.id).await?;
    cx.note(json!({ "before": &before }));
    Ok(Response::no_content())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Order {
    ids: Vec<i64>,
}

/// Sets the order: `ids` must name every live (not archived) type once.
pub async fn reorder(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let body: Order = req.json()?;
    let before = types::list(cx.db(), tenant_id).await?;
    let live: BTreeSet<i64> = before
        .iter()
        .filter(|t| !t.archived)
        .map(|t| t.id)
        .collect();
    let sent: BTreeSet<i64> = body.ids.iter().copied().collect();
    if sent != live || sent.len() != body.ids.len() {
        let mut f = FieldErrors::new();
        f.add(
            "ids",
            Invalid::new(
                FieldCode::OrderMismatch,
                "List every consultation type that is not archived exactly once.",
            ),
        );
        return Err(f.into_error());
    }
    types::reorder(cx.db(), tenant_id, &body.ids).await?;
    let after = types::list(cx.db(), tenant_id).await?;
    let names = |l: &[ConsultationType]| -> Vec<String> {
        l.iter()
            .filter(|t| !t.archived)
            .map(|t| t.name.clone())
            .collect()
    };
    cx.note_target("consultation_types");
    cx.note(json!({ "before": names(&before), "after": names(&after) }));
    Ok(Response::ok(&json!({ "items": after })))
}
