//! Holidays (ARS-5): the tenant's days off — its own holidays, national
//! holidays, temporary holidays — each once or every year, and the bulk
//! import of a year's Korean national holidays built into the project
//! (`schedule::national_holiday_list`, 2025–2030).
//!
//! Two holidays on the same day that repeat the same way are refused (422,
//! field `date`, code `holiday_exists` naming the one already there). An
//! import skips every date on which a holiday of the tenant already falls
//! and answers how many it added and skipped, so importing twice adds none.

use super::hours::field_errors;
use crate::records::holidays::{self, StoredHoliday, day_key};
use crate::runtime::context::Cx;
use serde_json::{Value, json};
use switchboard_domain::schedule::{
    Holiday, HolidayInput, NATIONAL_HOLIDAY_YEARS, national_holiday_list,
};
use switchboard_domain::{FieldCode, Invalid};
use switchboard_http::{ApiError, Request, RequestExt, Response, ResponseExt};

/// Years a list may be filtered by.
const LIST_YEARS: (i64, i64) = (1900, 2100);

fn view(h: &StoredHoliday) -> Value {
    json!({
        "id": h.id,
        "date": h.holiday.date().to_string(),
        "kind": h.holiday.kind().as_str(),
        "repeat": h.holiday.repeat().as_str(),
        "name": h.holiday.name(),
    })
}

/// `?year=` as a number within `range`, if given.
fn year_param(req: &Request, range: (i64, i64)) -> Result<Option<i16>, ApiError> {
    let refuse = || ApiError::field("year", Invalid::number_range(range.0, range.1));
    // Empty is refused by the pipeline; anything else must be a number.
    match req.query_param("year") {
        None => Ok(None),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|y| (range.0..=range.1).contains(y))
            .and_then(|y| i16::try_from(y).ok())
            .map(Some)
            .ok_or_else(refuse),
    }
}

pub async fn list(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let year = year_param(&req, LIST_YEARS)?;
    let items: Vec<Value> = holidays::list(cx.db(), tenant_id, year)
        .await?
        .iter()
        .map(view)
        .collect();
    Ok(Response::ok(&json!({ "year": year, "items": items })))
}

/// The refusal for a holiday whose day is taken, naming the holiday there.
async fn day_taken(cx: &Cx, tenant_id: i64, h: &Holiday) -> Result<ApiError, ApiError> {
    let key = day_key(h);
    let there = holidays::list(cx.db(), tenant_id, None)
        .await?
        .into_iter()
        .find(|o| o.holiday.repeat() == h.repeat() && day_key(&o.holiday) == key)
        .map(|o| o.holiday.name().to_owned())
        .unwrap_or_default();
    Ok(ApiError::field(
        "date",
        Invalid::new(
            FieldCode::HolidayExists,
            format!("There is already a holiday on that day ({there})."),
        )
        .with("name", there),
    ))
}

pub async fn create(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let body: HolidayInput = req.json()?;
    let h = Holiday::parse(&body).map_err(field_errors)?;
    let Some(id) = holidays::create(cx.db(), tenant_id, &h, cx.now).await? else {
        return Err(day_taken(cx, tenant_id, &h).await?);
    };
    let after = view(&StoredHoliday { id, holiday: h });
    cx.note_target(format!("holiday:{id}"));
    cx.note(json!({ "after": &after }));
    Ok(Response::created(&after))
}

async fn holiday(cx: &Cx, tenant_id: i64, req: &Request) -> Result<StoredHoliday, ApiError> {
    holidays::get(cx.db(), tenant_id, req.id_param("id")?)
        .await?
        .ok_or_else(ApiError::not_found)
}

/// Changes the sent fields; the others keep their values.
pub async fn update(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let before = holiday(cx, tenant_id, &req).await?;
    let body: HolidayInput = req.json()?;
    let b = &before.holiday;
    let merged = HolidayInput {
        date: body.date.or_else(|| Some(b.date().to_string())),
        kind: body.kind.or_else(|| Some(b.kind().as_str().to_owned())),
        repeat: body.repeat.or_else(|| Some(b.repeat().as_str().to_owned())),
        name: body.name.or_else(|| Some(b.name().to_owned())),
    };
    let h = Holiday::parse(&merged).map_err(field_errors)?;
    if !holidays::update(cx.db(), tenant_id, before.id, &h, cx.now).await? {
        return Err(day_taken(cx, tenant_id, &h).await?);
    }
    let after = view(&StoredHoliday {
        id: before.id,
        holiday: h,
    });
    cx.note_target(format!("holiday:{}", before.id));
    cx.note(json!({ "before": view(&before), "after": &after }));
    Ok(Response::ok(&after))
}

pub async fn delete(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let before = holiday(cx, tenant_id, &req).await?;
    holidays::delete(cx.db(), tenant_id, before.id).await?;
    cx.note_target(format!("holiday:{}", before.id));
    cx.note(json!({ "before": view(&before) }));
    Ok(Response::no_content())
}

/// `?year=2026`: adds that year's national holidays (kind `national`, or
/// `temporary` for 임시공휴일; repeating `once`), skipping every date on
/// which one of the tenant's holidays already falls.
pub async fn import(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = cx.tenant_id()?;
    let years = (
        i64::from(*NATIONAL_HOLIDAY_YEARS.start()),
        i64::from(*NATIONAL_HOLIDAY_YEARS.end()),
    );
    let year = year_param(&req, years)?
        .ok_or_else(|| ApiError::field("year", Invalid::number_range(years.0, years.1)))?;
    let existing = holidays::all(cx.db(), tenant_id).await?;
    let (mut skipped, fresh): (Vec<Holiday>, Vec<Holiday>) = national_holiday_list(year)
        .into_iter()
        .partition(|h| existing.iter().any(|e| e.applies_on(h.date())));
    let mut added = Vec::with_capacity(fresh.len());
    if !fresh.is_empty() {
        let inserted = holidays::create_all(cx.db(), tenant_id, &fresh, cx.now).await?;
        for (h, new) in fresh.into_iter().zip(inserted) {
            if new { added.push(h) } else { skipped.push(h) }
        }
    }
    let brief = |list: &[Holiday]| -> Vec<Value> {
        list.iter()
            .map(|h| json!({ "date": h.date().to_string(), "name": h.name() }))
            .collect()
    };
    let answer = json!({
        "year": year,
        "added": added.len(),
        "skipped": skipped.len(),
        "added_days": brief(&added),
        "skipped_days": brief(&skipped),
    });
    cx.note_target(format!("holidays:{year}"));
    cx.note(json!({ "after": &answer }));
    Ok(Response::ok(&answer))
}
