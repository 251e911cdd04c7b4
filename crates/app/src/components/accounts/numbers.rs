//! The number inventory (ARS-1, TEL-1; issue 14, finding 1): the platform
//! operator provisions telephone numbers to companies and releases them.
//!
//! Why the operator and not the company: events find their company through
//! the number they came in on, so whoever may claim a number may read that
//! line's calls, caller numbers and recordings. The numbers are the
//! service's to issue (the guide: 대표번호 is issued by the service), a
//! company chooses its representative number and caller ID among the ones
//! it holds (`settings/ars.rs`), and a released number's history stays with
//! the company that held it, because events are routed by the holder at the
//! event's time (`telephony/ingest.rs`).

use crate::records::numbers::{self, Filter, Refused};
use crate::records::tenants;
use crate::runtime::context::Cx;
use crate::time;
use serde::Deserialize;
use serde_json::json;
use switchboard_domain::{ErrorCode, FieldCode, Invalid, PhoneNumber, TenantStatus};
use switchboard_http::{ApiError, FieldErrors, Request, RequestExt, Response, ResponseExt};

/// The earliest first day a holding may be back-dated to.
const EARLIEST_SINCE: jiff::civil::Date = jiff::civil::date(2000, 1, 1);

fn non_empty(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// `GET /api/operator/numbers?tenant_id=&q=&current=true`: the inventory,
/// current holdings first. `q` matches the digits of a number in any
/// format typed (`070-1234`, `+82 70 1234`).
pub async fn list(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant_id = match non_empty(req.query_param("tenant_id")) {
        None => None,
        Some(t) => Some(t.parse::<i64>().ok().filter(|v| *v > 0).ok_or_else(|| {
            ApiError::field(
                "tenant_id",
                Invalid::new(FieldCode::InvalidValue, "Use a tenant ID."),
            )
        })?),
    };
    let digits = non_empty(req.query_param("q")).map(|q| {
        let d: String = q.chars().filter(char::is_ascii_digit).collect();
        // `+82 70…` and `0082 70…` are typed for `070…`.
        let international = if q.trim_start().starts_with('+') {
            d.strip_prefix("82")
        } else {
            d.strip_prefix("0082")
        };
        match international {
            Some(rest) => format!("0{}", rest.strip_prefix('0').unwrap_or(rest)),
            None => d,
        }
    });
    let current_only = req.query_flag("current")?;
    let items = numbers::list(
        cx.db(),
        &Filter {
            tenant_id,
            digits: digits.as_deref().filter(|d| !d.is_empty()),
            current_only,
        },
    )
    .await?;
    Ok(Response::ok(&json!({ "items": items })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProvisionIn {
    number: String,
    tenant_id: i64,
    /// The first day the company holds it (its zone), `YYYY-MM-DD`; absent:
    /// since always for a number never held, otherwise from now.
    #[serde(default)]
    since: Option<String>,
}

/// `POST /api/operator/numbers`: provisions a number to a company.
/// 422 `number_taken` when another holding covers the time asked for.
pub async fn provision(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let body: ProvisionIn = req.json()?;
    let mut f = FieldErrors::new();
    let number = f.take("number", PhoneNumber::parse(&body.number));
    let tenant = tenants::by_id(cx.db(), body.tenant_id).await?;
    match &tenant {
        None => f.add(
            "tenant_id",
            Invalid::new(FieldCode::NoSuchItem, "No company has this ID."),
        ),
        // A terminated company's calls would be stored where no admin can
        // see them (its numbers are released when it is terminated).
        Some(t) if t.status == TenantStatus::Terminated => f.add(
            "tenant_id",
            Invalid::new(
                FieldCode::InvalidValue,
                "This company's service is terminated; numbers go to active companies.",
            ),
        ),
        Some(_) => {}
    }
    let since_ms = match (non_empty(body.since.clone()), &tenant) {
        (Some(s), Some(t)) => {
            let tz = jiff::tz::TimeZone::get(&t.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
            match s.parse::<jiff::civil::Date>() {
                Err(_) => {
                    f.add("since", Invalid::date_format());
                    None
                }
                Ok(d) => match time::day_start(d, &tz) {
                    Some(ts) if ts <= cx.now && d >= EARLIEST_SINCE => Some(ts.as_millisecond()),
                    _ => {
                        f.add(
                            "since",
                            Invalid::new(
                                FieldCode::InvalidValue,
                                "A number is provisioned from a day between 2000-01-01 and today.",
                            ),
                        );
                        None
                    }
                },
            }
        }
        _ => None,
    };
    let (Some(number), Some(tenant), true) = (number, tenant, f.is_empty()) else {
        return Err(f.into_error());
    };
    let holding = match numbers::provision(
        cx.db(),
        &number,
        tenant.id,
        since_ms,
        cx.now.as_millisecond(),
    )
    .await?
    {
        Ok(h) => h,
        Err(Refused::Overlaps) => {
            return Err(ApiError::field(
                "number",
                Invalid::new(
                    FieldCode::NumberTaken,
                    "Another holding of this number covers that time: release it first, or \
                     provision from after it ended.",
                ),
            ));
        }
    };
    cx.note_target(format!("number:{}", holding.id));
    cx.note(json!({ "after": &holding }));
    Ok(Response::created(&holding))
}

/// `POST /api/operator/numbers/{id}/release`: the company stops holding
/// the number now. Its calls stay its own; the number leaves its ARS
/// settings; events from now on are unrouted until it is provisioned again.
pub async fn release(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let id = req.id_param("id")?;
    let before = numbers::by_id(cx.db(), id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let Some(after) = numbers::release(cx.db(), id, cx.now.as_millisecond()).await? else {
        return Err(ApiError::conflict(
            ErrorCode::NumberReleased,
            "This number was already released.",
        ));
    };
    cx.note_target(format!("number:{id}"));
    cx.note(json!({ "before": before, "after": &after }));
    Ok(Response::ok(&after))
}
