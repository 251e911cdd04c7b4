//! `GET /api/stats/{report}` (one route per report; SPEC section 4, STAT-1..6): one statistics
//! table of the signed-in admin's tenant for a date range (`from`, `to`:
//! inclusive dates in the tenant's zone, at most [`MAX_DAYS`] days),
//! `granularity` (`hour`, `day`, `month`), optional `queue` (menu digit)
//! and `agent` (agent ID). Rows per period and key, and a totals row. The
//! figures are `reports::stats` (roll-up + live records), counted with
//! `reports::metrics`.

use crate::reports::export::{self, Lang};
use crate::reports::metrics::{DEFAULT_SL_THRESHOLD_SECONDS, Window};
use crate::reports::stats::{self, Granularity, Report, Request as StatsRequest};
use crate::runtime::context::Cx;
use serde_json::json;
use switchboard_http::{
    ApiError, FieldCode, Invalid, Request, RequestExt, Response, ResponseExt, StatusCode, header,
};

/// The longest range one request reads (a year and a day).
pub const MAX_DAYS: i64 = 366;

fn non_empty(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

pub async fn show(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let report = req
        .uri()
        .path()
        .rsplit('/')
        .next()
        .and_then(Report::parse)
        .ok_or_else(ApiError::not_found)?;
    let (_, body) = read(cx, &req, report).await?;
    Ok(Response::json(StatusCode::OK, &body))
}

/// `GET /api/stats/export?report=…&format=csv|xlsx&lang=ko|en` with the
/// filters of the table: the same table as a file (`reports::export`),
/// audited with its filter.
pub async fn export(cx: &Cx, req: Request) -> Result<Response, ApiError> {
    let report = match non_empty(req.query_param("report")) {
        None => {
            return Err(ApiError::field(
                "report",
                Invalid::required("Choose a report."),
            ));
        }
        Some(r) => Report::parse(&r).ok_or_else(|| {
            ApiError::field(
                "report",
                Invalid::new(FieldCode::InvalidChoice, "Choose a report.")
                    .with("options", "tenant, queues, waits, types, agents, states"),
            )
        })?,
    };
    let format = non_empty(req.query_param("format")).unwrap_or_else(|| "xlsx".to_owned());
    if format != "csv" && format != "xlsx" {
        return Err(ApiError::field(
            "format",
            Invalid::new(FieldCode::InvalidChoice, "Choose csv or xlsx.")
                .with("options", "csv, xlsx"),
        ));
    }
    let lang = match non_empty(req.query_param("lang")).as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Ko,
    };
    let (table, body) = read(cx, &req, report).await?;
    if table.rows.len() > export::MAX_ROWS {
        return Err(ApiError::field(
            "to",
            Invalid::new(
                FieldCode::NumberRange,
                format!("The export would hold more than {} rows: choose a shorter range or a coarser granularity.", export::MAX_ROWS),
            )
            .with("max", export::MAX_ROWS),
        ));
    }
    cx.note(json!({
        "report": report.name(),
        "format": format,
        "from": body["from"],
        "to": body["to"],
        "granularity": table.granularity,
        "queue": non_empty(req.query_param("queue")),
        "agent": non_empty(req.query_param("agent")),
        "rows": table.rows.len(),
    }));
    let name = format!(
        "stats-{}-{}-{}",
        report.name(),
        body["from"].as_str().unwrap_or(""),
        body["to"].as_str().unwrap_or("")
    );
    if format == "csv" {
        let bytes =
            export::csv(&table, lang).map_err(|e| ApiError::internal(format!("CSV: {e}")))?;
        return Ok(
            Response::body_of("text/csv; charset=utf-8", bytes).with_header(
                header::CONTENT_DISPOSITION,
                &format!("attachment; filename=\"{name}.csv\""),
            ),
        );
    }
    let g = match (table.granularity, lang) {
        (Granularity::Hour, Lang::Ko) => "시간별",
        (Granularity::Day, Lang::Ko) => "일별",
        (Granularity::Month, Lang::Ko) => "월별",
        (Granularity::Hour, Lang::En) => "by hour",
        (Granularity::Day, Lang::En) => "by day",
        (Granularity::Month, Lang::En) => "by month",
    };
    let all = match lang {
        Lang::Ko => "전체",
        Lang::En => "all",
    };
    let queue = non_empty(req.query_param("queue")).unwrap_or_else(|| all.to_owned());
    let agent = non_empty(req.query_param("agent")).unwrap_or_else(|| all.to_owned());
    let heading = match lang {
        Lang::Ko => vec![
            format!("통계: {}", export::title(report, lang)),
            format!(
                "기간: {} ~ {} ({g}, {})",
                body["from"].as_str().unwrap_or(""),
                body["to"].as_str().unwrap_or(""),
                body["time_zone"].as_str().unwrap_or("")
            ),
            format!("필터: 큐 {queue}, 상담사 {agent}"),
        ],
        Lang::En => vec![
            format!("Statistics: {}", export::title(report, lang)),
            format!(
                "Period: {} to {} ({g}, {})",
                body["from"].as_str().unwrap_or(""),
                body["to"].as_str().unwrap_or(""),
                body["time_zone"].as_str().unwrap_or("")
            ),
            format!("Filter: queue {queue}, agent {agent}"),
        ],
    };
    let bytes = export::xlsx(&table, lang, &heading)
        .map_err(|e| ApiError::internal(format!("XLSX: {e}")))?;
    Ok(Response::body_of(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    )
    .with_header(
        header::CONTENT_DISPOSITION,
        &format!("attachment; filename=\"{name}.xlsx\""),
    ))
}

/// The table `report` for the request's filters, and its JSON answer.
async fn read(
    cx: &Cx,
    req: &Request,
    report: Report,
) -> Result<(stats::Table, serde_json::Value), ApiError> {
    let tenant = cx.tenant()?.clone();
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
    Ok((table, body))
}
