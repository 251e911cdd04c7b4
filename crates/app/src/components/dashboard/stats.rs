//! `GET /api/stats/{report}` (one route per report; SPEC section 4, STAT-1..6): one statistics
//! table of the signed-in admin's tenant for a date range (`from`, `to`:
//! inclusive dates in the tenant's zone, at most [`MAX_DAYS`] days),
//! `granularity` (`hour`, `day`, `month`), optional `queue` (menu digit)
//! and `agent` (agent ID). Rows per period and key, and a totals row. The
//! figures are `reports::stats` (roll-up + live records), counted with
//! `reports::metrics`.

use crate::reports::metrics::{DEFAULT_SL_THRESHOLD_SECONDS, Window};
use crate::reports::stats::{self, Granularity, Report, Request as StatsRequest};
use crate::runtime::context::Cx;
use switchboard_http::{
    ApiError, FieldCode, Invalid, Request, RequestExt, Response, ResponseExt, StatusCode,
};

/// The longest range one request reads (a year and a day).
pub const MAX_DAYS: i64 = 366;

fn non_empty(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

pub async fn show(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let tenant = cx.tenant()?.clone();
    let report = req
        .uri()
        .path()
        .rsplit('/')
        .next()
        .and_then(Report::parse)
        .ok_or_else(ApiError::not_found)?;
    let tz = tenant.time_zone.clone();
    let today = cx.now.to_zoned_datetime(tz.clone()).date();
    let date = |name: &'static str| -> Result<jiff::civil::Date, ApiError> {
        match non_empty(req.query_param(name)) {
            None => Ok(today),
            Some(s) => s
                .parse::<jiff::civil::Date>()
                .map_err(|_| ApiError::field(name, Invalid::date_format())),
        }
    };
    let (from, to) = (date("from")?, date("to")?);
    let days = (to - from).get_days() as i64;
    if to < from || days >= MAX_DAYS {
        return Err(ApiError::field(
            "to",
            Invalid::new(
                FieldCode::NumberRange,
                format!("Choose a range of 1 to {MAX_DAYS} days, ending on or after its start."),
            )
            .with("min", 1)
            .with("max", MAX_DAYS),
        ));
    }
    let granularity = match non_empty(req.query_param("granularity")).as_deref() {
        None | Some("day") => Granularity::Day,
        Some("hour") => Granularity::Hour,
        Some("month") => Granularity::Month,
        Some(_) => {
            return Err(ApiError::field(
                "granularity",
                Invalid::new(FieldCode::InvalidChoice, "Choose hour, day or month.")
                    .with("options", "hour, day, month"),
            ));
        }
    };
    let number = |name: &'static str, max: i64| -> Result<Option<i64>, ApiError> {
        non_empty(req.query_param(name))
            .map(|s| {
                s.parse::<i64>()
                    .ok()
                    .filter(|n| (0..=max).contains(n))
                    .ok_or_else(|| ApiError::field(name, Invalid::number_range(0, max)))
            })
            .transpose()
    };
    let queue = number("queue", 9)?;
    let agent = number("agent", i64::MAX)?;
    let start = Window::day(from, &tz);
    let end = to.tomorrow().ok().and_then(|d| Window::day(d, &tz));
    let (Some(start), Some(end)) = (start, end) else {
        return Err(ApiError::field("to", Invalid::date_format()));
    };
    let threshold = crate::reports::dashboard::settings(cx.db(), tenant.id)
        .await
        .map(|s| s.sl_threshold_seconds)
        .unwrap_or(DEFAULT_SL_THRESHOLD_SECONDS);
    let table = stats::build(
        cx.db(),
        &StatsRequest {
            tenant_id: tenant.id,
            tz,
            window: Window {
                from_ms: start.from_ms,
                to_ms: end.from_ms,
            },
            granularity,
            report,
            queue,
            agent,
            now_ms: cx.now.as_millisecond(),
            threshold_seconds: threshold,
        },
    )
    .await?;
    let mut body = serde_json::to_value(&table)
        .map_err(|e| ApiError::internal(format!("statistics JSON: {e}")))?;
    body["from"] = from.to_string().into();
    body["to"] = to.to_string().into();
    body["time_zone"] = tenant.time_zone_name().into();
    Ok(Response::json(StatusCode::OK, &body))
}
